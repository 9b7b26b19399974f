import { AppError, type ErrorCode } from '../errors';

/**
 * Turns a provider's HTTP error into a coded AppError with a message a person can act on. Pure: the backend
 * extracts these fields from whichever SDK threw, so both SDKs (and any compatible server) are judged by one
 * table. Keys are removed from every string that goes out.
 */

const REDACTED = '[redacted key]';

/** Replaces every occurrence of `secret` in `text` (a server may echo the key it rejected). */
export function redactSecret(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join(REDACTED) : text;
}

/** Who was called and for what, for the message. */
export interface ErrorContext {
  /** Registry id, put in the details (`anthropic`). */
  provider: string;
  /** Name in messages (`Anthropic`, `OpenAI`). */
  label: string;
  /** Where to fix a rejected key ("ANTHROPIC_API_KEY or the key in Settings"). */
  keyHint: string;
  /** The operation, capitalised ("Counting tokens"). */
  what: string;
  /** Removed from every string that goes out. */
  apiKey?: string;
  /** Retries already made before this failure. */
  retries: number;
}

/** What an HTTP error said, however the SDK carried it. */
export interface HttpErrorFacts {
  status: number | undefined;
  /** The provider's own message. */
  apiMessage?: string;
  /** OpenAI's `error.code` (`context_length_exceeded`, `content_filter`, …). */
  apiCode?: string;
  /** The error `type` (`invalid_request_error`, `overloaded_error`, …). */
  apiType?: string;
  requestId?: string;
  /** From `retry-after-ms` or `retry-after`. */
  retryAfterMs?: number;
  /** The server's `x-should-retry` verdict, when it gave one. */
  shouldRetry?: boolean;
}

/** Milliseconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date), or undefined. */
export function retryAfterMs(
  header: (name: string) => string | null | undefined,
  nowEpochMs = Date.now(),
): number | undefined {
  const ms = Number(header('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = header('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowEpochMs);
}

const CONTEXT_TOO_LONG =
  /context[_ ]length|context window|maximum context|prompt is too long|too many (input )?tokens|input is too long|reduce the length/i;
const CONTENT_FILTERED =
  /content[_ ]filter|content (management )?policy|safety system|flagged|usage polic(y|ies)|responsible ai/i;

function redactDetails(details: Record<string, unknown>, secret: string | undefined) {
  return Object.fromEntries(
    Object.entries(details)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === 'string' ? redactSecret(v, secret) : v]),
  );
}

/** An AppError whose message and string details are scrubbed of `ctx.apiKey`. */
export function providerError(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown>,
  ctx: Pick<ErrorContext, 'provider' | 'apiKey'>,
): AppError {
  return new AppError(
    code,
    redactSecret(message, ctx.apiKey),
    redactDetails({ provider: ctx.provider, ...details }, ctx.apiKey),
  );
}

const triedSuffix = (retries: number) => (retries > 0 ? ` (${retries} retries did not get through)` : '');

