import type { GoldenSet, PromptParts } from '../golden';
import type { ModelRef, LlmUsage } from '../providers/modelRef';
import type { CaseScore } from '../scorers/types';

/** One prompt variant of a run: the original or a compressed version, a template over the cases' variables. */
export interface BenchVariant {
  /** Unique within the run; the report's row label. */
  name: string;
  template: string;
}

/** What a benchmark run is: the matrix, the request parameters and the money it may spend. */
export interface BenchConfig {
  golden: GoldenSet;
  variants: BenchVariant[];
  /** Catalog ids (`claude-haiku-4-5`) or `provider:model`. */
  models: string[];
  /** Samples per case, variant and model (≥ 1). */
  repeats: number;
  maxTokens: number;
  temperature?: number;
  /** Cells in flight at once (≥ 1). */
  concurrency: number;
  /** Hard cap in USD: the run refuses to start above it and stops before exceeding it. */
  budgetUsd: number;
}

/** One request of the matrix: variant × model × case × repeat. */
export interface BenchCell {
  /** Stable across runs of the same config: `variant/model/case#repeat`, URI-escaped parts. */
  id: string;
  variant: string;
  /** The model as the config names it. */
  model: string;
  ref: ModelRef;
  caseId: string;
  /** 1-based. */
  repeat: number;
  prompt: PromptParts;
}

/** Why a cell was not answered. */
export type SkipReason = 'budget' | 'cancelled';

/** What became of one cell. */
export interface CellResult {
  cellId: string;
  variant: string;
  model: string;
  caseId: string;
  repeat: number;
  status: 'ok' | 'error' | 'skipped';
  skipReason?: SkipReason;
  output?: string;
  score?: CaseScore;
  /** Provider-reported usage (of the original call when `cached`). */
  usage?: LlmUsage;
  /** What this run spent on the cell (0 when answered from the cache), judge calls included, in USD. */
  costUsd: number;
  /**
   * What the answer costs at catalog prices whether or not it came from the cache (the original call's cost,
   * judge calls included): the figure reports compare models and variants by.
   */
  listCostUsd?: number;
  /** True when answered from the response cache: no provider call was made. */
  cached: boolean;
  /** The provider call's total latency (of the original call when `cached`), in milliseconds. */
  latencyMs?: number;
  error?: { code: string; message: string };
}
