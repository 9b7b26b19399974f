import { isAppError } from '../../../src/core/errors';

/** The AppError `fn` throws (its code, message and details); fails the test when it throws nothing else. */
export function failure(fn: () => unknown): {
  code: string;
  message: string;
  details: Record<string, unknown> | undefined;
} {
  try {
    fn();
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}
