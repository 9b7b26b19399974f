import type { ModelEntry, PriceTier } from '../../pricing/catalog';
import { requestCost, type CostLine, type RequestCost, type RequestUsage } from '../../pricing/requestCost';

const LINES = ['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output'] as const;

/**
 * requestCost for many requests of one model: the price of each line comes from requestCost itself (asked
 * once per long-context tier, so every provider rule applies), and a request's cost is the same per-line
 * sum in the same order, so the total is bit for bit requestCost's (test/core/history/simulate checks it).
 * A simulation prices two requests per turn; this keeps that off the profile.
 */
export function requestPricer(
  model: ModelEntry,
  options: { batch?: boolean } = {},
): (usage: RequestUsage) => { totalUsd: number | null; unpriced: string[] } {
  const tiers = [...(model.tiers ?? [])].sort((a, b) => b.aboveInputTokens - a.aboveInputTokens);
  const prices = new Map<PriceTier | null, RequestCost>();
  return (usage) => {
    const w5 = usage.cacheWrite5mTokens ?? 0;
    const w1 = usage.cacheWrite1hTokens ?? 0;
    const read = usage.cacheReadTokens ?? 0;
    const total = usage.inputTokens + w5 + w1 + read;
    // applicableTier's rule, on tiers sorted once
    const tier = tiers.find((t) => total > t.aboveInputTokens) ?? null;
    let p = prices.get(tier);
    if (!p) prices.set(tier, (p = requestCost(model, { inputTokens: total, outputTokens: 0 }, options)));
    const tokens = [usage.inputTokens, w5, w1, read, usage.outputTokens];
    let sum = 0;
    let unpriced: string[] | undefined;
    for (let k = 0; k < LINES.length; k++) {
      const n = tokens[k]!;
      const perMTok = (p[LINES[k]!] as CostLine).perMTok;
      if (n === 0) continue;
      if (perMTok === null) (unpriced ??= []).push(LINES[k]!);
      else sum += (n * perMTok) / 1_000_000;
    }
    return unpriced ? { totalUsd: null, unpriced } : { totalUsd: sum, unpriced: [] };
  };
}
