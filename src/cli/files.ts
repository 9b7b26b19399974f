import path from 'node:path';
import { readTextFile } from '../backend/services/textFiles';
import { isAppError, type ErrorPayload } from '../shared/errors';
import type { CliIo } from './io';

export interface InputFile {
  /** The path as the user typed it, for messages. */
  name: string;
  text: string;
}

/**
 * Reads a file named on the command line with the backend's text-file rules (missing, folder, too large,
 * binary, bad encoding → coded errors), relative to the CLI's working directory.
 */
export async function readInputFile(
  io: CliIo,
  name: string,
): Promise<{ ok: true; file: InputFile } | { ok: false; error: ErrorPayload }> {
  try {
    const read = await readTextFile(path.resolve(io.cwd, name), name);
    return { ok: true, file: { name, text: read.content } };
  } catch (err) {
    if (isAppError(err)) {
      return {
        ok: false,
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      };
    }
    throw err;
  }
}
