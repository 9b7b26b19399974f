/**
 * What the user can do on the Benchmarks screens (bench configs, runs, reports, golden sets), over the bench
 * and golden stores and the backend. Errors become notices with their code (see actions.ts); nothing here
 * throws.
 */
import type { GoldenSet } from '../../../core/golden/types';
import type {
  BenchExportFormat,
  BenchFinishedEvent,
  BenchProgressEvent,
  BenchRunSummary,
} from '../../../shared/bench';
import { api, isTransportError, toErrorPayload } from '../transport';
import { isFinal, useBenchStore } from '../stores/bench';
import { useDialogStore } from '../stores/dialog';
import { useGoldenStore } from '../stores/golden';
import { useNoticesStore } from '../stores/notices';
import { useWorkspaceStore } from '../stores/workspace';
import { openFile, report } from './actions';
import { beginJob, endJob } from './jobs';
import { useJobsStore } from '../stores/jobs';
import { formatInt } from '../lib/format';

/** How often the report of a running benchmark is fetched again while its cells come in. */
export const LIVE_REPORT_MS = 1500;

const BENCH_CONFIG = /\.bench\.(ya?ml|json)$/i;
const GOLDEN_EXT = /\.(csv|jsonl|ya?ml|json)$/i;

/** True for `*.bench.yaml|yml|json`. */
export function isBenchConfig(path: string): boolean {
  return BENCH_CONFIG.test(path);
}

/** True for a golden set the editor opens: listed as one by bench.listFiles, or a data file under `golden/`. */
export function isGoldenSet(path: string, listed: readonly string[] = []): boolean {
  if (listed.includes(path)) return true;
  return !isBenchConfig(path) && GOLDEN_EXT.test(path) && /(^|\/)golden\//.test(path);
}

/** The absolute path of a workspace file (bench.estimate and bench.start take absolute paths). */
export function absolutePath(rel: string): string {
  const root = useWorkspaceStore.getState().workspace?.root ?? '';
  if (!root) return rel;
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  return `${root.replace(/[\\/]+$/, '')}${sep}${rel.split('/').join(sep)}`;
}

/** The workspace path of a run's config file (runs store the path they were started with). */
export function workspacePath(file: string): string {
  const root = useWorkspaceStore.getState().workspace?.root;
  if (!root) return file;
  const norm = (p: string) => p.replace(/\\/g, '/');
  const base = norm(root).replace(/\/+$/, '');
  const f = norm(file);
  return f.startsWith(`${base}/`) ? f.slice(base.length + 1) : f;
}

/** True when a stored run is of this workspace config. */
export function runIsOf(run: Pick<BenchRunSummary, 'file'>, configPath: string): boolean {
  return workspacePath(run.file) === configPath;
}

// ---------------------------------------------------------------------------------------------------------
// Files and screens

export async function listBenchFiles(): Promise<void> {
  if (!useWorkspaceStore.getState().workspace) return;
  try {
    useBenchStore.getState().setFiles(await api.call('bench.listFiles'));
  } catch (err) {
    // a host without the bench routes (an older backend): the section says so instead of a notice each time
    if (isTransportError(err) && err.code === 'UNKNOWN_ROUTE') {
      useBenchStore.getState().setFiles({ configs: [], goldenSets: [] }, false);
      return;
    }
    report(err, undefined, 'bench-files');
  }
}

/**
 * Asks what to do with unsaved golden-set edits before they would be lost. Resolves true when the caller may
 * go on (saved, discarded, or nothing to lose).
 */
export async function confirmGoldenDiscard(): Promise<boolean> {
  const g = useGoldenStore.getState();
  if (!g.dirty || g.path === null) return true;
  const name = g.path.slice(g.path.lastIndexOf('/') + 1);
  const choice = await useDialogStore.getState().ask({
    title: 'Unsaved changes',
    message: `${name} has changes that are not saved. Save them before you go on?`,
    choices: [
      { id: 'save', label: 'Save', primary: true },
      { id: 'discard', label: "Don't save", danger: true },
      { id: 'cancel', label: 'Cancel' },
    ],
    cancelId: 'cancel',
  });
  if (choice === 'cancel') return false;
  if (choice === 'discard') {
    useGoldenStore.getState().reset();
    return true;
  }
  return saveGolden();
}

/** Leaves the Benchmarks screens for the prompt editor; false when the user kept unsaved golden edits. */
export async function showEditor(): Promise<boolean> {
  if (useBenchStore.getState().screen === null) return true;
  if (!(await confirmGoldenDiscard())) return false;
  useBenchStore.getState().setScreen(null);
  return true;
}

