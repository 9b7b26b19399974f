import type { AppError } from '../errors';
import { sleepOrAbort, type AbortSignalLike, type Clock } from './ports';

/**
 * Retries of provider calls, done here rather than by the SDKs (whose own retries are turned off) so both
 * providers retry by one rule that tests can drive with a fake clock, and so every attempt passes the
 * rate limiter.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (default 2). */
  maxRetries: number;
  /** The first backoff; each further one doubles (default 500 ms). */
  baseDelayMs: number;
  /** Backoffs stop growing here (default 8 s). */
  maxDelayMs: number;
  /**
   * A `retry-after` longer than this is not waited out: the error goes to the user, saying when to try
   * again (default 60 s), rather than a call that looks hung.
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** Codes worth another attempt: the request was fine, the moment was not. */
const TRANSIENT = new Set([
  'PROVIDER_RATE_LIMIT',
  'PROVIDER_OVERLOADED',
  'PROVIDER_NETWORK',
  'PROVIDER_TIMEOUT',
]);

/**
 * Whether another attempt may succeed: rate limits, overload (529/503), other 5xx, network failures
 * (resets, refused connections) and timeouts; never auth, invalid requests, content filters or a
 * cancellation. The server's `x-should-retry` verdict wins when it gave one.
 */
export function isRetryable(err: AppError): boolean {
  if (err.code === 'PROVIDER_CANCELLED') return false;
  const details = err.details ?? {};
  if (details.shouldRetry === false) return false;
  if (details.shouldRetry === true) return true;
  if (TRANSIENT.has(err.code)) return true;
  const status = details.status;
  return err.code === 'PROVIDER_ERROR' && typeof status === 'number' && (status >= 500 || status === 409);
}

/**
 * The wait before retry number `retry` (1-based): the server's `retry-after` when it sent one, otherwise
 * exponential backoff with "equal jitter" (half fixed, half random), which spreads out callers that failed
 * together while still growing for each. Undefined when the server asks for longer than the policy waits.
 */
export function retryDelayMs(
  err: AppError,
  retry: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  const after = err.details?.retryAfterMs;
  if (typeof after === 'number' && Number.isFinite(after) && after >= 0) {
    return after > policy.maxRetryAfterMs ? undefined : after;
  }
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return cap / 2 + random() * (cap / 2);
}

export interface RetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  signal?: AbortSignalLike;
  /** The error a cancellation ends with. */
  onAbort: () => Error;
  /** Turns what an attempt threw into a coded error, given the retries already made (for its message). */
  classify: (err: unknown, retries: number) => AppError;
  /** Told before each wait (for logs and tests). */
  onRetry?: (info: { retry: number; delayMs: number; error: AppError }) => void;
}

/**
 * Runs `attempt` until it succeeds, fails with an error not worth retrying, or the retries are spent;
 * the last coded error is thrown. A cancellation stops it at once, mid-attempt or mid-wait.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions,
): Promise<{ value: T; attempts: number }> {
  const { policy, clock, signal, onAbort, classify } = options;
  for (let retries = 0; ; retries++) {
    if (signal?.aborted) throw onAbort();
    try {
      return { value: await attempt(retries + 1), attempts: retries + 1 };
    } catch (raw) {
      if (signal?.aborted) throw onAbort();
      const err = classify(raw, retries);
      if (retries >= policy.maxRetries || !isRetryable(err)) throw err;
      const delayMs = retryDelayMs(err, retries + 1, policy, () => clock.random());
      if (delayMs === undefined) throw err;
      options.onRetry?.({ retry: retries + 1, delayMs, error: err });
      await sleepOrAbort(clock, delayMs, signal, onAbort);
    }
  }
}
