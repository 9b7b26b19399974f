import { describe, expect, it } from 'vitest';
import {
  aggregate,
  assertWithinBudget,
  cheapestPassing,
  createBudgetGuard,
  estimateRun,
  expandMatrix,
  paretoFront,
  percentile,
  variantDeltas,
  wilsonInterval,
  type BenchConfig,
  type CellResult,
  type GroupReport,
  type InputCounter,
} from '../../../src/core/bench';
import { isAppError } from '../../../src/core/errors';
import type { GoldenSet } from '../../../src/core/golden';
import type { Catalog, ModelEntry } from '../../../src/core/pricing/catalog';

const entry = (id: string, provider: string, input: number, output: number): ModelEntry => ({
  id,
  provider,
  label: id,
  tokenizer: 'o200k_base',
  countWith: 'o200k_base',
  tokenCountMethod: 'exact',
  inputPerMTok: input,
  outputPerMTok: output,
  caching: 'none',
  contextWindow: 128_000,
  source: 'https://example.com/pricing',
  asOf: '2025-01-01',
});
const catalog: Catalog = {
  version: 1,
  models: [entry('cheap', 'openai', 1, 2), entry('dear', 'anthropic', 10, 20)],
};

const golden: GoldenSet = {
  defaultTest: { vars: {}, assert: [{ type: 'equals', weight: 1, options: {} }] },
  cases: [
    { id: 'a', vars: { q: 'one' }, expected: 'ONE', assert: [] },
    { id: 'b', vars: { q: 'two' }, expected: 'TWO', assert: [] },
    { id: 'c', vars: { q: 'three' }, expected: 'THREE', assert: [] },
  ],
  source: { file: 'set.yaml', format: 'golden' },
  warnings: [],
};

const config = (extra: Partial<BenchConfig> = {}): BenchConfig => ({
  golden,
  variants: [
    { name: 'original', template: 'Please answer in capitals: {{q}}' },
    { name: 'short', template: 'CAPS: {{q}}' },
  ],
  models: ['cheap', 'anthropic:dear'],
  repeats: 2,
  maxTokens: 100,
  concurrency: 4,
  budgetUsd: 1,
  ...extra,
});

/** One token per character: simple enough to check the arithmetic by hand. */
const counter: InputCounter = {
  count: (_ref, p) => (p.system ?? '').length + p.messages.reduce((a, m) => a + m.content.length, 0),
  method: () => 'characters (test)',
};

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError';
  }
  return 'no error';
};

describe('matrix expansion', () => {
  it('expands variants × models × cases × repeats into cells with stable, unique ids', () => {
    const cells = expandMatrix(config(), catalog);
    expect(cells).toHaveLength(2 * 2 * 3 * 2);
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
    expect(cells[0]).toMatchObject({
      id: 'original/cheap/a#1',
      variant: 'original',
      model: 'cheap',
      caseId: 'a',
      repeat: 1,
      ref: { provider: 'openai', model: 'cheap' },
      prompt: { messages: [{ role: 'user', content: 'Please answer in capitals: one' }] },
    });
    expect(cells.find((c) => c.id === 'short/anthropic%3Adear/c#2')!.prompt.messages[0]!.content).toBe(
      'CAPS: three',
    );
    expect(expandMatrix(config(), catalog).map((c) => c.id)).toEqual(cells.map((c) => c.id));
  });

  it('refuses bad configs with coded errors before anything is sent', () => {
    expect(code(() => expandMatrix(config({ variants: [] }), catalog))).toBe('INVALID_INPUT');
    expect(code(() => expandMatrix(config({ repeats: 0 }), catalog))).toBe('INVALID_INPUT');
    expect(
      code(() =>
        expandMatrix(
          config({
            variants: [
              { name: 'x', template: 'a' },
              { name: 'x', template: 'b' },
            ],
          }),
          catalog,
        ),
      ),
    ).toBe('INVALID_INPUT');
    expect(code(() => expandMatrix(config({ models: ['nope'] }), catalog))).toBe('UNKNOWN_MODEL');
    expect(
      code(() => expandMatrix(config({ variants: [{ name: 'v', template: '{{missing}}' }] }), catalog)),
    ).toBe('INVALID_INPUT');
  });
});

