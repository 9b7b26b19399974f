import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  aggregate,
  cheapestPassing,
  compareReports,
  estimateRun,
  expandMatrix,
  reportCsv,
  reportHtml,
  reportJson,
  reportMarkdown,
  variantDeltas,
  type BenchConfig,
  type CellResult,
  type InputCounter,
  type RunEstimate,
} from '../../core/bench';
import { importGoldenSet, writeGoldenSet, type GoldenSet } from '../../core/golden';
import { AppError } from '../../core/errors';
import type { Catalog } from '../../core/pricing/catalog';
import type { Tokenizer } from '../../core/tokens/tokenizer';
import type {
  BenchConfigSummary,
  BenchEstimateSummary,
  BenchExportFormat,
  BenchReport,
  BenchRequest,
  BenchRunStatus,
  BenchRunSummary,
  BenchStartRequest,
  BenchThresholdFailure,
} from '../../shared/bench';
import type { EventBus } from '../events';
import type { ProviderRegistry } from '../providers/registry';
import { RunStore, type StoredRun } from '../storage/runStore';
import { loadBenchConfig, type LoadedBench } from './benchConfig';
import {
  createBenchRunner,
  createMemoryResponseCache,
  type BenchRunResult,
  type BenchRunOptions,
  type ResponseCache,
} from './benchRunner';
import { readTextFile, writeFileAtomic } from './textFiles';
import { listPromptFiles, resolveInside } from './workspace';

export interface BenchRouteDeps {
  providers: ProviderRegistry;
  getCatalog: () => Promise<Catalog>;
  tokenizer: Tokenizer;
  /** Where runs and the response cache are kept (`runs.db` in the app data folder); null: in memory only. */
  dbFile: string | null;
  events: EventBus;
  /** The open workspace's root, for listing, golden sets and exports (NO_WORKSPACE without one). */
  workspaceRoot: () => string;
  /** Time between batch polls (default 30 s); tests make it short. */
  batchPollMs?: number;
}

/**
 * Counts a prompt with the model's own encoding (the bundled exact tokenizer; models whose encoding is an
 * estimate say so), o200k_base for a model the catalog does not list.
 */
export function tokenizerCounter(tokenizer: Tokenizer): InputCounter {
  return {
    count: (ref, p) =>
      tokenizer.count(
        [p.system ?? '', ...p.messages.map((m) => m.content)].join('\n'),
        ref.entry?.countWith ?? 'o200k_base',
      ),
    method: (ref) =>
      ref.entry
        ? `${ref.entry.countWith} (${ref.entry.tokenCountMethod})`
        : 'o200k_base (estimate: not in the catalog)',
  };
}

const summarize = (e: RunEstimate): BenchEstimateSummary => ({
  cells: e.cells,
  inputTokens: e.inputTokens,
  outputTokens: e.outputTokens,
  usd: e.usd,
  perModel: e.perModel,
  method: e.method,
});

function withBudget(loaded: LoadedBench): BenchConfig {
  if (loaded.config.budgetUsd === null)
    throw new AppError(
      'INVALID_INPUT',
      `${loaded.summary.file}: budget: a run needs a budget cap in USD (set budget: in the config or pass --budget).`,
      { file: loaded.summary.file, field: 'budget' },
    );
  return { ...loaded.config, budgetUsd: loaded.config.budgetUsd };
}

/** Thresholds a report is judged by (bench.run's and a stored run's request). */
type Thresholds = Pick<BenchRequest, 'minPassRate' | 'maxQualityDrop'>;

