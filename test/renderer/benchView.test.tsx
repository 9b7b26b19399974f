import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import {
  CellTable,
  FALLBACK_VIEWPORT,
  OVERSCAN,
  ROW_HEIGHT,
} from '../../src/renderer/src/features/bench/CellTable';
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
  manyCells,
  report,
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

describe('Per-case table of a long run', () => {
  const CASES = 5_000; // × 2 variants × 2 models = 20,000 cells
  /** The most rows the fallback viewport may render: the rows in view, one partial row, the overscan. */
  const WINDOW = Math.ceil(FALLBACK_VIEWPORT / ROW_HEIGHT) + 1 + 2 * OVERSCAN;
  const big = report('run-big', manyCells(CASES));

  function renderTable() {
    const transport = createFakeBackend({}).transport;
    transport.handle({
      'bench.cell': ({ runId, cellId }) => ({
        runId,
        cell: big.cells.find((c) => c.cellId === cellId)!,
        request: { provider: 'openai', model: 'gpt-4o-mini', messages: [], maxTokens: 20 },
        vars: {},
      }),
    });
    setTransport(transport);
    useBenchStore.setState({ selectedRunId: 'run-big', report: big });
    render(<CellTable report={big} />);
    return { grid: screen.getByRole('grid'), scroller: screen.getByTestId('cells-scroll') };
  }
  const shownCases = () => screen.getAllByTestId('case-row').map((r) => r.dataset.case);
  const scrollTo = (scroller: HTMLElement, top: number) => {
    scroller.scrollTop = top;
    fireEvent.scroll(scroller);
  };
  const focused = () => (document.activeElement as HTMLElement | null)?.dataset.pos;
  /** The body's height (the scrollbar's range) and each rendered row's offset in it, in px. */
  const bodyPx = (grid: HTMLElement) =>
    parseFloat(grid.querySelector<HTMLElement>('.grid-body')!.style.height);
  const rowsAtTheirPlace = () =>
    screen
      .getAllByTestId('case-row')
      .every((r) => parseFloat(r.style.top) === (Number(r.getAttribute('aria-rowindex')) - 2) * ROW_HEIGHT);

  it('renders a bounded window of rows while the grid tells the full size', () => {
    const { grid } = renderTable();
    expect(grid.getAttribute('aria-rowcount')).toBe(String(CASES + 1));
    expect(grid.getAttribute('aria-colcount')).toBe('5');
    const rows = screen.getAllByTestId('case-row');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThanOrEqual(WINDOW);
    expect(rows[0]!.dataset.case).toBe('c1');
    expect(rows[0]!.getAttribute('aria-rowindex')).toBe('2');
    expect(screen.getAllByTestId('bench-cell')).toHaveLength(rows.length * 4);
    // the rows not rendered still take their room, so the scrollbar is the whole list's
    expect(bodyPx(grid)).toBe(CASES * ROW_HEIGHT);
    expect(rowsAtTheirPlace()).toBe(true);
    expect(screen.getByTestId('cells-count').textContent).toContain('5,000 cases');
    expect(screen.getByTestId('cells-range').textContent).toBe(
      `rows 1–${FALLBACK_VIEWPORT / ROW_HEIGHT} of 5,000`,
    );
    // one cell takes Tab focus
    expect(grid.querySelectorAll('[tabindex="0"]')).toHaveLength(1);
  });

  it('renders the rows in view as it scrolls, and sizes the window from the measured height', () => {
    const { grid, scroller } = renderTable();
    scrollTo(scroller, 2_500 * ROW_HEIGHT);
    const cases = shownCases();
    expect(cases).toContain('c2501');
    expect(cases).toContain(`c${2501 + OVERSCAN}`);
    expect(cases).not.toContain('c2');
    expect(cases).not.toContain(`c${2500 - OVERSCAN - 1}`);
    expect(cases.length).toBeLessThanOrEqual(WINDOW + 1); // + the row that keeps Tab focus (c1)
    const row = screen.getAllByTestId('case-row').find((r) => r.dataset.case === 'c2501')!;
    expect(row.getAttribute('aria-rowindex')).toBe('2502');
    expect(rowsAtTheirPlace()).toBe(true);
    expect(bodyPx(grid)).toBe(CASES * ROW_HEIGHT);
    expect(screen.getByTestId('cells-range').textContent).toBe('rows 2,501–2,515 of 5,000');

    // the bottom
    scrollTo(scroller, CASES * ROW_HEIGHT - FALLBACK_VIEWPORT);
    expect(shownCases()).toContain('c5000');

    // a taller container shows more rows
    Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: 1_600 });
    scrollTo(scroller, 0);
    expect(shownCases().length).toBe(1_600 / ROW_HEIGHT + 1 + OVERSCAN);
    expect(shownCases()).toContain('c50');
  });

  it('moves focus between cells with the arrow keys, Home/End and the page keys, scrolling to it', () => {
    const { grid, scroller } = renderTable();
    const start = grid.querySelector<HTMLElement>('[tabindex="0"]')!;
    expect(start.dataset.pos).toBe('0:0');
    start.focus();
    const press = (key: string, init: Record<string, unknown> = {}) =>
      fireEvent.keyDown(document.activeElement!, { key, ...init });
    press('ArrowDown');
    expect(focused()).toBe('1:0');
    press('ArrowRight');
    press('ArrowRight');
    expect(focused()).toBe('1:2');
    expect((document.activeElement as HTMLElement).dataset.cellId).toBe('compressed/claude-haiku-4-5/c2#1');
    press('End');
    expect(focused()).toBe('1:3');
    press('ArrowRight'); // stays at the edge
    expect(focused()).toBe('1:3');
    press('Home');
    expect(focused()).toBe('1:0');
    press('ArrowUp');
    press('ArrowUp');
    expect(focused()).toBe('0:0');
    const page = FALLBACK_VIEWPORT / ROW_HEIGHT;
    press('PageDown');
    expect(focused()).toBe(`${page}:0`);
    // the focused row is scrolled into view (its bottom at the viewport's bottom)
    expect(scroller.scrollTop).toBe((page + 1) * ROW_HEIGHT - FALLBACK_VIEWPORT);
    press('End', { ctrlKey: true });
    expect(focused()).toBe(`${CASES - 1}:3`);
    expect(scroller.scrollTop).toBe(CASES * ROW_HEIGHT - FALLBACK_VIEWPORT);
    expect(document.activeElement!.closest('[role="row"]')!.getAttribute('aria-rowindex')).toBe(
      String(CASES + 1),
    );
    press('PageUp');
    expect(focused()).toBe(`${CASES - 1 - page}:3`);
    press('Home', { ctrlKey: true });
    expect(focused()).toBe('0:0');
    expect(scroller.scrollTop).toBe(0);
    expect(grid.querySelectorAll('[tabindex="0"]')).toHaveLength(1);
  });

  it('keeps the focused cell rendered when it is scrolled far away', () => {
    const { scroller } = renderTable();
    const cell = screen.getAllByTestId('bench-cell')[5]!; // c2, second column
    fireEvent.click(cell);
    cell.focus();
    scrollTo(scroller, 4_000 * ROW_HEIGHT);
    expect(shownCases()).toContain('c2');
    expect(document.activeElement).toBe(cell);
    fireEvent.keyDown(cell, { key: 'ArrowDown' });
    expect(focused()).toBe('2:1');
    // it came back into view
    expect(scroller.scrollTop).toBe(2 * ROW_HEIGHT);
  });

  it('opens the drill-down of a clicked cell', async () => {
    renderTable();
    const cell = screen
      .getAllByTestId('bench-cell')
      .find((c) => c.dataset.cellId === 'original/gpt-4o-mini/c3#1')!;
    fireEvent.click(cell);
    expect(useBenchStore.getState().cellId).toBe('original/gpt-4o-mini/c3#1');
    await waitFor(() => expect(useBenchStore.getState().cell?.cell.cellId).toBe('original/gpt-4o-mini/c3#1'));
  });

  it('filters to the failing cases and goes back to the top', () => {
    const { grid, scroller } = renderTable();
    scrollTo(scroller, 1_000 * ROW_HEIGHT);
    fireEvent.click(screen.getByTestId('cells-failures-only'));
    const failing = Math.floor(CASES / 7);
    expect(grid.getAttribute('aria-rowcount')).toBe(String(failing + 1));
    expect(scroller.scrollTop).toBe(0);
    const cases = shownCases();
    expect(cases.slice(0, 3)).toEqual(['c7', 'c14', 'c21']);
    expect(cases.length).toBeLessThanOrEqual(WINDOW);
    expect(screen.getByTestId('cells-count').textContent).toContain(`${failing} of 5,000 cases`);
    expect(bodyPx(grid)).toBe(failing * ROW_HEIGHT);
    expect(rowsAtTheirPlace()).toBe(true);
    expect(screen.getAllByTestId('bench-cell').filter((c) => c.dataset.state === 'fail').length).toBe(
      cases.length,
    );
    fireEvent.click(screen.getByTestId('cells-failures-only'));
    expect(grid.getAttribute('aria-rowcount')).toBe(String(CASES + 1));
  });
});