/** Opens a prompt from the sidebar: leaves a Benchmarks screen first. */
export async function openPromptFile(path: string): Promise<boolean> {
  if (!(await showEditor())) return false;
  return openFile(path);
}

/** Opens a bench config: its summary and worst-case estimate, and its stored runs. */
export async function openBench(path: string): Promise<boolean> {
  const screen = useBenchStore.getState().screen;
  if (screen?.kind === 'bench' && screen.path === path) return true;
  if (!(await confirmGoldenDiscard())) return false;
  useBenchStore.getState().setScreen({ kind: 'bench', path });
  await Promise.all([refreshEstimate(), loadRuns()]);
  const s = useBenchStore.getState();
  // a run of this config still going (started before the window was reloaded): follow its events
  const running = s.runs.find((r) => runIsOf(r, path) && r.status === 'running');
  if (running && (!s.run || isFinal(s.run.status))) {
    s.runStarted({
      runId: running.runId,
      configPath: path,
      total: running.total,
      batch: running.batch,
      estimateUsd: 0,
    });
    useBenchStore.getState().applyProgress({
      runId: running.runId,
      done: running.done,
      total: running.total,
      cached: 0,
      errors: 0,
      spentUsd: running.spentUsd,
      etaMs: null,
    });
    void loadReport(running.runId, { quiet: true });
    return true;
  }
  // show the newest run of this config, unless one was already picked
  if (s.selectedRunId === null) {
    const latest = s.runs.find((r) => runIsOf(r, path) && r.done > 0);
    if (latest) await selectRun(latest.runId);
  }
  return true;
}

/** Opens a golden set in the editor. */
export async function openGolden(path: string): Promise<boolean> {
  const screen = useBenchStore.getState().screen;
  if (screen?.kind === 'golden' && screen.path === path) return true;
  if (!(await confirmGoldenDiscard())) return false;
  useBenchStore.getState().setScreen({ kind: 'golden', path });
  await loadGolden(path);
  return true;
}

/** Opens a workspace file on the screen that fits it: bench config, golden set, else the prompt editor. */
export function openWorkspaceFile(path: string): Promise<boolean> {
  if (isBenchConfig(path)) return openBench(path);
  if (isGoldenSet(path, useBenchStore.getState().files?.goldenSets)) return openGolden(path);
  return openPromptFile(path);
}

/** Opens the config file itself as text in the editor. */
export function editConfigText(path: string): Promise<boolean> {
  return openPromptFile(path);
}

// ---------------------------------------------------------------------------------------------------------
// Estimate and runs

/** The worst-case cost of the open config (no model is called). */
export async function refreshEstimate(): Promise<void> {
  const screen = useBenchStore.getState().screen;
  if (screen?.kind !== 'bench') return;
  const store = useBenchStore.getState();
  store.estimateStarted(screen.path);
  try {
    const result = await api.call('bench.estimate', { path: absolutePath(screen.path) });
    useBenchStore.getState().estimateDone(screen.path, result);
  } catch (err) {
    // the screen shows it in place (a config with a typo is normal while editing); the notice has the code
    useBenchStore.getState().estimateDone(screen.path, null, toErrorPayload(err));
    report(err, undefined, `bench-estimate:${screen.path}`);
  }
}

/** Events that came before bench.start answered (a run of cached cells can finish at once). */
const early = new Map<string, { progress?: BenchProgressEvent; finished?: BenchFinishedEvent }>();
const EARLY_MAX = 32;

function remember(runId: string, patch: { progress?: BenchProgressEvent; finished?: BenchFinishedEvent }) {
  early.set(runId, { ...early.get(runId), ...patch });
  while (early.size > EARLY_MAX) early.delete(early.keys().next().value!);
}

function adopt(runId: string): void {
  const seen = early.get(runId);
  early.delete(runId);
  if (seen?.progress) handleProgress(seen.progress);
  if (seen?.finished) void handleFinished(seen.finished);
}

