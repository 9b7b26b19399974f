import type { Clock } from '../../core/providers/ports';
import type { ProviderLimits } from '../../core/providers/limits';
import type { RetryPolicy } from '../../core/providers/retry';
import type { Catalog } from '../../core/pricing/catalog';
import type {
  Completion,
  CompletionRequest,
  EmbeddingsRequest,
  EmbeddingsResponse,
} from '../../core/providers/types';

export type { LlmUsage } from '../../core/providers/modelRef';

export type {
  CacheBreakpoint,
  CacheTtl,
  CallCost,
  CallLatency,
  ChatMessage,
  Completion,
  CompletionRequest,
  Embedder,
  EmbeddingsRequest,
  EmbeddingsResponse,
  ResponseFormat,
  SentRequest,
  StopReason,
  ToolCall,
  ToolDefinition,
} from '../../core/providers/types';
export type { ProviderLimits } from '../../core/providers/limits';

/**
 * A provider in the registry. Every call is queued behind the provider's limits, retried on transient
 * failures, cancellable through its `signal`, and measured (see Completion). Calls fail with a coded
 * AppError whose message and details never contain the key: PROVIDER_NOT_CONFIGURED (no key),
 * PROVIDER_AUTH, PROVIDER_PERMISSION, PROVIDER_RATE_LIMIT, PROVIDER_OVERLOADED, PROVIDER_INVALID_REQUEST,
 * PROVIDER_CONTEXT_TOO_LONG, PROVIDER_CONTENT_FILTERED, PROVIDER_NETWORK, PROVIDER_TIMEOUT,
 * PROVIDER_CANCELLED, PROVIDER_ERROR (5xx or an unreadable answer), PARSE_ERROR (JSON asked, not given),
 * INVALID_INPUT (a request the provider cannot express, e.g. bad cache breakpoints).
 */
export interface LlmProvider {
  /** Registry id, the `provider` of `provider:model` (`anthropic`, `openai`, or an endpoint's own id). */
  readonly id: string;
  readonly label: string;
  /** The wire protocol it speaks. */
  readonly kind: ProviderKind;
  /** True when it has what it needs to call out (a key); it never calls out otherwise. */
  readonly configured: boolean;
  complete(request: CompletionRequest): Promise<Completion>;
  /** Vectors from the provider's embeddings endpoint (OpenAI and compatibles; absent for Anthropic). */
  embed?(request: EmbeddingsRequest): Promise<EmbeddingsResponse>;
}

/** Wire protocols PromptPress speaks: Anthropic Messages, and OpenAI Chat Completions (also for compatibles). */
export type ProviderKind = 'anthropic' | 'openai';

/** How to reach one endpoint; the registry builds a provider from each. Keys stay in the backend. */
export interface ProviderEndpoint {
  id: string;
  kind: ProviderKind;
  label?: string;
  apiKey?: string;
  /** Defaults to the provider's public API; an OpenAI-compatible endpoint gives its own (…/v1). */
  baseURL?: string;
  /** Where the key comes from, named in the "missing key" message (`OPENAI_API_KEY`). */
  keyHint?: string;
  /** Concurrency, requests and tokens per minute; absent: the registry's defaults (`limits`). */
  limits?: ProviderLimits;
}

/** Transport settings shared by every provider a registry builds. */
export interface ProviderTransport {
  fetch?: typeof fetch;
  /**
   * Retries on 429, 529, 5xx, network failures and timeouts, honouring retry-after (default 2). PromptPress
   * makes them itself (core/providers/retry.ts); the SDKs' own retries are off.
   */
  maxRetries?: number;
  /** The rest of the retry policy (backoff base and cap, the longest retry-after waited out). */
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout (default 120 s: a rewrite of a long prompt takes a while). */
  timeoutMs?: number;
  /** Limits for endpoints that set none (default: none; the settings give each provider its own). */
  limits?: ProviderLimits;
  /** Length of the rpm/tpm window (default 60 s; tests shrink it). */
  limitWindowMs?: number;
  /** Time and jitter (default: the real clock); tests pass a fake one. */
  clock?: Clock;
  /** Prices each call (`Completion.cost`); without it, or for a model it does not list, cost is null. */
  getCatalog?: () => Catalog | Promise<Catalog>;
}
