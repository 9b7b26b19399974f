import { create } from 'zustand';
import type {
  BenchCellDetail,
  BenchEstimateResult,
  BenchFinishedEvent,
  BenchProgressEvent,
  BenchReport,
  BenchRunStatus,
  BenchRunSummary,
} from '../../../shared/bench';
import type { ErrorPayload } from '../../../shared/errors';

/** What the main area shows instead of the prompt editor: a bench config or a golden set (workspace paths). */
export type BenchScreen = { kind: 'bench'; path: string } | { kind: 'golden'; path: string };

/** The run the user started or resumed from this window, as its events tell it. */
export interface ActiveRun {
  runId: string;
  /** The config it runs (workspace path), so its progress shows on that config's screen only. */
  configPath: string;
  status: BenchRunStatus;
  total: number;
  done: number;
  cached: number;
  errors: number;
  spentUsd: number;
  etaMs: number | null;
  phase?: string;
  batch: boolean;
  error?: { code: string; message: string };
  /** The worst case reserved when it started, in USD. */
  estimateUsd: number;
}

/** The per-case table: which cases it shows. */
export interface CellFilter {
  /** Only cases with at least one failed, errored or skipped cell. */
  failuresOnly: boolean;
}

/** Two stored runs side by side (the shape of core/bench/compare.ts, read defensively by the view). */
export interface Comparison {
  a: string;
  b: string;
  result: Record<string, unknown>;
}

interface BenchState {
  /** The workspace's bench configs and golden sets (bench.listFiles); null before the first answer. */
  files: { configs: string[]; goldenSets: string[] } | null;
  /** False when the host has no bench routes. */
  available: boolean;
  screen: BenchScreen | null;
  estimate: BenchEstimateResult | null;
  /** The config path the estimate is of. */
  estimateFor: string | null;
  estimating: boolean;
  estimateError: ErrorPayload | null;
  /** Send the next run through the providers' batch APIs. */
  batch: boolean;
  /** A run is being started (bench.start / bench.resume in flight). */
  starting: boolean;
  run: ActiveRun | null;
  runs: BenchRunSummary[];
  /** Runs of every config, not only the open one. */
  allRuns: boolean;
  /** The run whose report is shown. */
  selectedRunId: string | null;
  report: BenchReport | null;
  reportLoading: boolean;
  reportError: ErrorPayload | null;
  cellFilter: CellFilter;
  /** The drill-down: the cell asked for, and its detail once loaded. */
  cellId: string | null;
  cell: BenchCellDetail | null;
  cellError: ErrorPayload | null;
  /** Runs ticked for "Compare two runs", oldest tick first (at most two). */
  compareIds: string[];
  comparison: Comparison | null;
  setFiles(files: { configs: string[]; goldenSets: string[] }, available?: boolean): void;
  setScreen(screen: BenchScreen | null): void;
  estimateStarted(path: string): void;
  estimateDone(path: string, result: BenchEstimateResult | null, error?: ErrorPayload): void;
  setBatch(batch: boolean): void;
  setStarting(starting: boolean): void;
  /** bench.start or bench.resume answered: this run is now the active one. */
  runStarted(run: Pick<ActiveRun, 'runId' | 'configPath' | 'total' | 'batch' | 'estimateUsd'>): void;
  applyProgress(event: BenchProgressEvent): void;
  applyFinished(event: BenchFinishedEvent): void;
  setRuns(runs: BenchRunSummary[]): void;
  setAllRuns(all: boolean): void;
  selectRun(runId: string | null): void;
  reportStarted(runId: string): void;
  reportDone(runId: string, report: BenchReport | null, error?: ErrorPayload): void;
  setCellFilter(patch: Partial<CellFilter>): void;
  openCell(cellId: string): void;
  cellDone(cellId: string, detail: BenchCellDetail | null, error?: ErrorPayload): void;
  closeCell(): void;
  toggleCompare(runId: string): void;
  setComparison(comparison: Comparison | null): void;
  reset(): void;
}

const initial = {
  files: null,
  available: true,
  screen: null,
  estimate: null,
  estimateFor: null,
  estimating: false,
  estimateError: null,
  batch: false,
  starting: false,
  run: null,
  runs: [] as BenchRunSummary[],
  allRuns: false,
  selectedRunId: null,
  report: null,
  reportLoading: false,
  reportError: null,
  cellFilter: { failuresOnly: false },
  cellId: null,
  cell: null,
  cellError: null,
  compareIds: [] as string[],
  comparison: null,
};

const FINAL: ReadonlySet<BenchRunStatus> = new Set([
  'completed',
  'budget-stopped',
  'cancelled',
  'interrupted',
  'failed',
]);

/** True once a run can make no more progress (it may still be resumed). */
export function isFinal(status: BenchRunStatus): boolean {
  return FINAL.has(status);
}

/** What a run summary says after a progress event. */
function progressed(r: BenchRunSummary, e: BenchProgressEvent): BenchRunSummary {
  return { ...r, done: e.done, total: e.total, spentUsd: e.spentUsd, status: 'running' };
}