/** Starts the open config in the background; progress comes as events. */
export async function startRun(): Promise<boolean> {
  const s = useBenchStore.getState();
  const screen = s.screen;
  if (screen?.kind !== 'bench' || s.starting || (s.run && !isFinal(s.run.status))) return false;
  s.setStarting(true);
  try {
    const r = await api.call('bench.start', {
      path: absolutePath(screen.path),
      ...(s.batch ? { batch: true } : {}),
    });
    useBenchStore.getState().runStarted({
      runId: r.runId,
      configPath: screen.path,
      total: r.total,
      batch: s.batch,
      estimateUsd: r.estimate.usd,
    });
    runJobBegun(r.runId);
    adopt(r.runId);
    void loadRuns();
    return true;
  } catch (err) {
    return report(err) ?? false;
  } finally {
    useBenchStore.getState().setStarting(false);
  }
}

/** Stops the active run: cells in flight are cancelled, finished ones stay stored. */
export async function cancelRun(): Promise<void> {
  const run = useBenchStore.getState().run;
  if (!run || isFinal(run.status)) return;
  try {
    await api.call('bench.cancel', { runId: run.runId });
  } catch (err) {
    report(err);
  }
}

/** Continues a stored run that did not finish, without re-sending its finished cells. */
export async function resumeRun(runId: string): Promise<boolean> {
  const s = useBenchStore.getState();
  if (s.starting || (s.run && !isFinal(s.run.status))) return false;
  const summary = s.runs.find((r) => r.runId === runId);
  s.setStarting(true);
  try {
    const r = await api.call('bench.resume', { runId });
    const screen = useBenchStore.getState().screen;
    useBenchStore.getState().runStarted({
      runId: r.runId,
      configPath: summary ? workspacePath(summary.file) : screen?.kind === 'bench' ? screen.path : '',
      total: r.total,
      batch: summary?.batch ?? false,
      estimateUsd: r.estimate.usd,
    });
    runJobBegun(r.runId);
    adopt(r.runId);
    void loadRuns();
    void loadReport(r.runId, { quiet: true });
    return true;
  } catch (err) {
    return report(err) ?? false;
  } finally {
    useBenchStore.getState().setStarting(false);
  }
}

export async function loadRuns(options: { quiet?: boolean } = {}): Promise<void> {
  try {
    const r = await api.call('bench.runs', { limit: 200 });
    useBenchStore.getState().setRuns(r.runs);
  } catch (err) {
    // quiet: the sidebar's list at start; the Benchmarks view reports a failure when it opens
    if (!options.quiet) report(err, undefined, 'bench-runs');
  }
}

/** Shows a stored run's report. */
export async function selectRun(runId: string): Promise<void> {
  useBenchStore.getState().selectRun(runId);
  await loadReport(runId);
}

/** Fetches a run's report (`quiet`: a live refresh during the run, whose failure is not worth a notice). */
export async function loadReport(runId: string, options: { quiet?: boolean } = {}): Promise<void> {
  useBenchStore.getState().reportStarted(runId);
  try {
    const r = await api.call('bench.report', { runId });
    useBenchStore.getState().reportDone(runId, r);
  } catch (err) {
    useBenchStore.getState().reportDone(runId, null, toErrorPayload(err));
    if (!options.quiet) report(err);
  }
}

let liveTimer: ReturnType<typeof setTimeout> | null = null;

function scheduleLiveReport(runId: string): void {
  if (liveTimer !== null) return;
  liveTimer = setTimeout(() => {
    liveTimer = null;
    if (useBenchStore.getState().selectedRunId === runId) void loadReport(runId, { quiet: true });
  }, LIVE_REPORT_MS);
}

/** A `bench.progress` event. */
export function handleProgress(e: BenchProgressEvent): void {
  const s = useBenchStore.getState();
  if (s.run?.runId !== e.runId && !s.runs.some((r) => r.runId === e.runId))
    remember(e.runId, { progress: e });
  s.applyProgress(e);
  useJobsStore.getState().update(runJobId(e.runId), {
    done: e.done,
    total: e.total,
    spentUsd: e.spentUsd,
    etaMs: e.etaMs,
    phase: e.phase ?? null,
  });
  if (s.selectedRunId === e.runId) scheduleLiveReport(e.runId);
}

const runJobId = (runId: string) => `bench-${runId}`;

/** The run just started (or resumed) from this window, as a job in the jobs panel. */
function runJobBegun(runId: string): void {
  const run = useBenchStore.getState().run;
  if (run?.runId !== runId) return;
  const configPath = run.configPath;
  beginJob(
    {
      id: runJobId(runId),
      kind: run.batch ? 'batch' : 'benchmark',
      title: configPath.slice(configPath.lastIndexOf('/') + 1) || runId,
      total: run.total,
      done: 0,
    },
    {
      cancel: () => api.call('bench.cancel', { runId }).then(() => undefined),
      open: () => {
        if (!configPath) return;
        void openBench(configPath).then((opened) => (opened ? selectRun(runId) : undefined));
      },
    },
  );
}

