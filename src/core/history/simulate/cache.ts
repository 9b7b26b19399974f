import type { ModelEntry } from '../../pricing/catalog';
import { openAiCachedTokens } from '../../pricing/requestCost';
import type { RequestCounter } from '../policy/count';
import { sameMessage } from '../policy/structure';
import type { HistoryMessage } from '../types';

/** A request as the prompt cache sees it: a head block (tool definitions + system prompt), then messages. */
export interface CachedRequest {
  system: string | undefined;
  messages: readonly HistoryMessage[];
  /** Tokens of the head block: tool definitions and the system message. */
  headTokens: number;
  /** Tokens before the reply priming: the part a later request can share. */
  prefixTokens: number;
  /**
   * Known by construction: this request is the previous one with messages added, so the messages are not
   * compared (and `messages` may be an array that grows in place).
   */
  extendsPrevious?: boolean;
}

export interface CacheSplit {
  /** Tokens read from the cache. */
  read: number;
  /** Tokens written to the cache at a surcharge (Anthropic); automatic caches bill writes as input. */
  write: number;
  /** Tokens this request shares with the previous one, at message granularity. */
  shared: number;
}

/** The shortest prefix a model caches: the catalog's figure, else 1,024 for OpenAI and 0 (as cacheWhatIf). */
export function minCacheable(model: ModelEntry): number {
  return model.minCacheableTokens ?? (model.caching === 'openai-auto' ? 1024 : 0);
}

/**
 * Tokens `cur` shares with `prev` from the start: the head block when the system prompt is the same, then
 * each message while the two are equal. A match inside the first differing message is not counted (it
 * would need the token sequence, not counts), so this is exact at message granularity and at most that
 * message's head below the token-level prefix.
 */
export function sharedPrefix(
  prev: CachedRequest,
  cur: CachedRequest,
  counter: RequestCounter,
): { tokens: number; messages: number } {
  if (prev.system !== cur.system || prev.headTokens !== cur.headTokens) return { tokens: 0, messages: 0 };
  if (cur.extendsPrevious) return { tokens: prev.prefixTokens, messages: prev.messages.length };
  let tokens = cur.headTokens;
  const n = Math.min(prev.messages.length, cur.messages.length);
  let k = 0;
  while (k < n && sameMessage(prev.messages[k]!, cur.messages[k]!))
    tokens += counter.message(cur.messages[k++]!);
  return { tokens, messages: k };
}

/**
 * What of `cur` the provider's prompt cache reads and writes, the previous request of the conversation
 * being `prev` (sent within the cache's lifetime):
 * - openai-auto: the prefix shared with the previous request, when ≥ the minimum, in 1,024 + 128-token steps
 *   (openAiCachedTokens); no write surcharge;
 * - auto (DeepSeek, Gemini implicit, xAI): the shared prefix when ≥ the model's minimum; no write surcharge;
 * - anthropic-explicit: the app marks a breakpoint after the system prompt and after the last message (the
 *   multi-turn pattern Anthropic documents). The read is the previous request's whole prefix when `cur`
 *   extends it, else the head block when it is unchanged, each only when ≥ the minimum; everything after
 *   the read up to the last breakpoint is written (billed at the write price) when that prefix is ≥ the
 *   minimum;
 * - none: nothing.
 */
export function promptCacheSplit(
  model: ModelEntry,
  prev: CachedRequest | undefined,
  cur: CachedRequest,
  counter: RequestCounter,
): CacheSplit {
  const min = minCacheable(model);
  const shared = prev ? sharedPrefix(prev, cur, counter) : { tokens: 0, messages: 0 };
  switch (model.caching) {
    case 'none':
      return { read: 0, write: 0, shared: shared.tokens };
    case 'openai-auto':
      return { read: openAiCachedTokens(shared.tokens, min), write: 0, shared: shared.tokens };
    case 'auto':
      return {
        read: shared.tokens >= min && shared.tokens > 0 ? shared.tokens : 0,
        write: 0,
        shared: shared.tokens,
      };
    case 'anthropic-explicit': {
      let read = 0;
      if (
        prev &&
        shared.messages === prev.messages.length &&
        shared.tokens === prev.prefixTokens &&
        prev.prefixTokens >= min
      )
        read = prev.prefixTokens;
      else if (
        prev &&
        prev.system === cur.system &&
        prev.headTokens === cur.headTokens &&
        cur.headTokens >= min
      )
        read = cur.headTokens;
      const write = cur.prefixTokens >= min ? cur.prefixTokens - read : 0;
      return { read, write, shared: shared.tokens };
    }
  }
}
