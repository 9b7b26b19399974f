import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
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

function apiMessageOf(err: APIError): string | undefined {
  if (err.apiMessage) return err.apiMessage;
  const body = err.error as { error?: { message?: unknown } } | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : undefined;
}

/**
 * Turns whatever the Anthropic SDK threw into a coded AppError with a message a person can act on. The key
 * is removed from every string that goes out (message and details), whatever the server sent back.
 * `what` names the operation ("Counting tokens"), `retries` how many retries the SDK already made.
 */
export function anthropicError(
  err: unknown,
  options: { what: string; apiKey?: string; retries: number },
): AppError {
  const { what, apiKey, retries } = options;
  const make = (code: ErrorCode, message: string, details: Record<string, unknown>) =>
    new AppError(
      code,
      redactSecret(message, apiKey),
      redactDetails({ provider: 'anthropic', ...details }, apiKey),
    );
  const tried = retries > 0 ? ` (${retries} retries did not get through)` : '';
  if (isAppError(err)) return make(err.code, err.message, err.details ?? {});
  if (err instanceof APIConnectionError) {
    const timeout = err instanceof APIConnectionTimeoutError;
    const cause = rootCause(err);
    return make(
      'PROVIDER_NETWORK',
      timeout
        ? `${what} with Anthropic timed out${tried}. Check your connection and try again.`
        : `${what} could not reach Anthropic${cause ? ` (${cause})` : ''}${tried}. Check your connection or proxy and try again.`,
      { timeout, retries, cause },
    );
  }
  if (err instanceof APIError) {
    const status = err.status;
    const apiMessage = apiMessageOf(err);
    const said = apiMessage ? `: ${apiMessage}` : '';
    const base = {
      status,
      type: err.type ?? undefined,
      requestId: err.requestID ?? undefined,
      apiMessage,
    };
    const after = retryAfterSeconds(err.headers?.get('retry-after'));
    if (status === 401 || status === 403) {
      return make(
        'PROVIDER_AUTH',
        status === 401
          ? `Anthropic rejected the API key (HTTP 401${said}). Check ANTHROPIC_API_KEY or the key in Settings.`
          : `The Anthropic API key is not allowed to do this (HTTP 403${said}). Check the key's workspace and permissions.`,
        base,
      );
    }
    if (status === 429) {
      return make(
        'PROVIDER_RATE_LIMIT',
        `Anthropic's rate limit was reached (HTTP 429)${tried}.${after !== undefined ? ` Try again in ${after} s.` : ' Try again shortly.'}`,
        { ...base, retryAfterSeconds: after, retries },
      );
    }
    if (status === 529 || status === 503) {
      return make(
        'PROVIDER_OVERLOADED',
        `Anthropic is overloaded (HTTP ${status})${tried}. Try again in a few minutes.`,
        { ...base, retryAfterSeconds: after, retries },
      );
    }
    if (status !== undefined && status >= 500) {
      return make(
        'PROVIDER_ERROR',
        `Anthropic had an internal error (HTTP ${status}${said})${tried}. Try again later.`,
        { ...base, retries },
      );
    }
    return make('PROVIDER_ERROR', `Anthropic refused the request (HTTP ${status ?? '?'}${said}).`, base);
  }
  const message = err instanceof Error ? err.message : String(err);
  return make(
    'PROVIDER_ERROR',
    `${what} failed: Anthropic sent an answer PromptPress could not read (${message}).`,
    {},
  );
}
