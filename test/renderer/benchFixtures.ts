/**
 * A small fake of the bench and golden routes for the renderer tests: one config over a three-case golden
 * set, two variants × two models, reports built by the real aggregation in core/bench. The answers are
 * made up here (no model is involved); they only give the report something to show.
 */
import { aggregate, cheapestPassing, variantDeltas, type CellResult } from '../../src/core/bench';
import type { GoldenSet } from '../../src/core/golden';
import type {
  BenchCellDetail,
  BenchEstimateResult,
  BenchReport,
  BenchRunSummary,
} from '../../src/shared/bench';
import type { RouteInput } from '../../src/shared/contract';
import { FakeRouteError, type FakeTransport } from '../../src/renderer/src/transport/fakeTransport';

export const ROOT = '/home/me/prompts';
export const CONFIG = 'benchmarks/intent.bench.yaml';
export const GOLDEN = 'golden/intent.csv';

export const CASES = [
  { id: 'case-1', text: 'How do I locate my card?', label: 'card_arrival' },
  { id: 'case-2', text: 'Do you accept checks?', label: 'top_up_by_cash_or_cheque' },
  { id: 'case-3', text: 'Tell me how to reset the passcode.', label: 'passcode_forgotten' },
];

export function goldenSet(file = GOLDEN): GoldenSet {
  return {
    defaultTest: { vars: {}, assert: [{ type: 'equals', weight: 1, options: {} }] },
    cases: CASES.map((c, i) => ({
      id: c.id,
      vars: { text: c.text },
      expected: c.label,
      assert: [],
      line: i + 2,
    })),
    source: { file, format: 'csv' },
    warnings: [],
  };
}

export function estimateResult(
  overrides: { budgetUsd?: number | null; usd?: number } = {},
): BenchEstimateResult {
  const usd = overrides.usd ?? 0.0142;
  const budgetUsd = overrides.budgetUsd === undefined ? 1 : overrides.budgetUsd;
  return {
    config: {
      file: `${ROOT}/${CONFIG}`,
      golden: { file: '../golden/intent.csv', cases: 3, format: 'csv' },
      variants: ['original', 'compressed'],
      models: ['claude-haiku-4-5', 'gpt-4o-mini'],
      repeats: 1,
      maxTokens: 20,
      temperature: 0,
      concurrency: 4,
      budgetUsd,
      baseline: 'original',
    },
    estimate: {
      cells: 12,
      inputTokens: 3000,
      outputTokens: 240,
      usd,
      perModel: [
        {
          model: 'claude-haiku-4-5',
          cells: 6,
          inputTokens: 1500,
          outputTokens: 120,
          usd: usd * 0.8,
          inputMethod: 'o200k_base (estimate)',
        },
        {
          model: 'gpt-4o-mini',
          cells: 6,
          inputTokens: 1500,
          outputTokens: 120,
          usd: usd * 0.2,
          inputMethod: 'o200k_base (exact)',
        },
      ],
      method: 'input counted per model, output at maxTokens=20 per cell (worst case)',
    },
    withinBudget: budgetUsd === null ? null : usd <= budgetUsd,
  };
}

const cellId = (variant: string, model: string, caseId: string) => `${variant}/${model}/${caseId}#1`;

/** Every cell of a run: all right, except case-2 on compressed × gpt-4o-mini. */
export function cells(): CellResult[] {
  const out: CellResult[] = [];
  for (const variant of ['original', 'compressed'])
    for (const model of ['claude-haiku-4-5', 'gpt-4o-mini'])
      for (const c of CASES) {
        const wrong = variant === 'compressed' && model === 'gpt-4o-mini' && c.id === 'case-2';
        const output = wrong ? 'top_up_by_card' : c.label;
        const cost = (model === 'gpt-4o-mini' ? 0.0001 : 0.001) * (variant === 'compressed' ? 0.7 : 1);
        out.push({
          cellId: cellId(variant, model, c.id),
          variant,
          model,
          caseId: c.id,
          repeat: 1,
          status: 'ok',
          output,
          score: {
            score: wrong ? 0 : 1,
            pass: !wrong,
            reason: wrong ? `expected "${c.label}", got "${output}"` : 'equal',
            results: [
              {
                type: 'equals',
                weight: 1,
                score: wrong ? 0 : 1,
                pass: !wrong,
                reason: wrong ? `expected "${c.label}", got "${output}"` : 'equal',
              },
            ],
            judgeCostUsd: 0,
          },
          usage: { inputTokens: 400, outputTokens: 4 },
          costUsd: cost,
          listCostUsd: cost,
          cached: false,
          latencyMs: 120,
        });
      }
  return out;
}

