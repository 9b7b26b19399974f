import type { ErrorPayload } from '../shared/errors';
import { errorLine } from './format';

/** What a CLI command may touch of the outside world; tests pass buffers instead of the process streams. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: progress is one line rewritten in place. */
  stderrIsTTY?: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Exit codes: documented in the README's CLI reference. */
export const EXIT = {
  ok: 0,
  error: 1,
  /** A check the user asked for failed (thresholds, --strict guards). */
  checkFailed: 2,
  usage: 64,
} as const;

export class UsageError extends Error {}

/**
 * Reports a coded error the way every command does: `promptpress: CODE: message` on stderr and, in JSON
 * mode, `{ ok: false, error }` on stdout so a script reading stdout sees why. Returns exit code 1.
 */
export function fail(io: CliIo, error: ErrorPayload, json: boolean): number {
  if (json) io.stdout(JSON.stringify({ ok: false, error }, null, 2) + '\n');
  io.stderr(errorLine(error));
  return EXIT.error;
}

/** Pretty JSON on stdout, one document per command. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}
