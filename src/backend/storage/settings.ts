import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RecentWorkspaceSchema } from '../../shared/contract';
import { writeFileAtomic } from '../services/textFiles';

export const SETTINGS_VERSION = 1;
export const MAX_RECENT = 10;

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  recentWorkspaces: z.array(RecentWorkspaceSchema).max(MAX_RECENT),
  lastWorkspace: z.string().nullable(),
  selectedModel: z.string().min(1),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  recentWorkspaces: [],
  lastWorkspace: null,
  selectedModel: 'gpt-4o',
};

/**
 * Settings live in one JSON file in the app data folder. A file that cannot be parsed is moved aside (never
 * deleted) and the defaults are used, so a corrupt file costs the user nothing they cannot recover.
 */
export class SettingsStore {
  private cache: Settings | undefined;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'settings.json');
  }

  async load(): Promise<Settings> {
    if (this.cache) return this.cache;
    let raw: string | undefined;
    try {
      raw = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (raw === undefined) {
      this.cache = { ...DEFAULT_SETTINGS };
      return this.cache;
    }
    let parsed: Settings | undefined;
    try {
      const result = SettingsSchema.safeParse(JSON.parse(raw));
      if (result.success) parsed = result.data;
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      await fs.rename(this.file, `${this.file}.corrupt-${Date.now()}`).catch(() => undefined);
      parsed = { ...DEFAULT_SETTINGS };
    }
    this.cache = parsed;
    return parsed;
  }

  async update(patch: Partial<Omit<Settings, 'version'>>): Promise<Settings> {
    const next = SettingsSchema.parse({ ...(await this.load()), ...patch });
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, new TextEncoder().encode(JSON.stringify(next, null, 2) + '\n'));
    this.cache = next;
    return next;
  }
}