describe('cost estimate and budget', () => {
  it('prices counted input plus maxTokens of output per cell with the catalog', () => {
    const cells = expandMatrix(config({ repeats: 1, variants: [{ name: 'v', template: '{{q}}' }] }), catalog);
    const e = estimateRun(cells, 100, counter);
    // inputs: one(3) two(3) three(5) = 11 tokens per model
    expect(e.inputTokens).toBe(22);
    expect(e.outputTokens).toBe(600);
    const cheap = (11 * 1 + 300 * 2) / 1e6;
    const dear = (11 * 10 + 300 * 20) / 1e6;
    expect(e.usd).toBeCloseTo(cheap + dear, 12);
    expect(e.perModel.map((m) => [m.model, m.cells, m.inputMethod])).toEqual([
      ['cheap', 3, 'characters (test)'],
      ['anthropic:dear', 3, 'characters (test)'],
    ]);
    expect(e.perCell.get('v/cheap/c#1')).toBeCloseTo((5 + 200) / 1e6, 12);
    expect(e.method).toMatch(/maxTokens=100/);
  });

  it('refuses an unpriced model (NO_PRICE) and an estimate above the cap (BUDGET_EXCEEDED)', () => {
    const cells = expandMatrix(config({ models: ['local:llama'] }), catalog);
    expect(code(() => estimateRun(cells, 100, counter))).toBe('NO_PRICE');
    const e = estimateRun(expandMatrix(config(), catalog), 100, counter);
    expect(() => assertWithinBudget(e, e.usd)).not.toThrow();
    expect(code(() => assertWithinBudget(e, e.usd * 0.99))).toBe('BUDGET_EXCEEDED');
  });

  it('the guard refuses a reservation that would exceed the cap and frees it on settlement', () => {
    const g = createBudgetGuard(1);
    expect(g.reserve('a', 0.6)).toBe(true);
    expect(g.reserve('b', 0.5)).toBe(false);
    expect(g.reservedUsd).toBeCloseTo(0.6);
    g.settle('a', 0.2);
    expect(g.spentUsd).toBeCloseTo(0.2);
    expect(g.reserve('b', 0.5)).toBe(true);
    expect(g.reserve('c', 0.3)).toBe(true);
    expect(g.reserve('d', 0.01)).toBe(false);
    g.settle('b', 0);
    g.settle('c', 0.3);
    expect(g.spentUsd).toBeCloseTo(0.5);
    expect(g.open).toBe(0);
    expect(() => g.settle('zz', 1)).toThrow();
  });
});

describe('statistics', () => {
  it('Wilson 95% interval matches published values and stays inside 0..1', () => {
    // 8 of 10: 0.4902 .. 0.9433 (Wilson 1927; as computed by statsmodels proportion_confint method="wilson")
    const i = wilsonInterval(8, 10);
    expect(i.low).toBeCloseTo(0.4902, 4);
    expect(i.high).toBeCloseTo(0.9433, 4);
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('percentiles interpolate between order statistics', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5, 1, 3], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBeCloseTo(9.55);
  });
});

const cell = (
  variant: string,
  model: string,
  caseId: string,
  pass: boolean,
  extra: Partial<CellResult> = {},
) =>
  ({
    cellId: `${variant}/${model}/${caseId}#1`,
    variant,
    model,
    caseId,
    repeat: 1,
    status: 'ok',
    output: 'x',
    score: {
      score: pass ? 1 : 0,
      pass,
      reason: '',
      judgeCostUsd: 0,
      results: [{ type: 'equals', weight: 1, score: pass ? 1 : 0, pass, reason: '' }],
    },
    usage: { inputTokens: 10, outputTokens: 2, cacheRead: 1 },
    costUsd: 0.01,
    cached: false,
    latencyMs: 100,
    ...extra,
  }) satisfies CellResult;

