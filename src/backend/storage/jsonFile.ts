import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic } from '../services/textFiles';

/**
 * One schema-checked JSON file in the app data folder, for state the backend keeps across starts (count
 * caches, measured estimate error). A file that does not parse or fails its schema is moved aside
 * (`*.corrupt-<time>`, never deleted) and the empty value is used. Saves are atomic and coalesced: while one
 * write is in flight, any number of further saves become one more write of the latest state.
 */
export interface JsonFile<T> {
  readonly path: string;
  /** Reads the file once; later calls return the same promise. */
  load(): Promise<T>;
  /** Writes `snapshot()` (taken when the write starts, so it includes every change made before then). */
  save(snapshot: () => T): Promise<void>;
}

export function jsonFile<T>(file: string, schema: z.ZodType<T>, empty: () => T): JsonFile<T> {
  let loading: Promise<T> | null = null;
  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  let writable = true;

  const read = async (): Promise<T> => {
    let raw: string;
    try {
      raw = await fs.readFile(file, 'utf8');
    } catch (err) {
      // A file that exists but cannot be read (permissions, a folder in its place) is left alone: the state
      // starts empty and is not saved over it, since this state is never worth failing a request for.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') writable = false;
      return empty();
    }
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: set aside below
    }
    await fs.rename(file, `${file}.corrupt-${Date.now()}`).catch(() => undefined);
    return empty();
  };

  const write = async (snapshot: () => T) => {
    await (loading ??= read()); // never write over a file that was not read first
    if (!writable) return;
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, new TextEncoder().encode(JSON.stringify(snapshot()) + '\n'));
  };

  return {
    path: file,
    load: () => (loading ??= read()),
    save: (snapshot) => {
      if (queued) return queued;
      const next = chain.then(() => {
        queued = null;
        return write(snapshot);
      });
      queued = next;
      // a failed write must not block later ones; the caller of this save still sees the failure
      chain = next.catch(() => undefined);
      return next;
    },
  };
}
