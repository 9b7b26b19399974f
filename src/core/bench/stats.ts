/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** A proportion's confidence interval. */
export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval for `successes` of `n` (95% by default). Unlike the normal approximation it stays
 * inside 0..1 and is honest at 0/n and n/n, which small golden sets hit all the time. n = 0: [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // the exact ends at 0/n and n/n, which float rounding would otherwise miss by an ulp
  return {
    low: successes === 0 ? 0 : Math.max(0, center - half),
    high: successes === n ? 1 : Math.min(1, center + half),
  };
}

/** The q-quantile (0..1) by linear interpolation between order statistics; null for no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo]! + (s[hi]! - s[lo]!) * (at - lo);
}
