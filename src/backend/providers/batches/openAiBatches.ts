import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  toFile,
} from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { BatchHandle, BatchItemResult, BatchStopReason } from '../../../core/providers/batch';
import { hasBatchResults, summariseBatch } from '../../../core/providers/batch';
import { notConfigured, type SdkErrorClasses } from '../sdkErrors';
import {
  checkRequests,
  erroredItem,
  isoFromSeconds,
  noResults,
  priceItem,
  requestedModels,
  unreadableItem,
  unrunItem,
  type BatchContext,
  sdkCaller,
  withSignal,
} from './common';
import type { BatchClient, BatchClientOptions, BatchEndpoint } from './types';

/** OpenAI's limit on requests per batch input file. */
export const OPENAI_BATCH_MAX_REQUESTS = 50_000;

const CLASSES: SdkErrorClasses = {
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
};

const STATUS: Record<Batch['status'], BatchHandle['status']> = {
  validating: 'validating',
  in_progress: 'in_progress',
  // results are written while finalizing: still running as far as a caller is concerned
  finalizing: 'in_progress',
  completed: 'ended',
  cancelling: 'canceling',
  cancelled: 'canceled',
  expired: 'expired',
  failed: 'failed',
};

function handleOf(provider: string, b: Batch, models: string[]): BatchHandle {
  const status = STATUS[b.status] ?? 'in_progress';
  const c = b.request_counts ?? { total: 0, completed: 0, failed: 0 };
  // OpenAI counts only completed and failed; the rest are waiting, or never ran once the batch stopped
  const rest = Math.max(0, c.total - c.completed - c.failed);
  const errors = (b.errors?.data ?? []).map(
    (e) => `${e.line != null ? `line ${e.line}: ` : ''}${e.message ?? e.code ?? 'invalid input'}`,
  );
  const ended = b.completed_at ?? b.cancelled_at ?? b.expired_at ?? b.failed_at;
  return {
    provider,
    id: b.id,
    status,
    providerStatus: b.status,
    counts: {
      total: c.total,
      processing: status === 'canceled' || status === 'expired' || status === 'ended' ? 0 : rest,
      succeeded: c.completed,
      errored: c.failed,
      canceled: status === 'canceled' ? rest : 0,
      expired: status === 'expired' ? rest : 0,
    },
    models,
    createdAt: isoFromSeconds(b.created_at) ?? new Date(0).toISOString(),
    ...(ended ? { endedAt: isoFromSeconds(ended) } : {}),
    ...(b.expires_at ? { expiresAt: isoFromSeconds(b.expires_at) } : {}),
    ...(errors.length ? { errors } : {}),
  };
}

const FINISH: Record<string, BatchStopReason> = {
  stop: 'end',
  length: 'max_tokens',
  content_filter: 'refusal',
};

/** One line of a batch's output or error file (OpenAI's BatchRequestOutput). */
interface OutputLine {
  custom_id: string;
  response: { status_code: number; request_id?: string; body: unknown } | null;
  error: { code?: string; message?: string } | null;
}

function itemOf(ctx: BatchContext, handle: BatchHandle, line: OutputLine): BatchItemResult {
  const id = line.custom_id;
  const res = line.response;
  if (!res) {
    // requests that never ran are reported with an error code and no response
    if (line.error?.code === 'batch_cancelled') return unrunItem(ctx, id, 'canceled');
    if (line.error?.code === 'batch_expired') return unrunItem(ctx, id, 'expired');
    return erroredItem(ctx, id, { code: line.error?.code, message: line.error?.message });
  }
  if (res.status_code !== 200) {
    const e = (res.body as { error?: { type?: string; code?: string | null; message?: string } } | null)
      ?.error;
    return erroredItem(ctx, id, {
      status: res.status_code,
      type: e?.type,
      code: e?.code ?? undefined,
      message: e?.message,
      requestId: res.request_id,
    });
  }
  const body = res.body as ChatCompletion;
  const choice = body?.choices?.[0];
  const u = body?.usage;
  if (!choice || typeof u?.prompt_tokens !== 'number') {
    return unreadableItem(ctx, id, 'the answer has no choices or usage');
  }
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  // prompt_tokens includes the cached part; ours counts it once, under cacheRead
  const usage = {
    inputTokens: u.prompt_tokens - cached,
    outputTokens: u.completion_tokens,
    ...(cached > 0 ? { cacheRead: cached } : {}),
  };
  const refused = typeof choice.message.refusal === 'string' && choice.message.refusal !== '';
  return {
    customId: id,
    ok: true,
    text: choice.message.content ?? '',
    usage,
    usageMethod: 'provider-reported',
    usd: priceItem(ctx, handle, body.model, usage),
    model: body.model,
    stopReason: refused ? 'refusal' : (FINISH[choice.finish_reason] ?? 'other'),
    providerStopReason: choice.finish_reason ?? null,
    ...(res.request_id ? { requestId: res.request_id } : {}),
  };
}

