/** What a CLI command may touch of the outside world; tests pass buffers instead of the process streams. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
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
