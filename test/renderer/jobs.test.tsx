import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handleFinished, handleProgress } from '../../src/renderer/src/app/benchActions';
import {
  beginJob,
  cancelJob,
  endJob,
  handleJobProgress,
  NOTIFY_AFTER_MS,
  runAsJob,
  withJob,
} from '../../src/renderer/src/app/jobs';
import { formatDuration, JobsStatus, jobFacts } from '../../src/renderer/src/features/jobs/JobsPanel';
import { StatusBar } from '../../src/renderer/src/features/status/StatusBar';
import { useBenchStore } from '../../src/renderer/src/stores/bench';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { useHistoryStore } from '../../src/renderer/src/stores/history';
import { MAX_FINISHED_JOBS, useJobsStore } from '../../src/renderer/src/stores/jobs';
import { useNoticesStore } from '../../src/renderer/src/stores/notices';
import { useTokensStore } from '../../src/renderer/src/stores/tokens';
import { setTransport } from '../../src/renderer/src/transport';
import { createFakeTransport, type FakeTransport } from '../../src/renderer/src/transport/fakeTransport';
import { formatUsd } from '../../src/renderer/src/lib/format';
import { fakeCount, MODELS } from './support/fakeBackend';
import { resetApp } from './support/reset';

let transport: FakeTransport;

beforeEach(() => {
  transport = createFakeTransport({ 'jobs.cancel': () => ({ cancelled: true }) });
  setTransport(transport);
});
afterEach(() => {
  vi.useRealTimers();
  useBenchStore.getState().reset?.();
  useHistoryStore.getState().reset?.();
  resetApp();
});

const jobs = () => useJobsStore.getState().jobs;
const notices = () => useNoticesStore.getState().items;

