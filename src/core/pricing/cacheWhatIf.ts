import type { ModelEntry } from './catalog';
import { blockBoundaries, findDynamicSpans, type DynamicSpan } from './dynamicContent';
import { openAiCachedTokens, requestCost, type RequestCost } from './requestCost';

export interface CacheWhatIfInput {
  text: string;
  model: ModelEntry;
  /** Counts tokens with the model's encoding. */
  count: (text: string) => number;
  /** Share of requests that find the prefix in the cache, 0..1. */
  hitRate: number;
  outputTokens: number;
  /** Anthropic cache lifetime. */
  ttl?: '5m' | '1h';
}

export interface Breakpoint {
  /** Character offset the breakpoint follows. */
  offset: number;
  /** Tokens before it. */
  tokens: number;
  reason: string;
}

export interface CacheWhatIf {
  model: string;
  caching: ModelEntry['caching'];
  totalTokens: number;
  dynamicSpans: DynamicSpan[];
  /** The first span that breaks the cacheable prefix, or null when the whole prompt is static. */
  firstDynamic: DynamicSpan | null;
  /** Characters and tokens of the longest static prefix the provider can cache (snapped to its rules). */
  prefixChars: number;
  prefixTokens: number;
  /** Tokens that would be read from the cache on a hit. */
  cachedTokensOnHit: number;
  minCacheableTokens: number;
  meetsMinimum: boolean;
  breakpoints: Breakpoint[];
  perRequest: { noCache: RequestCost; hit: RequestCost; miss: RequestCost; expectedUsd: number | null };
  /** Saving per request at the given hit rate; negative when caching costs more (write surcharge, low hits). */
  savingPerRequestUsd: number | null;
  hitRate: number;
  explanation: string;
}

/**
 * What prompt caching would do for this prompt on this model: the cacheable prefix, where dynamic content
 * breaks it, suggested breakpoints, and the cost per request at a hit rate against no caching.
 */
export function cacheWhatIf(input: CacheWhatIfInput): CacheWhatIf {
  const { text, model, count, outputTokens } = input;
  const hitRate = Math.min(1, Math.max(0, input.hitRate));
  const totalTokens = count(text);
  const spans = findDynamicSpans(text);
  const firstDynamic = spans[0] ?? null;
  const staticEnd = firstDynamic ? firstDynamic.offset : text.length;
  const minCacheable = model.minCacheableTokens ?? (model.caching === 'openai-auto' ? 1024 : 0);

  let prefixChars = staticEnd;
  const breakpoints: Breakpoint[] = [];
  if (model.caching === 'anthropic-explicit') {
    // A breakpoint closes a block; the last block boundary inside the static part is the best one.
    const bounds = blockBoundaries(text).filter((b) => b <= staticEnd);
    prefixChars = firstDynamic ? (bounds[bounds.length - 1] ?? 0) : text.length;
  }
  const prefixTokens =
    prefixChars === 0 ? 0 : prefixChars === text.length ? totalTokens : count(text.slice(0, prefixChars));
  let cachedTokensOnHit = 0;
  if (model.caching === 'openai-auto') cachedTokensOnHit = openAiCachedTokens(prefixTokens, minCacheable);
  else if (model.caching !== 'none' && prefixTokens >= minCacheable) cachedTokensOnHit = prefixTokens;
  const meetsMinimum = model.caching !== 'none' && cachedTokensOnHit > 0;
  if (model.caching === 'anthropic-explicit' && meetsMinimum) {
    breakpoints.push({
      offset: prefixChars,
      tokens: prefixTokens,
      reason: firstDynamic
        ? `end of the static part, before the first ${firstDynamic.kind} ("${firstDynamic.text.slice(0, 40)}")`
        : 'end of the prompt (it is fully static)',
    });
  }

  const rest = totalTokens - cachedTokensOnHit;
  const ttlKey = input.ttl === '1h' ? 'cacheWrite1hTokens' : 'cacheWrite5mTokens';
  const noCache = requestCost(model, { inputTokens: totalTokens, outputTokens });
  const hit = requestCost(model, { inputTokens: rest, cacheReadTokens: cachedTokensOnHit, outputTokens });
  const miss =
    model.caching === 'anthropic-explicit' && meetsMinimum
      ? requestCost(model, { inputTokens: rest, [ttlKey]: cachedTokensOnHit, outputTokens })
      : noCache;
  const expectedUsd =
    hit.totalUsd === null || miss.totalUsd === null
      ? null
      : hitRate * hit.totalUsd + (1 - hitRate) * miss.totalUsd;
  const savingPerRequestUsd =
    expectedUsd === null || noCache.totalUsd === null ? null : noCache.totalUsd - expectedUsd;

  let explanation: string;
  if (model.caching === 'none') explanation = `${model.label} has no prompt caching in the catalog.`;
  else if (!meetsMinimum)
    explanation = `The static prefix is ${prefixTokens.toLocaleString('en-US')} tokens; ${model.label} caches prefixes of at least ${minCacheable.toLocaleString('en-US')} tokens, so nothing is cached.`;
  else
    explanation = `${cachedTokensOnHit.toLocaleString('en-US')} of ${totalTokens.toLocaleString('en-US')} tokens can be cached${firstDynamic ? `; the first ${firstDynamic.kind} at character ${firstDynamic.offset} ends the cacheable prefix` : ''}.`;

  return {
    model: model.id,
    caching: model.caching,
    totalTokens,
    dynamicSpans: spans,
    firstDynamic,
    prefixChars,
    prefixTokens,
    cachedTokensOnHit,
    minCacheableTokens: minCacheable,
    meetsMinimum,
    breakpoints,
    perRequest: { noCache, hit, miss, expectedUsd },
    savingPerRequestUsd,
    hitRate,
    explanation,
  };
}

/**
 * How many cached tokens an edit throws away: an edit inside the cached prefix invalidates the cache from
 * the edit onwards (OpenAI keeps whole 128-token steps before it; an Anthropic breakpoint's entry is keyed
 * by its whole prefix, so all of it is lost).
 */
export function invalidatedByEdit(
  before: string,
  after: string,
  analysis: CacheWhatIf,
  count: (text: string) => number,
): number {
  let d = 0;
  const max = Math.min(before.length, after.length);
  while (d < max && before.charCodeAt(d) === after.charCodeAt(d)) d++;
  if (d === before.length && d === after.length) return 0;
  if (d >= analysis.prefixChars || analysis.cachedTokensOnHit === 0) return 0;
  if (analysis.caching === 'anthropic-explicit') return analysis.cachedTokensOnHit;
  const keptTokens = count(before.slice(0, d));
  const kept =
    analysis.caching === 'openai-auto'
      ? openAiCachedTokens(keptTokens, analysis.minCacheableTokens)
      : keptTokens;
  return Math.max(0, analysis.cachedTokensOnHit - kept);
}