describe('report', () => {
  const results: CellResult[] = [
    cell('orig', 'm', 'a', true, { latencyMs: 100 }),
    cell('orig', 'm', 'b', true, { latencyMs: 200 }),
    cell('orig', 'm', 'c', true, { cached: true, costUsd: 0, listCostUsd: 0.01, latencyMs: 9999 }),
    cell('orig', 'm', 'd', false, { latencyMs: 300 }),
    cell('orig', 'm', 'e', false, { status: 'error', score: undefined, costUsd: 0, usage: undefined }),
    cell('short', 'm', 'a', true, { costUsd: 0.006 }),
    cell('short', 'm', 'b', true, { costUsd: 0.006 }),
    cell('short', 'm', 'c', false, { costUsd: 0.006 }),
    cell('short', 'm', 'd', false, { costUsd: 0.006 }),
  ];

  it('aggregates pass rate with its CI, assertion means, tokens, cost and latency per variant × model', () => {
    const [orig, short] = aggregate(results);
    expect(orig).toMatchObject({
      variant: 'orig',
      model: 'm',
      n: 4,
      passes: 3,
      passRate: 0.75,
      meanScore: 0.75,
      assertions: { equals: 0.75 },
      errors: 1,
      cached: 1,
      tokens: { input: 40, output: 8, cached: 4 },
      latencyP50Ms: 200,
    });
    expect(orig!.passRateCi).toEqual(wilsonInterval(3, 4));
    expect(orig!.spentUsd).toBeCloseTo(0.03);
    expect(orig!.listCostUsd).toBeCloseTo(0.04);
    expect(orig!.costPerCase).toBeCloseTo(0.01);
    expect(orig!.costPer1k).toBeCloseTo(10);
    expect(orig!.latencyP95Ms).toBeCloseTo(290);
    expect(short).toMatchObject({ n: 4, passRate: 0.5 });
    expect(short!.costPerCase).toBeCloseTo(0.006);
  });

  it('gives the compressed-vs-original delta and a verdict against the tolerance', () => {
    const groups = aggregate(results);
    const [d] = variantDeltas(groups, { baseline: 'orig', tolerancePts: 30 });
    expect(d).toMatchObject({ variant: 'short', baseline: 'orig', model: 'm', verdict: 'kept' });
    expect(d!.qualityDeltaPts).toBeCloseTo(-25);
    expect(d!.costDeltaPct).toBeCloseTo(-40);
    expect(d!.summary).toBe('quality kept: −25.0 pts, within 30 pts; cost −40%');
    const [strict] = variantDeltas(groups, { baseline: 'orig', tolerancePts: 2 });
    expect(strict!.verdict).toBe('dropped');
    expect(strict!.summary).toMatch(/^quality dropped: −25.0 pts, beyond 2 pts/);
  });

  const g = (variant: string, passRate: number, costPerCase: number | null, n = 100): GroupReport =>
    ({
      variant,
      model: 'm',
      n,
      passRate,
      meanScore: passRate,
      costPerCase,
      passRateCi: wilsonInterval(Math.round(passRate * n), n),
    }) as GroupReport;

  it('picks the cheapest variant × model that passes', () => {
    const gs = [g('a', 0.96, 0.01), g('b', 0.95, 0.004), g('c', 0.9, 0.001), g('d', 1, null)];
    expect(cheapestPassing(gs, { minPassRate: 0.95 })?.variant).toBe('b');
    expect(cheapestPassing(gs, { minPassRate: 0.99 })).toBeNull();
    // by the Wilson lower bound, 95/100 (0.888) no longer clears 0.9 but 96/100 (0.902) does
    expect(cheapestPassing(gs, { minPassRate: 0.9, conservative: true })?.variant).toBe('a');
  });

  it('marks the Pareto front of cost vs quality, cheapest first', () => {
    const gs = [
      g('a', 0.9, 0.01),
      g('b', 0.95, 0.02),
      g('c', 0.85, 0.03), // dominated by a
      g('d', 0.9, 0.015), // dominated by a (same quality, dearer)
      g('e', 0.7, 0.001),
      g('f', 1, null),
    ];
    expect(paretoFront(gs).map((x) => x.variant)).toEqual(['e', 'a', 'b']);
  });
});
