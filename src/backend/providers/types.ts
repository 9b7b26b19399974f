import type { LlmUsage } from '../../core/providers/modelRef';

export type { LlmUsage } from '../../core/providers/modelRef';

/** One turn of a conversation; the system prompt travels separately, as both Messages and Chat take it. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A provider-neutral, non-streaming completion request. */
export interface CompletionRequest {
  /** The provider's own model id (`claude-haiku-4-5`, `gpt-4o-mini`). */
  model: string;
  system?: string;
  messages: ChatMessage[];
  /** Most output tokens the model may produce. */
  maxTokens: number;
  /** Omitted unless given: some models (OpenAI's reasoning models) refuse any value but their default. */
  temperature?: number;
  signal?: AbortSignal;
  /** What the call is for, in words, used in error messages ("Rewriting the prompt"). */
  purpose?: string;
}

/**
 * Why generation stopped, normalised across providers: `end` (the model finished), `max_tokens` (cut at the
 * limit: the text is incomplete), `refusal` (a safety refusal or content filter), `other` (anything else;
 * `providerStopReason` has the provider's own word).
 */
export type StopReason = 'end' | 'max_tokens' | 'refusal' | 'other';

export interface Completion {
  text: string;
  usage: LlmUsage;
  stopReason: StopReason;
  /** The provider's stop reason as sent (`end_turn`, `stop`, `length`, …). */
  providerStopReason: string | null;
  /** The model that answered, as the provider reports it (may be a dated snapshot of the requested alias). */
  model: string;
  provider: string;
  requestId?: string;
}

/**
 * A provider in the registry. `complete` fails with a coded AppError (PROVIDER_NOT_CONFIGURED without a key,
 * PROVIDER_AUTH, PROVIDER_RATE_LIMIT, PROVIDER_OVERLOADED, PROVIDER_ERROR, PROVIDER_NETWORK) whose message
 * and details never contain the key.
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
}

/** Transport settings shared by every provider a registry builds. */
export interface ProviderTransport {
  fetch?: typeof fetch;
  /** Retries the SDK makes on 408/409/429/5xx and connection errors, honouring retry-after (default 2). */
  maxRetries?: number;
  /** Per-attempt timeout (default 120 s: a rewrite of a long prompt takes a while). */
  timeoutMs?: number;
}
