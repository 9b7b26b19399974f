import type { RequestCost } from '../pricing/requestCost';
import type { LlmUsage } from './modelRef';
import type { AbortSignalLike } from './ports';

/**
 * The provider interface, provider-neutral: what a caller asks of a model and everything a call reports
 * back. Implementations live in the backend (official SDKs); the rules they share (limits, retries, error
 * codes, request capture, cache breakpoints, JSON answers) are pure modules beside this one.
 */

/** One turn of a conversation; the system prompt travels separately, as both Messages and Chat take it. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** Anthropic's cache lifetimes: 5 minutes (writes 1.25× input price) or 1 hour (2×). */
export type CacheTtl = '5m' | '1h';

/**
 * Where an Anthropic `cache_control` breakpoint goes: after the tool definitions, after the system prompt
 * (or after its first `offset` characters, which splits it into two blocks), or after a message (or part
 * of it). Everything before a breakpoint is the cached prefix. At most 4 per request.
 */
export type CacheBreakpoint =
  | { at: 'tools'; ttl?: CacheTtl }
  | { at: 'system'; offset?: number; ttl?: CacheTtl }
  | { at: 'message'; index: number; offset?: number; ttl?: CacheTtl };

/** A tool the model may call, in Anthropic's shape; OpenAI gets the same as a `function` tool. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the tool's input. */
  input_schema: Record<string, unknown>;
}

/** A tool call the model made. */
export interface ToolCall {
  id: string;
  name: string;
  /** The arguments, parsed (OpenAI sends them as a JSON string; one that does not parse stays a string). */
  input: unknown;
}

/**
 * Ask for a JSON answer. OpenAI (and compatibles) get `response_format`; Anthropic has no such field, so
 * the request is unchanged and only the answer is parsed (say "answer in JSON" in the prompt).
 */
export type ResponseFormat =
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      /** Letters, digits, `_` or `-` (OpenAI's rule). */
      name: string;
      schema: Record<string, unknown>;
      /** OpenAI's strict mode: the answer follows the schema exactly (default true). */
      strict?: boolean;
      description?: string;
    };

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
  /** Text that ends generation when the model produces it. */
  stopSequences?: string[];
  tools?: ToolDefinition[];
  /** Anthropic prompt-cache breakpoints (see {@link CacheBreakpoint}); automatic-caching providers ignore it. */
  cache?: CacheBreakpoint[];
  responseFormat?: ResponseFormat;
  /**
   * The caller's count of the input, reserved against a tokens-per-minute limit until the provider reports
   * the real one; without it the limiter estimates 4 characters per token.
   */
  estimatedInputTokens?: number;
  /** Stops the call: in flight, waiting for a retry, or queued behind a limit. */
  signal?: AbortSignalLike;
  /** What the call is for, in words, used in error messages ("Rewriting the prompt"). */
  purpose?: string;
}

/**
 * Why generation stopped, normalised across providers: `end` (the model finished or hit a stop sequence),
 * `max_tokens` (cut at the limit: the text is incomplete), `refusal` (a safety refusal or content filter),
 * `tool_use` (it wants a tool's result), `other` (anything else; `providerStopReason` has the provider's word).
 */
export type StopReason = 'end' | 'max_tokens' | 'refusal' | 'tool_use' | 'other';

/** What the call cost at catalog prices, and from which entry. */
export interface CallCost {
  /** Dollars; null when the model is not in the catalog for this provider or has no price (never $0). */
  usd: number | null;
  /** The catalog entry that priced it, or null. */
  catalogId: string | null;
  /** The per-part lines (input, cache writes, cache read, output). */
  breakdown: RequestCost | null;
}

/** How long the call took, in milliseconds. */
export interface CallLatency {
  /** From sending the attempt that answered to its response headers. */
  firstByteMs: number;
  /** From sending the attempt that answered to having its whole answer. */
  totalMs: number;
  /** From the call to its answer, including time queued behind limits and spent on retries. */
  elapsedMs: number;
}

/** The HTTP request as it went out, with every credential header removed, for inspection. */
export interface SentRequest {
  method: string;
  url: string;
  /** Lower-case names; credential headers (and any value containing the key) read `[redacted]`. */
  headers: Record<string, string>;
  /** The JSON body as sent (a body that was not JSON is kept as text). */
  body: unknown;
}

export interface Completion {
  text: string;
  /** The parsed answer when the request had `responseFormat`. */
  json?: unknown;
  toolCalls?: ToolCall[];
  /** Tokens as the provider reported them, split into uncached input, cache write, cache read and output. */
  usage: LlmUsage;
  /** The provider's usage object exactly as it came. */
  providerUsage: unknown;
  cost: CallCost;
  latency: CallLatency;
  /** Attempts made (1 unless retried). */
  attempts: number;
  stopReason: StopReason;
  /** The provider's stop reason as sent (`end_turn`, `stop`, `length`, …). */
  providerStopReason: string | null;
  /** The model that answered, as the provider reports it (may be a dated snapshot of the requested alias). */
  model: string;
  provider: string;
  requestId?: string;
  /** The request of the attempt that answered. */
  request: SentRequest;
}

/** Texts to embed with a provider's embeddings model. */
export interface EmbeddingsRequest {
  model: string;
  input: string[];
  /** Shorter vectors, for models that support it (OpenAI's text-embedding-3-*). */
  dimensions?: number;
  estimatedInputTokens?: number;
  signal?: AbortSignalLike;
  purpose?: string;
}

export interface EmbeddingsResponse {
  /** One vector per input, in order. */
  vectors: number[][];
  usage: LlmUsage;
  cost: CallCost;
  latency: CallLatency;
  attempts: number;
  model: string;
  provider: string;
  requestId?: string;
  request: SentRequest;
}

/**
 * Anything that turns texts into vectors, in order: the embedded offline model and a provider's embeddings
 * endpoint alike, so a feature that compares by meaning takes either.
 */
export interface Embedder {
  embed(texts: string[]): Promise<number[][]>;
}
