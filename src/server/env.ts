export const DEFAULT_PORT = 5178;

/** Reads PROMPTPRESS_PORT: the default when unset, an error message when it is not a port number. */
export function portFromEnv(value: string | undefined): number | { error: string } {
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return { error: `PROMPTPRESS_PORT must be a port number from 0 to 65535, not "${value}".` };
  }
  return port;
}
