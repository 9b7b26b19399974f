import Anthropic from '@anthropic-ai/sdk';
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
} from '@anthropic-ai/sdk/resources/messages/batches';
import type { BatchHandle, BatchItemResult, BatchStopReason } from '../../../core/providers/batch';
import { hasBatchResults, summariseBatch } from '../../../core/providers/batch';
import { ANTHROPIC_ERROR_CLASSES } from '../../services/anthropicErrors';
import { notConfigured } from '../sdkErrors';
import {
  checkRequests,
  erroredItem,
  noResults,
  priceItem,
  requestedModels,
  unrunItem,
  type BatchContext,
  sdkCaller,
  withSignal,
} from './common';
import type { BatchClient, BatchClientOptions, BatchEndpoint } from './types';

/** Anthropic's limit on requests per Message Batch. */
export const ANTHROPIC_BATCH_MAX_REQUESTS = 100_000;

const STOP: Record<string, BatchStopReason> = {
  end_turn: 'end',
  stop_sequence: 'end',
  max_tokens: 'max_tokens',
  model_context_window_exceeded: 'max_tokens',
  refusal: 'refusal',
};

/**
 * The status of a Message Batch. Anthropic has one terminal status, `ended`; whether it ended because it was
 * canceled or ran out of its 24 hours shows in `cancel_initiated_at` and the request counts.
 */
function statusOf(b: MessageBatch): BatchHandle['status'] {
  if (b.processing_status === 'in_progress') return 'in_progress';
  if (b.processing_status === 'canceling') return 'canceling';
  if (b.cancel_initiated_at) return 'canceled';
  return b.request_counts.expired > 0 ? 'expired' : 'ended';
}

function handleOf(provider: string, b: MessageBatch, models: string[]): BatchHandle {
  const c = b.request_counts;
  return {
    provider,
    id: b.id,
    status: statusOf(b),
    providerStatus: b.processing_status,
    counts: {
      total: c.processing + c.succeeded + c.errored + c.canceled + c.expired,
      processing: c.processing,
      succeeded: c.succeeded,
      errored: c.errored,
      canceled: c.canceled,
      expired: c.expired,
    },
    models,
    createdAt: b.created_at,
    ...(b.ended_at ? { endedAt: b.ended_at } : {}),
    ...(b.expires_at ? { expiresAt: b.expires_at } : {}),
  };
}

function itemOf(
  ctx: BatchContext,
  handle: BatchHandle,
  line: MessageBatchIndividualResponse,
): BatchItemResult {
  const id = line.custom_id;
  const r = line.result;
  if (r.type === 'canceled' || r.type === 'expired') return unrunItem(ctx, id, r.type);
  if (r.type === 'errored') {
    const e = r.error;
    // Anthropic reports no HTTP status per request, only the error type (invalid_request_error, …)
    return erroredItem(ctx, id, {
      type: e?.error?.type,
      message: e?.error?.message,
      requestId: e?.request_id ?? undefined,
    });
  }
  const m = r.message;
  const u = m.usage;
  const write1h = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const usage = {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    ...(u.cache_read_input_tokens ? { cacheRead: u.cache_read_input_tokens } : {}),
    ...(u.cache_creation_input_tokens ? { cacheWrite: u.cache_creation_input_tokens } : {}),
    ...(write1h ? { cacheWrite1h: write1h } : {}),
  };
  return {
    customId: id,
    ok: true,
    text: m.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
    usage,
    usageMethod: 'provider-reported',
    usd: priceItem(ctx, handle, m.model, usage),
    model: m.model,
    stopReason: (m.stop_reason && STOP[m.stop_reason]) || 'other',
    providerStopReason: m.stop_reason ?? null,
  };
}

/** Message Batches (`messages.batches.create/retrieve/results/cancel`) through the official SDK. */
export function createAnthropicBatchClient(
  endpoint: BatchEndpoint,
  options: BatchClientOptions = {},
): BatchClient {
  const apiKey = endpoint.apiKey?.trim() || undefined;
  const label = endpoint.label ?? 'Anthropic';
  const keyHint = endpoint.keyHint ?? 'ANTHROPIC_API_KEY';
  const maxRetries = options.maxRetries ?? 2;
  const ctx: BatchContext = { provider: endpoint.id, label, keyHint, apiKey, options };
  let client: Anthropic | undefined;
  const sdk = () => {
    if (apiKey === undefined) throw notConfigured(label, endpoint.id, keyHint);
    return (client ??= new Anthropic({
      apiKey,
      baseURL: endpoint.baseURL,
      fetch: options.fetch,
      maxRetries,
      timeout: options.timeoutMs ?? 120_000,
      // the SDK's own logging is off whatever ANTHROPIC_LOG says: it could print request headers
      logLevel: 'off',
    }));
  };
  const call = sdkCaller(ctx, ANTHROPIC_ERROR_CLASSES, sdk, maxRetries);
  const req = withSignal;
  const poll: BatchClient['poll'] = async (handle, opts = {}) => {
    const b = await call(`Checking batch ${handle.id}`, (c) =>
      c.messages.batches.retrieve(handle.id, undefined, req(opts.signal)),
    );
    return handleOf(endpoint.id, b, handle.models);
  };

  return {
    provider: endpoint.id,
    configured: apiKey !== undefined,
    async submit(requests, opts = {}) {
      checkRequests(requests, { most: ANTHROPIC_BATCH_MAX_REQUESTS, label, oneModel: false });
      const b = await call('Submitting a batch', (c) =>
        c.messages.batches.create(
          {
            requests: requests.map(({ customId, request: r }) => ({
              custom_id: customId,
              params: {
                model: r.model,
                max_tokens: r.maxTokens,
                ...(r.system ? { system: r.system } : {}),
                messages: r.messages.map((m) => ({ role: m.role, content: m.content })),
                ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
              },
            })),
          },
          req(opts.signal),
        ),
      );
      return handleOf(endpoint.id, b, requestedModels(requests));
    },
    poll,
    async results(handle, opts = {}) {
      const now = await poll(handle, opts);
      if (!hasBatchResults(now.status)) throw noResults(ctx, now);
      // the SDK retrieves the batch again for its results_url, then streams the JSONL file line by line
      const items = await call(`Fetching the results of batch ${handle.id}`, async (c) => {
        const out: BatchItemResult[] = [];
        const lines = await c.messages.batches.results(handle.id, undefined, req(opts.signal));
        for await (const line of lines) out.push(itemOf(ctx, now, line));
        return out;
      });
      return summariseBatch(now, items);
    },
    async cancel(handle, opts = {}) {
      const b = await call(`Canceling batch ${handle.id}`, (c) =>
        c.messages.batches.cancel(handle.id, undefined, req(opts.signal)),
      );
      return handleOf(endpoint.id, b, handle.models);
    },
  };
}