/** A promise the test resolves or rejects by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('runAsJob', () => {
  it('passes a job id the backend accepts, and adds it to the route input', async () => {
    let seen = '';
    await runAsJob({ kind: 'recall', title: 't' }, async (id) => {
      seen = id;
      return 1;
    });
    expect(seen).toMatch(/^[\w.:-]{1,64}$/);
    expect(withJob({ a: 1 }, seen)).toEqual({ a: 1, jobId: seen });
  });

  it('a call that answers before showAfterMs never appears (cache hits stay out of the panel)', async () => {
    vi.useFakeTimers();
    const d = deferred<string>();
    const run = runAsJob({ kind: 'rewrite', title: 'a.md' }, () => d.promise, { showAfterMs: 400 });
    await vi.advanceTimersByTimeAsync(399);
    d.resolve('ok');
    await run;
    expect(jobs()).toEqual([]);
    expect(notices()).toEqual([]);
  });

  it('a slow call appears after showAfterMs, ends done with its summary, and notifies when it took long', async () => {
    vi.useFakeTimers();
    const d = deferred<number>();
    const run = runAsJob({ kind: 'rewrite', title: 'a.md' }, () => d.promise, {
      showAfterMs: 400,
      summarize: (n) => `${n} edits`,
    });
    await vi.advanceTimersByTimeAsync(400);
    expect(jobs()).toHaveLength(1);
    expect(jobs()[0]!.status).toBe('running');
    await vi.advanceTimersByTimeAsync(NOTIFY_AFTER_MS);
    d.resolve(3);
    await run;
    expect(jobs()[0]).toMatchObject({ status: 'done', summary: '3 edits' });
    expect(notices()).toHaveLength(1);
    expect(notices()[0]!.kind).toBe('info');
    expect(notices()[0]!.message).toBe(`LLM rewrite of a.md finished: 3 edits (${formatUsd(0)} spent).`);
  });

  it('a job that ends quickly shows in the panel but raises no notification', async () => {
    await runAsJob({ kind: 'recall', title: 'h.json' }, async () => 1);
    expect(jobs()[0]!.status).toBe('done');
    expect(notices()).toEqual([]);
  });

  it('a progress event (a paid call) shows a pending job at once, with its spend', async () => {
    vi.useFakeTimers();
    const d = deferred<number>();
    let jobId = '';
    const run = runAsJob(
      { kind: 'summarise', title: 'h.json' },
      (id) => {
        jobId = id;
        return d.promise;
      },
      { showAfterMs: 10_000 },
    );
    expect(jobs()).toEqual([]);
    handleJobProgress({ jobId, calls: 2, inputTokens: 900, outputTokens: 80, spentUsd: 0.0123 });
    expect(jobs()[0]).toMatchObject({ id: jobId, calls: 2, spentUsd: 0.0123, status: 'running' });
    handleJobProgress({ jobId, calls: 3, inputTokens: 1200, outputTokens: 90, spentUsd: null });
    expect(jobs()[0]!.spentUsd).toBeNull();
    d.resolve(1);
    await run;
  });

  it('a failed call is kept as failed in the panel, rethrown, and not notified twice', async () => {
    const err = new Error('boom');
    await expect(
      runAsJob({ kind: 'recall', title: 'h.json' }, async () => {
        throw err;
      }),
    ).rejects.toBe(err);
    expect(jobs()[0]!.status).toBe('failed');
    expect(notices()).toEqual([]);
  });

  it('cancel sends jobs.cancel with the job id; the job ends cancelled with a warning notice', async () => {
    const d = deferred<number>();
    let jobId = '';
    const run = runAsJob({ kind: 'rewrite', title: 'a.md' }, (id) => {
      jobId = id;
      return d.promise;
    });
    await cancelJob(jobId);
    expect(transport.callsTo('jobs.cancel')).toEqual([{ id: jobId }]);
    expect(jobs()[0]!.cancelling).toBe(true);
    // the backend's call comes back (a step that says PROVIDER_CANCELLED): the job reads cancelled
    d.resolve(1);
    await run;
    expect(jobs()[0]).toMatchObject({ status: 'cancelled', cancelling: false });
    expect(notices()[0]).toMatchObject({ kind: 'warning' });
    expect(notices()[0]!.message).toMatch(/^LLM rewrite of a\.md was cancelled/);
  });

  it('a cancel the backend refuses leaves the job running and shows the coded error', async () => {
    transport.handle({
      'jobs.cancel': () => {
        throw Object.assign(new Error('nope'), { code: 'INTERNAL' });
      },
    });
    beginJob({ id: 'j1', kind: 'recall', title: 't' });
    await cancelJob('j1');
    expect(jobs()[0]).toMatchObject({ status: 'running', cancelling: false });
    expect(notices()[0]!.kind).toBe('error');
  });
});

describe('jobs store', () => {
  it(`keeps every running job and the newest ${MAX_FINISHED_JOBS} finished ones`, () => {
    beginJob({ id: 'running', kind: 'benchmark', title: 'r' });
    for (let i = 0; i < MAX_FINISHED_JOBS + 5; i++) {
      beginJob({ id: `f${i}`, kind: 'recall', title: 'x' });
      endJob(`f${i}`, { status: 'done' }, { notify: false });
    }
    const all = jobs();
    expect(all.filter((j) => j.status === 'running').map((j) => j.id)).toEqual(['running']);
    expect(all.filter((j) => j.status === 'done')).toHaveLength(MAX_FINISHED_JOBS);
    expect(all.some((j) => j.id === 'f0')).toBe(false);
    expect(all.some((j) => j.id === `f${MAX_FINISHED_JOBS + 4}`)).toBe(true);
  });

  it('formats durations and facts', () => {
    expect(formatDuration(4_200)).toBe('4 s');
    expect(formatDuration(61_000)).toBe('1 min 1 s');
    expect(formatDuration(3_600_000)).toBe('1 h');
    beginJob({ id: 'b', kind: 'benchmark', title: 'x', total: 40, done: 10 }, {});
    useJobsStore.getState().update('b', { spentUsd: 0.5, etaMs: 30_000 });
    const job = jobs()[0]!;
    expect(jobFacts(job, job.startedAt + 5_000)).toEqual([
      '10 / 40',
      `${formatUsd(0.5)} spent`,
      '5 s elapsed',
      'about 30 s left',
    ]);
  });
});

describe('benchmark runs as jobs', () => {
  function startedRun() {
    useBenchStore.getState().runStarted({
      runId: 'run-1',
      configPath: 'benchmarks/b77.bench.yaml',
      total: 40,
      batch: false,
      estimateUsd: 0.2,
    });
    beginJob(
      { id: 'bench-run-1', kind: 'benchmark', title: 'b77.bench.yaml', total: 40, done: 0 },
      { cancel: () => transport.invoke('bench.cancel', { runId: 'run-1' }).then(() => undefined) },
    );
  }

  it('bench.progress moves the job: cells, spend, ETA, phase', () => {
    transport.handle({ 'bench.runs': () => ({ runs: [] }) });
    startedRun();
    handleProgress({
      runId: 'run-1',
      done: 10,
      total: 40,
      cached: 0,
      errors: 0,
      spentUsd: 0.05,
      etaMs: 12_000,
      phase: '1 batch in progress',
    });
    expect(jobs()[0]).toMatchObject({ done: 10, total: 40, spentUsd: 0.05, etaMs: 12_000 });
    expect(jobs()[0]!.phase).toBe('1 batch in progress');
  });

  it('bench.finished ends the job (completed → done, cancelled → cancelled)', async () => {
    transport.handle({ 'bench.runs': () => ({ runs: [] }), 'bench.cancel': () => ({ cancelled: true }) });
    startedRun();
    await handleFinished({ runId: 'run-1', status: 'completed' });
    expect(jobs()[0]!.status).toBe('done');
    startedRun();
    await cancelJob('bench-run-1');
    expect(transport.callsTo('bench.cancel')).toEqual([{ runId: 'run-1' }]);
    await handleFinished({ runId: 'run-1', status: 'cancelled' });
    expect(jobs()[0]!.status).toBe('cancelled');
  });
});

describe('the jobs button and panel', () => {
  it('says what runs, with overall progress, and lists jobs with Cancel', async () => {
    render(<JobsStatus />);
    const button = screen.getByTestId('jobs-button');
    expect(button.textContent).toBe('Jobs');
    act(() => {
      beginJob({ id: 'b', kind: 'benchmark', title: 'b77.bench.yaml', total: 40, done: 0 });
      useJobsStore.getState().update('b', { done: 20 });
      beginJob({ id: 'r', kind: 'rewrite', title: 'a.md' });
    });
    expect(button.textContent).toBe('2 jobs running · 50%');
    fireEvent.click(button);
    const panel = screen.getByTestId('jobs-panel');
    const rows = within(panel).getAllByTestId('job');
    expect(rows.map((r) => r.dataset.kind)).toEqual(['rewrite', 'benchmark']);
    const bar = within(rows[1]!).getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(within(rows[0]!).getByRole('progressbar').hasAttribute('aria-valuenow')).toBe(false);
    fireEvent.click(within(rows[0]!).getByTestId('job-cancel'));
    await act(async () => undefined);
    expect(transport.callsTo('jobs.cancel')).toEqual([{ id: 'r' }]);
    expect(within(rows[0]!).getByText('Cancelling…')).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('jobs-panel')).toBeNull();
  });

  it('an empty panel explains what will show there', () => {
    render(<JobsStatus />);
    fireEvent.click(screen.getByTestId('jobs-button'));
    expect(screen.getByTestId('jobs-panel').textContent).toMatch(/No jobs yet/);
  });
});

describe('status bar on the Benchmarks and History screens', () => {
  beforeEach(() => {
    useEditorStore.getState().load({
      path: 'prompts/a.md',
      content: 'text',
      hash: 'h',
      mtimeMs: 0,
      size: 4,
      encoding: 'utf-8',
    });
    useTokensStore.setState({ models: MODELS, selectedModel: 'gpt-4o', result: fakeCount('text', 'gpt-4o') });
  });

  it('shows the prompt’s count in the editor and hides it behind another screen', () => {
    render(<StatusBar />);
    expect(screen.queryByTestId('token-count')).not.toBeNull();
    act(() => useBenchStore.getState().setScreen({ kind: 'bench', path: 'benchmarks/b.bench.yaml' }));
    expect(screen.queryByTestId('token-count')).toBeNull();
    expect(screen.getByText('Benchmark')).toBeTruthy();
    act(() => useBenchStore.getState().setScreen(null));
    act(() => useHistoryStore.setState({ open: true }));
    expect(screen.queryByTestId('token-count')).toBeNull();
    expect(screen.getByText('History')).toBeTruthy();
  });
});
