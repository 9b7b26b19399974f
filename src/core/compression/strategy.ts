import type { z } from 'zod';
import type { RewriteHook, StageError } from './rewriteHook';
import type { RuleTables } from './rules';
import type { SpanIndex } from './spanIndex';
import type { ProposedEdit, Range } from './types';

/** What a strategy may consult besides its text and options. */
export interface StrategyContext {
  /** Phrase tables (filler) parsed by loadRuleTables. */
  rules: RuleTables;
  /** Protected spans of this stage's input: strategies use it to stay out of code; the guards enforce it. */
  spans: SpanIndex;
  /**
   * Optional similarity of two sentences in [0, 1] (e.g. cosine of sentence embeddings computed by the
   * host). rules.dedupe treats pairs at or above its threshold as near-duplicates when it is given.
   */
  similar?: (a: string, b: string) => number;
  /**
   * When set (only for `local` strategies, in later rounds): whole-line ranges of the text that changed since
   * the strategy last ran. It then proposes edits only there; elsewhere it already did its work.
   */
  only?: readonly Range[];
  /**
   * The host's model rewrites (llm.rewrite), answered before the run: the engine never waits on a network.
   * Absent when the host has no models; a strategy needing it then proposes nothing.
   */
  rewrite?: RewriteHook;
  /** Round of the pipeline this stage runs in (1 first); a strategy that calls out runs only in round 1. */
  round?: number;
  /** Says why the stage proposes nothing, or why what it proposes will be blocked; the first call counts. */
  fail?: (error: StageError) => void;
}

/**
 * A compression strategy: one entry of the registry. `run` proposes edits on its input; it never applies
 * them. The pipeline guards, measures and applies them.
 */
export interface Strategy<S extends z.ZodType = z.ZodType> {
  /** Registry id, `family.variant`. */
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** True when edits can drop information a model might use (the UI marks these). */
  readonly lossy: boolean;
  readonly defaultEnabled: boolean;
  /**
   * True when running the strategy on its own output proposes no new edit (its accepted edits never create
   * work for itself). The pipeline then skips it in a later round when nothing changed since it ran.
   */
  readonly idempotent?: boolean;
  /**
   * True when an edit it proposes depends only on its line and the lines next to it, so a later round can
   * run it on the lines that changed (ctx.only) instead of the whole text.
   */
  readonly local?: boolean;
  /**
   * `'suggestion'`: its edits are proposals a person should weigh (they may change how a model reads the
   * prompt, or their value is measured elsewhere: the benchmark, the cache what-if), not compression that
   * keeps the meaning. The UI shows them as proposals; they carry `ProposedEdit.suggestion`. Absent for
   * ordinary strategies.
   */
  readonly kind?: 'suggestion';
  /** Options with defaults: `options.parse({})` gives the defaults; the UI builds its form from it. */
  readonly options: S;
  /**
   * True when, with these options, the strategy consults `ctx.similar`. A host computes similarities
   * (sentence embeddings, which cost time) only for pipelines with such a step.
   */
  usesSimilarity?(options: z.output<S>): boolean;
  run(text: string, options: z.output<S>, ctx: StrategyContext): ProposedEdit[];
}
