import { AsyncLocalStorage } from 'node:async_hooks';
import type { AbortSignalLike } from '../core/providers/ports';
import type { CallCost } from '../core/providers/types';
import type { LlmUsage } from '../core/providers/modelRef';
import type { JobProgressEvent } from '../shared/contract';
import type { EventBus } from './events';

/**
 * A route call the renderer runs as a job (its input carried a `jobId`): one abort signal that every model
 * call made on its behalf follows, and a tally of those calls that is sent as `job.progress` events.
 */
export interface JobHandle {
  readonly id: string;
  readonly signal: AbortSignal;
  /** A model call made for this job ended: counts it, adds its tokens and price, and reports. */
  recordCall(usage: LlmUsage, cost: CallCost): void;
}

const current = new AsyncLocalStorage<JobHandle>();

/** The job the running code works for, if a route call started one (model calls pick up its signal). */
export function currentJob(): JobHandle | undefined {
  return current.getStore();
}

export interface JobRegistry {
  /** Runs `fn` as job `id`: code it calls sees the job through `currentJob()`. */
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
  /** Aborts a running job's model calls; false when no job of that id is running. */
  cancel(id: string): boolean;
  /** Ids of the jobs running now. */
  running(): string[];
}

/** The backend's running jobs, each reporting its model calls on the event bus. */
export function createJobRegistry(events: EventBus): JobRegistry {
  const active = new Map<string, AbortController>();
  return {
    async run(id, fn) {
      const controller = new AbortController();
      // a renderer that reuses an id (a retry) takes the job over; the older call keeps its own signal
      active.set(id, controller);
      const tally: JobProgressEvent = { jobId: id, calls: 0, inputTokens: 0, outputTokens: 0, spentUsd: 0 };
      const handle: JobHandle = {
        id,
        signal: controller.signal,
        recordCall(usage, cost) {
          tally.calls += 1;
          tally.inputTokens += usage.inputTokens + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0);
          tally.outputTokens += usage.outputTokens;
          // an unpriced call leaves the spend unknown rather than understated
          tally.spentUsd = tally.spentUsd === null || cost.usd === null ? null : tally.spentUsd + cost.usd;
          events.emit('job.progress', { ...tally });
        },
      };
      try {
        return await current.run(handle, fn);
      } finally {
        if (active.get(id) === controller) active.delete(id);
      }
    },
    cancel(id) {
      const controller = active.get(id);
      if (!controller) return false;
      controller.abort();
      return true;
    },
    running: () => [...active.keys()],
  };
}

/**
 * The job's signal joined to a call's own (core's structural signal type): aborts when either does. The
 * disposer detaches the listener once the call is over.
 */
export function withJobSignal(
  own: AbortSignalLike | undefined,
  job: JobHandle | undefined,
): { signal: AbortSignalLike | undefined; dispose(): void } {
  if (!job) return { signal: own, dispose: () => undefined };
  if (!own) return { signal: job.signal, dispose: () => undefined };
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (own.aborted || job.signal.aborted) controller.abort();
  own.addEventListener('abort', abort, { once: true });
  job.signal.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      own.removeEventListener('abort', abort);
      job.signal.removeEventListener('abort', abort);
    },
  };
}
