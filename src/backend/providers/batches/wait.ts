import { setTimeout as delay } from 'node:timers/promises';
import { isBatchDone, type BatchHandle } from '../../../core/providers/batch';
import { AppError, isAppError, type ErrorCode } from '../../../shared/errors';
import type { BatchClient } from './types';

/** Time as waitForBatch sees it: a port, so tests can wait hours of polling without waiting at all. */
export interface BatchClock {
  now(): number;
  /** Resolves after `ms`, or rejects as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: BatchClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined),
};

/** What waitForBatch reports after each successful poll. */
export interface BatchProgress {
  handle: BatchHandle;
  /** Successful polls so far. */
  polls: number;
  elapsedMs: number;
}

export interface WaitForBatchOptions {
  /** Time between polls (default 30 s: batches take minutes to hours, and each poll is a request). */
  pollMs?: number;
  /** Stops waiting (and the poll in flight). The batch keeps running at the provider: `cancel` stops it. */
  signal?: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
  clock?: BatchClock;
  /**
   * Polls in a row that may fail with a passing fault (rate limit, overload, 5xx, network, timeout: each
   * already retried by the SDK) before waiting gives up with that error (default 3). A batch runs for hours;
   * one bad minute at the provider should not lose track of it.
   */
  maxPollFailures?: number;
}

const PASSING: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PROVIDER_RATE_LIMIT',
  'PROVIDER_OVERLOADED',
  'PROVIDER_NETWORK',
  'PROVIDER_TIMEOUT',
]);

function passing(err: unknown): err is AppError {
  if (!isAppError(err)) return false;
  if (PASSING.has(err.code)) return true;
  const status = err.details?.status;
  return err.code === 'PROVIDER_ERROR' && typeof status === 'number' && status >= 500;
}

/**
 * Polls a batch until it is done (ended, canceled, expired or failed) and returns its last handle. The first
 * poll is immediate; then one every `pollMs`, or later when a rate limit asks for longer. Fails with
 * PROVIDER_CANCELLED when `signal` aborts, or with the poll's own coded error once `maxPollFailures` passing
 * faults in a row are spent (any other error at once).
 */
export async function waitForBatch(
  client: BatchClient,
  handle: BatchHandle,
  options: WaitForBatchOptions = {},
): Promise<BatchHandle> {
  const { pollMs = 30_000, signal, onProgress, clock = systemClock, maxPollFailures = 3 } = options;
  const cancelled = () =>
    new AppError(
      'PROVIDER_CANCELLED',
      `Stopped waiting for batch ${handle.id}. It keeps running at the provider: poll it again later, or cancel it.`,
      { provider: handle.provider, batchId: handle.id, cancelled: true },
    );
  const started = clock.now();
  let current = handle;
  let polls = 0;
  let failures = 0;
  for (;;) {
    if (signal?.aborted) throw cancelled();
    let wait = pollMs;
    try {
      current = await client.poll(current, signal ? { signal } : {});
      polls++;
      failures = 0;
      onProgress?.({ handle: current, polls, elapsedMs: clock.now() - started });
      if (isBatchDone(current.status)) return current;
    } catch (err) {
      if (signal?.aborted) throw cancelled();
      if (!passing(err) || ++failures > maxPollFailures) throw err;
      const after = err.details?.retryAfterSeconds;
      if (typeof after === 'number') wait = Math.max(pollMs, after * 1000);
    }
    try {
      await clock.sleep(wait, signal);
    } catch (err) {
      if (signal?.aborted) throw cancelled();
      throw err;
    }
  }
}
