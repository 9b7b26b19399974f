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
import type { BatchHandle, BatchItemResult } from '../../core/providers/batch';
import { waitForBatch, type BatchClient, type BatchClock } from '../providers/batches';
import type { ProviderRegistry } from '../providers/registry';

/** A provider answer kept by the response cache. */
export interface CachedAnswer {
  text: string;
  usage: LlmUsage;
  costUsd: number | null;
  /** Null for a batch answer: the provider ran it some time within its window. */
  latencyMs: number | null;
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

/** A progress event, sent after every finished cell (and after each batch poll). */
export interface BenchProgress {
  done: number;
  total: number;
  cached: number;
  errors: number;
  /** Batch mode: what the batches are doing. */
  phase?: string;
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

/** A run ready to go: its estimate (within the budget) and the function that sends it. */
export interface PreparedRun {
  estimate: RunEstimate;
  total: number;
  execute(): Promise<BenchRunResult>;
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

/** The request of a cell as stored with it (no signal, no credentials). */
export interface SentRequest {
  provider: string;
  model: string;
  system?: string;
  messages: Array<{ role: string; content: string }>;
  maxTokens: number;
  temperature?: number;
}

/** A batch a run submitted, with the cells it carries (custom id → cell id), so polling can resume later. */
export interface RunBatch {
  handle: BatchHandle;
  cells: Array<[customId: string, cellId: string]>;
}

export interface BatchModeOptions {
  /** The batch client of a provider id. */
  client: (provider: string) => BatchClient;
  /** Batches submitted earlier (a resumed run): polled again, not re-submitted. */
  batches?: RunBatch[];
  /** Called after a submit and after every poll with every batch as last seen (to store them). */
  onBatches?: (batches: RunBatch[]) => void;
  /** Time between polls (default 30 s). */
  pollMs?: number;
  clock?: BatchClock;
}

export interface BenchRunOptions {
  onProgress?: (p: BenchProgress) => void;
  signal?: AbortSignal;
  /**
   * Cells a stored run finished before (a resume), by cell id with the request key they were sent with: one
   * whose key still matches is kept as it is and not sent again.
   */
  prior?: ReadonlyMap<string, { key: string; result: CellResult }>;
  /** What the run spent before (a resume): counted against the budget cap. */
  priorSpentUsd?: number;
  /** Called as each cell finishes (or is skipped), to store it: its position, result, request key and request. */
  onCell?: (seq: number, result: CellResult, key: string, request: SentRequest) => void;
  /** Send the cells through the providers' batch APIs (batch prices), polling until they end. */
  batch?: BatchModeOptions;
  /**
   * Asked when the signal aborts in batch mode: true leaves the batches running at the provider (the app is
   * closing; a later resume collects them), false cancels them there (the user stopped the run).
   */
  keepBatchesOnAbort?: () => boolean;
}

const sent = (cell: BenchCell, r: CompletionRequest): SentRequest => ({
  provider: cell.ref.provider,
  model: r.model,
  ...(r.system !== undefined ? { system: r.system } : {}),
  messages: r.messages.map((m) => ({ role: m.role, content: m.content })),
  maxTokens: r.maxTokens,
  ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
});

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

