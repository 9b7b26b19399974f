/** The bench routes (issue 6): a bench config file estimated or run; see docs/formats/bench-config.md. */
import { z } from 'zod';
import type { CellResult, GroupReport, ModelEstimate, VariantDelta } from '../core/bench';
import type { GoldenSet } from '../core/golden';

const isObject = (v: unknown) => typeof v === 'object' && v !== null;

export const BenchRequestSchema = z
  .object({
    /** Absolute path of the bench config file (.yaml, .yml or .json). */
    path: z.string().min(1).max(4096),
    /** Run only these variants (by name). */
    variants: z.array(z.string().min(1)).min(1).max(1000).optional(),
    /** Replace the config's models. */
    models: z.array(z.string().min(1)).min(1).max(1000).optional(),
    /** Replace the config's budget cap, in USD. */
    budgetUsd: z.number().nonnegative().finite().optional(),
    /** Replace the config's baseline variant. */
    baseline: z.string().min(1).optional(),
    /** Every variant × model must reach this pass rate (0..1). */
    minPassRate: z.number().min(0).max(1).optional(),
    /** No variant may lose more than this share of the baseline's pass rate on any model (0.02 = 2 pts). */
    maxQualityDrop: z.number().min(0).max(1).optional(),
  })
  .strict();
export type BenchRequest = z.infer<typeof BenchRequestSchema>;

/** The resolved config, as reported back. */
export interface BenchConfigSummary {
  file: string;
  golden: { file: string; cases: number; format: string };
  variants: string[];
  models: string[];
  repeats: number;
  maxTokens: number;
  temperature: number | null;
  concurrency: number;
  budgetUsd: number | null;
  baseline: string;
}

/** A run's worst-case cost, JSON-safe (without the per-cell map). */
export interface BenchEstimateSummary {
  cells: number;
  inputTokens: number;
  outputTokens: number;
  usd: number;
  perModel: ModelEstimate[];
  method: string;
}

export interface BenchEstimateResult {
  config: BenchConfigSummary;
  estimate: BenchEstimateSummary;
  /** False when the estimate is above the budget cap (the run would be refused); null without a cap. */
  withinBudget: boolean | null;
}

/** A failed threshold, for CI. */
export interface BenchThresholdFailure {
  kind: 'minPassRate' | 'maxQualityDrop';
  variant: string;
  model: string;
  message: string;
}

export interface BenchReport {
  /** The stored run this report is of (runs are kept in the app's database). */
  runId?: string;
  /** When the run started, ISO 8601. */
  createdAt?: string;
  config: BenchConfigSummary;
  /** A stored run's report while it runs (or after it was interrupted) holds what has finished so far. */
  status: BenchRunStatus;
  estimate: BenchEstimateSummary;
  spentUsd: number;
  providerCalls: number;
  cachedCells: number;
  groups: GroupReport[];
  /** Every other variant against the baseline, per model (tolerance: maxQualityDrop, else 2 pts). */
  deltas: VariantDelta[];
  tolerancePts: number;
  /** The cheapest variant × model reaching `cheapestAt` (minPassRate, else 0.95). */
  cheapest: GroupReport | null;
  cheapestAt: number;
  thresholds: {
    minPassRate: number | null;
    maxQualityDrop: number | null;
    passed: boolean;
    failures: BenchThresholdFailure[];
  };
  cells: CellResult[];
}

/** What a stored run is, for the runs list. `interrupted`: its process ended mid-run; it can be resumed. */
export type BenchRunStatus =
  'running' | 'completed' | 'budget-stopped' | 'cancelled' | 'interrupted' | 'failed';

export interface BenchRunSummary {
  runId: string;
  createdAt: string;
  /** The bench config file. */
  file: string;
  name?: string;
  status: BenchRunStatus;
  total: number;
  done: number;
  spentUsd: number;
  variants: string[];
  models: string[];
  /** Pass rate over all scored cells so far (null before any). */
  passRate: number | null;
  /** Sent through the providers' batch APIs. */
  batch: boolean;
  /** Why a failed run failed. */
  error?: { code: string; message: string };
}

/** Progress of a running benchmark, sent after every finished cell (and when a batch is polled). */
export interface BenchProgressEvent {
  runId: string;
  done: number;
  total: number;
  cached: number;
  errors: number;
  spentUsd: number;
  /** Remaining time at the pace so far, in ms; null before the first cell ends. */
  etaMs: number | null;
  /** Batch mode: what the batches are doing ("2 batches in progress, 120/400 answered"). */
  phase?: string;
}

export interface BenchFinishedEvent {
  runId: string;
  status: BenchRunStatus;
  error?: { code: string; message: string };
}

