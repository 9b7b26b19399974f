import { createAnthropicBatchClient } from './anthropicBatches';
import { createOpenAiBatchClient } from './openAiBatches';
import type { BatchClient, BatchClientOptions, BatchEndpoint } from './types';

export * from './types';
export {
  waitForBatch,
  systemClock,
  type BatchClock,
  type BatchProgress,
  type WaitForBatchOptions,
} from './wait';
export { ANTHROPIC_BATCH_MAX_REQUESTS } from './anthropicBatches';
export { OPENAI_BATCH_MAX_REQUESTS } from './openAiBatches';

/** Builds a batch client for one wire protocol: one entry per protocol, as for the providers themselves. */
export const BATCH_KINDS: Readonly<
  Record<BatchEndpoint['kind'], (endpoint: BatchEndpoint, options?: BatchClientOptions) => BatchClient>
> = {
  anthropic: createAnthropicBatchClient,
  openai: createOpenAiBatchClient,
};

/**
 * The batch client for an endpoint (a provider endpoint can be passed as is). OpenAI-compatible endpoints get
 * the OpenAI client; one whose server has no Files/Batches API fails on submit with the server's own 404,
 * coded PROVIDER_INVALID_REQUEST.
 */
export function createBatchClient(endpoint: BatchEndpoint, options: BatchClientOptions = {}): BatchClient {
  return BATCH_KINDS[endpoint.kind](endpoint, options);
}