  /**
   * Everything before the first request: the matrix, the cells kept from a stored run, the cache lookups and
   * the estimate, refused above the budget (BUDGET_EXCEEDED) here, synchronously. `execute` then runs it.
   */
  function prepare(config: BenchConfig, options: BenchRunOptions = {}): PreparedRun {
    const cells = expandMatrix(config, deps.catalog);
    const cases = new Map<string, GoldenCase>(config.golden.cases.map((c) => [c.id, c]));
    const requests = cells.map((c) => toRequest(c, config));
    const keys = cells.map((c, i) => requestKey(c.ref.provider, requests[i]!, c.repeat));
    const kept = cells.map((c, i) => {
      const p = options.prior?.get(c.id);
      return p !== undefined && p.key === keys[i] && p.result.status === 'ok' ? p.result : undefined;
    });
    const fresh = cells.filter((_, i) => !kept[i] && !cache.get(keys[i]!));
    const batchMode = options.batch;
    const estimate = estimateRun(fresh, config.maxTokens, deps.counter, { batch: batchMode !== undefined });
    const priorSpent = options.priorSpentUsd ?? 0;
    assertWithinBudget(estimate, Math.max(0, config.budgetUsd - priorSpent));
    for (const p of new Set(fresh.map((c) => c.ref.provider))) deps.providers.get(p);

    return { estimate, total: cells.length, execute };

    async function execute(): Promise<BenchRunResult> {
      const guard = createBudgetGuard(config.budgetUsd, priorSpent);
      const results: CellResult[] = new Array<CellResult>(cells.length);
      const started = now();
      let done = 0;
      let doneHere = 0;
      let errors = 0;
      let cachedCells = 0;
      let cachedListCostUsd = 0;
      let providerCalls = 0;
      let phase: string | undefined;
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

      const report = () => {
        const elapsed = now() - started;
        options.onProgress?.({
          done,
          total: cells.length,
          cached: cachedCells,
          errors,
          spentUsd: guard.spentUsd,
          etaMs: doneHere === 0 ? null : (elapsed / doneHere) * (cells.length - done),
          ...(phase !== undefined ? { phase } : {}),
        });
      };
      /** Records a cell's end: stored, counted, reported. */
      const finish = (i: number, r: CellResult) => {
        results[i] = r;
        if (r.status === 'error') errors++;
        options.onCell?.(i, r, keys[i]!, sent(cells[i]!, requests[i]!));
        done++;
        doneHere++;
        report();
      };

      const base = (cell: BenchCell) => ({
        cellId: cell.id,
        variant: cell.variant,
        model: cell.model,
        caseId: cell.caseId,
        repeat: cell.repeat,
      });
      const skipped = (cell: BenchCell, why: 'budget' | 'cancelled'): CellResult => ({
        ...base(cell),
        status: 'skipped',
        skipReason: why,
        costUsd: 0,
        cached: false,
      });
      const failed = (cell: BenchCell, err: { code: string; message: string }): CellResult => ({
        ...base(cell),
        status: 'error',
        costUsd: 0,
        cached: false,
        error: err,
      });

      async function score(cell: BenchCell, answer: CachedAnswer) {
        const c = cases.get(cell.caseId)!;
        return scoreCase(
          caseAssertions(config.golden, c),
          answer.text,
          {
            ...caseContext(config.golden, c),
            metadata: {
              ...(answer.latencyMs !== null ? { latencyMs: answer.latencyMs } : {}),
              ...(answer.costUsd !== null ? { costUsd: answer.costUsd } : {}),
            },
            ...(deps.judge ? { judge: deps.judge } : {}),
            ...(deps.embed ? { embed: deps.embed } : {}),
          },
          caseThreshold(config.golden, c),
        );
      }

      /** The result of an answered cell: `paidUsd` is what this run paid for the answer (0 from the cache). */
      async function answered(cell: BenchCell, answer: CachedAnswer, paidUsd: number, cached: boolean) {
        const s = await score(cell, answer);
        guard.charge(s.judgeCostUsd);
        const listUsd = (cached ? (answer.costUsd ?? 0) : paidUsd) + s.judgeCostUsd;
        return {
          ...base(cell),
          status: 'ok' as const,
          output: answer.text,
          score: s,
          usage: answer.usage,
          costUsd: paidUsd + s.judgeCostUsd,
          listCostUsd: listUsd,
          cached,
          ...(answer.latencyMs !== null ? { latencyMs: answer.latencyMs } : {}),
        };
      }

      /** A cell answered from the cache, or null when it has to be sent. */
      async function fromCache(i: number): Promise<CellResult | null> {
        const hit = cache.get(keys[i]!);
        if (!hit) return null;
        cachedCells++;
        cachedListCostUsd += hit.costUsd ?? 0;
        return answered(cells[i]!, hit, 0, true);
      }

      async function runCell(i: number): Promise<CellResult> {
        const cell = cells[i]!;
        const hit = await fromCache(i);
        if (hit) return hit;
        const worst = estimate.perCell.get(cell.id)!;
        // wait for in-flight cells to settle below their reservations before giving up on the budget
        while (!stop && !guard.reserve(cell.id, worst)) {
          if (guard.open === 0) stop = 'budget-stopped';
          else await new Promise<void>((r) => waiters.push(r));
        }
        if (stop) return skipped(cell, stop === 'cancelled' ? 'cancelled' : 'budget');
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
          cache.set(keys[i]!, answer);
          return await answered(cell, answer, costUsd, false);
        } catch (err) {
          guard.settle(cell.id, 0);
          wake();
          const code = isAppError(err) ? err.code : 'INTERNAL';
          if (code === 'PROVIDER_CANCELLED' || signal?.aborted) return skipped(cell, 'cancelled');
          return failed(cell, { code, message: err instanceof Error ? err.message : String(err) });
        }
      }

      // cells a stored run already finished: kept as they are, not sent again
      const todo: number[] = [];
      cells.forEach((_, i) => {
        const k = kept[i];
        if (k) {
          results[i] = k;
          done++;
        } else todo.push(i);
      });

      try {
        if (signal?.aborted) stop = 'cancelled';
        if (batchMode) {
          providerCalls += await runBatches(batchMode, todo);
        } else {
          let next = 0;
          const worker = async () => {
            while (next < todo.length) {
              const i = todo[next++]!;
              finish(i, await runCell(i));
            }
          };
          await Promise.all(Array.from({ length: Math.min(config.concurrency, todo.length) }, worker));
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }

      /**
       * Batch mode: cached cells are answered at once; the rest go out as one batch per provider (or are taken
       * over from `batches` of an earlier process), polled until they end, and collected into the run. The
       * whole worst case was checked against the budget at batch prices before anything was sent.
       */
      async function runBatches(mode: BatchModeOptions, indices: number[]): Promise<number> {
        const indexOf = new Map(cells.map((c, i) => [c.id, i]));
        const inBatch = new Set<string>();
        const batches: RunBatch[] = [];
        for (const b of mode.batches ?? []) {
          // a batch whose cells the config no longer has (it changed since) is not ours to collect
          if (b.cells.every(([, id]) => indexOf.has(id))) {
            batches.push(b);
            for (const [, id] of b.cells) inBatch.add(id);
          }
        }
        /** The cells of a batch not finished yet, as [custom id, index]. */
        const pending = (b: RunBatch): Array<[string, number]> =>
          b.cells
            .map(([c, id]): [string, number] => [c, indexOf.get(id)!])
            .filter(([, i]) => results[i] === undefined);
        const send: number[] = [];
        for (const i of indices) {
          if (inBatch.has(cells[i]!.id)) continue;
          const hit = await fromCache(i);
          if (hit) finish(i, hit);
          else send.push(i);
        }
        let calls = 0;
        const byProvider = new Map<string, number[]>();
        for (const i of send) {
          const p = cells[i]!.ref.provider;
          byProvider.set(p, [...(byProvider.get(p) ?? []), i]);
        }
        for (const [provider, list] of byProvider) {
          if (stop) break;
          const client = mode.client(provider);
          const handle = await client.submit(
            list.map((i) => {
              const r = requests[i]!;
              return {
                customId: `c${i}`,
                request: {
                  model: r.model,
                  ...(r.system !== undefined ? { system: r.system } : {}),
                  messages: r.messages,
                  maxTokens: r.maxTokens,
                  ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
                },
              };
            }),
            signal ? { signal } : {},
          );
          calls++;
          batches.push({ handle, cells: list.map((i) => [`c${i}`, cells[i]!.id]) });
          mode.onBatches?.(batches);
        }
        const describe = () => {
          const answered = batches.reduce(
            (n, b) => n + b.handle.counts.succeeded + b.handle.counts.errored,
            0,
          );
          const total = batches.reduce((n, b) => n + b.cells.length, 0);
          const running = batches.filter(
            (b) => !['ended', 'canceled', 'expired', 'failed'].includes(b.handle.status),
          );
          return `${running.length} of ${batches.length} batch${batches.length === 1 ? '' : 'es'} in progress, ${answered}/${total} requests answered`;
        };
        phase = describe();
        report();
        await Promise.all(
          batches.map(async (b) => {
            const client = mode.client(b.handle.provider);
            let handle = b.handle;
            try {
              handle = await waitForBatch(client, handle, {
                ...(mode.pollMs !== undefined ? { pollMs: mode.pollMs } : {}),
                ...(mode.clock ? { clock: mode.clock } : {}),
                ...(signal ? { signal } : {}),
                onProgress: (p) => {
                  b.handle = p.handle;
                  calls++;
                  mode.onBatches?.(batches);
                  phase = describe();
                  report();
                },
              });
            } catch (err) {
              if (signal?.aborted) {
                // stop the batch at the provider too: what already ran is collected below when it ends
                await client.cancel(handle).catch(() => undefined);
                for (const [, i] of pending(b)) finish(i, skipped(cells[i]!, 'cancelled'));
                return;
              }
              const code = isAppError(err) ? err.code : 'INTERNAL';
              const message = err instanceof Error ? err.message : String(err);
              for (const [, i] of pending(b)) finish(i, failed(cells[i]!, { code, message }));
              return;
            }
            b.handle = handle;
            mode.onBatches?.(batches);
            let items: BatchItemResult[] = [];
            if (handle.status !== 'failed') {
              items = (await client.results(handle, signal ? { signal } : {})).items;
              calls++;
            }
            const open = new Map(pending(b));
            for (const item of items) {
              const i = open.get(item.customId);
              if (i === undefined) continue;
              open.delete(item.customId);
              const cell = cells[i]!;
              if (!item.ok) {
                finish(i, failed(cell, item.error));
                continue;
              }
              // the whole worst case was checked against the cap before submitting: charge what it cost
              const paid = item.usd ?? estimate.perCell.get(cell.id) ?? 0;
              guard.charge(paid);
              const answer: CachedAnswer = {
                text: item.text,
                usage: item.usage,
                costUsd: item.usd,
                latencyMs: null,
              };
              cache.set(keys[i]!, answer);
              finish(i, await answered(cell, answer, paid, false));
            }
            for (const i of open.values()) {
              finish(
                i,
                failed(cells[i]!, {
                  code: 'PROVIDER_ERROR',
                  message:
                    handle.status === 'failed'
                      ? `Batch ${handle.id} failed: ${(handle.errors ?? []).join('; ') || 'no reason given'}`
                      : `Batch ${handle.id} ended (${handle.status}) without a result for this request.`,
                }),
              );
            }
          }),
        );
        phase = describe();
        return calls;
      }

      const filled = results.map(
        (r, i) => r ?? skipped(cells[i]!, stop === 'budget-stopped' ? 'budget' : 'cancelled'),
      );
      return {
        status: stop ?? 'completed',
        estimate,
        cells: filled,
        groups: aggregate(filled),
        spentUsd: guard.spentUsd,
        providerCalls,
        cachedCells,
        cachedListCostUsd,
      };
    }
  }

  const run = (config: BenchConfig, options: BenchRunOptions = {}): Promise<BenchRunResult> => {
    try {
      return prepare(config, options).execute();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };

  return { prepare, run, cache };
}

/** The runner createBenchRunner returns. */
export type BenchRunner = ReturnType<typeof createBenchRunner>;

/** BUDGET_EXCEEDED, re-exported for hosts that map it to an exit code. */
export const isBudgetExceeded = (err: unknown): err is AppError =>
  isAppError(err) && err.code === 'BUDGET_EXCEEDED';
