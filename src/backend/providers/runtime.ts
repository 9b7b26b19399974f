import type { CallRuntime } from '../../core/providers/call';
import { callCost, catalogEntryFor } from '../../core/providers/cost';
import { createLimiter, estimateTokens } from '../../core/providers/limits';
import type { AbortSignalLike, Clock, HttpFetch } from '../../core/providers/ports';
import { DEFAULT_RETRY_POLICY } from '../../core/providers/retry';
import type { LlmUsage } from '../../core/providers/modelRef';
import type { CallCost, CompletionRequest } from '../../core/providers/types';
import type { ProviderEndpoint, ProviderTransport } from './types';

/** The real clock: monotonic time, timers that stop when their signal aborts, Math.random for jitter. */
export const realClock: Clock = {
  now: () => performance.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new Error('aborted'));
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** One provider's limiter, retry policy, clock and fetch, shared by all its calls. */
export function createRuntime(endpoint: ProviderEndpoint, transport: ProviderTransport): CallRuntime {
  const clock = transport.clock ?? realClock;
  return {
    clock,
    limiter: createLimiter(endpoint.limits ?? transport.limits ?? {}, {
      clock,
      windowMs: transport.limitWindowMs,
    }),
    policy: {
      ...DEFAULT_RETRY_POLICY,
      ...transport.retry,
      ...(transport.maxRetries !== undefined ? { maxRetries: transport.maxRetries } : {}),
    },
    // read at call time, so a test's stubbed global fetch (or a later polyfill) is the one used
    fetch: ((input, init) =>
      (transport.fetch ?? globalThis.fetch)(input as string, init as RequestInit)) as HttpFetch,
  };
}

/**
 * A real AbortSignal for the SDK that follows the caller's (core's signal type is structural, and the SDKs
 * want the real thing). Returns a disposer that detaches it once the call is over.
 */
export function sdkSignal(signal: AbortSignalLike | undefined): { signal?: AbortSignal; dispose(): void } {
  if (!signal) return { dispose: () => undefined };
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', abort, { once: true });
  return { signal: controller.signal, dispose: () => signal.removeEventListener('abort', abort) };
}

/** Tokens a completion request reserves against a tokens-per-minute limit: its input and its output limit. */
export function reservedTokens(req: CompletionRequest): number {
  const input =
    req.estimatedInputTokens ??
    estimateTokens(
      (req.system?.length ?? 0) +
        req.messages.reduce((n, m) => n + m.content.length, 0) +
        (req.tools ? JSON.stringify(req.tools).length : 0),
    );
  return input + req.maxTokens;
}

/** Every token of a call, as tokens-per-minute limits count them. */
export function usedTokens(u: LlmUsage): number {
  return u.inputTokens + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0) + u.outputTokens;
}

/** The call's cost from the registry's catalog (null cost without a catalog or an entry for the model). */
export async function costOf(
  transport: ProviderTransport,
  provider: string,
  model: string,
  usage: LlmUsage,
): Promise<CallCost> {
  let catalog;
  try {
    catalog = await transport.getCatalog?.();
  } catch {
    // a catalog that cannot load leaves the call unpriced; the answer itself is still good
    catalog = undefined;
  }
  return callCost(catalogEntryFor(catalog, provider, model), usage);
}

/** The attempt's fetch in the SDKs' own type (the core port is its structural subset). */
export const asFetch = (f: HttpFetch) => f as unknown as typeof fetch;
