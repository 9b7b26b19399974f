/** The bench routes (issue 6): a bench config file estimated or run; see docs/formats/bench-config.md. */
import { z } from 'zod';
import type { CellResult, GroupReport, ModelEstimate, VariantDelta } from '../core/bench';

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
  config: BenchConfigSummary;
  status: 'completed' | 'budget-stopped' | 'cancelled';
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

export const benchRouteSchemas = {
  /** The worst-case cost of a bench config, without calling any model. */
  'bench.estimate': { input: BenchRequestSchema, output: z.custom<BenchEstimateResult>(isObject) },
  /** Runs a bench config (refused above the budget: BUDGET_EXCEEDED) and returns the report. */
  'bench.run': { input: BenchRequestSchema, output: z.custom<BenchReport>(isObject) },
} as const;
