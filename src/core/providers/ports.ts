import { AppError } from '../errors';

/**
 * Ports the provider layer's pure logic runs on. Core has no DOM or Node types, so each is the smallest
 * structural shape the real thing (WHATWG fetch, AbortSignal, timers) already satisfies; the backend passes
 * the real ones and tests pass fakes (a fake clock makes backoff and rate windows instant and exact).
 */

/** What core needs of an AbortSignal; a real one fits. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Time and chance: everything the limiter and retry logic would otherwise take from globals. */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  /**
   * Resolves after `ms`, or rejects (with any error) as soon as `signal` aborts, so a cancelled call never
   * sits out a long backoff or rate window.
   */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
  /** Uniform in [0, 1): the jitter of backoffs. */
  random(): number;
}

/** Response headers as fetch gives them. */
export interface HttpHeadersLike {
  get(name: string): string | null;
}

/** What core reads of a fetch response. */
export interface HttpResponseLike {
  readonly status: number;
  readonly headers: HttpHeadersLike;
}

/** Request headers in any form fetch accepts: a Headers object, entry pairs or a record. */
export type HttpHeadersInit =
  | { forEach(cb: (value: string, key: string) => void): void }
  | ReadonlyArray<readonly [string, string]>
  | Record<string, string | readonly string[] | null | undefined>;

/** The part of RequestInit core reads. */
export interface HttpRequestInit {
  method?: string;
  headers?: HttpHeadersInit;
  body?: unknown;
  signal?: AbortSignalLike | null;
}

/** The fetch port: WHATWG fetch's shape, as the official SDKs call it (`fetch(url, init)`). */
export type HttpFetch = (
  input: string | { href: string } | { url: string },
  init?: HttpRequestInit,
) => Promise<HttpResponseLike>;

/** The error every cancelled provider call ends with, whichever step it was in (queued, waiting, sending). */
export function cancelledError(what: string, provider: string): AppError {
  return new AppError('PROVIDER_CANCELLED', `${what} was cancelled; nothing more will be sent.`, {
    provider,
    cancelled: true,
  });
}

/**
 * Waits `ms` on `clock`, failing with `onAbort()` when `signal` aborts first (also when it already has).
 * The clock's own sleep is given the signal too, so a real timer does not outlive the wait.
 */
export async function sleepOrAbort(
  clock: Clock,
  ms: number,
  signal: AbortSignalLike | undefined,
  onAbort: () => Error,
): Promise<void> {
  if (signal?.aborted) throw onAbort();
  if (!signal) return clock.sleep(ms);
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    listener = () => reject(onAbort());
    signal.addEventListener('abort', listener, { once: true });
  });
  try {
    await Promise.race([clock.sleep(ms, signal), aborted]);
  } catch (err) {
    if (signal.aborted) throw onAbort();
    throw err;
  } finally {
    signal.removeEventListener('abort', listener!);
  }
}

/** An abort signal core can make itself (core has no AbortController): cancels timers it no longer needs. */
export function createAbortLatch(): { signal: AbortSignalLike; abort(): void } {
  const listeners = new Set<() => void>();
  let aborted = false;
  return {
    signal: {
      get aborted() {
        return aborted;
      },
      addEventListener: (_type, listener) => void listeners.add(listener),
      removeEventListener: (_type, listener) => void listeners.delete(listener),
    },
    abort() {
      if (aborted) return;
      aborted = true;
      for (const l of [...listeners]) l();
      listeners.clear();
    },
  };
}
