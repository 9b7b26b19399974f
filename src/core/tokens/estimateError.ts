import { z } from 'zod';

/**
 * How far the offline estimate is from exact counts, per tokenizer family ("claude", "gemini", …).
 *
 * Every time an exact count is obtained for a request that was also estimated offline, the pair is recorded
 * here. The error of one sample is `(estimate − exact) / exact × 100`, in percent: positive when the
 * estimate was too high, negative when too low. The stats are plain JSON (running sums, not the samples),
 * so they can be persisted as they are and merged into nothing larger than one small object per family.
 */
export const FamilyErrorStatsSchema = z.object({
  samples: z.number().int().nonnegative(),
  sumAbsPct: z.number().nonnegative(),
  sumSignedPct: z.number(),
  maxAbsPct: z.number().nonnegative(),
});
export type FamilyErrorStats = z.infer<typeof FamilyErrorStatsSchema>;

export const EstimateErrorStatsSchema = z.record(z.string(), FamilyErrorStatsSchema);
/** Error stats keyed by tokenizer family. Treat as immutable: every update returns a new object. */
export type EstimateErrorStats = Readonly<Record<string, Readonly<FamilyErrorStats>>>;

export const EMPTY_ERROR_STATS: EstimateErrorStats = Object.freeze({});

/** The measured error of a family's estimates, in percent of the exact count. */
export interface EstimateErrorSummary {
  samples: number;
  /** Mean of |estimate − exact| / exact × 100. */
  meanAbsPctError: number;
  /** Mean of (estimate − exact) / exact × 100: the bias (positive = the estimate runs high). */
  meanSignedPctError: number;
  /** Largest |estimate − exact| / exact × 100 seen. */
  maxAbsPctError: number;
}

const isCount = (n: number) => Number.isFinite(n) && n >= 0;

/**
 * Records one (estimate, exact) pair for `family` and returns the new stats; `stats` is left unchanged.
 * A pair whose exact count is 0 has no relative error and is ignored, as is a pair with a negative or
 * non-finite number (the same stats object is returned).
 */
export function recordSample(
  stats: EstimateErrorStats,
  family: string,
  estimate: number,
  exact: number,
): EstimateErrorStats {
  if (!isCount(estimate) || !isCount(exact) || exact === 0) return stats;
  const signed = ((estimate - exact) / exact) * 100;
  const abs = Math.abs(signed);
  const prev = stats[family] ?? { samples: 0, sumAbsPct: 0, sumSignedPct: 0, maxAbsPct: 0 };
  return {
    ...stats,
    [family]: {
      samples: prev.samples + 1,
      sumAbsPct: prev.sumAbsPct + abs,
      sumSignedPct: prev.sumSignedPct + signed,
      maxAbsPct: Math.max(prev.maxAbsPct, abs),
    },
  };
}

/** The error summary of `family`, or null when no exact count has been obtained for it yet. */
export function summarize(stats: EstimateErrorStats, family: string): EstimateErrorSummary | null {
  const s = stats[family];
  if (!s || s.samples === 0) return null;
  return {
    samples: s.samples,
    meanAbsPctError: s.sumAbsPct / s.samples,
    meanSignedPctError: s.sumSignedPct / s.samples,
    maxAbsPctError: s.maxAbsPct,
  };
}
