import type { z } from 'zod';

/**
 * What the runner knows about one cell (variant × model × case × repeat) besides its output text. Cost and
 * latency scorers read it; each value says where it came from in the runner's own records.
 */
export interface CellMetadata {
  /** Cost of the cell's request in USD (from the provider's reported usage and the price catalog). */
  costUsd?: number;
  /** Wall-clock time from sending the request to the last byte of the answer, in milliseconds. */
  latencyMs?: number;
}

/** Token usage a judge model reported for its own call. */
export interface JudgeUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

/** What a judge is asked: grade `output` against `rubric`, with the case's variables for context. */
export interface JudgeRequest {
  rubric: string;
  output: string;
  vars: Readonly<Record<string, unknown>>;
  expected?: string;
}

/**
 * A judge's verdict. `score` is in 0..1. The judge's own usage and cost come back with it so the runner counts
 * them against the budget (a benchmark that hides its grading cost lies about what it cost).
 */
export interface JudgeVerdict {
  score: number;
  reason: string;
  /** When the judge decides pass/fail itself; otherwise the assertion's threshold decides. */
  pass?: boolean;
  usage?: JudgeUsage;
  costUsd?: number;
}

/** Port to a judge model (llm-rubric). The host calls a provider; core only sees this function. */
export type JudgePort = (request: JudgeRequest) => Promise<JudgeVerdict>;

/** Port to an embedding model: one vector per text, in order. */
export type EmbedPort = (texts: readonly string[]) => Promise<readonly (readonly number[])[]>;

/** Everything a scorer may consult besides the output and its options. */
export interface ScoreContext {
  /** The case's variables (defaultTest vars merged under the case's own). */
  vars: Readonly<Record<string, unknown>>;
  /** The case's expected output; scorers whose `value` is omitted compare against it. */
  expected?: string;
  metadata?: CellMetadata;
  embed?: EmbedPort;
  judge?: JudgePort;
}

/** One scorer's verdict on one output. */
export interface ScoreResult {
  /** 0..1, higher is better. */
  score: number;
  pass: boolean;
  /** One line a person can read: what matched or what was missing. */
  reason: string;
  /** Scorer-specific facts (classification's predicted label, json-equals' mismatches, ...). */
  details?: Record<string, unknown>;
  /** Set by llm-rubric: the judge's usage and cost, for the run's totals. */
  usage?: JudgeUsage;
  costUsd?: number;
}

/** Which port a scorer calls: the runner checks it has them before spending money on a run. */
export type ScorerPort = 'embed' | 'judge';

/**
 * A scorer: one entry of the registry. `score` never throws for a bad output (that is a low score); it throws
 * a coded AppError only when it cannot judge at all (missing port, missing reference, unknown cost), and the
 * assertion then fails with that error attached.
 */
export interface Scorer<S extends z.ZodType = z.ZodType> {
  /** Registry id, the assertion `type` in a golden set (`contains`, `not-contains`, ...). */
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /**
   * Options with defaults; `options.parse({})` gives the defaults where none is required. Every scorer with a
   * graded score has `threshold` here (pass when score ≥ threshold).
   */
  readonly options: S;
  /** True when an omitted `value` means "the case's expected output". */
  readonly usesExpected?: boolean;
  /** A port the scorer needs from the host. */
  readonly needs?: ScorerPort;
  score(output: string, options: z.output<S>, ctx: ScoreContext): ScoreResult | Promise<ScoreResult>;
}

/**
 * One assertion of a golden case, as parsed from a file: the scorer id, a weight, an optional name for the
 * reports, and the scorer's options as written (validated against the scorer's schema when the set is parsed).
 */
export interface AssertionSpec {
  type: string;
  /** ≥ 0; 0 reports the assertion without letting it count. Default 1. */
  weight: number;
  /** Shown in reports instead of the type (promptfoo's `metric`). */
  name?: string;
  options: Record<string, unknown>;
}

/** An assertion's result, as the runner stores it. */
export interface AssertionResult extends ScoreResult {
  type: string;
  name?: string;
  weight: number;
  /** Set when the scorer could not judge (the assertion fails; negation does not turn it into a pass). */
  error?: { code: string; message: string };
}

/** A case's combined result. */
export interface CaseScore {
  /** Weighted mean of the assertion scores (weights 0 excluded); 1 when nothing counts. */
  score: number;
  pass: boolean;
  reason: string;
  results: AssertionResult[];
  /** What judging this case cost on top of the cell itself (llm-rubric calls), in USD. */
  judgeCostUsd: number;
}
