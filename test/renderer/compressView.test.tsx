import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_PIPELINE,
  describeStrategies,
  loadRuleTables,
  runPipeline,
  type Pipeline,
} from '../../src/core/compression';
import type { RouteInput } from '../../src/shared/contract';
import { App } from '../../src/renderer/src/App';
import { defaultExportNames } from '../../src/renderer/src/app/compressActions';
import { DiffViewContext, type DiffViewProps } from '../../src/renderer/src/features/compress/diffHost';
import { useCompressStore } from '../../src/renderer/src/stores/compress';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { FakeRouteError } from '../../src/renderer/src/transport/fakeTransport';
import fillerEn from '../../resources/rules/filler.en.json';
import { createGptTokenizer } from '../../src/core/tokens/gptTokenizer';
import { createFakeBackend, type FakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(() => {
  useCompressStore.getState().reset();
  resetApp();
});

const PROMPT = [
  '# Support',
  '',
  'You are a **helpful** agent.   In order to help, read the ticket.',
  'Never share the {{account_id}}.',
  'Never share the {{account_id}}.',
  '',
].join('\n');

const rules = loadRuleTables(fillerEn, 'filler.en.json');
const tokenizer = createGptTokenizer();
const countO200k = (t: string) => tokenizer.count(t, 'o200k_base');

/** A plain stand-in for the Monaco diff: both texts, a button per mark, and a protect button. */
function PlainDiff(props: DiffViewProps) {
  return (
    <div>
      <pre data-testid="diff-original">{props.original}</pre>
      <pre data-testid="diff-modified">{props.modified}</pre>
      {props.originalMarks.map((m) => (
        <button
          key={`${m.status}:${m.id}`}
          type="button"
          data-testid="diff-mark"
          data-status={m.status}
          onClick={() => props.onToggleEdit(m.id, m.status === 'applied')}
        >
          {m.hover}
        </button>
      ))}
      <button type="button" data-testid="diff-protect" onClick={() => props.onProtect({ start: 0, end: 9 })}>
        protect
      </button>
    </div>
  );
}

type RunInput = RouteInput<'compress.run'>;

async function setup(extra: Parameters<FakeBackend['transport']['handle']>[0] = {}, waitForDiff = true) {
  const backend = createFakeBackend({ 'prompts/support.md': PROMPT });
  const runs: RunInput[] = [];
  backend.transport.handle({
    'compress.strategies': () => ({ strategies: describeStrategies(), defaultPipeline: DEFAULT_PIPELINE }),
    'compress.run': (input) => {
      runs.push(input);
      const r = runPipeline(input.text, (input.pipeline ?? DEFAULT_PIPELINE) as Pipeline, {
        count: countO200k,
        rules,
        rejected: new Set(input.rejected ?? []),
        protect: input.protect,
      });
      return { ...r, encoding: 'o200k_base', model: input.model ?? null, savedUsdPerRequest: null };
    },
    'compress.listPipelines': () => ({ paths: ['pipelines/strict.pipeline.json'] }),
    'compress.loadPipeline': ({ path }) => ({
      path,
      pipeline: { version: 1, name: 'Strict', steps: [{ strategy: 'format.whitespace' }] },
    }),
    ...extra,
  });
  const { setTransport } = await import('../../src/renderer/src/transport');
  setTransport(backend.transport);
  render(
    <DiffViewContext.Provider value={PlainDiff}>
      <App editor={TextareaEditor} />
    </DiffViewContext.Provider>,
  );
  await screen.findAllByTestId('file-item');
  fireEvent.click(screen.getAllByTestId('file-item')[0]!);
  await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/support.md'));
  fireEvent.click(screen.getByTestId('mode-compress'));
  await screen.findByTestId('compress-view');
  if (waitForDiff) await waitFor(() => expect(screen.getByTestId('diff-modified').textContent).not.toBe(''));
  return { backend, runs };
}

const lastRun = (runs: RunInput[]) => runs[runs.length - 1]!;
const settled = () =>
  waitFor(() => expect(screen.getByTestId('compress-summary').dataset.pending).toBe('false'));

describe('Compress view', () => {
  it('runs the default pipeline on the open prompt and shows the exact totals and the output', async () => {
    const { runs } = await setup();
    await settled();
    const expected = runPipeline(PROMPT, DEFAULT_PIPELINE, { count: countO200k, rules });
    expect(screen.getByTestId('diff-modified').textContent).toBe(expected.text);
    expect(screen.getByTestId('compress-totals').textContent).toContain(String(expected.totals.tokensBefore));
    expect(screen.getByTestId('compress-totals').textContent).toContain(String(expected.totals.tokensAfter));
    expect(lastRun(runs).model).toBe('gpt-4o');
    // the cost panel gives way to the compression panel, and comes back in Edit mode
    expect(screen.queryByTestId('cost-panel')).toBeNull();
    fireEvent.click(screen.getByTestId('mode-edit'));
    expect(screen.queryByTestId('compress-view')).toBeNull();
    expect((screen.getByTestId('text-editor') as HTMLTextAreaElement).value).toBe(PROMPT);
  });

  it('rejects one edit from the list, then every edit of a strategy, and applies them again', async () => {
    const { runs } = await setup();
    await settled();
    fireEvent.click(screen.getByTestId('compress-tab-edits'));
    const group = (await screen.findAllByTestId('edit-group')).find(
      (g) => g.dataset.strategy === 'rules.filler',
    )!;
    const row = within(group).getAllByTestId('edit-row')[0]!;
    const id = row.dataset.edit!;
    fireEvent.click(within(row).getByTestId('edit-toggle'));
    await waitFor(() => expect(lastRun(runs).rejected).toEqual([id]));
    await settled();
    expect(screen.getByTestId('diff-modified').textContent).toContain('In order to');
    await waitFor(() =>
      expect(screen.getAllByTestId('edit-row').find((r) => r.dataset.edit === id)!.dataset.status).toBe(
        'rejected',
      ),
    );
    // the whole markdown strategy off from its group header
    const md = screen.getAllByTestId('edit-group').find((g) => g.dataset.strategy === 'format.markdown')!;
    fireEvent.click(within(md).getByTestId('group-toggle'));
    await settled();
    await waitFor(() => expect(screen.getByTestId('diff-modified').textContent).toContain('**helpful**'));
    fireEvent.click(screen.getByText('Apply all again'));
    await waitFor(() => expect(lastRun(runs).rejected).toEqual([]));
  });

  it('toggles a strategy and edits its options through the form built from its schema', async () => {
    const { runs } = await setup();
    await settled();
    const step = (id: string) => screen.getAllByTestId('step').find((s) => s.dataset.strategy === id)!;
    fireEvent.click(within(step('rules.dedupe')).getByTestId('step-toggle'));
    await waitFor(() => {
      const p = lastRun(runs).pipeline as Pipeline;
      expect(p.steps.find((s) => s.strategy === 'rules.dedupe')!.enabled).toBe(false);
    });
    fireEvent.click(within(step('rules.dedupe')).getByTestId('step-options-toggle'));
    const minChars = within(step('rules.dedupe')).getByTestId(
      'option-rules.dedupe-minChars',
    ) as HTMLInputElement;
    const before = runs.length;
    fireEvent.change(minChars, { target: { value: '0' } });
    expect(within(step('rules.dedupe')).getByRole('alert').textContent).toMatch(/at least 1/);
    fireEvent.change(minChars, { target: { value: '40' } });
    await waitFor(() => {
      const p = lastRun(runs).pipeline as Pipeline;
      expect(p.steps.find((s) => s.strategy === 'rules.dedupe')!.options).toMatchObject({ minChars: 40 });
    });
    expect(runs.length).toBeGreaterThan(before);
    expect(runs.every((r) => (r.pipeline as Pipeline).steps.every((s) => s.options?.minChars !== 0))).toBe(
      true,
    );
    // a workspace pipeline replaces the steps
    fireEvent.change(screen.getByTestId('pipeline-load'), {
      target: { value: 'pipelines/strict.pipeline.json' },
    });
    await waitFor(() => {
      const p = lastRun(runs).pipeline as Pipeline;
      expect(p.steps.filter((s) => s.enabled).map((s) => s.strategy)).toEqual(['format.whitespace']);
    });
  });

  it('sends protected ranges with the run and carries them through typing', async () => {
    const { runs } = await setup();
    await settled();
    fireEvent.click(screen.getByTestId('diff-protect'));
    await waitFor(() => expect(lastRun(runs).protect).toEqual([{ start: 0, end: 9 }]));
    act(() => useCompressStore.getState().mapProtect([{ offset: 0, deleteCount: 0, insert: 'xx' }]));
    expect(useCompressStore.getState().protect).toEqual([{ start: 2, end: 11 }]);
    act(() => useCompressStore.getState().mapProtect([{ offset: 3, deleteCount: 20, insert: '' }]));
    expect(useCompressStore.getState().protect).toEqual([{ start: 2, end: 3 }]);
  });

  it('exports with default names next to the prompt, and asks before replacing files', async () => {
    const exports: Array<RouteInput<'compress.export'>> = [];
    await setup({
      'compress.export': (input) => {
        exports.push(input);
        if (!input.overwrite)
          throw new FakeRouteError('FILE_EXISTS', 'prompts/support.compressed.md already exists.');
        return {
          written: [{ kind: 'compressed', path: input.outputs.compressed! }],
          tokensBefore: 10,
          tokensAfter: 8,
        };
      },
    });
    await settled();
    fireEvent.click(screen.getByTestId('export-open'));
    fireEvent.click(screen.getByTestId('export-pipeline'));
    fireEvent.click(screen.getByTestId('export-submit'));
    const dialog = await screen.findByTestId('confirm-dialog');
    expect(dialog.textContent).toContain('already exists');
    fireEvent.click(within(dialog).getByText('Replace'));
    await waitFor(() => expect(screen.queryByTestId('export-dialog')).toBeNull());
    const names = defaultExportNames('prompts/support.md');
    expect(exports).toHaveLength(2);
    expect(exports[1]).toMatchObject({
      source: 'prompts/support.md',
      text: PROMPT,
      overwrite: true,
      outputs: { compressed: names.compressed, report: names.report },
    });
    expect(exports[1]!.outputs.pipeline).toBeUndefined();
  });

  it('shows a coded error when a run fails and keeps the prompt untouched', async () => {
    await setup(
      {
        'compress.run': () => {
          throw new FakeRouteError('INVALID_INPUT', 'Pipeline: steps[0].strategy: unknown strategy "x".');
        },
      },
      false,
    );
    const error = await screen.findByTestId('compress-error');
    expect(error.textContent).toContain('INVALID_INPUT');
    expect(useEditorStore.getState().content).toBe(PROMPT);
  });
});

describe('run notes', () => {
  it('shows warnings and the model calls with provider-reported usage and cost', async () => {
    await setup({
      'compress.run': (input) => ({
        ...runPipeline(input.text, DEFAULT_PIPELINE, { count: countO200k, rules }),
        encoding: 'o200k_base',
        model: null,
        savedUsdPerRequest: null,
        warnings: ['The sentence-embedding model did not load; compared wording only.'],
        llmCalls: [
          {
            purpose: 'llm.rewrite',
            provider: 'anthropic',
            model: 'claude-haiku-4-5',
            cached: true,
            usage: { inputTokens: 1200, outputTokens: 300 },
            usageMethod: 'provider-reported',
            usd: null,
            stopReason: 'end',
          },
        ],
      }),
    });
    const notes = await screen.findByTestId('run-notes');
    expect(notes.textContent).toContain('did not load');
    expect(screen.getByTestId('llm-call').textContent).toMatch(
      /llm\.rewrite called anthropic:claude-haiku-4-5 \(answer reused, no new call\): 1,200 in · 300 out, provider-reported · no price/,
    );
  });
});

describe('defaultExportNames', () => {
  it('puts the exports next to the prompt with its extension', () => {
    expect(defaultExportNames('a/b/policy.txt')).toEqual({
      compressed: 'a/b/policy.compressed.txt',
      pipeline: 'a/b/policy.pipeline.json',
      report: 'a/b/policy.compression-report.md',
    });
    expect(defaultExportNames('notes')).toMatchObject({ compressed: 'notes.compressed.md' });
  });
});