/** A cell's whole story, for the drill-down. */
export interface BenchCellDetail {
  runId: string;
  cell: CellResult;
  /** The request as sent (no credentials): the rendered prompt. */
  request: {
    provider: string;
    model: string;
    system?: string;
    messages: Array<{ role: string; content: string }>;
    maxTokens: number;
    temperature?: number;
  } | null;
  /** The case's variables and reference answer. */
  vars: Record<string, unknown>;
  expected?: string;
  /** The same case, model and repeat on the baseline variant (absent for the baseline itself). */
  baseline?: CellResult;
}

const RunId = z.string().min(1).max(200);
const WorkspacePath = z.string().min(1).max(4096);

export const BenchStartSchema = BenchRequestSchema.extend({
  /** Send through the providers' batch APIs (half price, answers within hours; polled in the background). */
  batch: z.boolean().optional(),
}).strict();
export type BenchStartRequest = z.infer<typeof BenchStartSchema>;

export const BENCH_EXPORT_FORMATS = ['json', 'csv', 'md', 'html'] as const;
export type BenchExportFormat = (typeof BENCH_EXPORT_FORMATS)[number];

export const benchRouteSchemas = {
  /** The worst-case cost of a bench config, without calling any model. */
  'bench.estimate': { input: BenchRequestSchema, output: z.custom<BenchEstimateResult>(isObject) },
  /** Runs a bench config (refused above the budget: BUDGET_EXCEEDED) and returns the report. */
  'bench.run': { input: BenchRequestSchema, output: z.custom<BenchReport>(isObject) },
  /**
   * Starts a run in the background (refused above the budget: BUDGET_EXCEEDED, before anything is sent);
   * progress comes as `bench.progress` events and the end as `bench.finished`. Cells are stored as they finish.
   */
  'bench.start': {
    input: BenchStartSchema,
    output: z.custom<{ runId: string; total: number; estimate: BenchEstimateSummary }>(isObject),
  },
  /** Continues a stored run that did not finish (interrupted, cancelled, budget-stopped) without re-sending finished cells. */
  'bench.resume': {
    input: z.object({ runId: RunId, budgetUsd: z.number().nonnegative().finite().optional() }).strict(),
    output: z.custom<{ runId: string; total: number; estimate: BenchEstimateSummary }>(isObject),
  },
  /** Stops a running benchmark: cells in flight are cancelled, finished ones stay stored. */
  'bench.cancel': {
    input: z.object({ runId: RunId }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  /** Stored runs, newest first. */
  'bench.runs': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    output: z.custom<{ runs: BenchRunSummary[] }>(isObject),
  },
  /** The report of a stored run (a running one: what has finished so far). */
  'bench.report': {
    input: z.object({ runId: RunId }).strict(),
    output: z.custom<BenchReport>(isObject),
  },
  /** One cell for the drill-down: the rendered request, the answer, each scorer's result and the baseline's cell. */
  'bench.cell': {
    input: z.object({ runId: RunId, cellId: z.string().min(1).max(10_000) }).strict(),
    output: z.custom<BenchCellDetail>(isObject),
  },
  /** Two stored runs side by side (see core/bench/compare.ts). */
  'bench.compare': {
    input: z.object({ a: RunId, b: RunId }).strict(),
    output: z.custom<Record<string, unknown>>(isObject),
  },
  /** Writes a run's report into the workspace as JSON, CSV, Markdown or a self-contained HTML page. */
  'bench.export': {
    input: z
      .object({
        runId: RunId,
        format: z.enum(BENCH_EXPORT_FORMATS),
        path: WorkspacePath,
        overwrite: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ path: z.string() }),
  },
  /** The bench configs (`*.bench.yaml`, `*.bench.yml`, `*.bench.json`) and golden sets of the open workspace. */
  'bench.listFiles': {
    input: z.object({}).strict(),
    output: z.object({ configs: z.array(z.string()), goldenSets: z.array(z.string()) }),
  },
  /** Reads a golden set of the workspace (any supported format) for the editor. */
  'golden.load': {
    input: z.object({ path: WorkspacePath }).strict(),
    output: z.custom<{ path: string; set: GoldenSet }>(isObject),
  },
  /** Writes a golden set to the workspace, in the format its extension names (.yaml, .json, .jsonl, .csv). */
  'golden.save': {
    input: z
      .object({
        path: WorkspacePath,
        set: z.custom<GoldenSet>(isObject),
        overwrite: z.boolean().default(true),
      })
      .strict(),
    output: z.object({ path: z.string() }),
  },
} as const;

/** Events of the bench routes. */
export const benchEventSchemas = {
  'bench.progress': z.custom<BenchProgressEvent>(isObject),
  'bench.finished': z.custom<BenchFinishedEvent>(isObject),
} as const;
