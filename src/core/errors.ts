/**
 * Coded errors shared by every layer. A code is stable and machine-readable; the message is written for a
 * person and says what to do next. Hosts turn these into `{ ok: false, error }` payloads, CLI exit codes and
 * UI notices; nothing outside this module invents a code.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_ROUTE',
  'INTERNAL',
  'FILE_NOT_FOUND',
  'IS_A_DIRECTORY',
  'NOT_A_DIRECTORY',
  'FILE_TOO_LARGE',
  'BINARY_FILE',
  'ENCODING_INVALID',
  'FILE_CHANGED_ON_DISK',
  'FILE_EXISTS',
  'PERMISSION_DENIED',
  'PATH_OUTSIDE_WORKSPACE',
  'NO_WORKSPACE',
  'WRITE_FAILED',
  'PARSE_ERROR',
  'UNKNOWN_MODEL',
  'NO_PRICE',
  'UNSUPPORTED',
  'UNAUTHORIZED',
  'FORBIDDEN_HOST',
  'METHOD_NOT_ALLOWED',
  'NOT_FOUND',
  'BACKEND_UNREACHABLE',
  'PROVIDER_AUTH',
  'PROVIDER_RATE_LIMIT',
  'PROVIDER_OVERLOADED',
  'PROVIDER_ERROR',
  'PROVIDER_NETWORK',
  'PROVIDER_NOT_CONFIGURED',
  'PROVIDER_PERMISSION',
  'PROVIDER_INVALID_REQUEST',
  'PROVIDER_CONTEXT_TOO_LONG',
  'PROVIDER_CONTENT_FILTERED',
  'PROVIDER_TIMEOUT',
  'PROVIDER_CANCELLED',
  'BATCH_NOT_ENDED',
  'BUDGET_EXCEEDED',
  'STORAGE_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error with a stable code, a human message and optional structured details (never a stack trace). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** True when `value` is an AppError, also across realms where `instanceof` fails. */
export function isAppError(value: unknown): value is AppError {
  return (
    value instanceof AppError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'AppError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
