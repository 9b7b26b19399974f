/**
 * The seam between the synchronous engine and a model that rewrites text. The engine never waits on a
 * network: the host calls the model first and hands the engine the answer through this hook (see
 * backend/services/llmRewrite.ts, which runs the pipeline once to learn what will be asked, calls the model,
 * and runs it again with the answer).
 */

/** Why a stage proposed nothing although it was enabled; shown by the UI and the CLI. */
export interface StageError {
  /** An error code (PROVIDER_AUTH, PROVIDER_NOT_CONFIGURED, …) or GUARD_VIOLATION for a rejected rewrite. */
  code: string;
  message: string;
}

/** What a strategy asks the model for. */
export interface RewriteRequest {
  /** A catalog id or provider:model. */
  model: string;
  /** Token budget of the rewritten text; when absent, `targetRatio` of the input's tokens. */
  targetTokens?: number;
  targetRatio: number;
  /** The user's extra instructions (may be empty). */
  instructions: string;
  /** Whether `input` is the whole stage input or a part of it (a section or a range). */
  scope: 'all' | 'section' | 'range';
}

/**
 * The host's answer for `input`: the rewritten text, an error (the text stays as it is and the stage says
 * why), or undefined when it has no answer yet (the stage proposes nothing).
 */
export type RewriteAnswer = { text: string } | { error: StageError } | undefined;

export type RewriteHook = (input: string, request: RewriteRequest) => RewriteAnswer;
