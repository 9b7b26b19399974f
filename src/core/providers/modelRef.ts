import { AppError } from '../errors';
import type { Catalog, ModelEntry } from '../pricing/catalog';

/**
 * Tokens of one model call as the provider reported them. `inputTokens` is the uncached input (Anthropic's
 * `input_tokens`; OpenAI's `prompt_tokens` minus its cached part), so the four parts add up to what was sent
 * and each is billed at its own price.
 */
export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache. */
  cacheRead?: number;
  /** Input tokens written to the provider's prompt cache (Anthropic), whatever their lifetime. */
  cacheWrite?: number;
  /** The part of `cacheWrite` written with the 1-hour lifetime (billed 2× input instead of 1.25×). */
  cacheWrite1h?: number;
}

/**
 * One model call made for a result (for example by `llm.rewrite`), with the provider's reported usage and
 * what it cost at catalog prices. `cached` calls were answered from PromptPress's own cache: no new call was
 * made, and the usage and cost are those of the original call.
 */
export interface LlmCallReport {
  /** What asked for the call, e.g. the strategy id `llm.rewrite`. */
  purpose: string;
  provider: string;
  model: string;
  cached: boolean;
  usage: LlmUsage;
  usageMethod: 'provider-reported';
  /** Dollars at catalog prices; null when the model is not in the catalog or has no price (never $0). */
  usd: number | null;
  /** Why the model stopped, normalised (see StopReason in the backend providers). */
  stopReason: string;
}

/** A model named for a call: which provider serves it, the provider's model id, and its catalog entry. */
export interface ModelRef {
  provider: string;
  model: string;
  /** The catalog entry (for prices and output limits), or null for a model the catalog does not list. */
  entry: ModelEntry | null;
}

/**
 * Resolves `spec`: a catalog id (`claude-sonnet-4-5`, served by its host or maker) or `provider:model`
 * (`openai:gpt-4o`, `local:llama3.1`) for any model of a configured provider. A catalog id wins when an id
 * itself contains a colon. Fails with INVALID_INPUT when empty and UNKNOWN_MODEL when neither form matches.
 */
export function resolveModelRef(spec: string, catalog: Catalog): ModelRef {
  const s = spec.trim();
  if (s === '') {
    throw new AppError(
      'INVALID_INPUT',
      'Choose a model: a catalog id such as claude-haiku-4-5, or provider:model such as openai:gpt-4o-mini.',
      { field: 'model' },
    );
  }
  const exact = catalog.models.find((m) => m.id === s);
  if (exact) return { provider: exact.host ?? exact.provider, model: exact.id, entry: exact };
  const colon = s.indexOf(':');
  if (colon > 0 && colon < s.length - 1) {
    const provider = s.slice(0, colon);
    const model = s.slice(colon + 1);
    // priced only when the catalog lists the model as served by this provider: another host's price differs
    const entry = catalog.models.find((m) => m.id === model && (m.host ?? m.provider) === provider);
    return { provider, model, entry: entry ?? null };
  }
  throw new AppError(
    'UNKNOWN_MODEL',
    `Unknown model "${s}". Use a catalog id (promptpress models lists them) or provider:model, e.g. openai:${s}.`,
    { model: s },
  );
}
