import type { BatchHandle, BatchItemFailure, BatchRequest } from '../../../core/providers/batch';
import { batchItemUsd, batchPriceEntry } from '../../../core/providers/batch';
import type { LlmUsage } from '../../../core/providers/modelRef';
import { httpError, redactSecret, unreadableError } from '../../../core/providers/errors';
import { AppError } from '../../../shared/errors';
import { sdkError, type SdkErrorClasses } from '../sdkErrors';
import type { BatchClientOptions } from './types';

/** What every provider's batch client shares: naming, the key to scrub, pricing. */
export interface BatchContext {
  provider: string;
  label: string;
  keyHint: string;
  apiKey: string | undefined;
  options: BatchClientOptions;
}

/**
 * The SDK call wrapper both batch clients share: runs `run` on the (lazily built) SDK client and turns any
 * SDK failure into the provider's coded error, saying what was being done and never showing the key.
 */
export function sdkCaller<C>(ctx: BatchContext, classes: SdkErrorClasses, sdk: () => C, maxRetries: number) {
  return async <T>(what: string, run: (c: C) => Promise<T>): Promise<T> => {
    const c = sdk();
    try {
      return await run(c);
    } catch (err) {
      throw sdkError(err, classes, {
        provider: ctx.provider,
        label: ctx.label,
        keyHint: ctx.keyHint,
        what,
        apiKey: ctx.apiKey,
        retries: maxRetries,
        timeoutMs: ctx.options.timeoutMs ?? 120_000,
      });
    }
  };
}

/** SDK request options carrying only the abort signal, when there is one. */
export const withSignal = (signal?: AbortSignal) => (signal ? { signal } : undefined);

const CUSTOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks a request list before anything is uploaded: a provider refuses a bad list only after the upload
 * (OpenAI fails the whole batch at validation), so catching it here saves a round trip and says which entry.
 */
export function checkRequests(
  requests: readonly BatchRequest[],
  limits: { most: number; label: string; oneModel: boolean },
): void {
  const { most, label } = limits;
  const bad = (message: string, details: Record<string, unknown>) =>
    new AppError('INVALID_INPUT', message, { field: 'requests', ...details });
  if (requests.length === 0) throw bad('A batch needs at least one request.', {});
  if (requests.length > most) {
    throw bad(`${label} takes at most ${most} requests per batch; this one has ${requests.length}.`, {
      count: requests.length,
      most,
    });
  }
  const seen = new Set<string>();
  requests.forEach((r, index) => {
    if (!CUSTOM_ID.test(r.customId)) {
      throw bad(
        `Request ${index + 1} has the id "${r.customId}": a batch id is 1 to 64 letters, digits, "_" or "-".`,
        { index, customId: r.customId },
      );
    }
    if (seen.has(r.customId)) {
      throw bad(`Two requests of the batch have the id "${r.customId}"; each needs its own.`, {
        index,
        customId: r.customId,
      });
    }
    seen.add(r.customId);
    if (limits.oneModel && r.request.model !== requests[0]?.request.model) {
      throw bad(
        `${label} runs one model per batch; request "${r.customId}" asks for another. Send one batch per model.`,
        {
          index,
          customId: r.customId,
        },
      );
    }
    if (!Number.isInteger(r.request.maxTokens) || r.request.maxTokens < 1) {
      throw bad(`Request "${r.customId}" needs a whole number of output tokens (maxTokens) of at least 1.`, {
        index,
        customId: r.customId,
      });
    }
  });
}

/** The distinct models a batch asks for, for pricing its results. */
export const requestedModels = (requests: readonly BatchRequest[]): string[] => [
  ...new Set(requests.map((r) => r.request.model)),
];

/** Dollars for one result at the catalog's batch prices (null without a catalog, entry or batch price). */
export function priceItem(ctx: BatchContext, handle: BatchHandle, model: string, usage: LlmUsage) {
  const catalog = ctx.options.catalog?.();
  return catalog ? batchItemUsd(batchPriceEntry(catalog, ctx.provider, handle.models, model), usage) : null;
}

/** HTTP statuses of Anthropic's error types: its batch results carry the type, not the status. */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * A request that failed inside the batch, coded by the same table as a single call's failure (so a prompt
 * too long is PROVIDER_CONTEXT_TOO_LONG either way), the key scrubbed.
 */
export function erroredItem(
  ctx: BatchContext,
  customId: string,
  failure: { status?: number; type?: string; code?: string; message?: string; requestId?: string },
): BatchItemFailure {
  const status = failure.status ?? (failure.type ? STATUS_OF_TYPE[failure.type] : undefined);
  const e = httpError(
    {
      status,
      apiMessage: failure.message,
      apiType: failure.type,
      apiCode: failure.code,
      requestId: failure.requestId,
    },
    {
      provider: ctx.provider,
      label: ctx.label,
      keyHint: ctx.keyHint,
      what: 'A batch request',
      apiKey: ctx.apiKey,
      retries: 0,
    },
  );
  return {
    customId,
    ok: false,
    outcome: 'errored',
    error: {
      code: e.code,
      message: `Request "${customId}" of the batch failed. ${e.message}`,
      details: { ...e.details, customId },
    },
  };
}

/** A request whose answer PromptPress could not read. */
export function unreadableItem(ctx: BatchContext, customId: string, reason: string): BatchItemFailure {
  const e = unreadableError(reason, { ...ctx, what: `Request "${customId}" of the batch`, retries: 0 });
  return {
    customId,
    ok: false,
    outcome: 'errored',
    error: { code: e.code, message: e.message, details: { ...e.details, customId } },
  };
}

/** A request that never ran because its batch was canceled or ran out of time. */
export function unrunItem(
  ctx: BatchContext,
  customId: string,
  outcome: 'canceled' | 'expired',
): BatchItemFailure {
  return {
    customId,
    ok: false,
    outcome,
    error: {
      code: 'PROVIDER_ERROR',
      message:
        outcome === 'canceled'
          ? `Request "${customId}" did not run: its batch was canceled first. Submit it again to get an answer.`
          : `Request "${customId}" did not run: ${ctx.label} did not reach it within the batch's time window. Submit it again.`,
      details: { provider: ctx.provider, customId, [outcome]: true },
    },
  };
}

/**
 * Thrown by `results` on a batch without results: one still running (BATCH_NOT_ENDED), or one the provider
 * refused before running it (OpenAI's input validation).
 */
export function noResults(ctx: BatchContext, handle: BatchHandle): AppError {
  const details = { provider: ctx.provider, batchId: handle.id, status: handle.status };
  if (handle.status === 'failed') {
    const errors = (handle.errors ?? []).map((e) => redactSecret(e, ctx.apiKey));
    const why = errors.length ? `: ${errors.slice(0, 3).join('; ')}` : '';
    return new AppError(
      'PROVIDER_INVALID_REQUEST',
      `${ctx.label} refused batch ${handle.id} before running it${why}. It has no results.`,
      { ...details, errors },
    );
  }
  return new AppError(
    'BATCH_NOT_ENDED',
    `Batch ${handle.id} at ${ctx.label} is ${handle.status.replace('_', ' ')}; its results come once it ends. Poll it again later.`,
    details,
  );
}

/** ISO 8601 from Unix seconds (OpenAI) when given. */
export const isoFromSeconds = (s: number | null | undefined): string | undefined =>
  typeof s === 'number' ? new Date(s * 1000).toISOString() : undefined;
