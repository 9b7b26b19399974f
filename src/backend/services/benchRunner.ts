import { createHash } from 'node:crypto';
import { isAppError, type AppError } from '../../core/errors';
import { caseAssertions, caseContext, caseThreshold, type GoldenCase } from '../../core/golden';
import type { Catalog } from '../../core/pricing/catalog';
import type { LlmUsage } from '../../core/providers/modelRef';
import type { CompletionRequest } from '../../core/providers/types';
import { scoreCase } from '../../core/scorers/run';
import type { EmbedPort, JudgePort } from '../../core/scorers/types';
import {
  aggregate,
  assertWithinBudget,
  createBudgetGuard,
  estimateRun,
  expandMatrix,
  type BenchCell,
  type BenchConfig,
  type CellResult,
  type GroupReport,
  type InputCounter,
  type RunEstimate,
} from '../../core/bench';
import type { ProviderRegistry } from '../providers/registry';

/** A provider answer kept by the response cache. */
export interface CachedAnswer {
  text: string;
  usage: LlmUsage;
  costUsd: number | null;
  latencyMs: number;
}

/** The response cache: in memory here; the database-backed one takes the same shape. */
export interface ResponseCache {
  get(key: string): CachedAnswer | undefined;
  set(key: string, answer: CachedAnswer): void;
  readonly size: number;
}

/** An in-memory response cache. */
export function createMemoryResponseCache(): ResponseCache {
  const map = new Map<string, CachedAnswer>();
  return {
    get: (k) => map.get(k),
    set: (k, v) => void map.set(k, v),
    get size() {
      return map.size;
    },
  };
}

/**
 * The cache key of a request: sha256 over the provider, model, system prompt, messages and parameters. The
 * repeat number is part of it: repeats exist to sample a model several times, and one cached answer for all
 * of them would hide the variance they measure.
 */
