import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import type { AppError } from '../../shared/errors';
import { sdkError, type SdkErrorClasses } from '../providers/sdkErrors';

export { redactSecret, retryAfterSeconds } from '../providers/sdkErrors';

/** The Anthropic SDK's error classes, for sdkError. */
export const ANTHROPIC_ERROR_CLASSES: SdkErrorClasses = {
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
};

/**
 * Turns whatever the Anthropic SDK threw into a coded AppError with a message a person can act on. The key
 * is removed from every string that goes out (message and details), whatever the server sent back.
 * `what` names the operation ("Counting tokens"), `retries` how many retries the SDK already made.
 */
export function anthropicError(
  err: unknown,
  options: { what: string; apiKey?: string; retries: number },
): AppError {
  return sdkError(err, ANTHROPIC_ERROR_CLASSES, {
    ...options,
    provider: 'anthropic',
    label: 'Anthropic',
    keyHint: 'ANTHROPIC_API_KEY or the key in Settings',
  });
}
