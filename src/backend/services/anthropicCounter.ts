import Anthropic from '@anthropic-ai/sdk';
import type { EstimateErrorSummary } from '../../core/tokens/estimateError';
import { CountCache, countKey, DEFAULT_MAX_COUNT_ENTRIES } from '../storage/countCache';
import { EstimateErrorStore } from '../storage/estimateErrorStore';
import { anthropicError } from './anthropicErrors';

export const ANTHROPIC_COUNTS_FILE = 'anthropic-counts.json';
export const DEFAULT_COUNT_CONCURRENCY = 4;

export interface AnthropicCounterOptions {
  /**
   * The API key, or a function giving the key in force now (the provider settings, where a key typed in the
   * app takes effect at once); without one the counter is not configured and never calls out.
   */
  apiKey?: string | (() => string | undefined);
  /** Defaults to the SDK's (ANTHROPIC_BASE_URL, else https://api.anthropic.com); tests use the stub. */
  baseURL?: string;
  /** App data folder: holds anthropic-counts.json and, unless `errorStore` is given, estimate-error.json. */
  dataDir: string;
  fetch?: typeof fetch;
  /** Retries the SDK makes on 408/409/429/5xx/529 and connection errors, honouring retry-after (default 2). */
  maxRetries?: number;
  /** Per-attempt timeout (default 30 s; counting is quick, the SDK's 10 min default is for generation). */
  timeoutMs?: number;
  /** Most count calls in flight at once (default 4): the endpoint is free but rate-limited. */
  maxConcurrent?: number;
  /** Cache bound (default 5,000 counts). */
  maxEntries?: number;
  /** The backend's shared error store; one is created on `dataDir` when absent. */
  errorStore?: EstimateErrorStore;
  /** Tokenizer family a model's samples are recorded under (default "claude", the catalog's family). */
  familyOf?: (model: string) => string;
}

export interface ExactCount {
  tokens: number;
  method: 'provider-reported';
  /** True when no new provider call was made (cache hit, or joined an identical call in flight). */
  cached: boolean;
}

export interface AnthropicCounter {
  readonly configured: boolean;
  /**
   * The provider's count of the request `{ model, system?, messages: [{ role: "user", content: text }] }`.
   * Returns null when no key is configured or `text` is empty (nothing to send; the caller shows its
   * estimate). Fails with a coded AppError (PROVIDER_AUTH, PROVIDER_RATE_LIMIT, PROVIDER_OVERLOADED,
   * PROVIDER_ERROR, PROVIDER_NETWORK) that never contains the key.
   *
   * `estimate` is the caller's offline estimate of the same request, recorded against each fresh exact
   * count to measure the estimate's error. Anthropic's count is of the whole request as billed, including a
   * few tokens of message framing, so the comparison is whole request against whole request: the number the
   * user pays for against the number shown with ≈. An estimate of the bare text will read a little low by
   * that framing, and the measured error says so.
   */
  countExact(
    model: string,
    system: string | undefined,
    text: string,
    estimate: number,
  ): Promise<ExactCount | null>;
  /** Measured error of the offline estimate for `family` (default "claude"), or null before any sample. */
  errorSummary(family?: string): Promise<EstimateErrorSummary | null>;
  /** Writes the count cache now (it is also written after every fresh count). */
  flush(): Promise<void>;
}

/** At most `max` tasks at once; the rest wait in order. */
function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Exact Claude token counts through `messages.countTokens`, cached by content hash. */
export function createAnthropicCounter(options: AnthropicCounterOptions): AnthropicCounter {
  const keyNow = () =>
    (typeof options.apiKey === 'function' ? options.apiKey() : options.apiKey)?.trim() || undefined;
  const maxRetries = options.maxRetries ?? 2;
  const cache = new CountCache(
    options.dataDir,
    ANTHROPIC_COUNTS_FILE,
    options.maxEntries ?? DEFAULT_MAX_COUNT_ENTRIES,
  );
  const errors = options.errorStore ?? new EstimateErrorStore(options.dataDir);
  const familyOf = options.familyOf ?? (() => 'claude');
  const limit = limiter(Math.max(1, options.maxConcurrent ?? DEFAULT_COUNT_CONCURRENCY));
  const inFlight = new Map<string, Promise<number>>();
  let client: { key: string; sdk: Anthropic } | undefined;

  // a new key (changed in the settings) gets a new client; the same key keeps its connection pool
  const getClient = (key: string) => {
    if (client?.key !== key) {
      client = {
        key,
        sdk: new Anthropic({
          apiKey: key,
          baseURL: options.baseURL,
          fetch: options.fetch,
          maxRetries,
          timeout: options.timeoutMs ?? 30_000,
          // the SDK's own logging is off whatever ANTHROPIC_LOG says: failures surface as coded errors
          logLevel: 'off',
        }),
      };
    }
    return client.sdk;
  };

  const callProvider = async (key: string, model: string, system: string | undefined, text: string) => {
    try {
      const r = await limit(() =>
        getClient(key).messages.countTokens({
          model,
          ...(system ? { system } : {}),
          messages: [{ role: 'user', content: text }],
        }),
      );
      const tokens: unknown = r?.input_tokens;
      if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 0) {
        throw new Error(`input_tokens is ${JSON.stringify(tokens)}`);
      }
      return tokens;
    } catch (err) {
      throw anthropicError(err, { what: 'Counting tokens', apiKey: key, retries: maxRetries });
    }
  };

  return {
    get configured() {
      return keyNow() !== undefined;
    },
    async countExact(model, system, text, estimate) {
      const apiKey = keyNow();
      if (apiKey === undefined || text === '') return null;
      const key = countKey('anthropic.count_tokens/v1', model, system || null, text);
      const hit = await cache.get(key);
      if (hit !== undefined) return { tokens: hit, method: 'provider-reported', cached: true };
      const joined = inFlight.get(key);
      if (joined) return { tokens: await joined, method: 'provider-reported', cached: true };
      const call = callProvider(apiKey, model, system, text);
      inFlight.set(key, call);
      try {
        const tokens = await call;
        await Promise.all([cache.set(key, tokens), errors.record(familyOf(model), estimate, tokens)]);
        return { tokens, method: 'provider-reported', cached: false };
      } finally {
        inFlight.delete(key);
      }
    },
    errorSummary: (family = 'claude') => errors.summary(family),
    flush: () => cache.flush(),
  };
}