/**
 * The Benchmarks screens: which config or golden set is open, its estimate, the run the user is watching
 * (from its progress events), the stored runs, the report shown and the cell drilled into.
 */
export const useBenchStore = create<BenchState>()((set, get) => ({
  ...initial,
  setFiles: (files, available = true) => set({ files, available }),
  setScreen(screen) {
    const before = get().screen;
    const same = before?.kind === screen?.kind && before?.path === screen?.path;
    if (same) return;
    // the config's estimate and report stay while a golden set or a prompt is shown, for when it comes back
    const keep = screen?.kind !== 'bench' || screen.path === get().estimateFor;
    set({
      screen,
      ...(screen?.kind !== 'bench' ? { cellId: null, cell: null, cellError: null, comparison: null } : {}),
      // another config: its own estimate, report and drill-down
      ...(keep
        ? {}
        : {
            estimate: null,
            estimateFor: null,
            estimateError: null,
            selectedRunId: null,
            report: null,
            reportError: null,
            cellId: null,
            cell: null,
            cellError: null,
            compareIds: [],
            comparison: null,
            cellFilter: { failuresOnly: false },
          }),
    });
  },
  estimateStarted: (path) => set({ estimating: true, estimateFor: path, estimateError: null }),
  estimateDone(path, result, error) {
    if (get().estimateFor !== path) return; // another config was opened meanwhile
    set({ estimating: false, estimate: result, estimateError: error ?? null });
  },
  setBatch: (batch) => set({ batch }),
  setStarting: (starting) => set({ starting }),
  runStarted(run) {
    set({
      run: {
        ...run,
        status: 'running',
        done: 0,
        cached: 0,
        errors: 0,
        spentUsd: 0,
        etaMs: null,
      },
      selectedRunId: run.runId,
      report: null,
      reportError: null,
      cellId: null,
      cell: null,
      cellFilter: { failuresOnly: false },
    });
  },
  applyProgress(e) {
    const { run, runs } = get();
    const patch: Partial<BenchState> = {};
    if (run?.runId === e.runId && !isFinal(run.status)) {
      patch.run = {
        ...run,
        // events may overtake each other; progress never goes back
        done: Math.max(run.done, e.done),
        total: e.total,
        cached: e.cached,
        errors: e.errors,
        spentUsd: e.spentUsd,
        etaMs: e.etaMs,
        ...(e.phase !== undefined ? { phase: e.phase } : {}),
      };
    }
    if (runs.some((r) => r.runId === e.runId)) {
      patch.runs = runs.map((r) => (r.runId === e.runId ? progressed(r, e) : r));
    }
    if (Object.keys(patch).length) set(patch);
  },
  applyFinished(e) {
    const { run, runs } = get();
    const patch: Partial<BenchState> = {};
    if (run?.runId === e.runId) {
      patch.run = {
        ...run,
        status: e.status,
        etaMs: null,
        ...(e.error ? { error: e.error } : {}),
        ...(e.status === 'completed' ? { done: run.total } : {}),
      };
    }
    if (runs.some((r) => r.runId === e.runId)) {
      patch.runs = runs.map((r) =>
        r.runId === e.runId ? { ...r, status: e.status, ...(e.error ? { error: e.error } : {}) } : r,
      );
    }
    if (Object.keys(patch).length) set(patch);
  },
  setRuns: (runs) =>
    set({ runs, compareIds: get().compareIds.filter((id) => runs.some((r) => r.runId === id)) }),
  setAllRuns: (allRuns) => set({ allRuns }),
  selectRun(runId) {
    if (runId === get().selectedRunId) return;
    set({
      selectedRunId: runId,
      report: null,
      reportError: null,
      cellId: null,
      cell: null,
      cellError: null,
      cellFilter: { failuresOnly: false },
    });
  },
  reportStarted: (runId) => {
    if (get().selectedRunId === runId) set({ reportLoading: true });
  },
  reportDone(runId, report, error) {
    if (get().selectedRunId !== runId) return;
    set({
      reportLoading: false,
      ...(report ? { report, reportError: null } : { reportError: error ?? null }),
    });
  },
  setCellFilter: (patch) => set({ cellFilter: { ...get().cellFilter, ...patch } }),
  openCell: (cellId) => set({ cellId, cell: null, cellError: null }),
  cellDone(cellId, detail, error) {
    if (get().cellId !== cellId) return;
    set({ cell: detail, cellError: error ?? null });
  },
  closeCell: () => set({ cellId: null, cell: null, cellError: null }),
  toggleCompare(runId) {
    const ids = get().compareIds;
    if (ids.includes(runId)) set({ compareIds: ids.filter((id) => id !== runId) });
    else set({ compareIds: [...ids, runId].slice(-2) });
  },
  setComparison: (comparison) => set({ comparison }),
  reset: () => set({ ...initial }),
}));
