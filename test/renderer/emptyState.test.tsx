import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EmptyState,
  guidePrompt,
  SAMPLE_BENCH,
  SAMPLE_HISTORY,
  SAMPLE_PROMPT,
} from '../../src/renderer/src/features/editor/EmptyState';
import { useBenchStore } from '../../src/renderer/src/stores/bench';
import { useHistoryStore } from '../../src/renderer/src/stores/history';
import { useWorkspaceStore } from '../../src/renderer/src/stores/workspace';
import { resetApp } from './support/reset';

const calls = vi.hoisted(() => ({
  openPromptFile: vi.fn(async (_path: string) => true),
  openHistory: vi.fn(async (_path: string) => true),
  openBench: vi.fn(async (_path: string) => true),
  setCompressMode: vi.fn((_on: boolean) => undefined),
}));
vi.mock('../../src/renderer/src/app/historyActions', () => ({
  openPromptFile: calls.openPromptFile,
  openHistory: calls.openHistory,
}));
vi.mock('../../src/renderer/src/app/benchActions', () => ({ openBench: calls.openBench }));
vi.mock('../../src/renderer/src/app/compressActions', () => ({ setCompressMode: calls.setCompressMode }));

const file = (path: string, size = 100) => ({ path, size, mtimeMs: 0 });

function seed(paths: Array<{ path: string; size: number; mtimeMs: number }>) {
  useWorkspaceStore.getState().setWorkspace({ root: '/ws', name: 'ws', files: paths, truncated: false });
}

beforeEach(() => {
  for (const fn of Object.values(calls)) fn.mockClear();
});
afterEach(() => {
  resetApp();
  useBenchStore.setState({ files: null });
  useHistoryStore.setState({ files: null });
});

describe('the first-start guide', () => {
  it('lists the three steps and conversation histories, each with a labelled button in the sample workspace', async () => {
    seed([file('prompts/short.md', 10), file(SAMPLE_PROMPT, 90_000), file('notes.txt', 50)]);
    useBenchStore.getState().setFiles({ configs: [SAMPLE_BENCH], goldenSets: [] });
    useHistoryStore.getState().setFiles({ histories: [SAMPLE_HISTORY], policies: [] });
    render(<EmptyState />);

    const region = screen.getByRole('region', { name: /Measure.*Compress.*Prove/ });
    const steps = within(screen.getByRole('list', { name: 'Steps' })).getAllByRole('listitem');
    expect(steps.map((s) => s.dataset.step)).toEqual(['measure', 'compress', 'prove']);
    expect(within(region).getByRole('listitem', { name: 'Conversation histories' })).toBeTruthy();
    expect(screen.getByText(/Pick a prompt on the left/)).toBeTruthy();

    // Measure: opens the long prompt
    const measure = screen.getByRole('button', { name: 'Open telecom-tech-support-manual.md' });
    expect(measure.getAttribute('type')).toBe('button');
    fireEvent.click(measure);
    expect(calls.openPromptFile).toHaveBeenCalledWith(SAMPLE_PROMPT);
    expect(calls.setCompressMode).not.toHaveBeenCalled();

    // Compress: opens it, then switches to the Compress view
    fireEvent.click(
      screen.getByRole('button', { name: 'Compress telecom-tech-support-manual.md in the Compress view' }),
    );
    await waitFor(() => expect(calls.setCompressMode).toHaveBeenCalledWith(true));
    expect(calls.openPromptFile).toHaveBeenLastCalledWith(SAMPLE_PROMPT);

    // Prove: the sample benchmark; histories: the sample history
    fireEvent.click(screen.getByRole('button', { name: 'Open banking77-intent.bench.yaml' }));
    expect(calls.openBench).toHaveBeenCalledWith(SAMPLE_BENCH);
    fireEvent.click(screen.getByRole('button', { name: 'Open tau-bench-airline-sample.json' }));
    expect(calls.openHistory).toHaveBeenCalledWith(SAMPLE_HISTORY);
  });

  it('does not switch to Compress when the prompt did not open', async () => {
    calls.openPromptFile.mockResolvedValueOnce(false);
    seed([file(SAMPLE_PROMPT)]);
    render(<EmptyState />);
    fireEvent.click(screen.getByTestId('guide-compress'));
    await waitFor(() => expect(calls.openPromptFile).toHaveBeenCalled());
    await Promise.resolve();
    expect(calls.setCompressMode).not.toHaveBeenCalled();
  });

  it('shows no button for a step whose file is not in the workspace', () => {
    seed([]);
    render(<EmptyState />);
    expect(screen.getAllByTestId('guide-step')).toHaveLength(4);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.getByText(/Open a folder with/)).toBeTruthy();
  });

  it('picks the largest prompt of another workspace, never a compressed copy', () => {
    expect(guidePrompt([file('a.md', 10), file('b.txt', 30), file('b.compressed.txt', 90)])).toBe('b.txt');
    expect(guidePrompt([file('data.csv', 10)])).toBeNull();
    expect(guidePrompt([file('a.md', 10), file(SAMPLE_PROMPT, 5)])).toBe(SAMPLE_PROMPT);
  });
});
