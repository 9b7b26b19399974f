import type { ModelEntry } from './catalog';
import { requestCost } from './requestCost';

export interface WorkloadInput {
  model: ModelEntry;
  /** Input tokens of one request (prompt + history + user message). */
  inputTokens: number;
  /** Of those, the tokens a cache hit would serve (from the cache what-if). */
  cacheableTokens: number;
  outputTokens: number;
  requestsPerDay: number;
  days: number;
  /** 0..1 share of requests that hit the cache. */
  cacheHitRate: number;
  /** 0..1 share of requests sent through the batch API. */
  batchShare: number;
  ttl?: '5m' | '1h';
  /** Optional side costs for the five-way breakdown. */
  embeddingTokensPerDay?: number;
  embeddingPerMTok?: number;
  otherMonthlyUsd?: number;
}

export interface Breakdown {
  input: number;
  output: number;
  cache: number;
  embeddings: number;
  other: number;
}

export interface Projection {
  model: string;
  requests: number;
  /** Null when a price the workload needs is missing (never a silent $0). */
  totalUsd: number | null;
  perRequestUsd: number | null;
  per1kRequestsUsd: number | null;
  breakdown: Breakdown | null;
  unpriced: string[];
}

/**
 * Cost of a workload over a period: requests split into cache hits and misses and into real-time and batch,
 * each priced with the provider's rules, plus embeddings and other costs for the five-way breakdown. Batch
 * requests are assumed to hit the cache at the same rate (providers cache batches best-effort).
 */
export function projectWorkload(w: WorkloadInput): Projection {
  const requests = Math.max(0, w.requestsPerDay) * Math.max(0, w.days);
  const hit = clamp01(w.cacheHitRate);
  const batch = clamp01(w.batchShare);
  const cacheable = Math.min(w.cacheableTokens, w.inputTokens);
  const writeKey = w.ttl === '1h' ? 'cacheWrite1hTokens' : 'cacheWrite5mTokens';
  const explicit = w.model.caching === 'anthropic-explicit';
  const cached = w.model.caching !== 'none' && cacheable > 0;
  const plain = { inputTokens: w.inputTokens, outputTokens: w.outputTokens };
  const rest = w.inputTokens - cacheable;
  const scenarios = cached
    ? [
        {
          share: hit,
          usage: { inputTokens: rest, cacheReadTokens: cacheable, outputTokens: w.outputTokens },
        },
        // a miss writes the prefix: a surcharge with explicit caching, ordinary input with automatic caching
        {
          share: 1 - hit,
          usage: explicit
            ? { inputTokens: rest, [writeKey]: cacheable, outputTokens: w.outputTokens }
            : plain,
        },
      ]
    : [{ share: 1, usage: plain }];

  const breakdown: Breakdown = { input: 0, output: 0, cache: 0, embeddings: 0, other: 0 };
  const unpriced = new Set<string>();
  for (const s of scenarios) {
    for (const [isBatch, share] of [
      [false, 1 - batch],
      [true, batch],
    ] as const) {
      const n = requests * s.share * share;
      if (n === 0) continue;
      const c = requestCost(w.model, s.usage, { batch: isBatch });
      c.unpriced.forEach((u) => unpriced.add(isBatch ? `batch ${u}` : u));
      breakdown.input += n * (c.input.usd ?? 0);
      breakdown.output += n * (c.output.usd ?? 0);
      breakdown.cache += n * ((c.cacheRead.usd ?? 0) + (c.cacheWrite5m.usd ?? 0) + (c.cacheWrite1h.usd ?? 0));
    }
  }
  if (w.embeddingTokensPerDay) {
    if (w.embeddingPerMTok == null) unpriced.add('embeddings');
    else breakdown.embeddings = (w.embeddingTokensPerDay * Math.max(0, w.days) * w.embeddingPerMTok) / 1e6;
  }
  breakdown.other = (w.otherMonthlyUsd ?? 0) * (Math.max(0, w.days) / 30);
  const missing = [...unpriced];
  const total = missing.length ? null : Object.values(breakdown).reduce((a, b) => a + b, 0);
  const llmTotal = total === null ? null : breakdown.input + breakdown.output + breakdown.cache;
  return {
    model: w.model.id,
    requests,
    totalUsd: total,
    perRequestUsd: llmTotal === null || requests === 0 ? null : llmTotal / requests,
    per1kRequestsUsd: llmTotal === null || requests === 0 ? null : (llmTotal / requests) * 1000,
    breakdown: missing.length ? null : breakdown,
    unpriced: missing,
  };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
