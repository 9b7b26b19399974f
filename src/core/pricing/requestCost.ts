import type { ModelEntry, PriceTier } from './catalog';

/** Tokens of one request, split the way providers bill them. */
export interface RequestUsage {
  /** Uncached input tokens. */
  inputTokens: number;
  /** Input tokens written to the cache with a 5-minute lifetime (Anthropic). */
  cacheWrite5mTokens?: number;
  /** Input tokens written to the cache with a 1-hour lifetime (Anthropic). */
  cacheWrite1hTokens?: number;
  /** Input tokens read from the cache. */
  cacheReadTokens?: number;
  outputTokens: number;
}

export interface CostLine {
  tokens: number;
  perMTok: number | null;
  usd: number | null;
}

export interface RequestCost {
  input: CostLine;
  cacheWrite5m: CostLine;
  cacheWrite1h: CostLine;
  cacheRead: CostLine;
  output: CostLine;
  /** Sum of the lines that have a price; null when any line with tokens has no price (never a silent $0). */
  totalUsd: number | null;
  /** Lines with tokens but no price, named for the warning shown to the user. */
  unpriced: string[];
  batch: boolean;
  /** The long-context tier that applied, if any. */
  tier: PriceTier | null;
}

/** Anthropic's published cache multipliers on the base input price. */
export const ANTHROPIC_CACHE = { write5m: 1.25, write1h: 2, read: 0.1 } as const;

function line(tokens: number, perMTok: number | null | undefined): CostLine {
  const price = perMTok ?? null;
  return {
    tokens,
    perMTok: price,
    usd: tokens === 0 ? 0 : price === null ? null : (tokens * price) / 1_000_000,
  };
}

/** The tier that applies to a request whose total input (uncached + cache write + cache read) is `inputTotal`. */
export function applicableTier(model: ModelEntry, inputTotal: number): PriceTier | null {
  const tiers = [...(model.tiers ?? [])].sort((a, b) => b.aboveInputTokens - a.aboveInputTokens);
  return tiers.find((t) => inputTotal > t.aboveInputTokens) ?? null;
}

/**
 * Cost of one request following the model's provider rules:
 * - long-context tiers price the whole request by its total input length;
 * - Anthropic cache writes cost 1.25× (5 min) or 2× (1 h) the input price and reads 0.1×, unless the catalog
 *   lists an explicit price;
 * - other providers read cached tokens at their published cached-input price and charge no write surcharge;
 * - batch requests use the batch input/output prices, and cache prices scale by the same batch discount
 *   (Anthropic documents that the two discounts stack).
 */
export function requestCost(
  model: ModelEntry,
  usage: RequestUsage,
  options: { batch?: boolean } = {},
): RequestCost {
  const w5 = usage.cacheWrite5mTokens ?? 0;
  const w1 = usage.cacheWrite1hTokens ?? 0;
  const read = usage.cacheReadTokens ?? 0;
  const tier = applicableTier(model, usage.inputTokens + w5 + w1 + read);
  const batch = options.batch === true;

  let inputPrice: number | null = tier?.inputPerMTok ?? model.inputPerMTok;
  let outputPrice: number | null = tier?.outputPerMTok ?? model.outputPerMTok;
  let batchFactor = 1;
  if (batch) {
    const bIn = model.batchInputPerMTok;
    const bOut = model.batchOutputPerMTok;
    // The batch discount is a ratio of the base prices; in a long-context tier it applies to the tier price.
    batchFactor = bIn != null && model.inputPerMTok ? bIn / model.inputPerMTok : NaN;
    inputPrice = bIn == null ? null : inputPrice === null ? null : inputPrice * batchFactor;
    const outFactor = bOut != null && model.outputPerMTok ? bOut / model.outputPerMTok : NaN;
    outputPrice = bOut == null ? null : outputPrice === null ? null : outputPrice * outFactor;
  }
  const base = tier?.inputPerMTok ?? model.inputPerMTok;
  const scale = (p: number | null | undefined) =>
    p == null || Number.isNaN(batchFactor) ? null : p * batchFactor;
  let write5: number | null;
  let write1: number | null;
  let readPrice: number | null;
  if (model.caching === 'anthropic-explicit') {
    write5 = scale(
      tier?.cacheWrite5mPerMTok ??
        model.cacheWrite5mPerMTok ??
        (base === null ? null : base * ANTHROPIC_CACHE.write5m),
    );
    write1 = scale(
      tier?.cacheWrite1hPerMTok ??
        model.cacheWrite1hPerMTok ??
        (base === null ? null : base * ANTHROPIC_CACHE.write1h),
    );
    readPrice = scale(
      tier?.cacheReadPerMTok ??
        model.cacheReadPerMTok ??
        (base === null ? null : base * ANTHROPIC_CACHE.read),
    );
  } else {
    // Automatic caching has no write surcharge: a "write" is billed as ordinary input.
    write5 = inputPrice;
    write1 = inputPrice;
    readPrice = scale(tier?.cacheReadPerMTok ?? model.cacheReadPerMTok ?? null);
  }

  const lines = {
    input: line(usage.inputTokens, inputPrice),
    cacheWrite5m: line(w5, write5),
    cacheWrite1h: line(w1, write1),
    cacheRead: line(read, readPrice),
    output: line(usage.outputTokens, outputPrice),
  };
  const unpriced = Object.entries(lines)
    .filter(([, l]) => l.usd === null)
    .map(([k]) => k);
  const totalUsd = unpriced.length ? null : Object.values(lines).reduce((n, l) => n + (l.usd ?? 0), 0);
  return { ...lines, totalUsd, unpriced, batch, tier };
}

/**
 * OpenAI's automatic caching: prompts of at least 1,024 tokens are cached, and a hit covers the longest
 * shared prefix in steps of 128 tokens beyond the first 1,024.
 */
export function openAiCachedTokens(sharedPrefixTokens: number, minTokens = 1024, step = 128): number {
  if (sharedPrefixTokens < minTokens) return 0;
  return minTokens + Math.floor((sharedPrefixTokens - minTokens) / step) * step;
}
