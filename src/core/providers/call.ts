import type { AppError } from '../errors';
import { captureFetch, type Exchange } from './capture';
import type { Limiter } from './limits';
import { cancelledError, type AbortSignalLike, type Clock, type HttpFetch } from './ports';
import { withRetries, type RetryPolicy } from './retry';
import type { CallLatency, SentRequest } from './types';

/**
 * One provider call, made complete: queued behind the provider's limits, retried by the retry policy,
 * cancellable at every step, and measured (latency, request id, the request as sent). The provider
 * implementation supplies only `attempt`, the SDK call, made with the recording fetch it is given.
 */

/** What a provider's calls share: its clock, limiter and retry policy, and the fetch to the network. */
export interface CallRuntime {
  clock: Clock;
  limiter: Limiter;
  policy: RetryPolicy;
  fetch: HttpFetch;
}

export interface CallSpec<T> {
  /** Registry id of the provider (for the cancellation error). */
  provider: string;
  /** The operation, capitalised, for messages ("Calling gpt-4o"). */
  what: string;
  signal?: AbortSignalLike;
  /** Tokens reserved against the tokens-per-minute limit for each attempt. */
  reserveTokens: number;
  /** Secrets kept out of the recorded request. */
  secrets: readonly string[];
  /** One attempt, sending through `fetch`. */
  attempt: (fetch: HttpFetch, attempt: number) => Promise<T>;
  /** Coded error for what an attempt threw, given the retries already made. */
  classify: (err: unknown, retries: number) => AppError;
  /** Tokens the answer really used (input plus output), replacing the reservation. */
  usedTokens: (value: T) => number;
}

export interface CallOutcome<T> {
  value: T;
  attempts: number;
  latency: CallLatency;
  /** The request of the attempt that answered. */
  request: SentRequest;
  /** The response's request id header, when it had one. */
  requestId?: string;
}

const NOT_SEEN: SentRequest = { method: 'POST', url: '', headers: {}, body: null };

/** Runs `spec` on `runtime` (see the module comment). Throws the last coded error, or PROVIDER_CANCELLED. */
export async function runProviderCall<T>(runtime: CallRuntime, spec: CallSpec<T>): Promise<CallOutcome<T>> {
  const { clock, limiter } = runtime;
  const startedAt = clock.now();
  const onAbort = () => cancelledError(spec.what, spec.provider);
  const capture = captureFetch(runtime.fetch, { clock, secrets: spec.secrets });
  let answered: { exchange: Exchange | undefined; sentAt: number; doneAt: number } | undefined;

  const { value, attempts } = await withRetries(
    async (n) => {
      const permit = await limiter.acquire(spec.reserveTokens, spec.signal, onAbort);
      const before = capture.exchanges.length;
      const sentAt = clock.now();
      try {
        const result = await spec.attempt(capture.fetch, n);
        answered = { exchange: capture.exchanges.at(-1), sentAt, doneAt: clock.now() };
        if (capture.exchanges.length === before) answered.exchange = undefined;
        permit.release(spec.usedTokens(result));
        return result;
      } catch (err) {
        // a refused or failed attempt used no tokens as far as anyone can tell; it still counted as a request
        permit.release(0);
        throw err;
      }
    },
    { policy: runtime.policy, clock, signal: spec.signal, onAbort, classify: spec.classify },
  );

  const a = answered!;
  const sent = a.exchange?.sentAt ?? a.sentAt;
  return {
    value,
    attempts,
    latency: {
      firstByteMs: Math.max(0, (a.exchange?.firstByteAt ?? a.doneAt) - sent),
      totalMs: Math.max(0, a.doneAt - sent),
      elapsedMs: Math.max(0, a.doneAt - startedAt),
    },
    request: a.exchange?.request ?? NOT_SEEN,
    ...(a.exchange?.requestId ? { requestId: a.exchange.requestId } : {}),
  };
}