/**
 * A long run for the per-case table: `cases` cases (`c1`…) × 2 variants × 2 models, so 5,000 cases are
 * 20,000 cells. Every `failEvery`-th case fails on compressed × gpt-4o-mini; the rest pass.
 */
export function manyCells(cases: number, failEvery = 7): CellResult[] {
  const out: CellResult[] = [];
  for (const variant of ['original', 'compressed'])
    for (const model of ['claude-haiku-4-5', 'gpt-4o-mini'])
      for (let i = 1; i <= cases; i++) {
        const wrong = variant === 'compressed' && model === 'gpt-4o-mini' && i % failEvery === 0;
        out.push({
          cellId: cellId(variant, model, `c${i}`),
          variant,
          model,
          caseId: `c${i}`,
          repeat: 1,
          status: 'ok',
          output: wrong ? 'wrong_label' : `label_${i % 77}`,
          score: {
            score: wrong ? 0 : 1,
            pass: !wrong,
            reason: wrong ? 'expected another label' : 'equal',
            results: [],
            judgeCostUsd: 0,
          },
          usage: { inputTokens: 40, outputTokens: 4 },
          costUsd: 0.0001,
          listCostUsd: 0.0001,
          cached: false,
          latencyMs: 1,
        });
      }
  return out;
}

export function report(runId: string, list: CellResult[] = cells()): BenchReport {
  const groups = aggregate(list);
  return {
    runId,
    createdAt: '2025-11-20T10:00:00.000Z',
    config: estimateResult().config,
    status: 'completed',
    estimate: estimateResult().estimate,
    spentUsd: list.reduce((a, c) => a + c.costUsd, 0),
    providerCalls: list.length,
    cachedCells: 0,
    groups,
    deltas: variantDeltas(groups, { baseline: 'original', tolerancePts: 2 }),
    tolerancePts: 2,
    cheapest: cheapestPassing(groups, { minPassRate: 0.95 }),
    cheapestAt: 0.95,
    thresholds: { minPassRate: null, maxQualityDrop: null, passed: true, failures: [] },
    cells: list,
  };
}

export function runSummary(runId: string, patch: Partial<BenchRunSummary> = {}): BenchRunSummary {
  return {
    runId,
    createdAt: '2025-11-20T10:00:00.000Z',
    file: `${ROOT}/${CONFIG}`,
    status: 'completed',
    total: 12,
    done: 12,
    spentUsd: 0.004,
    variants: ['original', 'compressed'],
    models: ['claude-haiku-4-5', 'gpt-4o-mini'],
    passRate: 11 / 12,
    batch: false,
    ...patch,
  };
}

export interface BenchFake {
  runs: BenchRunSummary[];
  estimate: BenchEstimateResult;
  goldenFiles: Map<string, GoldenSet>;
  saved: Array<RouteInput<'golden.save'>>;
  exported: Array<RouteInput<'bench.export'>>;
  /** What bench.start answers before it resolves (tests emit events meanwhile). */
  startGate: Promise<void> | null;
}

