/** Pure helpers for the Bench view: labels, the per-case grid, the scatter's points. */
import { paretoFront, type GroupReport } from '../../../../core/bench/report';
import type { CellResult } from '../../../../core/bench/types';
import type { BenchEstimateResult, BenchReport, BenchRunStatus } from '../../../../shared/bench';
import { formatInt, formatUsd } from '../../lib/format';

/** 0.9 → "90.0%". */
export function pct(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** "90.0% (9/10)". */
export function passRateText(g: Pick<GroupReport, 'passRate' | 'passes' | 'n'>): string {
  return g.n === 0 ? '—' : `${pct(g.passRate)} (${g.passes}/${g.n})`;
}

/** "95% CI 59.6–98.2%". */
export function ciText(g: Pick<GroupReport, 'passRateCi' | 'n'>): string {
  if (g.n === 0) return 'no scored cell';
  return `95% CI ${(g.passRateCi.low * 100).toFixed(1)}–${(g.passRateCi.high * 100).toFixed(1)}%`;
}

/** 830 → "830 ms", 12_400 → "12.4 s". */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "288 / 391 ms", "1.20 / 2.40 s": p50 and p95 in one unit. */
export function latencyPair(p50: number | null, p95: number | null): string {
  if (p50 === null || p95 === null) return '—';
  if (p95 < 1000) return `${Math.round(p50)} / ${Math.round(p95)} ms`;
  return `${(p50 / 1000).toFixed(2)} / ${(p95 / 1000).toFixed(2)} s`;
}

/** Remaining time, rounded the way people say it: "12 s", "3 min 5 s", "2 h 4 min". */
export function formatEta(ms: number | null): string {
  if (ms === null) return 'estimating…';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "−0.4 pts" with a real minus sign. */
export function signedPts(v: number): string {
  const sign = v < 0 ? '−' : v > 0 ? '+' : '±';
  return `${sign}${Math.abs(v).toFixed(1)} pts`;
}

export const STATUS_LABEL: Record<BenchRunStatus, string> = {
  running: 'running',
  completed: 'completed',
  'budget-stopped': 'stopped at budget',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  failed: 'failed',
};

/** Runs that stopped before their last cell and can be continued. */
export function canResume(status: BenchRunStatus): boolean {
  return status === 'interrupted' || status === 'cancelled' || status === 'budget-stopped';
}

/** Why the Run button is disabled, or null when a run may start. */
export function runBlockedReason(e: BenchEstimateResult | null): string | null {
  if (!e) return 'The estimate is not ready.';
  const budget = e.config.budgetUsd;
  if (budget === null)
    return 'The config has no budget cap: add `budget:` (USD) to it so a run cannot spend without limit.';
  if (e.withinBudget === false)
    return `The worst case (${formatUsd(e.estimate.usd)}) is above the ${formatUsd(budget)} budget: raise \`budget:\` in the config, or run fewer variants, models or cases.`;
  return null;
}

/** `variant × model`, the key of a report group and a grid column. */
export const groupKey = (g: { variant: string; model: string }) => JSON.stringify([g.variant, g.model]);

export interface GridRow {
  caseId: string;
  repeat: number;
  /** Cells by group key. */
  cells: Map<string, CellResult>;
  /** Some cell failed, errored or was skipped. */
  failing: boolean;
}

export interface CellGrid {
  columns: Array<{ key: string; variant: string; model: string }>;
  rows: GridRow[];
  repeats: boolean;
}

/**
 * The per-case table: a row per case (and repeat), a column per variant × model, in the report's order.
 * Linear in the cells with no string building per cell (a 20,000-cell report is re-read every 1.5 s while
 * its run is live): columns and rows are found through nested maps.
 */
export function cellGrid(report: Pick<BenchReport, 'groups' | 'cells'>): CellGrid {
  const columns: CellGrid['columns'] = [];
  const columnKeys = new Map<string, Map<string, string>>();
  const columnKey = (variant: string, model: string): string => {
    let byModel = columnKeys.get(variant);
    if (!byModel) columnKeys.set(variant, (byModel = new Map()));
    let key = byModel.get(model);
    if (key === undefined) {
      key = groupKey({ variant, model });
      byModel.set(model, key);
      columns.push({ key, variant, model });
    }
    return key;
  };
  for (const g of report.groups) columnKey(g.variant, g.model);
  const rows: GridRow[] = [];
  const byCase = new Map<string, GridRow | Map<number, GridRow>>();
  let repeats = false;
  for (const c of report.cells) {
    const key = columnKey(c.variant, c.model);
    if (c.repeat > 1) repeats = true;
    // most runs have one repeat: a case maps straight to its row until a second repeat shows up
    let row: GridRow | undefined;
    const found = byCase.get(c.caseId);
    if (found instanceof Map) row = found.get(c.repeat);
    else if (found && found.repeat === c.repeat) row = found;
    if (!row) {
      row = { caseId: c.caseId, repeat: c.repeat, cells: new Map(), failing: false };
      rows.push(row);
      if (!found) byCase.set(c.caseId, row);
      else if (found instanceof Map) found.set(c.repeat, row);
      else
        byCase.set(
          c.caseId,
          new Map([
            [found.repeat, found],
            [c.repeat, row],
          ]),
        );
    }
    row.cells.set(key, c);
    if (c.status !== 'ok' || c.score?.pass === false) row.failing = true;
  }
  return { columns, rows, repeats };
}

/** A cell's state for its badge. */
export function cellState(c: CellResult | undefined): 'pass' | 'fail' | 'error' | 'skipped' | 'pending' {
  if (!c) return 'pending';
  if (c.status === 'error') return 'error';
  if (c.status === 'skipped') return 'skipped';
  if (!c.score) return 'pending';
  return c.score.pass ? 'pass' : 'fail';
}

/** One short line of an output for a table cell: first line, trimmed, at most `max` characters. */
export function outputSnippet(output: string | undefined, max = 40): string {
  if (output === undefined) return '';
  const line = output.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** What a table cell says: the start of the answer, the error's code, or why it was skipped. */
export function cellText(c: CellResult): string {
  if (c.status === 'ok') return outputSnippet(c.output) || '(empty answer)';
  if (c.status === 'error') return c.error?.code ?? 'error';
  return `skipped${c.skipReason ? ` (${c.skipReason})` : ''}`;
}

export interface ScatterPoint {
  key: string;
  variant: string;
  model: string;
  cost: number;
  quality: number;
  low: number;
  high: number;
  pareto: boolean;
  cheapest: boolean;
}

/** The scatter's points (groups with a cost and a scored cell) and the Pareto front, cheapest first. */
export function scatterPoints(report: Pick<BenchReport, 'groups' | 'cheapest'>): {
  points: ScatterPoint[];
  front: ScatterPoint[];
} {
  const front = new Set(paretoFront(report.groups).map(groupKey));
  const cheapest = report.cheapest ? groupKey(report.cheapest) : null;
  const points = report.groups
    .filter((g) => g.n > 0 && g.costPerCase !== null)
    .map((g) => ({
      key: groupKey(g),
      variant: g.variant,
      model: g.model,
      cost: g.costPerCase!,
      quality: g.passRate,
      low: g.passRateCi.low,
      high: g.passRateCi.high,
      pareto: front.has(groupKey(g)),
      cheapest: groupKey(g) === cheapest,
    }));
  const frontPoints = points.filter((p) => p.pareto).sort((a, b) => a.cost - b.cost || b.quality - a.quality);
  return { points, front: frontPoints };
}

/** Axis ticks for 0..max: 4–6 round steps. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** A dollar figure for small per-case costs: "$0.00012" stays readable where formatUsd would pad. */
export function shortUsd(usd: number | null): string {
  if (usd === null) return 'no price';
  if (usd === 0) return '$0';
  if (usd >= 0.01) return formatUsd(usd);
  return `$${usd.toPrecision(2)}`;
}

/** Tokens as "1,234 in · 56 out". */
export function tokensText(t: { input: number; output: number }): string {
  return `${formatInt(t.input)} in · ${formatInt(t.output)} out`;
}

/** Stable colours per model, from the chart palette. */
const PALETTE = [
  'var(--chart-input)',
  'var(--chart-output)',
  'var(--chart-cache)',
  'var(--chart-embeddings)',
];
export function modelColor(models: readonly string[], model: string): string {
  const i = models.indexOf(model);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length]!;
}