/**
 * OpenAI's Batch API through the official SDK: the requests are uploaded as a JSONL file (`files.create`,
 * purpose `batch`), run by `batches.create` against /v1/chat/completions, and read back from the output and
 * error files (`files.content`). Also for OpenAI-compatible endpoints that offer Files and Batches. As for
 * single calls, OpenAI itself takes `max_completion_tokens` and compatible servers `max_tokens`.
 */
export function createOpenAiBatchClient(
  endpoint: BatchEndpoint,
  options: BatchClientOptions = {},
): BatchClient {
  const apiKey = endpoint.apiKey?.trim() || undefined;
  const label = endpoint.label ?? (endpoint.id === 'openai' ? 'OpenAI' : endpoint.id);
  const keyHint = endpoint.keyHint ?? (endpoint.id === 'openai' ? 'OPENAI_API_KEY' : `the key for ${label}`);
  const limitField = endpoint.id === 'openai' ? 'max_completion_tokens' : 'max_tokens';
  const maxRetries = options.maxRetries ?? 2;
  const ctx: BatchContext = { provider: endpoint.id, label, keyHint, apiKey, options };
  let client: OpenAI | undefined;
  const sdk = () => {
    if (apiKey === undefined) throw notConfigured(label, endpoint.id, keyHint);
    return (client ??= new OpenAI({
      apiKey,
      baseURL: endpoint.baseURL,
      fetch: options.fetch,
      maxRetries,
      timeout: options.timeoutMs ?? 120_000,
      // the SDK's own logging is off whatever OPENAI_LOG says: it could print request headers
      logLevel: 'off',
      // never pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment behind the user's back
      organization: null,
      project: null,
    }));
  };
  const call = sdkCaller(ctx, CLASSES, sdk, maxRetries);
  const req = withSignal;
  const retrieve = async (handle: BatchHandle, signal?: AbortSignal) => {
    const b = await call(`Checking batch ${handle.id}`, (c) => c.batches.retrieve(handle.id, req(signal)));
    return { batch: b, handle: handleOf(endpoint.id, b, handle.models) };
  };
  // a line that does not parse fails the download like any unreadable answer (sdkError says so)
  const lines = (fileId: string, signal?: AbortSignal): Promise<OutputLine[]> =>
    call(`Downloading batch file ${fileId}`, async (c) => {
      const text = await (await c.files.content(fileId, req(signal))).text();
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as OutputLine);
    });

  return {
    provider: endpoint.id,
    configured: apiKey !== undefined,
    async submit(requests, opts = {}) {
      checkRequests(requests, { most: OPENAI_BATCH_MAX_REQUESTS, label, oneModel: true });
      const jsonl = requests.map(({ customId, request: r }) =>
        JSON.stringify({
          custom_id: customId,
          method: 'POST',
          url: '/v1/chat/completions',
          body: {
            model: r.model,
            messages: [
              ...(r.system ? [{ role: 'system', content: r.system }] : []),
              ...r.messages.map((m) => ({ role: m.role, content: m.content })),
            ],
            [limitField]: r.maxTokens,
            ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
          },
        }),
      );
      const upload = await toFile(Buffer.from(`${jsonl.join('\n')}\n`, 'utf8'), 'promptpress-batch.jsonl', {
        type: 'application/jsonl',
      });
      const file = await call('Uploading the batch', (c) =>
        c.files.create({ file: upload, purpose: 'batch' }, req(opts.signal)),
      );
      try {
        const b = await call('Submitting a batch', (c) =>
          c.batches.create(
            { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' },
            req(opts.signal),
          ),
        );
        return handleOf(endpoint.id, b, requestedModels(requests));
      } catch (err) {
        // the upload is of no use without its batch; leaving it would fill the user's file storage
        await sdk()
          .files.delete(file.id)
          .catch(() => undefined);
        throw err;
      }
    },
    async poll(handle, opts = {}) {
      return (await retrieve(handle, opts.signal)).handle;
    },
    async results(handle, opts = {}) {
      const { batch, handle: now } = await retrieve(handle, opts.signal);
      if (!hasBatchResults(now.status)) throw noResults(ctx, now);
      const out = [
        ...(batch.output_file_id ? await lines(batch.output_file_id, opts.signal) : []),
        ...(batch.error_file_id ? await lines(batch.error_file_id, opts.signal) : []),
      ];
      return summariseBatch(
        now,
        out.map((line) => itemOf(ctx, now, line)),
      );
    },
    async cancel(handle, opts = {}) {
      const b = await call(`Canceling batch ${handle.id}`, (c) =>
        c.batches.cancel(handle.id, req(opts.signal)),
      );
      return handleOf(endpoint.id, b, handle.models);
    },
  };
}
