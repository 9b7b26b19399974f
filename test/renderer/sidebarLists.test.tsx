import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import type { BenchRunSummary } from '../../src/shared/bench';
import { useBenchStore } from '../../src/renderer/src/stores/bench';
import { useCompressStore } from '../../src/renderer/src/stores/compress';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { useHistoryStore } from '../../src/renderer/src/stores/history';
import { setTransport } from '../../src/renderer/src/transport';
import { createFakeBackend, type FakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(() => {
  resetApp();
  useBenchStore.getState().reset();
  useHistoryStore.getState().reset();
  useCompressStore.getState().reset();
});

const ROOT = '/home/me/prompts';
const run = (n: number, file: string): BenchRunSummary => ({
  runId: `run-${n}`,
  createdAt: `2026-11-2${n % 10}T10:00:00.000Z`,
  file,
  status: 'completed',
  total: 40,
  done: 40,
  spentUsd: 0.01,
  variants: ['original'],
  models: ['gpt-4o-mini'],
  passRate: 0.975,
  batch: false,
});

async function renderApp(): Promise<FakeBackend> {
  const backend = createFakeBackend({ 'prompts/airline.md': 'You are an airline agent.' });
  backend.transport.handle({
    'bench.listFiles': () => ({ configs: ['benchmarks/intent.bench.yaml'], goldenSets: [] }),
    'history.listFiles': () => ({ histories: [], policies: [] }),
    // newest first, as the route answers; one run of another workspace's config
    'bench.runs': () => ({
      runs: [
        ...[9, 8, 7, 6, 5, 4].map((n) => run(n, `${ROOT}/benchmarks/intent.bench.yaml`)),
        run(3, '/elsewhere/other.bench.yaml'),
      ],
    }),
    'compress.listPipelines': () => ({ paths: ['pipelines/short.pipeline.json'] }),
    'compress.loadPipeline': ({ path }) => ({ path, pipeline: { version: 1, name: 'Short', steps: [] } }),
  });
  setTransport(backend.transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
  return backend;
}

describe('the sidebar lists runs and pipelines too', () => {
  it('lists the five newest runs of this workspace; a click opens the config with that run', async () => {
    const backend = await renderApp();
    backend.transport.handle({
      'bench.estimate': () => {
        throw Object.assign(new Error('not needed'), { code: 'INTERNAL' });
      },
      'bench.report': () => {
        throw Object.assign(new Error('not needed'), { code: 'INTERNAL' });
      },
    });
    await waitFor(() => expect(screen.getAllByTestId('sidebar-run-item')).toHaveLength(5));
    const ids = screen.getAllByTestId('sidebar-run-item').map((el) => el.dataset.run);
    expect(ids).toEqual(['run-9', 'run-8', 'run-7', 'run-6', 'run-5']);
    fireEvent.click(screen.getAllByTestId('sidebar-run-item')[1]!);
    await waitFor(() =>
      expect(useBenchStore.getState().screen).toEqual({
        kind: 'bench',
        path: 'benchmarks/intent.bench.yaml',
      }),
    );
    await waitFor(() => expect(useBenchStore.getState().selectedRunId).toBe('run-8'));
  });

  it('lists saved pipelines; a click applies one to the open prompt in the Compress view', async () => {
    const backend = await renderApp();
    const item = await screen.findByTestId('pipeline-file-item');
    // no prompt open: it says what to do, nothing changes
    fireEvent.click(item);
    await screen.findByText(/Open a prompt first/);
    expect(backend.transport.callsTo('compress.loadPipeline')).toEqual([]);
    fireEvent.click(
      screen.getAllByTestId('file-item').find((el) => el.dataset.path === 'prompts/airline.md')!,
    );
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/airline.md'));
    fireEvent.click(item);
    await waitFor(() =>
      expect(useCompressStore.getState().pipelinePath).toBe('pipelines/short.pipeline.json'),
    );
    expect(useCompressStore.getState().mode).toBe('compress');
  });
});
