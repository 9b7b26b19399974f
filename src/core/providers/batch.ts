import type { ErrorCode } from '../errors';
import type { Catalog, ModelEntry } from '../pricing/catalog';
import { requestCost } from '../pricing/requestCost';
import type { LlmUsage } from './modelRef';

/**
 * Provider-neutral batch types: a list of completion requests sent as one asynchronous job (Anthropic
 * Message Batches, OpenAI Files + Batches), billed at the provider's batch prices. The clients that speak each
 * provider's API live in the backend (src/backend/providers/batches/); these are the shapes they share with
 * the rest of the app, all plain data so a handle can be stored and polled again after a restart.
 */

/**
 * Where a batch is, normalised across providers:
 * - `validating`: the provider is checking the input (OpenAI);
 * - `in_progress`: requests are running (OpenAI's `finalizing` counts as still running);
 * - `canceling`: cancellation was asked for and is being carried out;
 * - `ended`: every request finished (succeeded or errored); results can be fetched;
 * - `canceled`: ended after a cancel; results hold what ran before it;
 * - `expired`: ended because the provider's window (24 h) ran out; results hold what ran in time;
 * - `failed`: the batch never ran (OpenAI input validation); `errors` says why.
 */
export const BATCH_STATUSES = [
  'validating',
  'in_progress',
  'canceling',
  'ended',
  'canceled',
  'expired',
  'failed',
] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** True once a batch will not change any more (polling can stop). */
export function isBatchDone(status: BatchStatus): boolean {
  return status === 'ended' || status === 'canceled' || status === 'expired' || status === 'failed';
}

/** True when a batch has per-request results to fetch. */
export function hasBatchResults(status: BatchStatus): boolean {
  return status === 'ended' || status === 'canceled' || status === 'expired';
}

/**
 * Requests of a batch by state, as the provider counts them. Both providers report outcomes only once the
 * whole batch ends (Anthropic by design; OpenAI's `completed`/`failed` may move earlier), so a batch in
 * progress usually shows everything under `processing`.
 */
export interface BatchCounts {
  total: number;
  processing: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

/** One completion request of a batch: the same fields as a single call, without signal or purpose. */
export interface BatchCompletionRequest {
  /** The provider's own model id (`claude-haiku-4-5`, `gpt-4o-mini`). */
  model: string;
  system?: string;
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
  maxTokens: number;
  temperature?: number;
}

/** A request and the caller's id for it, which its result carries back (results come in any order). */
export interface BatchRequest {
  /** 1–64 letters, digits, `_` or `-` (Anthropic's rule, the stricter of the two), unique in the batch. */
  customId: string;
  request: BatchCompletionRequest;
}

/** A submitted batch as last seen: serialisable, so it can be stored and polled again later. */
export interface BatchHandle {
  /** Registry id of the provider that runs it (`anthropic`, `openai`, a compatible endpoint's id). */
  provider: string;
  id: string;
  status: BatchStatus;
  /** The provider's own status word (`in_progress`, `finalizing`, `cancelling`, …). */
  providerStatus: string;
  counts: BatchCounts;
  /**
   * The model ids the batch asked for. Providers report a dated snapshot per result (`gpt-4o-mini-2024-07-18`),
   * which the catalog does not list; results are priced as the requested model that snapshot belongs to.
   */
  models: string[];
  /** ISO 8601 times, when the provider gives them. */
  createdAt: string;
  endedAt?: string;
  expiresAt?: string;
  /** Why a `failed` batch never ran (OpenAI's input validation errors). */
  errors?: string[];
}

/** Why generation stopped, normalised as for single calls: end, max_tokens (cut), refusal, other. */
export type BatchStopReason = 'end' | 'max_tokens' | 'refusal' | 'other';

/** A request of the batch that produced an answer. */
export interface BatchItemSuccess {
  customId: string;
  ok: true;
  text: string;
  /** Tokens exactly as the provider reported them for this request. */
  usage: LlmUsage;
  usageMethod: 'provider-reported';
  /** Dollars at the catalog's batch prices; null when the model or its batch price is not in the catalog. */
  usd: number | null;
  /** The model that answered, as the provider reports it. */
  model: string;
  stopReason: BatchStopReason;
  providerStopReason: string | null;
  requestId?: string;
}

/** A request of the batch that produced no answer, with a coded error saying why. */
export interface BatchItemFailure {
  customId: string;
  ok: false;
  /** errored: the request itself failed; canceled/expired: it never ran (the batch was canceled or ran out). */
  outcome: 'errored' | 'canceled' | 'expired';
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export type BatchItemResult = BatchItemSuccess | BatchItemFailure;

/** What a finished batch produced. */
export interface BatchResults {
  handle: BatchHandle;
  /** One per request the provider reported on, in the provider's order (match them by `customId`). */
  items: BatchItemResult[];
  /** Provider-reported usage summed over the successes. */
  usage: LlmUsage;
  /** Sum of the successes' batch-priced cost; null when any success has no price (never a silent $0). */
  usd: number | null;
}

/** What a provider appends to a model id for a snapshot: a date (`-2024-07-18`, `-20251001`) or a version (`-001`). */
const SNAPSHOT_SUFFIX = /^-[\d-]+$/;

/**
 * The catalog entry that prices a result: the requested model the reported one is (itself, or its dated or
 * numbered snapshot), as served by `provider`. Null when the catalog does not list it for that provider:
 * another host's price would be wrong.
 */
export function batchPriceEntry(
  catalog: Catalog,
  provider: string,
  requested: readonly string[],
  reported: string,
): ModelEntry | null {
  const model = [...requested]
    .filter(
      (m) => reported === m || (reported.startsWith(m) && SNAPSHOT_SUFFIX.test(reported.slice(m.length))),
    )
    .sort((a, b) => b.length - a.length)[0];
  if (model === undefined) return null;
  return catalog.models.find((m) => m.id === model && (m.host ?? m.provider) === provider) ?? null;
}

/**
 * Dollars for one batch request: the catalog's batch prices (the batch discount also applies to cache
 * reads and writes, which Anthropic documents as stacking; writes at their lifetime's price). Null without
 * an entry or a batch price.
 */
export function batchItemUsd(entry: ModelEntry | null, usage: LlmUsage): number | null {
  if (!entry) return null;
  const write1h = usage.cacheWrite1h ?? 0;
  return requestCost(
    entry,
    {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheRead ?? 0,
      cacheWrite5mTokens: Math.max(0, (usage.cacheWrite ?? 0) - write1h),
      cacheWrite1hTokens: write1h,
    },
    { batch: true },
  ).totalUsd;
}

/** Sums the successes' usage and cost into a BatchResults. */
export function summariseBatch(handle: BatchHandle, items: BatchItemResult[]): BatchResults {
  const usage: LlmUsage = { inputTokens: 0, outputTokens: 0 };
  let usd: number | null = 0;
  for (const item of items) {
    if (!item.ok) continue;
    usage.inputTokens += item.usage.inputTokens;
    usage.outputTokens += item.usage.outputTokens;
    if (item.usage.cacheRead) usage.cacheRead = (usage.cacheRead ?? 0) + item.usage.cacheRead;
    if (item.usage.cacheWrite) usage.cacheWrite = (usage.cacheWrite ?? 0) + item.usage.cacheWrite;
    if (item.usage.cacheWrite1h) usage.cacheWrite1h = (usage.cacheWrite1h ?? 0) + item.usage.cacheWrite1h;
    usd = usd === null || item.usd === null ? null : usd + item.usd;
  }
  return { handle, items, usage, usd };
}