export function requestKey(provider: string, request: CompletionRequest, repeat: number): string {
  const material = JSON.stringify([
    provider,
    request.model,
    request.system ?? null,
    request.messages,
    request.maxTokens,
    request.temperature ?? null,
    repeat,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/** A progress event, sent after every finished cell. */
export interface BenchProgress {
  done: number;
  total: number;
  cached: number;
  /** Spend so far in USD (settled calls and judge calls). */
  spentUsd: number;
  /** Remaining time at the pace so far, in ms; null before the first cell ends. */
  etaMs: number | null;
}

export interface BenchRunResult {
  /** completed: every cell ran (some may have errored); budget: stopped before exceeding the cap. */
  status: 'completed' | 'budget-stopped' | 'cancelled';
  /** The worst-case estimate of the cells that were not cached. */
  estimate: RunEstimate;
  cells: CellResult[];
  groups: GroupReport[];
  spentUsd: number;
  /** Provider calls made by this run. */
  providerCalls: number;
  /** Cells answered from the cache, and what their original calls had cost. */
  cachedCells: number;
  cachedListCostUsd: number;
}

export interface BenchRunnerDeps {
  providers: ProviderRegistry;
  catalog: Catalog;
  counter: InputCounter;
  cache?: ResponseCache;
  judge?: JudgePort;
  embed?: EmbedPort;
  now?: () => number;
}

export interface BenchRunOptions {
  onProgress?: (p: BenchProgress) => void;
  signal?: AbortSignal;
}

const toRequest = (cell: BenchCell, config: BenchConfig, signal?: AbortSignal): CompletionRequest => ({
  model: cell.ref.model,
  ...(cell.prompt.system !== undefined ? { system: cell.prompt.system } : {}),
  messages: cell.prompt.messages.map((m) => ({
    role: m.role === 'assistant' ? 'assistant' : 'user',
    content: m.content,
  })),
  maxTokens: config.maxTokens,
  ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
  ...(signal ? { signal } : {}),
  purpose: `Benchmark cell ${cell.id}`,
});

/**
 * Runs benchmarks through the provider registry: expands the matrix, refuses above the budget, answers
 * unchanged cells from the response cache, sends the rest `concurrency` at a time while keeping the spend
 * under the cap, scores every answer and aggregates the report.
 */
export function createBenchRunner(deps: BenchRunnerDeps) {
  const cache = deps.cache ?? createMemoryResponseCache();
  const now = deps.now ?? (() => Date.now());

  async function run(config: BenchConfig, options: BenchRunOptions = {}): Promise<BenchRunResult> {
    const cells = expandMatrix(config, deps.catalog);
    const cases = new Map<string, GoldenCase>(config.golden.cases.map((c) => [c.id, c]));
    const requests = cells.map((c) => toRequest(c, config));
    const keys = cells.map((c, i) => requestKey(c.ref.provider, requests[i]!, c.repeat));
    const fresh = cells.filter((_, i) => !cache.get(keys[i]!));
    const estimate = estimateRun(fresh, config.maxTokens, deps.counter);
    assertWithinBudget(estimate, config.budgetUsd);
    for (const p of new Set(fresh.map((c) => c.ref.provider))) deps.providers.get(p);

    const guard = createBudgetGuard(config.budgetUsd);
    const results: CellResult[] = new Array<CellResult>(cells.length);
    const started = now();
    let next = 0;
    let done = 0;
    let cachedCells = 0;
    let cachedListCostUsd = 0;
    let providerCalls = 0;
    let stop: 'budget-stopped' | 'cancelled' | null = null;
    let waiters: (() => void)[] = [];
    const wake = () => {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    };
    const signal = options.signal;
    const onAbort = () => {
      stop ??= 'cancelled';
      wake();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const progress = () => {
      done++;
      const elapsed = now() - started;
      options.onProgress?.({
        done,
        total: cells.length,
        cached: cachedCells,
        spentUsd: guard.spentUsd,
        etaMs: done === 0 ? null : (elapsed / done) * (cells.length - done),
      });
    };

    const base = (cell: BenchCell) => ({
      cellId: cell.id,
      variant: cell.variant,
      model: cell.model,
      caseId: cell.caseId,
      repeat: cell.repeat,
    });

    async function score(cell: BenchCell, answer: CachedAnswer) {
      const c = cases.get(cell.caseId)!;
      return scoreCase(
        caseAssertions(config.golden, c),
        answer.text,
        {
          ...caseContext(config.golden, c),
          metadata: {
            latencyMs: answer.latencyMs,
            ...(answer.costUsd !== null ? { costUsd: answer.costUsd } : {}),
          },
          ...(deps.judge ? { judge: deps.judge } : {}),
          ...(deps.embed ? { embed: deps.embed } : {}),
        },
        caseThreshold(config.golden, c),
      );
    }

    async function runCell(i: number): Promise<void> {
      const cell = cells[i]!;
      const key = keys[i]!;
      const hit = cache.get(key);
      if (hit) {
        const s = await score(cell, hit);
        guard.charge(s.judgeCostUsd);
        cachedCells++;
        cachedListCostUsd += hit.costUsd ?? 0;
        results[i] = {
          ...base(cell),
          status: 'ok',
          output: hit.text,
          score: s,
          usage: hit.usage,
          costUsd: s.judgeCostUsd,
          listCostUsd: (hit.costUsd ?? 0) + s.judgeCostUsd,
          cached: true,
          latencyMs: hit.latencyMs,
        };
        return;
      }
      const worst = estimate.perCell.get(cell.id)!;
      // wait for in-flight cells to settle below their reservations before giving up on the budget
      while (!stop && !guard.reserve(cell.id, worst)) {
        if (guard.open === 0) stop = 'budget-stopped';
        else await new Promise<void>((r) => waiters.push(r));
      }
      if (stop) {
        results[i] = {
          ...base(cell),
          status: 'skipped',
          skipReason: stop === 'cancelled' ? 'cancelled' : 'budget',
          costUsd: 0,
          cached: false,
        };
        return;
      }
      try {
        providerCalls++;
        const completion = await deps.providers
          .get(cell.ref.provider)
          .complete(toRequest(cell, config, signal));
        const costUsd = completion.cost.usd ?? worst;
        guard.settle(cell.id, costUsd);
        wake();
        const answer: CachedAnswer = {
          text: completion.text,
          usage: completion.usage,
          costUsd: completion.cost.usd,
          latencyMs: completion.latency.totalMs,
        };
        cache.set(key, answer);
        const s = await score(cell, answer);
        guard.charge(s.judgeCostUsd);
        results[i] = {
          ...base(cell),
          status: 'ok',
          output: answer.text,
          score: s,
          usage: answer.usage,
          costUsd: costUsd + s.judgeCostUsd,
          listCostUsd: costUsd + s.judgeCostUsd,
          cached: false,
          latencyMs: answer.latencyMs,
        };
      } catch (err) {
        guard.settle(cell.id, 0);
        wake();
        const code = isAppError(err) ? err.code : 'INTERNAL';
        if (code === 'PROVIDER_CANCELLED' || signal?.aborted) {
          results[i] = {
            ...base(cell),
            status: 'skipped',
            skipReason: 'cancelled',
            costUsd: 0,
            cached: false,
          };
          return;
        }
        results[i] = {
          ...base(cell),
          status: 'error',
          costUsd: 0,
          cached: false,
          error: { code, message: err instanceof Error ? err.message : String(err) },
        };
      }
    }

    async function worker(): Promise<void> {
      while (next < cells.length) {
        const i = next++;
        await runCell(i);
        progress();
      }
    }

    try {
      if (signal?.aborted) stop = 'cancelled';
      await Promise.all(Array.from({ length: Math.min(config.concurrency, cells.length) }, worker));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return {
      status: stop ?? 'completed',
      estimate,
      cells: results,
      groups: aggregate(results),
      spentUsd: guard.spentUsd,
      providerCalls,
      cachedCells,
      cachedListCostUsd,
    };
  }

  return { run, cache };
}

/** The runner createBenchRunner returns. */
export type BenchRunner = ReturnType<typeof createBenchRunner>;

/** BUDGET_EXCEEDED, re-exported for hosts that map it to an exit code. */
export const isBudgetExceeded = (err: unknown): err is AppError =>
  isAppError(err) && err.code === 'BUDGET_EXCEEDED';