/** The run's job ends with the run; failures and budget stops are reported by handleFinished itself. */
function runJobEnded(e: BenchFinishedEvent): void {
  const job = useJobsStore.getState().jobs.find((j) => j.id === runJobId(e.runId));
  if (!job || job.status !== 'running') return;
  const cells = job.total !== null ? `${formatInt(job.done ?? 0)} of ${formatInt(job.total)} cells` : '';
  if (e.status === 'completed') endJob(job.id, { status: 'done', summary: cells });
  else if (e.status === 'cancelled') endJob(job.id, { status: 'cancelled', summary: cells });
  else
    endJob(
      job.id,
      {
        status: 'failed',
        summary: cells,
        error: e.error
          ? toErrorPayload(e.error)
          : e.status === 'budget-stopped'
            ? { code: 'BUDGET_EXCEEDED', message: 'stopped before exceeding its budget' }
            : { code: 'INTERNAL', message: `the run ended ${e.status}` },
      },
      { notify: false },
    );
}

/** A `bench.finished` event: the final report and the runs list; a failure or a stop becomes a notice. */
export async function handleFinished(e: BenchFinishedEvent): Promise<void> {
  const s = useBenchStore.getState();
  const mine = s.run?.runId === e.runId;
  if (!mine && !s.runs.some((r) => r.runId === e.runId)) remember(e.runId, { finished: e });
  s.applyFinished(e);
  runJobEnded(e);
  if (mine) {
    const notices = useNoticesStore.getState();
    if (e.status === 'failed' && e.error) {
      notices.pushError(toErrorPayload(e.error), { key: `bench:${e.runId}` });
    } else if (e.status === 'budget-stopped') {
      notices.push({
        kind: 'warning',
        code: 'BUDGET_EXCEEDED',
        message:
          'The run stopped before exceeding its budget. The report shows the cells that finished; Resume continues it.',
        key: `bench:${e.runId}`,
      });
    }
  }
  const tasks: Promise<void>[] = [loadRuns()];
  if (useBenchStore.getState().selectedRunId === e.runId) tasks.push(loadReport(e.runId, { quiet: !mine }));
  await Promise.all(tasks);
}

/** Shows one cell's whole story: the rendered request, the answer next to the baseline's, each scorer. */
export async function openCell(cellId: string): Promise<void> {
  const s = useBenchStore.getState();
  const runId = s.selectedRunId;
  if (!runId) return;
  s.openCell(cellId);
  try {
    const detail = await api.call('bench.cell', { runId, cellId });
    useBenchStore.getState().cellDone(cellId, detail);
  } catch (err) {
    useBenchStore.getState().cellDone(cellId, null, toErrorPayload(err));
    report(err);
  }
}

/** The two ticked runs side by side (older first, so the deltas read "before → after"). */
export async function compareRuns(): Promise<void> {
  const s = useBenchStore.getState();
  if (s.compareIds.length !== 2) return;
  const created = (id: string) => s.runs.find((r) => r.runId === id)?.createdAt ?? '';
  const [a, b] = [...s.compareIds].sort((x, y) => created(x).localeCompare(created(y))) as [string, string];
  try {
    const result = await api.call('bench.compare', { a, b });
    useBenchStore.getState().setComparison({ a, b, result });
  } catch (err) {
    report(err);
  }
}

export const EXPORT_EXTENSIONS: Record<BenchExportFormat, string> = {
  json: 'json',
  csv: 'csv',
  md: 'md',
  html: 'html',
};

/** Where an export goes by default: `reports/` beside the config, named after it and the run. */
export function defaultExportPath(configPath: string, runId: string, format: BenchExportFormat): string {
  const slash = configPath.lastIndexOf('/');
  const dir = slash >= 0 ? configPath.slice(0, slash + 1) : '';
  const stem = configPath.slice(slash + 1).replace(BENCH_CONFIG, '');
  const id = runId.replace(/^run-/, '').replace(/[^\w-]/g, '') || 'run';
  return `${dir}reports/${stem}-${id}.${EXPORT_EXTENSIONS[format]}`;
}