/** The coded error for an HTTP error answer. */
export function httpError(facts: HttpErrorFacts, ctx: ErrorContext): AppError {
  const { status, apiMessage, apiCode } = facts;
  const { label, keyHint, what, retries } = ctx;
  const said = apiMessage ? `: ${apiMessage}` : '';
  const tried = triedSuffix(retries);
  const after = facts.retryAfterMs;
  const details = {
    status,
    type: facts.apiType,
    apiCode,
    requestId: facts.requestId,
    apiMessage,
    retryAfterMs: after,
    retryAfterSeconds: after === undefined ? undefined : after / 1000,
    shouldRetry: facts.shouldRetry,
    retries,
  };
  const make = (code: ErrorCode, message: string) => providerError(code, message, details, ctx);
  const words = `${apiCode ?? ''} ${facts.apiType ?? ''} ${apiMessage ?? ''}`;
  const inS = (ms: number) => `${Math.round(ms / 10) / 100} s`;

  if (status === 401)
    return make('PROVIDER_AUTH', `${label} rejected the API key (HTTP 401${said}). Check ${keyHint}.`);
  if (status === 403 && !CONTENT_FILTERED.test(words)) {
    return make(
      'PROVIDER_PERMISSION',
      `The ${label} API key is not allowed to do this (HTTP 403${said}). Check the key's workspace or project, and its access to this model.`,
    );
  }
  if (status === 429) {
    const when = after !== undefined ? `Try again in ${inS(after)}` : 'Try again shortly';
    return make(
      'PROVIDER_RATE_LIMIT',
      `${label}'s rate limit was reached (HTTP 429)${tried}. ${when}, or lower this provider's requests or tokens per minute in Settings.`,
    );
  }
  if (status === 529 || status === 503) {
    return make(
      'PROVIDER_OVERLOADED',
      `${label} is overloaded (HTTP ${status})${tried}. Try again in a few minutes.`,
    );
  }
  if (status === 408 || status === 504) {
    return make(
      'PROVIDER_TIMEOUT',
      `${what} timed out at ${label} (HTTP ${status})${tried}. Try again, or send less.`,
    );
  }
  if (status !== undefined && status >= 500) {
    return make(
      'PROVIDER_ERROR',
      `${label} had an internal error (HTTP ${status}${said})${tried}. Try again later.`,
    );
  }
  if (status === 413 || CONTEXT_TOO_LONG.test(words)) {
    return make(
      'PROVIDER_CONTEXT_TOO_LONG',
      `The request is longer than the model accepts (HTTP ${status}${said}). Shorten the prompt or the history, lower the output limit, or choose a model with a longer context.`,
    );
  }
  if (CONTENT_FILTERED.test(words)) {
    return make(
      'PROVIDER_CONTENT_FILTERED',
      `${label}'s content filter refused the request (HTTP ${status}${said}). Rephrase the part it objects to; retrying the same text will be refused again.`,
    );
  }
  if (status === 404) {
    return make(
      'PROVIDER_INVALID_REQUEST',
      `${label} has no such model or endpoint (HTTP 404${said}). Check the model id, and that the endpoint's base URL is right (compatible servers usually end in /v1).`,
    );
  }
  return make(
    'PROVIDER_INVALID_REQUEST',
    `${label} refused the request as invalid (HTTP ${status ?? '?'}${said}). Check the options it names.`,
  );
}

/** The coded error for a request that never got an answer: connection refused, reset, DNS, proxy. */
export function networkError(cause: string | undefined, ctx: ErrorContext): AppError {
  return providerError(
    'PROVIDER_NETWORK',
    `${ctx.what} could not reach ${ctx.label}${cause ? ` (${cause})` : ''}${triedSuffix(ctx.retries)}. Check your connection, proxy or the endpoint's base URL, and try again.`,
    { timeout: false, cause, retries: ctx.retries },
    ctx,
  );
}

/** The coded error for an attempt that ran past its time limit. */
export function timeoutError(timeoutMs: number | undefined, ctx: ErrorContext): AppError {
  const limit = timeoutMs === undefined ? '' : ` after ${Math.round(timeoutMs / 100) / 10} s`;
  return providerError(
    'PROVIDER_TIMEOUT',
    `${ctx.what} with ${ctx.label} got no answer${limit}${triedSuffix(ctx.retries)}. Try again, raise the timeout, or send less.`,
    { timeout: true, timeoutMs, retries: ctx.retries },
    ctx,
  );
}

/** The coded error for an answer PromptPress could not read (not JSON, or missing its content or usage). */
export function unreadableError(reason: string, ctx: ErrorContext): AppError {
  return providerError(
    'PROVIDER_ERROR',
    `${ctx.what} failed: ${ctx.label} sent an answer PromptPress could not read (${reason}).`,
    { unreadable: true },
    ctx,
  );
}

/** Thrown when a provider has no key; the message says where a key goes, never what one looks like. */
export function notConfigured(label: string, id: string, keyHint: string): AppError {
  return new AppError(
    'PROVIDER_NOT_CONFIGURED',
    `No ${label} API key is configured, so PromptPress cannot call ${label}. Set ${keyHint} and restart.`,
    { provider: id },
  );
}