/** Adds the bench and golden routes to a fake transport. */
export function addBenchRoutes(transport: FakeTransport, init: Partial<BenchFake> = {}): BenchFake {
  const fake: BenchFake = {
    runs: init.runs ?? [],
    estimate: init.estimate ?? estimateResult(),
    goldenFiles: init.goldenFiles ?? new Map([[GOLDEN, goldenSet()]]),
    saved: [],
    exported: [],
    startGate: init.startGate ?? null,
  };
  let seq = 0;
  transport.handle({
    'bench.listFiles': () => ({ configs: [CONFIG], goldenSets: [...fake.goldenFiles.keys()] }),
    'bench.estimate': () => fake.estimate,
    'bench.start': async () => {
      if (fake.estimate.withinBudget === false)
        throw new FakeRouteError('BUDGET_EXCEEDED', 'The worst case is above the budget.');
      const runId = `run-${++seq}`;
      fake.runs.unshift(runSummary(runId, { status: 'running', done: 0, spentUsd: 0, passRate: null }));
      if (fake.startGate) await fake.startGate;
      return { runId, total: 12, estimate: fake.estimate.estimate };
    },
    'bench.resume': ({ runId }) => {
      const run = fake.runs.find((r) => r.runId === runId);
      if (!run) throw new FakeRouteError('NOT_FOUND', `No run ${runId}.`);
      run.status = 'running';
      return { runId, total: 12, estimate: fake.estimate.estimate };
    },
    'bench.cancel': () => ({ cancelled: true }),
    'bench.runs': () => ({ runs: structuredClone(fake.runs) }),
    'bench.report': ({ runId }) => {
      if (!fake.runs.some((r) => r.runId === runId))
        throw new FakeRouteError('NOT_FOUND', `No run ${runId}.`);
      return report(runId);
    },
    'bench.cell': ({ runId, cellId: id }): BenchCellDetail => {
      const list = report(runId).cells;
      const cell = list.find((c) => c.cellId === id);
      if (!cell) throw new FakeRouteError('NOT_FOUND', `No cell ${id}.`);
      const c = CASES.find((x) => x.id === cell.caseId)!;
      const baseline =
        cell.variant === 'original'
          ? undefined
          : list.find((x) => x.variant === 'original' && x.model === cell.model && x.caseId === cell.caseId);
      return {
        runId,
        cell,
        request: {
          provider: cell.model.startsWith('gpt') ? 'openai' : 'anthropic',
          model: cell.model,
          system: 'You classify banking messages.',
          messages: [{ role: 'user', content: `Message: ${c.text}` }],
          maxTokens: 20,
          temperature: 0,
        },
        vars: { text: c.text },
        expected: c.label,
        ...(baseline ? { baseline } : {}),
      };
    },
    'bench.compare': ({ a, b }) => ({
      a: { runId: a, file: CONFIG },
      b: { runId: b, file: CONFIG },
      rows: [
        {
          variant: 'compressed',
          model: 'gpt-4o-mini',
          presence: 'both',
          passRateA: 1,
          passRateB: 2 / 3,
          passRateDeltaPts: -33.3,
          costPerCaseA: 0.0001,
          costPerCaseB: 0.00007,
          costDeltaPct: -30,
        },
      ],
      regressions: [
        {
          cellId: 'compressed/gpt-4o-mini/case-2#1',
          variant: 'compressed',
          model: 'gpt-4o-mini',
          caseId: 'case-2',
          reason: 'expected "top_up_by_cash_or_cheque", got "top_up_by_card"',
        },
      ],
      fixes: [],
      comparedCells: 12,
    }),
    'bench.export': (input) => {
      if (!input.overwrite && fake.exported.some((e) => e.path === input.path))
        throw new FakeRouteError('FILE_EXISTS', `${input.path} already exists.`);
      fake.exported.push(input);
      return { path: input.path };
    },
    'golden.load': ({ path }) => {
      const set = fake.goldenFiles.get(path);
      if (!set) throw new FakeRouteError('FILE_NOT_FOUND', `${path} does not exist.`, { path });
      return { path, set: structuredClone(set) };
    },
    'golden.save': (input) => {
      if (!input.overwrite && fake.goldenFiles.has(input.path))
        throw new FakeRouteError('FILE_EXISTS', `${input.path} already exists.`);
      fake.saved.push(structuredClone(input));
      fake.goldenFiles.set(input.path, structuredClone(input.set));
      return { path: input.path };
    },
  });
  return fake;
}
