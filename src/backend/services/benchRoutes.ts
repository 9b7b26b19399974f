import {
  cheapestPassing,
  estimateRun,
  expandMatrix,
  variantDeltas,
  type BenchConfig,
  type InputCounter,
  type RunEstimate,
} from '../../core/bench';
import { AppError } from '../../core/errors';
import type { Catalog } from '../../core/pricing/catalog';
import type { Tokenizer } from '../../core/tokens/tokenizer';
import type {
  BenchEstimateSummary,
  BenchReport,
  BenchRequest,
  BenchThresholdFailure,
} from '../../shared/bench';
import type { ProviderRegistry } from '../providers/registry';
import { loadBenchConfig, type LoadedBench } from './benchConfig';
import { createBenchRunner, createMemoryResponseCache } from './benchRunner';

export interface BenchRouteDeps {
  providers: ProviderRegistry;
  getCatalog: () => Promise<Catalog>;
  tokenizer: Tokenizer;
}

/**
 * Counts a prompt with the model's own encoding (the bundled exact tokenizer; models whose encoding is an
 * estimate say so), o200k_base for a model the catalog does not list.
 */
export function tokenizerCounter(tokenizer: Tokenizer): InputCounter {
  return {
    count: (ref, p) =>
      tokenizer.count(
        [p.system ?? '', ...p.messages.map((m) => m.content)].join('\n'),
        ref.entry?.countWith ?? 'o200k_base',
      ),
    method: (ref) =>
      ref.entry
        ? `${ref.entry.countWith} (${ref.entry.tokenCountMethod})`
        : 'o200k_base (estimate: not in the catalog)',
  };
}

const summarize = (e: RunEstimate): BenchEstimateSummary => ({
  cells: e.cells,
  inputTokens: e.inputTokens,
  outputTokens: e.outputTokens,
  usd: e.usd,
  perModel: e.perModel,
  method: e.method,
});

function withBudget(loaded: LoadedBench): BenchConfig {
  if (loaded.config.budgetUsd === null)
    throw new AppError(
      'INVALID_INPUT',
      `${loaded.summary.file}: budget: a run needs a budget cap in USD (set budget: in the config or pass --budget).`,
      { file: loaded.summary.file, field: 'budget' },
    );
  return { ...loaded.config, budgetUsd: loaded.config.budgetUsd };
}

/** The bench.estimate and bench.run handlers. */
export function benchHandlers(deps: BenchRouteDeps) {
  const counter = tokenizerCounter(deps.tokenizer);
  // one response cache per backend: a re-run of unchanged cells in the same session costs nothing
  const cache = createMemoryResponseCache();

  return {
    'bench.estimate': async (input: BenchRequest) => {
      const loaded = await loadBenchConfig(input);
      const catalog = await deps.getCatalog();
      const config = { ...loaded.config, budgetUsd: loaded.config.budgetUsd ?? 0 };
      const estimate = estimateRun(expandMatrix(config, catalog), config.maxTokens, counter);
      return {
        config: loaded.summary,
        estimate: summarize(estimate),
        withinBudget: loaded.config.budgetUsd === null ? null : estimate.usd <= loaded.config.budgetUsd,
      };
    },
    'bench.run': async (input: BenchRequest): Promise<BenchReport> => {
      const loaded = await loadBenchConfig(input);
      const config = withBudget(loaded);
      const catalog = await deps.getCatalog();
      const r = await createBenchRunner({ providers: deps.providers, catalog, counter, cache }).run(config);
      const baseline = loaded.summary.baseline;
      const tolerancePts = (input.maxQualityDrop ?? 0.02) * 100;
      const deltas = variantDeltas(r.groups, { baseline, tolerancePts });
      const cheapestAt = input.minPassRate ?? 0.95;
      const failures: BenchThresholdFailure[] = [];
      if (input.minPassRate !== undefined)
        for (const g of r.groups)
          if (g.n === 0 || g.passRate < input.minPassRate)
            failures.push({
              kind: 'minPassRate',
              variant: g.variant,
              model: g.model,
              message: `${g.variant} × ${g.model}: pass rate ${(g.passRate * 100).toFixed(1)}% (${g.passes}/${g.n}) is below ${(input.minPassRate * 100).toFixed(1)}%`,
            });
      if (input.maxQualityDrop !== undefined)
        for (const d of deltas)
          if (d.verdict === 'dropped')
            failures.push({
              kind: 'maxQualityDrop',
              variant: d.variant,
              model: d.model,
              message: `${d.variant} vs ${d.baseline} on ${d.model}: ${d.summary}`,
            });
      return {
        config: loaded.summary,
        status: r.status,
        estimate: summarize(r.estimate),
        spentUsd: r.spentUsd,
        providerCalls: r.providerCalls,
        cachedCells: r.cachedCells,
        groups: r.groups,
        deltas,
        tolerancePts,
        cheapest: cheapestPassing(r.groups, { minPassRate: cheapestAt }),
        cheapestAt,
        thresholds: {
          minPassRate: input.minPassRate ?? null,
          maxQualityDrop: input.maxQualityDrop ?? null,
          passed: failures.length === 0,
          failures,
        },
        cells: r.cells,
      };
    },
  };
}
