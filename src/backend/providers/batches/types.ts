import type { Catalog } from '../../../core/pricing/catalog';
import type { BatchHandle, BatchRequest, BatchResults } from '../../../core/providers/batch';

export type {
  BatchCompletionRequest,
  BatchCounts,
  BatchHandle,
  BatchItemFailure,
  BatchItemResult,
  BatchItemSuccess,
  BatchRequest,
  BatchResults,
  BatchStatus,
} from '../../../core/providers/batch';

/** Options every batch call takes. */
export interface BatchCallOptions {
  /** Stops the HTTP request in flight (the batch itself keeps running at the provider: see `cancel`). */
  signal?: AbortSignal;
}

/**
 * A provider's batch API behind one interface. Every method fails with a coded AppError whose message and
 * details never contain the key (PROVIDER_NOT_CONFIGURED without one, INVALID_INPUT on a bad request list,
 * BATCH_NOT_ENDED for results too early, PROVIDER_* for what the provider answered).
 */
export interface BatchClient {
  /** Registry id of the endpoint (`anthropic`, `openai`, …), put on every handle. */
  readonly provider: string;
  readonly configured: boolean;
  /** Sends the requests as one batch; the provider starts on it at once. */
  submit(requests: BatchRequest[], options?: BatchCallOptions): Promise<BatchHandle>;
  /** The batch's state now (the handle's `models` are carried over: providers do not echo them). */
  poll(handle: BatchHandle, options?: BatchCallOptions): Promise<BatchHandle>;
  /** Per-request results of a batch that has ended (also after a cancel or expiry: what ran before it). */
  results(handle: BatchHandle, options?: BatchCallOptions): Promise<BatchResults>;
  /** Asks the provider to stop the batch; requests already running may still finish. */
  cancel(handle: BatchHandle, options?: BatchCallOptions): Promise<BatchHandle>;
}

/**
 * How to reach one endpoint's batch API: the same fields as a provider endpoint, so one can be passed as is.
 * The key stays inside the client.
 */
export interface BatchEndpoint {
  id: string;
  kind: 'anthropic' | 'openai';
  label?: string;
  apiKey?: string;
  baseURL?: string;
  /** Where the key comes from, named in the "missing key" message (`ANTHROPIC_API_KEY`). */
  keyHint?: string;
}

/** Transport and pricing for a batch client. */
export interface BatchClientOptions {
  fetch?: typeof fetch;
  /** Retries the SDK makes per call on 408/409/429/5xx and connection errors, honouring retry-after (default 2). */
  maxRetries?: number;
  /** Per-attempt timeout (default 120 s: an upload of a large batch takes a while). */
  timeoutMs?: number;
  /** The catalog in force, for batch prices; results have `usd: null` without it. */
  catalog?: () => Catalog;
}
