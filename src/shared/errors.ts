import { z } from 'zod';
import { ERROR_CODES } from '../core/errors';

export { AppError, ERROR_CODES, isAppError, type ErrorCode } from '../core/errors';

/** The error half of every route result, as it crosses IPC, HTTP and the CLI's --json output. */
export const ErrorPayloadSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorPayload };
