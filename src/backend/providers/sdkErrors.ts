import { AppError, isAppError, type ErrorCode } from '../../shared/errors';

const REDACTED = '[redacted key]';

/** Replaces every occurrence of `secret` in `text` (a server may echo the key it rejected). */
export function redactSecret(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join(REDACTED) : text;
}

function redactDetails(details: Record<string, unknown>, secret: string | undefined) {
  return Object.fromEntries(
    Object.entries(details)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === 'string' ? redactSecret(v, secret) : v]),
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

/** Seconds from a `retry-after` header (seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The innermost cause's message (undici's "fetch failed" wraps the socket error that says what happened). */
function rootCause(err: Error): string | undefined {
  let e: unknown = err.cause;
  let message: string | undefined;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    message = (e as NodeJS.ErrnoException).code ?? e.message;
    e = e.cause;
  }
  return message;
}

/** The fields the Stainless-generated SDKs (Anthropic's and OpenAI's) put on an HTTP error. */
interface SdkApiError extends Error {
  status?: number;
  headers?: { get(name: string): string | null };
  error?: unknown;
  requestID?: string | null;
  type?: string | null;
  apiMessage?: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDKs' error classes have different constructors
type ErrorClass = abstract new (...args: any[]) => Error;

/** An SDK's error classes: the two SDKs share the shape but not the classes, so each passes its own. */
export interface SdkErrorClasses {
  APIError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIUserAbortError: ErrorClass;
}

export interface SdkErrorOptions {
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
  /** How many retries the SDK already made. */
  retries: number;
}

/** The provider's own message: Anthropic nests it (`{ error: { message } }`), OpenAI's SDK unwraps it. */
function apiMessageOf(err: SdkApiError): string | undefined {
  if (err.apiMessage) return err.apiMessage;
  const body = err.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  if (typeof body?.error?.message === 'string') return body.error.message;
  return typeof body?.message === 'string' ? body.message : undefined;
}

/**
 * Turns whatever an official provider SDK threw into a coded AppError with a message a person can act on.
 * The key is removed from every string that goes out (message and details), whatever the server sent back.
 */
export function sdkError(err: unknown, classes: SdkErrorClasses, options: SdkErrorOptions): AppError {
  const { provider, label, keyHint, what, apiKey, retries } = options;
  const make = (code: ErrorCode, message: string, details: Record<string, unknown>) =>
    new AppError(code, redactSecret(message, apiKey), redactDetails({ provider, ...details }, apiKey));
  const tried = retries > 0 ? ` (${retries} retries did not get through)` : '';
  if (isAppError(err)) return make(err.code, err.message, err.details ?? {});
  if (err instanceof classes.APIUserAbortError) {
    return make('PROVIDER_ERROR', `${what} with ${label} was cancelled.`, { cancelled: true });
  }
  if (err instanceof classes.APIConnectionError) {
    const timeout = err instanceof classes.APIConnectionTimeoutError;
    const cause = rootCause(err);
    return make(
      'PROVIDER_NETWORK',
      timeout
        ? `${what} with ${label} timed out${tried}. Check your connection and try again.`
        : `${what} could not reach ${label}${cause ? ` (${cause})` : ''}${tried}. Check your connection or proxy and try again.`,
      { timeout, retries, cause },
    );
  }
  if (err instanceof classes.APIError) {
    const e = err as SdkApiError;
    const status = e.status;
    const apiMessage = apiMessageOf(e);
    const said = apiMessage ? `: ${apiMessage}` : '';
    const base = { status, type: e.type ?? undefined, requestId: e.requestID ?? undefined, apiMessage };
    const after = retryAfterSeconds(e.headers?.get('retry-after'));
    if (status === 401 || status === 403) {
      return make(
        'PROVIDER_AUTH',
        status === 401
          ? `${label} rejected the API key (HTTP 401${said}). Check ${keyHint}.`
          : `The ${label} API key is not allowed to do this (HTTP 403${said}). Check the key's workspace and permissions.`,
        base,
      );
    }
    if (status === 429) {
      return make(
        'PROVIDER_RATE_LIMIT',
        `${label}'s rate limit was reached (HTTP 429)${tried}.${after !== undefined ? ` Try again in ${after} s.` : ' Try again shortly.'}`,
        { ...base, retryAfterSeconds: after, retries },
      );
    }
    if (status === 529 || status === 503) {
      return make(
        'PROVIDER_OVERLOADED',
        `${label} is overloaded (HTTP ${status})${tried}. Try again in a few minutes.`,
        { ...base, retryAfterSeconds: after, retries },
      );
    }
    if (status !== undefined && status >= 500) {
      return make(
        'PROVIDER_ERROR',
        `${label} had an internal error (HTTP ${status}${said})${tried}. Try again later.`,
        { ...base, retries },
      );
    }
    return make('PROVIDER_ERROR', `${label} refused the request (HTTP ${status ?? '?'}${said}).`, base);
  }
  const message = err instanceof Error ? err.message : String(err);
  return make(
    'PROVIDER_ERROR',
    `${what} failed: ${label} sent an answer PromptPress could not read (${message}).`,
    {},
  );
}
