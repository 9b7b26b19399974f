import { percentile, wilsonInterval, type Interval } from './stats';
import type { CellResult } from './types';

/** One variant × model row of a report. */
export interface GroupReport {
  variant: string;
  model: string;
  /** Scored cells (answered, fresh or cached); errors and skipped cells are not in it. */
  n: number;
  passes: number;
  passRate: number;
  /** 95% Wilson interval of the pass rate. */
  passRateCi: Interval;
  meanScore: number;
  /** Mean score per assertion, keyed by its name, else its type. */
  assertions: Record<string, number>;
  errors: number;
  skipped: number;
  cached: number;
  /** Provider-reported tokens of the answers (cached answers count their original call). */
  tokens: { input: number; output: number; cached: number };
  /** What this run spent (cached answers cost 0). */
  spentUsd: number;
  /** Catalog cost of all answers, cached ones at their original cost: what the variant × model costs. */
  listCostUsd: number;
  /** listCostUsd per distinct case (all repeats of a case together). */
  costPerCase: number | null;
  /** listCostUsd per 1,000 requests. */
  costPer1k: number | null;
  /** Over fresh calls only: a cached answer took no time. Null without any. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

/** Per variant × model, in first-seen order of the results. */
export function aggregate(results: readonly CellResult[]): GroupReport[] {
  const groups = new Map<string, CellResult[]>();
  for (const r of results) {
    const key = JSON.stringify([r.variant, r.model]);
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map(group);
}

function group(rs: CellResult[]): GroupReport {
  const scored = rs.filter((r) => r.status === 'ok' && r.score);
  const passes = scored.filter((r) => r.score!.pass).length;
  const n = scored.length;
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of scored)
    for (const a of r.score!.results) {
      const k = a.name ?? a.type;
      const s = sums.get(k) ?? { sum: 0, n: 0 };
      s.sum += a.score;
      s.n++;
      sums.set(k, s);
    }
  const answered = rs.filter((r) => r.status === 'ok');
  const listCostUsd = answered.reduce((a, r) => a + (r.listCostUsd ?? r.costUsd), 0);
  const cases = new Set(answered.map((r) => r.caseId)).size;
  const latencies = answered.filter((r) => !r.cached && r.latencyMs !== undefined).map((r) => r.latencyMs!);
  return {
    variant: rs[0]!.variant,
    model: rs[0]!.model,
    n,
    passes,
    passRate: n === 0 ? 0 : passes / n,
    passRateCi: wilsonInterval(passes, n),
    meanScore: n === 0 ? 0 : scored.reduce((a, r) => a + r.score!.score, 0) / n,
    assertions: Object.fromEntries([...sums].map(([k, s]) => [k, s.sum / s.n])),
    errors: rs.filter((r) => r.status === 'error').length,
    skipped: rs.filter((r) => r.status === 'skipped').length,
    cached: rs.filter((r) => r.cached).length,
    tokens: {
      input: answered.reduce((a, r) => a + (r.usage?.inputTokens ?? 0), 0),
      output: answered.reduce((a, r) => a + (r.usage?.outputTokens ?? 0), 0),
      cached: answered.reduce((a, r) => a + (r.usage?.cacheRead ?? 0), 0),
    },
    spentUsd: rs.reduce((a, r) => a + r.costUsd, 0),
    listCostUsd,
    costPerCase: cases === 0 ? null : listCostUsd / cases,
    costPer1k: answered.length === 0 ? null : (listCostUsd / answered.length) * 1000,
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
  };
}

/** Which figure stands for quality: the pass rate or the mean weighted score. */
export type QualityMetric = 'passRate' | 'meanScore';

const quality = (g: GroupReport, m: QualityMetric) => (m === 'passRate' ? g.passRate : g.meanScore);

/** A compressed variant against the original, on one model. */
export interface VariantDelta {
  model: string;
  baseline: string;
  variant: string;
  /** Quality difference in points (0..100 scale): negative is a loss. */
  qualityDeltaPts: number;
  /** Cost per case difference in percent of the baseline's; null when either has no cost. */
  costDeltaPct: number | null;
  verdict: 'kept' | 'dropped';
  /** E.g. "quality kept: −0.4 pts, within 2 pts; cost −38%". */
  summary: string;
}

const signed = (v: number, digits: number) =>
  `${v < 0 ? '−' : v > 0 ? '+' : '±'}${Math.abs(v).toFixed(digits)}`;

/**
 * Every other variant against `baseline`, model by model: the quality delta in points and a verdict against
 * `tolerancePts` (kept when the loss is at most the tolerance), with the cost change.
 */
export function variantDeltas(
  groups: readonly GroupReport[],
  options: { baseline: string; tolerancePts: number; metric?: QualityMetric },
): VariantDelta[] {
  const metric = options.metric ?? 'passRate';
  const out: VariantDelta[] = [];
  for (const base of groups.filter((g) => g.variant === options.baseline)) {
    for (const g of groups.filter((x) => x.model === base.model && x.variant !== options.baseline)) {
      const d = (quality(g, metric) - quality(base, metric)) * 100;
      const deltaPts = Math.abs(d) < 1e-9 ? 0 : d;
      const costDeltaPct =
        g.costPerCase === null || base.costPerCase === null || base.costPerCase === 0
          ? null
          : ((g.costPerCase - base.costPerCase) / base.costPerCase) * 100;
      const verdict = deltaPts >= -options.tolerancePts ? 'kept' : 'dropped';
      const cost = costDeltaPct === null ? 'cost unknown' : `cost ${signed(costDeltaPct, 0)}%`;
      out.push({
        model: base.model,
        baseline: options.baseline,
        variant: g.variant,
        qualityDeltaPts: deltaPts,
        costDeltaPct,
        verdict,
        summary: `quality ${verdict}: ${signed(deltaPts, 1)} pts, ${verdict === 'kept' ? 'within' : 'beyond'} ${options.tolerancePts} pts; ${cost}`,
      });
    }
  }
  return out;
}

/**
 * The cheapest variant × model (by cost per case) whose pass rate reaches `minPassRate` (by its Wilson lower
 * bound when `conservative`); null when none does or none has a cost.
 */
export function cheapestPassing(
  groups: readonly GroupReport[],
  options: { minPassRate: number; conservative?: boolean },
): GroupReport | null {
  const ok = groups.filter(
    (g) =>
      g.n > 0 &&
      g.costPerCase !== null &&
      (options.conservative ? g.passRateCi.low : g.passRate) >= options.minPassRate,
  );
  return ok.reduce<GroupReport | null>(
    (best, g) => (!best || g.costPerCase! < best.costPerCase! ? g : best),
    null,
  );
}

/**
 * The Pareto front over cost per case (lower is better) and quality (higher is better): the groups no other
 * group beats on one without losing on the other, cheapest first. Groups without a cost or a scored cell are
 * left out.
 */
export function paretoFront(
  groups: readonly GroupReport[],
  metric: QualityMetric = 'passRate',
): GroupReport[] {
  const pts = groups.filter((g) => g.n > 0 && g.costPerCase !== null);
  const dominated = (a: GroupReport) =>
    pts.some(
      (b) =>
        b !== a &&
        b.costPerCase! <= a.costPerCase! &&
        quality(b, metric) >= quality(a, metric) &&
        (b.costPerCase! < a.costPerCase! || quality(b, metric) > quality(a, metric)),
    );
  return pts
    .filter((g) => !dominated(g))
    .sort((a, b) => a.costPerCase! - b.costPerCase! || quality(b, metric) - quality(a, metric));
}
