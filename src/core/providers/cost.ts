import type { Catalog, ModelEntry } from '../pricing/catalog';
import { requestCost } from '../pricing/requestCost';
import type { LlmUsage } from './modelRef';
import type { CallCost } from './types';

/**
 * The catalog entry that prices a call of `model` at `provider`: the model as served by that provider (its
 * host, or its maker when it has no host). Null otherwise: another host's price would be wrong.
 */
export function catalogEntryFor(
  catalog: Catalog | undefined,
  provider: string,
  model: string,
): ModelEntry | null {
  return catalog?.models.find((m) => m.id === model && (m.host ?? m.provider) === provider) ?? null;
}

/**
 * A call's cost at catalog prices from the usage the provider reported: uncached input, cache writes at
 * their lifetime's price (5 min or 1 h), cache reads and output each at their own price.
 */
export function callCost(entry: ModelEntry | null, usage: LlmUsage): CallCost {
  if (!entry) return { usd: null, catalogId: null, breakdown: null };
  const write1h = usage.cacheWrite1h ?? 0;
  const breakdown = requestCost(entry, {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheRead ?? 0,
    cacheWrite5mTokens: Math.max(0, (usage.cacheWrite ?? 0) - write1h),
    cacheWrite1hTokens: write1h,
  });
  return { usd: breakdown.totalUsd, catalogId: entry.id, breakdown };
}
