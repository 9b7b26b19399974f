import type { GroupReport } from './report';
import type { CellResult } from './types';

/** What compareReports reads of a report: structurally a subset of src/shared/bench.ts's BenchReport. */
export interface ComparableReport {
  runId?: string;
  createdAt?: string;
  config: { file: string };
  groups: readonly GroupReport[];
  cells: readonly CellResult[];
}

/** Which of the two reports have a variant × model. */
export type GroupPresence = 'both' | 'a' | 'b';

/** One variant × model side by side; a side the group is missing from is null. */
export interface GroupComparison {
  variant: string;
  model: string;
  presence: GroupPresence;
  /** Scored cells on each side. */
  nA: number | null;
  nB: number | null;
  passRateA: number | null;
  passRateB: number | null;
  /** (b − a) in points (0..100 scale): negative is a loss. Null unless in both. */
  passRateDeltaPts: number | null;
  meanScoreA: number | null;
  meanScoreB: number | null;
  /** List cost per case (catalog prices, cached answers at their original cost). */
  costPerCaseA: number | null;
  costPerCaseB: number | null;
  /** (b − a) in percent of a; null when either is unknown or a is 0. */
  costDeltaPct: number | null;
  latencyP50A: number | null;
  latencyP50B: number | null;
}

/** A cell (same cellId in both reports) whose verdict changed. */
export interface CaseFlip {
  cellId: string;
  variant: string;
  model: string;
  caseId: string;
  repeat: number;
  scoreA: number;
  scoreB: number;
  /** The case's reason on the failing side (why it failed). */
  reason: string;
  outputA?: string;
  outputB?: string;
}

/** A variant × model. */
export interface GroupKey {
  variant: string;
  model: string;
}

/** Which run a side of a comparison is. */
export interface ComparedRun {
  runId?: string;
  createdAt?: string;
  file: string;
}

/** Two benchmark reports side by side (a: before, b: after). */
export interface ReportComparison {
  /** The two reports compared (under their own key, so a host may still add `a` and `b` run ids). */
  runs: { a: ComparedRun; b: ComparedRun };
  /** Every variant × model of a (in its order), then those only in b (in b's order). */
  rows: GroupComparison[];
  /** Cells that passed in a and fail in b. */
  regressions: CaseFlip[];
  /** Cells that failed in a and pass in b. */
  fixes: CaseFlip[];
  /** Cells in both reports that were scored in both (the base of the flips). */
  comparedCells: number;
  onlyInA: GroupKey[];
  onlyInB: GroupKey[];
}

const key = (g: GroupKey) => JSON.stringify([g.variant, g.model]);
const side = (r: ComparableReport): ComparedRun => ({
  ...(r.runId !== undefined ? { runId: r.runId } : {}),
  ...(r.createdAt !== undefined ? { createdAt: r.createdAt } : {}),
  file: r.config.file,
});

function row(variant: string, model: string, a?: GroupReport, b?: GroupReport): GroupComparison {
  const costA = a?.costPerCase ?? null;
  const costB = b?.costPerCase ?? null;
  let delta: number | null = null;
  if (a && b) {
    const d = (b.passRate - a.passRate) * 100;
    delta = Math.abs(d) < 1e-9 ? 0 : d;
  }
  return {
    variant,
    model,
    presence: a && b ? 'both' : a ? 'a' : 'b',
    nA: a?.n ?? null,
    nB: b?.n ?? null,
    passRateA: a ? a.passRate : null,
    passRateB: b ? b.passRate : null,
    passRateDeltaPts: delta,
    meanScoreA: a ? a.meanScore : null,
    meanScoreB: b ? b.meanScore : null,
    costPerCaseA: costA,
    costPerCaseB: costB,
    costDeltaPct: costA === null || costB === null || costA === 0 ? null : ((costB - costA) / costA) * 100,
    latencyP50A: a?.latencyP50Ms ?? null,
    latencyP50B: b?.latencyP50Ms ?? null,
  };
}

const scored = (c: CellResult) => c.status === 'ok' && c.score !== undefined;

/**
 * Two reports side by side: per variant × model in either, the pass rate, mean score, cost per case and p50
 * latency of each with the differences; and per cell present and scored in both (same cellId, so the same
 * variant, model, case and repeat), the regressions (pass in a, fail in b) and fixes (fail in a, pass in b).
 * Cells that errored or were skipped on either side are no flip: they say nothing about quality.
 */
export function compareReports(a: ComparableReport, b: ComparableReport): ReportComparison {
  const groupsA = new Map(a.groups.map((g) => [key(g), g]));
  const groupsB = new Map(b.groups.map((g) => [key(g), g]));
  const rows: GroupComparison[] = [];
  for (const g of a.groups) rows.push(row(g.variant, g.model, g, groupsB.get(key(g))));
  for (const g of b.groups) if (!groupsA.has(key(g))) rows.push(row(g.variant, g.model, undefined, g));

  const cellsB = new Map(b.cells.map((c) => [c.cellId, c]));
  const regressions: CaseFlip[] = [];
  const fixes: CaseFlip[] = [];
  let comparedCells = 0;
  for (const ca of a.cells) {
    const cb = cellsB.get(ca.cellId);
    if (!cb || !scored(ca) || !scored(cb)) continue;
    comparedCells++;
    const pa = ca.score!.pass;
    const pb = cb.score!.pass;
    if (pa === pb) continue;
    const flip: CaseFlip = {
      cellId: ca.cellId,
      variant: ca.variant,
      model: ca.model,
      caseId: ca.caseId,
      repeat: ca.repeat,
      scoreA: ca.score!.score,
      scoreB: cb.score!.score,
      reason: pa ? cb.score!.reason : ca.score!.reason,
      ...(ca.output !== undefined ? { outputA: ca.output } : {}),
      ...(cb.output !== undefined ? { outputB: cb.output } : {}),
    };
    (pa ? regressions : fixes).push(flip);
  }
  const pick = (g: GroupComparison): GroupKey => ({ variant: g.variant, model: g.model });
  return {
    runs: { a: side(a), b: side(b) },
    rows,
    regressions,
    fixes,
    comparedCells,
    onlyInA: rows.filter((r) => r.presence === 'a').map(pick),
    onlyInB: rows.filter((r) => r.presence === 'b').map(pick),
  };
}
