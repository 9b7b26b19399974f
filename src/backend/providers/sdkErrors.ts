import {
  httpError,
  networkError,
  providerError,
  retryAfterMs,
  timeoutError,
  unreadableError,
  type ErrorContext,
} from '../../core/providers/errors';
import { isAppError, type AppError } from '../../shared/errors';

/**
 * The SDK side of error classification: pulls status, message, code and headers out of whatever the
 * official SDKs threw, and leaves the judging to core (`src/core/providers/errors.ts`), so both SDKs and
 * any compatible server are judged by one table.
 */

export { notConfigured, redactSecret } from '../../core/providers/errors';

/** Seconds from a `retry-after` header (seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  const ms = retryAfterMs((name) => (name === 'retry-after' ? value : null), now);
  return ms === undefined
    ? undefined
    : value && Number.isFinite(Number(value))
      ? ms / 1000
      : Math.ceil(ms / 1000);
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
  code?: string | null;
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

export interface SdkErrorOptions extends ErrorContext {
  /** The per-attempt time limit, named in a timeout's message. */
  timeoutMs?: number;
}

/** The provider's own message: Anthropic nests it (`{ error: { message } }`), OpenAI's SDK unwraps it. */
function apiMessageOf(err: SdkApiError): string | undefined {
  if (err.apiMessage) return err.apiMessage;
  const body = err.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  if (typeof body?.error?.message === 'string') return body.error.message;
  return typeof body?.message === 'string' ? body.message : undefined;
}

/** The error type: OpenAI's SDK has it on the error, Anthropic's only in the body. */
function apiTypeOf(err: SdkApiError): string | undefined {
  if (err.type) return err.type;
  const body = err.error as { type?: unknown; error?: { type?: unknown } } | undefined;
  if (typeof body?.error?.type === 'string') return body.error.type;
  return typeof body?.type === 'string' && body.type !== 'error' ? body.type : undefined;
}

/**
 * Turns whatever an official provider SDK threw into a coded AppError with a message a person can act on.
 * The key is removed from every string that goes out (message and details), whatever the server sent back.
 */
export function sdkError(err: unknown, classes: SdkErrorClasses, options: SdkErrorOptions): AppError {
  if (isAppError(err)) return providerError(err.code, err.message, err.details ?? {}, options);
  if (err instanceof classes.APIUserAbortError) {
    return providerError(
      'PROVIDER_CANCELLED',
      `${options.what} with ${options.label} was cancelled.`,
      {
        cancelled: true,
      },
      options,
    );
  }
  if (err instanceof classes.APIConnectionTimeoutError) return timeoutError(options.timeoutMs, options);
  if (err instanceof classes.APIConnectionError) return networkError(rootCause(err), options);
  if (err instanceof classes.APIError) {
    const e = err as SdkApiError;
    const header = (name: string) => e.headers?.get(name) ?? null;
    const should = header('x-should-retry');
    return httpError(
      {
        status: e.status,
        apiMessage: apiMessageOf(e),
        apiCode: e.code ?? undefined,
        apiType: apiTypeOf(e),
        requestId: e.requestID ?? header('request-id') ?? header('x-request-id') ?? undefined,
        retryAfterMs: retryAfterMs(header),
        shouldRetry: should === 'true' ? true : should === 'false' ? false : undefined,
      },
      options,
    );
  }
  return unreadableError(err instanceof Error ? err.message : String(err), options);
}