/** The report of a set of cells: groups, deltas against the baseline, cheapest passing and the thresholds. */
export function buildReport(
  summary: BenchConfigSummary,
  thresholds: Thresholds,
  r: Pick<BenchRunResult, 'cells' | 'spentUsd' | 'providerCalls' | 'cachedCells'> & {
    status: BenchRunStatus;
    estimate: BenchEstimateSummary;
  },
): BenchReport {
  const groups = aggregate(r.cells);
  const tolerancePts = (thresholds.maxQualityDrop ?? 0.02) * 100;
  const deltas = variantDeltas(groups, { baseline: summary.baseline, tolerancePts });
  const cheapestAt = thresholds.minPassRate ?? 0.95;
  const failures: BenchThresholdFailure[] = [];
  if (thresholds.minPassRate !== undefined)
    for (const g of groups)
      if (g.n === 0 || g.passRate < thresholds.minPassRate)
        failures.push({
          kind: 'minPassRate',
          variant: g.variant,
          model: g.model,
          message: `${g.variant} × ${g.model}: pass rate ${(g.passRate * 100).toFixed(1)}% (${g.passes}/${g.n}) is below ${(thresholds.minPassRate * 100).toFixed(1)}%`,
        });
  if (thresholds.maxQualityDrop !== undefined)
    for (const d of deltas)
      if (d.verdict === 'dropped')
        failures.push({
          kind: 'maxQualityDrop',
          variant: d.variant,
          model: d.model,
          message: `${d.variant} vs ${d.baseline} on ${d.model}: ${d.summary}`,
        });
  return {
    config: summary,
    status: r.status,
    estimate: r.estimate,
    spentUsd: r.spentUsd,
    providerCalls: r.providerCalls,
    cachedCells: r.cachedCells,
    groups,
    deltas,
    tolerancePts,
    cheapest: cheapestPassing(groups, { minPassRate: cheapestAt }),
    cheapestAt,
    thresholds: {
      minPassRate: thresholds.minPassRate ?? null,
      maxQualityDrop: thresholds.maxQualityDrop ?? null,
      passed: failures.length === 0,
      failures,
    },
    cells: r.cells,
  };
}

