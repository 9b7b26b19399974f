import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { useBenchStore } from '../../src/renderer/src/stores/bench';
import { useDialogStore } from '../../src/renderer/src/stores/dialog';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { useGoldenStore } from '../../src/renderer/src/stores/golden';
import { setTransport } from '../../src/renderer/src/transport';
import {
  addBenchRoutes,
  CONFIG,
  estimateResult,
  GOLDEN,
  ROOT,
  runSummary,
  type BenchFake,
} from './benchFixtures';
import { createFakeBackend, type FakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(() => {
  resetApp();
  useBenchStore.getState().reset();
  useGoldenStore.getState().reset();
});

async function setup(init: Partial<BenchFake> = {}): Promise<{ backend: FakeBackend; fake: BenchFake }> {
  const backend = createFakeBackend({ 'prompts/intent.md': 'Classify: {{text}}' });
  const fake = addBenchRoutes(backend.transport, init);
  setTransport(backend.transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
  return { backend, fake };
}

async function openConfig() {
  fireEvent.click(await screen.findByTestId('bench-config-item'));
  await screen.findByTestId('bench-estimate');
}

const bar = () => screen.getByTestId('bench-progressbar');
const progress = (runId: string, done: number, extra: Record<string, unknown> = {}) => ({
  runId,
  done,
  total: 12,
  cached: 2,
  errors: 0,
  spentUsd: done * 0.0003,
  etaMs: (12 - done) * 1000,
  ...extra,
});

describe('Bench view', () => {
  it('lists the benchmark files and opens a config with its summary and worst-case estimate', async () => {
    const { backend } = await setup();
    const item = await screen.findByTestId('bench-config-item');
    expect(item.dataset.path).toBe(CONFIG);
    expect(screen.getByTestId('golden-set-item').dataset.path).toBe(GOLDEN);
    await openConfig();
    expect(backend.transport.callsTo('bench.estimate')).toEqual([{ path: `${ROOT}/${CONFIG}` }]);
    const config = screen.getByTestId('bench-config');
    expect(config.textContent).toContain('golden/intent.csv');
    expect(screen.getByTestId('bench-cases').textContent).toBe('3 cases · csv');
    expect(config.textContent).toContain('original');
    expect(config.textContent).toContain('baseline');
    expect(screen.getByTestId('bench-budget').textContent).toBe('$1.00');
    const rows = screen.getAllByTestId('estimate-row');
    expect(rows.map((r) => r.dataset.model)).toEqual(['claude-haiku-4-5', 'gpt-4o-mini']);
    expect(rows[0]!.textContent).toContain('≈ 1,500'); // an estimated count says so
    expect(rows[1]!.textContent).not.toContain('≈');
    expect(screen.getByTestId('estimate-total').textContent).toBe('$0.0142');
    expect(screen.getByTestId('within-budget').textContent).toBe('within the $1.00 budget');
    expect((screen.getByTestId('bench-run-button') as HTMLButtonElement).disabled).toBe(false);
    // the prompt editor is hidden behind the screen; the prompt list has nothing selected
    expect(screen.getByTestId('bench-view')).toBeTruthy();
    expect(
      screen.getAllByTestId('file-item').every((el) => el.getAttribute('aria-selected') === 'false'),
    ).toBe(true);
  });

  it('disables Run with the reason when the worst case is above the budget', async () => {
    await setup({ estimate: estimateResult({ budgetUsd: 0.01, usd: 0.5 }) });
    await openConfig();
    const run = screen.getByTestId('bench-run-button') as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    const reason = screen.getByTestId('bench-run-blocked');
    expect(reason.textContent).toContain('The worst case ($0.5000) is above the $0.0100 budget');
    expect(run.getAttribute('aria-describedby')).toBe(reason.id);
    expect(screen.getByTestId('over-budget').textContent).toBe('above the $0.0100 budget');
  });

  it('shows a config that does not load as a coded error, in place and as a notice', async () => {
    const { backend } = await setup();
    const { FakeRouteError } = await import('../../src/renderer/src/transport/fakeTransport');
    backend.transport.handle({
      'bench.estimate': () => {
        throw new FakeRouteError(
          'INVALID_INPUT',
          'intent.bench.yaml, line 4: variants[0]: unknown field "fle"',
        );
      },
    });
    fireEvent.click(await screen.findByTestId('bench-config-item'));
    const error = await screen.findByTestId('bench-estimate-error');
    expect(error.textContent).toContain('unknown field "fle"');
    expect(error.textContent).toContain('INVALID_INPUT');
    const notice = screen.getAllByTestId('notice').find((n) => n.dataset.code === 'INVALID_INPUT');
    expect(notice).toBeTruthy();
    expect((screen.getByTestId('bench-run-button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('runs in the background: the progress bar follows the events, then the report and the drill-down', async () => {
    const { backend, fake } = await setup();
    await openConfig();
    fireEvent.click(screen.getByTestId('bench-batch'));
    fireEvent.click(screen.getByTestId('bench-run-button'));
    await screen.findByTestId('bench-progressbar');
    expect(backend.transport.callsTo('bench.start')).toEqual([{ path: `${ROOT}/${CONFIG}`, batch: true }]);
    expect(bar().getAttribute('aria-valuenow')).toBe('0');
    expect(bar().getAttribute('aria-valuemax')).toBe('12');

    act(() =>
      backend.transport.emit('bench.progress', progress('run-1', 5, { phase: '1 batch in progress' })),
    );
    expect(bar().getAttribute('aria-valuenow')).toBe('5');
    expect(bar().getAttribute('aria-valuetext')).toBe('5 of 12 cells');
    expect(screen.getByTestId('progress-cells').textContent).toBe('5 / 12 cells');
    expect(screen.getByTestId('bench-progress').textContent).toContain('$0.001500 spent');
    expect(screen.getByTestId('progress-eta').textContent).toBe('ETA 7 s');
    expect(screen.getByTestId('bench-progress').textContent).toContain('2 cached');
    expect(screen.getByText('1 batch in progress')).toBeTruthy();
    expect(screen.getByTestId('bench-cancel')).toBeTruthy();

    fake.runs[0]!.status = 'completed';
    fake.runs[0]!.done = 12;
    act(() => backend.transport.emit('bench.progress', progress('run-1', 12)));
    act(() => backend.transport.emit('bench.finished', { runId: 'run-1', status: 'completed' }));
    await screen.findByTestId('bench-report');
    expect(screen.getByTestId('bench-progress').dataset.status).toBe('completed');
    expect(screen.queryByTestId('bench-cancel')).toBeNull();

    const groups = screen.getAllByTestId('group-row');
    expect(groups).toHaveLength(4);
    const mini = groups.find((g) => g.dataset.variant === 'compressed' && g.dataset.model === 'gpt-4o-mini')!;
    expect(mini.textContent).toContain('66.7% (2/3)');
    expect(mini.textContent).toContain('95% CI');
    const dropped = screen.getAllByTestId('verdict').find((v) => v.dataset.verdict === 'dropped')!;
    expect(dropped.textContent).toContain('quality dropped: −33.3 pts, beyond 2 pts; cost −30%');
    expect(screen.getByTestId('bench-cheapest').textContent).toContain('original × gpt-4o-mini');
    const points = screen.getAllByTestId('scatter-point');
    expect(points).toHaveLength(4);
    expect(points.filter((p) => p.dataset.pareto === 'true')).toHaveLength(2);
    expect(screen.getAllByTestId('case-row')).toHaveLength(3);
    await waitFor(() =>
      expect(screen.getAllByTestId('run-item').map((r) => r.dataset.status)).toEqual(['completed']),
    );

    // failures only, then the failed cell's drill-down
    fireEvent.click(screen.getByTestId('cells-failures-only'));
    expect(screen.getAllByTestId('case-row').map((r) => r.dataset.case)).toEqual(['case-2']);
    const failed = screen.getAllByTestId('bench-cell').find((c) => c.dataset.state === 'fail')!;
    fireEvent.click(failed);
    const detail = await screen.findByTestId('cell-detail');
    await within(detail).findByTestId('cell-assertions');
    expect(backend.transport.callsTo('bench.cell')).toEqual([
      { runId: 'run-1', cellId: 'compressed/gpt-4o-mini/case-2#1' },
    ]);
    expect(within(detail).getByTestId('diff-baseline').textContent).toBe('top_up_by_cash_or_cheque');
    expect(within(detail).getByTestId('diff-output').textContent).toBe('top_up_by_card');
    expect(detail.querySelector('ins')?.textContent).toBe('top_up_by_card');
    expect(within(detail).getByTestId('cell-expected').textContent).toBe('top_up_by_cash_or_cheque');
    expect(within(detail).getByTestId('cell-request').textContent).toContain(
      'You classify banking messages.',
    );
    expect(within(detail).getByTestId('cell-request').textContent).toContain(
      'Message: Do you accept checks?',
    );
    const assertion = within(detail).getAllByTestId('assertion-row')[0]!;
    expect(assertion.dataset.pass).toBe('false');
    expect(assertion.textContent).toContain('expected "top_up_by_cash_or_cheque", got "top_up_by_card"');
    fireEvent.keyDown(detail, { key: 'Escape' });
    expect(screen.queryByTestId('cell-detail')).toBeNull();
  });

  it('takes events that arrive before bench.start answers', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { backend, fake } = await setup({ startGate: gate });
    await openConfig();
    fireEvent.click(screen.getByTestId('bench-run-button'));
    await waitFor(() => expect(backend.transport.callsTo('bench.start')).toHaveLength(1));
    // every cell came from the cache: the run ended before its id came back
    fake.runs[0]!.status = 'completed';
    act(() => backend.transport.emit('bench.progress', progress('run-1', 12)));
    act(() => backend.transport.emit('bench.finished', { runId: 'run-1', status: 'completed' }));
    await act(async () => open());
    await waitFor(() => expect(screen.getByTestId('bench-progress').dataset.status).toBe('completed'));
    expect(bar().getAttribute('aria-valuenow')).toBe('12');
    await screen.findByTestId('bench-report');
  });

  it('reports a refused start with its code, and a failed run with its code', async () => {
    const { backend } = await setup();
    await openConfig();
    const { FakeRouteError } = await import('../../src/renderer/src/transport/fakeTransport');
    backend.transport.handle({
      'bench.start': () => {
        throw new FakeRouteError('PROVIDER_AUTH', 'Anthropic rejected the API key.');
      },
    });
    fireEvent.click(screen.getByTestId('bench-run-button'));
    await waitFor(() =>
      expect(screen.getAllByTestId('notice').some((n) => n.dataset.code === 'PROVIDER_AUTH')).toBe(true),
    );
    expect(screen.queryByTestId('bench-progressbar')).toBeNull();

    addBenchRoutes(backend.transport);
    fireEvent.click(screen.getByTestId('bench-run-button'));
    await screen.findByTestId('bench-progressbar');
    act(() =>
      backend.transport.emit('bench.finished', {
        runId: 'run-1',
        status: 'failed',
        error: { code: 'PROVIDER_RATE_LIMIT', message: 'Too many requests; gave up after 5 retries.' },
      }),
    );
    await waitFor(() =>
      expect(screen.getAllByTestId('notice').some((n) => n.dataset.code === 'PROVIDER_RATE_LIMIT')).toBe(
        true,
      ),
    );
    expect(screen.getByTestId('bench-progress').dataset.status).toBe('failed');
    expect(screen.getByTestId('bench-progress').textContent).toContain('Too many requests');
  });

  it('cancels the active run, and resumes an interrupted one from the runs list', async () => {
    const { backend } = await setup({
      runs: [
        runSummary('run-old', { status: 'interrupted', done: 7, createdAt: '2025-11-19T09:00:00.000Z' }),
      ],
    });
    await openConfig();
    const item = await screen.findByTestId('run-item');
    expect(item.dataset.status).toBe('interrupted');
    expect(within(item).getByTestId('run-status').textContent).toBe('interrupted');
    // the newest run of the config with cells is shown on opening
    await screen.findByTestId('bench-report');
    fireEvent.click(within(item).getByTestId('run-resume'));
    await screen.findByTestId('bench-progressbar');
    expect(backend.transport.callsTo('bench.resume')).toEqual([{ runId: 'run-old' }]);
    act(() => backend.transport.emit('bench.progress', progress('run-old', 8)));
    expect(bar().getAttribute('aria-valuenow')).toBe('8');
    fireEvent.click(screen.getByTestId('bench-cancel'));
    await waitFor(() => expect(backend.transport.callsTo('bench.cancel')).toEqual([{ runId: 'run-old' }]));
    act(() => backend.transport.emit('bench.finished', { runId: 'run-old', status: 'cancelled' }));
    await waitFor(() => expect(screen.getByTestId('bench-progress').dataset.status).toBe('cancelled'));
    expect(screen.getByTestId('bench-run-button')).toBeTruthy();
  });

  it('follows a run of the config that is still going when the config opens (after a reload)', async () => {
    const { backend } = await setup({ runs: [runSummary('run-live', { status: 'running', done: 4 })] });
    await openConfig();
    await waitFor(() => expect(bar().getAttribute('aria-valuenow')).toBe('4'));
    act(() => backend.transport.emit('bench.progress', progress('run-live', 9)));
    expect(bar().getAttribute('aria-valuenow')).toBe('9');
    expect(screen.getByTestId('bench-cancel')).toBeTruthy();
    expect((screen.queryByTestId('bench-run-button') as HTMLButtonElement | null)?.disabled ?? true).toBe(
      true,
    );
  });

  it('compares two ticked runs', async () => {
    const { backend } = await setup({
      runs: [
        runSummary('run-b', { createdAt: '2025-11-20T10:00:00.000Z' }),
        runSummary('run-a', { createdAt: '2025-11-19T10:00:00.000Z' }),
      ],
    });
    await openConfig();
    await waitFor(() => expect(screen.getAllByTestId('run-item')).toHaveLength(2));
    const compare = screen.getByTestId('compare-runs') as HTMLButtonElement;
    expect(compare.disabled).toBe(true);
    for (const tick of screen.getAllByTestId('run-compare-tick')) fireEvent.click(tick);
    expect(compare.disabled).toBe(false);
    fireEvent.click(compare);
    const dialog = await screen.findByTestId('compare-dialog');
    // older run first, so the deltas read before → after
    expect(backend.transport.callsTo('bench.compare')).toEqual([{ a: 'run-a', b: 'run-b' }]);
    const table = within(dialog).getByTestId('compare-table');
    expect(table.textContent).toContain('100.0% → 66.7%');
    expect(table.textContent).toContain('−33.3 pts');
    expect(table.textContent).toContain('−30%');
    expect(dialog.textContent).toContain('Regressions (passed, now fail)');
    expect(dialog.textContent).toContain('case-2');
  });

  it('exports the shown report into the workspace, asking before it replaces a file', async () => {
    const { fake } = await setup({ runs: [runSummary('run-20251120-100000-ab12cd')] });
    await openConfig();
    await screen.findByTestId('bench-report');
    fireEvent.click(screen.getByTestId('bench-export-md'));
    await waitFor(() => expect(fake.exported).toHaveLength(1));
    expect(fake.exported[0]).toEqual({
      runId: 'run-20251120-100000-ab12cd',
      format: 'md',
      path: 'benchmarks/reports/intent-20251120-100000-ab12cd.md',
      overwrite: false,
    });
    await screen.findByText('Report exported to benchmarks/reports/intent-20251120-100000-ab12cd.md.');
    fireEvent.click(screen.getByTestId('bench-export-md'));
    await waitFor(() => expect(useDialogStore.getState().current?.title).toBe('Replace existing file?'));
    act(() => useDialogStore.getState().answer('replace'));
    await waitFor(() => expect(fake.exported).toHaveLength(2));
    expect(fake.exported[1]!.overwrite).toBe(true);
  });

  it('goes back to the prompt editor from the sidebar, with the prompt as it was', async () => {
    await setup();
    fireEvent.click(screen.getAllByTestId('file-item')[0]!);
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/intent.md'));
    fireEvent.change(screen.getByTestId('text-editor'), { target: { value: 'Classify now: {{text}}' } });
    await openConfig();
    expect(screen.getByTestId('editor').closest('.main-editor')!.hasAttribute('hidden')).toBe(true);
    fireEvent.click(screen.getAllByTestId('file-item')[0]!);
    await waitFor(() => expect(screen.queryByTestId('bench-view')).toBeNull());
    expect(screen.getByTestId('editor').closest('.main-editor')!.hasAttribute('hidden')).toBe(false);
    expect((screen.getByTestId('text-editor') as HTMLTextAreaElement).value).toBe('Classify now: {{text}}');
    expect(useEditorStore.getState().dirty).toBe(true);
  });
});
