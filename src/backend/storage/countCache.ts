import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { jsonFile, type JsonFile } from './jsonFile';

export const DEFAULT_MAX_COUNT_ENTRIES = 5_000;

const FileSchema = z.object({
  version: z.literal(1),
  /** [content hash, tokens], least recently used first. */
  counts: z.array(z.tuple([z.string().regex(/^[0-9a-f]{64}$/), z.number().int().nonnegative()])),
});
type CountFile = z.infer<typeof FileSchema>;

/**
 * The key of a count: sha-256 of the parts as a JSON array, so ("ab", "c") and ("a", "bc") differ. Only the
 * hash is stored, never the prompt.
 */
export function countKey(...parts: (string | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Exact token counts by content hash, bounded (least recently used entries are dropped first) and kept in a
 * JSON file in the app data folder so a restart does not pay for the same counts again.
 */
export class CountCache {
  private readonly file: JsonFile<CountFile>;
  private entries: Map<string, number> | null = null;

  constructor(
    dataDir: string,
    fileName: string,
    private readonly maxEntries = DEFAULT_MAX_COUNT_ENTRIES,
  ) {
    this.file = jsonFile(path.join(dataDir, fileName), FileSchema, () => ({ version: 1, counts: [] }));
  }

  get path(): string {
    return this.file.path;
  }

  private async map(): Promise<Map<string, number>> {
    if (!this.entries) {
      const loaded = await this.file.load();
      this.entries ??= new Map(loaded.counts.slice(-this.maxEntries));
    }
    return this.entries;
  }

  /** The cached count for `key`, marking it recently used. */
  async get(key: string): Promise<number | undefined> {
    const m = await this.map();
    const tokens = m.get(key);
    if (tokens !== undefined) {
      m.delete(key);
      m.set(key, tokens);
    }
    return tokens;
  }

  /** Stores a count and saves the file (a failed save keeps the entry in memory and is not an error). */
  async set(key: string, tokens: number): Promise<void> {
    const m = await this.map();
    m.delete(key);
    m.set(key, tokens);
    while (m.size > this.maxEntries) m.delete(m.keys().next().value as string);
    await this.flush().catch(() => undefined);
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** Writes the current entries; a cache that was never used has nothing to write. */
  async flush(): Promise<void> {
    if (!this.entries) return;
    const m = await this.map();
    await this.file.save(() => ({ version: 1, counts: [...m] }));
  }
}