const newRunId = () => {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${t}-${randomBytes(3).toString('hex')}`;
};

const EXPORTERS: Record<BenchExportFormat, { ext: string; write: (r: BenchReport) => string }> = {
  json: { ext: '.json', write: (r) => reportJson(r) },
  csv: { ext: '.csv', write: (r) => reportCsv(r) },
  md: { ext: '.md', write: (r) => reportMarkdown(r) },
  html: { ext: '.html', write: (r) => reportHtml(r) },
};

const GOLDEN_FORMATS = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.csv': 'csv',
} as const;
const isBenchConfig = (name: string) => /\.bench\.(ya?ml|json)$/i.test(name);

/**
 * The bench routes. Runs are stored in the database as their cells finish (bench.start in the background with
 * progress events, bench.run waiting for the end), so a run killed mid-way resumes (bench.resume) without
 * re-sending finished cells, and the response cache answers unchanged cells of any later run for free.
 */
export function benchHandlers(deps: BenchRouteDeps) {
  const counter = tokenizerCounter(deps.tokenizer);
  let store: RunStore | null = null;
  let memoryCache: ResponseCache | null = null;
  const db = (): RunStore => (store ??= new RunStore(deps.dbFile ?? ':memory:'));
  const cache = (): ResponseCache => {
    if (deps.dbFile === null) return (memoryCache ??= createMemoryResponseCache());
    return db().responses();
  };
  /** Set when the backend closes: running runs are left `interrupted` for a later resume, batches running. */
  let closing = false;
  /** Runs this process is working on. */
  const active = new Map<string, { controller: AbortController; finished: Promise<BenchReport> }>();

  const reportOf = (run: StoredRun, cells: CellResult[], extra?: Partial<BenchRunResult>): BenchReport => {
    // the stored cells are read only when the caller has none (a finished run passes its own)
    const all = cells.length
      ? cells
      : db()
          .cells(run.runId)
          .map((c) => c.result);
    return {
      runId: run.runId,
      createdAt: run.createdAt,
      ...buildReport(run.summary, run.request, {
        status: run.status,
        cells: all,
        spentUsd: extra?.spentUsd ?? run.spentUsd,
        providerCalls: extra?.providerCalls ?? all.filter((c) => c.status !== 'skipped' && !c.cached).length,
        cachedCells: extra?.cachedCells ?? all.filter((c) => c.cached).length,
        estimate: run.estimate,
      }),
    };
  };

  /**
   * Prepares a run (BUDGET_EXCEEDED is thrown here, before anything is stored or sent), stores it and sends
   * it in the background. `finished` settles with the report when the run ends.
   */
  async function launch(
    request: BenchStartRequest,
    resume?: StoredRun,
  ): Promise<{
    runId: string;
    total: number;
    estimate: BenchEstimateSummary;
    finished: Promise<BenchReport>;
  }> {
    const loaded = await loadBenchConfig(request);
    const config = withBudget(loaded);
    const catalog = await deps.getCatalog();
    const runId = resume?.runId ?? newRunId();
    if (active.has(runId)) throw new AppError('INVALID_INPUT', `Run ${runId} is already running.`, { runId });
    const store = db();
    const stored = resume ? store.cells(runId) : [];
    const prior = resume
      ? new Map(stored.map((c) => [c.result.cellId, { key: c.key, result: c.result }]))
      : undefined;
    const priorSpentUsd = stored.reduce((n, c) => n + c.result.costUsd, 0);
    const batch = request.batch === true;
    const controller = new AbortController();
    let batches = resume?.batches ?? [];
    let lastSaved = 0;
    let spent = priorSpentUsd;
    const options: BenchRunOptions = {
      signal: controller.signal,
      ...(prior ? { prior, priorSpentUsd } : {}),
      onCell: (seq, result, key, sent) => {
        // cells stopped by the app closing are not results: the resume sends them
        if (!closing) store.saveCell(runId, seq, { result, key, request: sent });
      },
      keepBatchesOnAbort: () => closing,
      onProgress: (p) => {
        spent = p.spentUsd;
        if (closing) return;
        const now = Date.now();
        if (now - lastSaved > 1000) {
          lastSaved = now;
          store.updateRun(runId, { spentUsd: spent });
        }
        deps.events.emit('bench.progress', {
          runId,
          done: p.done,
          total: p.total,
          cached: p.cached,
          errors: p.errors,
          spentUsd: p.spentUsd,
          etaMs: p.etaMs,
          ...(p.phase !== undefined ? { phase: p.phase } : {}),
        });
      },
      ...(batch
        ? {
            batch: {
              client: (provider: string) => deps.providers.batches(provider, () => catalog),
              batches,
              onBatches: (b) => {
                batches = b;
                store.updateRun(runId, { batches: b });
              },
              ...(deps.batchPollMs !== undefined ? { pollMs: deps.batchPollMs } : {}),
            },
          }
        : {}),
    };
    const runner = createBenchRunner({ providers: deps.providers, catalog, counter, cache: cache() });
    const prepared = runner.prepare(config, options);
    const estimate = summarize(prepared.estimate);
    const cases = Object.fromEntries(
      config.golden.cases.map((c) => [
        c.id,
        { vars: c.vars, ...(c.expected !== undefined ? { expected: c.expected } : {}) },
      ]),
    );
    if (resume) {
      store.claim(runId);
      store.updateRun(runId, { total: prepared.total, summary: loaded.summary });
    } else
      store.createRun({
        runId,
        createdAt: new Date().toISOString(),
        request,
        summary: loaded.summary,
        status: 'running',
        total: prepared.total,
        spentUsd: 0,
        batch,
        batches: [],
        estimate,
        cases,
      });
    const finished = prepared.execute().then(
      (r) => {
        if (closing)
          throw new AppError('PROVIDER_CANCELLED', `Run ${runId} was interrupted: the app closed.`);
        store.updateRun(runId, { status: r.status, spentUsd: r.spentUsd, owner: null });
        deps.events.emit('bench.finished', { runId, status: r.status });
        return reportOf(store.getRun(runId), r.cells, r);
      },
      (err: unknown) => {
        if (closing) throw err;
        const error = {
          code: err instanceof AppError ? err.code : 'INTERNAL',
          message: err instanceof Error ? err.message : String(err),
        };
        store.updateRun(runId, { status: 'failed', spentUsd: spent, error, owner: null });
        deps.events.emit('bench.finished', { runId, status: 'failed', error });
        throw err;
      },
    );
    const entry = { controller, finished };
    active.set(runId, entry);
    void finished.then(
      () => active.delete(runId),
      () => active.delete(runId),
    );
    return { runId, total: prepared.total, estimate, finished };
  }

  const summaryOf = (r: ReturnType<RunStore['listRuns']>[number]): BenchRunSummary => ({
    runId: r.runId,
    createdAt: r.createdAt,
    file: r.summary.file,
    status: r.status,
    total: r.total,
    done: r.done,
    spentUsd: r.spentUsd,
    variants: r.summary.variants,
    models: r.summary.models,
    passRate: r.scored === 0 ? null : r.passed / r.scored,
    batch: r.batch,
    ...(r.error ? { error: r.error } : {}),
  });

  const goldenAbs = async (rel: string) => resolveInside(deps.workspaceRoot(), rel);

  const routes = {
    'bench.estimate': async (input: BenchRequest) => {
      const loaded = await loadBenchConfig(input);
      const catalog = await deps.getCatalog();
      const config = { ...loaded.config, budgetUsd: loaded.config.budgetUsd ?? 0 };
      const estimate = estimateRun(expandMatrix(config, catalog), config.maxTokens, counter);
      return {
        config: loaded.summary,
        estimate: summarize(estimate),
        withinBudget: loaded.config.budgetUsd === null ? null : estimate.usd <= loaded.config.budgetUsd,
      };
    },
    'bench.run': async (input: BenchRequest): Promise<BenchReport> => (await launch(input)).finished,
    'bench.start': async (input: BenchStartRequest) => {
      const { runId, total, estimate, finished } = await launch(input);
      finished.catch(() => undefined); // reported through bench.finished
      return { runId, total, estimate };
    },
    'bench.resume': async (input: { runId: string; budgetUsd?: number }) => {
      const run = db().getRun(input.runId);
      if (run.status === 'completed')
        throw new AppError('INVALID_INPUT', `Run ${run.runId} is complete; there is nothing to resume.`, {
          runId: run.runId,
        });
      if (run.status === 'running')
        throw new AppError('INVALID_INPUT', `Run ${run.runId} is still running.`, { runId: run.runId });
      const request = {
        ...run.request,
        ...(input.budgetUsd !== undefined ? { budgetUsd: input.budgetUsd } : {}),
      };
      const { runId, total, estimate, finished } = await launch(request, run);
      finished.catch(() => undefined);
      return { runId, total, estimate };
    },
    'bench.cancel': async ({ runId }: { runId: string }) => {
      const a = active.get(runId);
      if (!a) return { cancelled: false };
      a.controller.abort();
      return { cancelled: true };
    },
    'bench.runs': async ({ limit }: { limit: number }) => ({
      runs: db().listRuns(limit).map(summaryOf),
    }),
    'bench.report': async ({ runId }: { runId: string }) => reportOf(db().getRun(runId), []),
    'bench.cell': async ({ runId, cellId }: { runId: string; cellId: string }) => {
      const run = db().getRun(runId);
      const stored = db().cell(runId, cellId);
      if (!stored)
        throw new AppError('NOT_FOUND', `Run ${runId} has no finished cell "${cellId}".`, { runId, cellId });
      const cell = stored.result;
      const c = run.cases[cell.caseId];
      const baselineCell =
        cell.variant === run.summary.baseline
          ? undefined
          : db()
              .cells(runId)
              .find(
                (x) =>
                  x.result.variant === run.summary.baseline &&
                  x.result.model === cell.model &&
                  x.result.caseId === cell.caseId &&
                  x.result.repeat === cell.repeat,
              )?.result;
      return {
        runId,
        cell,
        request: stored.request,
        vars: c?.vars ?? {},
        ...(c?.expected !== undefined ? { expected: c.expected } : {}),
        ...(baselineCell ? { baseline: baselineCell } : {}),
      };
    },
    'bench.compare': async ({ a, b }: { a: string; b: string }) => {
      const ra = reportOf(db().getRun(a), []);
      const rb = reportOf(db().getRun(b), []);
      return compareReports(ra, rb) as unknown as Record<string, unknown>;
    },
    'bench.export': async (input: {
      runId: string;
      format: BenchExportFormat;
      path: string;
      overwrite: boolean;
    }) => {
      const exporter = EXPORTERS[input.format];
      if (!input.path.toLowerCase().endsWith(exporter.ext))
        throw new AppError(
          'INVALID_INPUT',
          `A ${input.format.toUpperCase()} report is a ${exporter.ext} file: ${input.path}.`,
          {
            path: input.path,
          },
        );
      const abs = await resolveInside(deps.workspaceRoot(), input.path);
      if (!input.overwrite && (await exists(abs)))
        throw new AppError(
          'FILE_EXISTS',
          `${input.path} already exists. Choose another name or overwrite it.`,
          {
            path: input.path,
          },
        );
      const report = reportOf(db().getRun(input.runId), []);
      await fs.mkdir(path.dirname(abs), { recursive: true });
      await writeFileAtomic(abs, new TextEncoder().encode(exporter.write(report)), input.path);
      return { path: input.path };
    },
    'bench.listFiles': async () => {
      const root = deps.workspaceRoot();
      const configs = await listPromptFiles(root, isBenchConfig);
      const golden = await listPromptFiles(
        root,
        (name) => /\.(ya?ml|jsonl?|csv)$/i.test(name) && !isBenchConfig(name),
      );
      return {
        configs: configs.files.map((f) => f.path),
        goldenSets: golden.files
          .map((f) => f.path)
          .filter((p) => /(^|\/)golden\//.test(p) || /\.golden\./.test(p)),
      };
    },
    'golden.load': async ({ path: rel }: { path: string }) => {
      const abs = await goldenAbs(rel);
      const text = (await readTextFile(abs, rel)).content;
      return { path: rel, set: importGoldenSet(text, rel) };
    },
    'golden.save': async ({
      path: rel,
      set,
      overwrite,
    }: {
      path: string;
      set: GoldenSet;
      overwrite: boolean;
    }) => {
      const ext = path.extname(rel).toLowerCase() as keyof typeof GOLDEN_FORMATS;
      const format = GOLDEN_FORMATS[ext];
      if (!format)
        throw new AppError('INVALID_INPUT', `A golden set is a .yaml, .json, .jsonl or .csv file: ${rel}.`, {
          path: rel,
        });
      const abs = await goldenAbs(rel);
      if (!overwrite && (await exists(abs)))
        throw new AppError('FILE_EXISTS', `${rel} already exists. Choose another name or overwrite it.`, {
          path: rel,
        });
      const text = writeGoldenSet(set, format);
      await fs.mkdir(path.dirname(abs), { recursive: true });
      await writeFileAtomic(abs, new TextEncoder().encode(text), rel);
      return { path: rel };
    },
  };
  return {
    routes,
    /** Stops the runs of this process and closes the database (backend dispose). */
    close: () => {
      closing = true;
      for (const [runId, a] of active) {
        store?.updateRun(runId, { status: 'interrupted', owner: null });
        a.controller.abort();
      }
      active.clear();
      store?.close();
      store = null;
    },
  };
}

async function exists(abs: string): Promise<boolean> {
  try {
    await fs.stat(abs);
    return true;
  } catch {
    return false;
  }
}