/** Writes the shown run's report into the workspace; an existing file asks before it is replaced. */
export async function exportReport(
  format: BenchExportFormat,
  path: string,
  overwrite = false,
): Promise<boolean> {
  const runId = useBenchStore.getState().selectedRunId;
  if (!runId) return false;
  try {
    const r = await api.call('bench.export', { runId, format, path, overwrite });
    useNoticesStore
      .getState()
      .push({ kind: 'info', message: `Report exported to ${r.path}.`, timeoutMs: 6000, key: 'bench-export' });
    return true;
  } catch (err) {
    if (isTransportError(err) && err.code === 'FILE_EXISTS' && !overwrite) {
      const choice = await useDialogStore.getState().ask({
        title: 'Replace existing file?',
        message: err.message,
        choices: [
          { id: 'replace', label: 'Replace', danger: true },
          { id: 'cancel', label: 'Cancel', primary: true },
        ],
        cancelId: 'cancel',
      });
      return choice === 'replace' ? exportReport(format, path, true) : false;
    }
    return report(err) ?? false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Golden sets

export async function loadGolden(path: string): Promise<void> {
  useGoldenStore.getState().loadStarted(path);
  try {
    const r = await api.call('golden.load', { path });
    useGoldenStore.getState().loaded(path, r.set);
  } catch (err) {
    useGoldenStore.getState().loadFailed(path, toErrorPayload(err));
    report(err);
  }
}

/** Writes the set to its file (or to `saveAs`, in the format that path's extension names). */
export async function saveGolden(saveAs?: string): Promise<boolean> {
  const g = useGoldenStore.getState();
  const path = saveAs?.trim() || g.path;
  if (!g.set || !path || g.saving) return false;
  g.setSaving(true);
  try {
    const r = await api.call('golden.save', { path, set: g.set, overwrite: saveAs === undefined });
    useGoldenStore.getState().markSaved(r.path);
    useNoticesStore
      .getState()
      .push({ kind: 'info', message: `Golden set saved to ${r.path}.`, timeoutMs: 4000, key: 'golden-save' });
    if (r.path !== g.path) {
      const screen = useBenchStore.getState().screen;
      if (screen?.kind === 'golden') useBenchStore.getState().setScreen({ kind: 'golden', path: r.path });
    }
    void listBenchFiles();
    return true;
  } catch (err) {
    if (isTransportError(err) && err.code === 'FILE_EXISTS' && saveAs !== undefined) {
      const choice = await useDialogStore.getState().ask({
        title: 'Replace existing file?',
        message: err.message,
        choices: [
          { id: 'replace', label: 'Replace', danger: true },
          { id: 'cancel', label: 'Cancel', primary: true },
        ],
        cancelId: 'cancel',
      });
      if (choice !== 'replace') return false;
      useGoldenStore.getState().setSaving(false);
      return saveGoldenOver(path);
    }
    // a set the file's format cannot hold (a CSV row has no room for per-case messages, say): offer YAML
    if (isTransportError(err) && err.code === 'INVALID_INPUT' && err.details?.format === 'csv') {
      const yaml = path.replace(/\.csv$/i, '.yaml');
      return (
        report(err, [{ label: `Save as ${yaml}`, primary: true, run: () => void saveGolden(yaml) }]) ?? false
      );
    }
    return report(err) ?? false;
  } finally {
    useGoldenStore.getState().setSaving(false);
  }
}

async function saveGoldenOver(path: string): Promise<boolean> {
  const g = useGoldenStore.getState();
  if (!g.set) return false;
  try {
    const r = await api.call('golden.save', { path, set: g.set, overwrite: true });
    useGoldenStore.getState().markSaved(r.path);
    void listBenchFiles();
    return true;
  } catch (err) {
    return report(err) ?? false;
  }
}

/** Brings in the cases of another file (any supported format: promptfoo, OpenAI Evals, CSV, ...). */
export async function importGolden(path: string, mode: 'append' | 'replace'): Promise<boolean> {
  let set: GoldenSet;
  try {
    set = (await api.call('golden.load', { path })).set;
  } catch (err) {
    return report(err) ?? false;
  }
  const { added, renamed } = useGoldenStore.getState().importCases(set.cases, mode);
  const warnings = set.warnings.length
    ? ` ${set.warnings.length} warning(s): ${set.warnings[0]!.message}`
    : '';
  useNoticesStore.getState().push({
    kind: set.warnings.length ? 'warning' : 'info',
    message: `Imported ${added} case(s) from ${path}${renamed ? `, ${renamed} renamed to keep ids unique` : ''}.${warnings}`,
    timeoutMs: 6000,
    key: 'golden-import',
  });
  return true;
}
