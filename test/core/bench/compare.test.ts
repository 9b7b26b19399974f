import { describe, expect, it } from 'vitest';
import { aggregate, compareReports, type CellResult, type ComparableReport } from '../../../src/core/bench';
import type { BenchReport } from '../../../src/shared/bench';

const cell = (
  variant: string,
  model: string,
  caseId: string,
  pass: boolean | 'error',
  extra: Partial<CellResult> = {},
): CellResult => ({
  cellId: `${variant}/${model}/${caseId}#1`,
  variant,
  model,
  caseId,
  repeat: 1,
  status: pass === 'error' ? 'error' : 'ok',
  ...(pass === 'error'
    ? { error: { code: 'PROVIDER_ERROR', message: 'boom' } }
    : {
        output: `${variant} says ${pass ? 'yes' : 'no'}`,
        score: {
          score: pass ? 1 : 0.25,
          pass,
          reason: pass ? 'every assertion passed' : `contains: no "yes" in ${caseId}`,
          judgeCostUsd: 0,
          results: [],
        },
      }),
  usage: { inputTokens: 10, outputTokens: 5 },
  costUsd: 0.002,
  listCostUsd: 0.002,
  cached: false,
  latencyMs: 100,
  ...extra,
});

const report = (cells: CellResult[], runId?: string): ComparableReport => ({
  ...(runId ? { runId, createdAt: `2025-01-0${runId.length}T00:00:00Z` } : {}),
  config: { file: 'x.bench.yaml' },
  groups: aggregate(cells),
  cells,
});

describe('compareReports', () => {
  // a: before the edit; b: after it. On m1 `short` regresses on c2 and is fixed on c3; `orig` holds.
  const a = report(
    [
      cell('orig', 'm1', 'c1', true, { latencyMs: 100 }),
      cell('orig', 'm1', 'c2', true, { latencyMs: 300 }),
      cell('short', 'm1', 'c1', true, { costUsd: 0.001, listCostUsd: 0.001 }),
      cell('short', 'm1', 'c2', true, { costUsd: 0.001, listCostUsd: 0.001 }),
      cell('short', 'm1', 'c3', false, { costUsd: 0.001, listCostUsd: 0.001 }),
      cell('short', 'm1', 'c4', true),
      cell('gone', 'm1', 'c1', true),
    ],
    'run-a',
  );
  const b = report(
    [
      cell('orig', 'm1', 'c1', true, { latencyMs: 200 }),
      cell('orig', 'm1', 'c2', true, { latencyMs: 400 }),
      cell('short', 'm1', 'c1', true, { costUsd: 0.0005, listCostUsd: 0.0005 }),
      cell('short', 'm1', 'c2', false, { costUsd: 0.0005, listCostUsd: 0.0005 }),
      cell('short', 'm1', 'c3', true, { costUsd: 0.0005, listCostUsd: 0.0005 }),
      cell('short', 'm1', 'c4', 'error'),
      cell('new', 'm2', 'c1', false),
    ],
    'run-bb',
  );
  const cmp = compareReports(a, b);

  it('puts every variant × model of either side in a row: a order first, then the new ones', () => {
    expect(cmp.rows.map((r) => [r.variant, r.model, r.presence])).toEqual([
      ['orig', 'm1', 'both'],
      ['short', 'm1', 'both'],
      ['gone', 'm1', 'a'],
      ['new', 'm2', 'b'],
    ]);
    expect(cmp.onlyInA).toEqual([{ variant: 'gone', model: 'm1' }]);
    expect(cmp.onlyInB).toEqual([{ variant: 'new', model: 'm2' }]);
    expect(cmp.runs.a).toEqual({ runId: 'run-a', createdAt: '2025-01-05T00:00:00Z', file: 'x.bench.yaml' });
    expect(cmp.runs.b.runId).toBe('run-bb');
  });

  it('gives pass rate, score, cost and latency of both sides with the differences', () => {
    const short = cmp.rows.find((r) => r.variant === 'short')!;
    // a: 3 of 4 pass; b: c4 errored, so 2 of 3 scored pass
    expect(short.passRateA).toBe(0.75);
    expect(short.passRateB).toBeCloseTo(2 / 3);
    expect(short.passRateDeltaPts).toBeCloseTo((2 / 3 - 0.75) * 100);
    expect(short.nA).toBe(4);
    expect(short.nB).toBe(3);
    expect(short.meanScoreA).toBeCloseTo((1 + 1 + 0.25 + 1) / 4);
    expect(short.meanScoreB).toBeCloseTo((1 + 0.25 + 1) / 3);
    // a: (0.001 × 3 + 0.002) / 4 cases; b: 0.0005 × 3 / 3 cases (c4 errored: no answer, no cost)
    expect(short.costPerCaseA).toBeCloseTo(0.00125);
    expect(short.costPerCaseB).toBeCloseTo(0.0005);
    expect(short.costDeltaPct).toBeCloseTo(-60);

    const orig = cmp.rows.find((r) => r.variant === 'orig')!;
    expect(orig.passRateDeltaPts).toBe(0);
    expect(orig.costDeltaPct).toBe(0);
    expect([orig.latencyP50A, orig.latencyP50B]).toEqual([200, 300]);
  });

  it('leaves the missing side null', () => {
    const gone = cmp.rows.find((r) => r.variant === 'gone')!;
    expect(gone).toMatchObject({ passRateA: 1, passRateB: null, passRateDeltaPts: null, costDeltaPct: null });
    expect(gone.meanScoreB).toBeNull();
    expect(gone.latencyP50B).toBeNull();
    const fresh = cmp.rows.find((r) => r.variant === 'new')!;
    expect(fresh).toMatchObject({ passRateA: null, passRateB: 0, nA: null, nB: 1, costPerCaseA: null });
  });

  it('lists regressions and fixes by cell, and ignores cells that errored or exist on one side only', () => {
    expect(cmp.regressions).toEqual([
      {
        cellId: 'short/m1/c2#1',
        variant: 'short',
        model: 'm1',
        caseId: 'c2',
        repeat: 1,
        scoreA: 1,
        scoreB: 0.25,
        reason: 'contains: no "yes" in c2',
        outputA: 'short says yes',
        outputB: 'short says no',
      },
    ]);
    expect(cmp.fixes.map((f) => [f.cellId, f.scoreA, f.scoreB, f.reason])).toEqual([
      ['short/m1/c3#1', 0.25, 1, 'contains: no "yes" in c3'],
    ]);
    // orig c1, c2 and short c1..c3 are scored on both sides; short c4 errored in b, gone and new are one-sided
    expect(cmp.comparedCells).toBe(5);
  });

  it('compares a report with itself as no change', () => {
    const same = compareReports(a, a);
    expect(same.regressions).toEqual([]);
    expect(same.fixes).toEqual([]);
    expect(same.onlyInA).toEqual([]);
    expect(same.rows.every((r) => r.presence === 'both' && r.passRateDeltaPts === 0)).toBe(true);
  });

  it('has no cost change when the before side cost nothing', () => {
    const free = report([cell('v', 'm', 'c', true, { costUsd: 0, listCostUsd: 0 })]);
    const paid = report([cell('v', 'm', 'c', true)]);
    expect(compareReports(free, paid).rows[0]!.costDeltaPct).toBeNull();
  });

  it('takes the shared BenchReport as it is (checked by the compiler)', () => {
    const asComparable = (r: BenchReport): ComparableReport => r;
    expect(asComparable).toBeTypeOf('function');
  });
});
