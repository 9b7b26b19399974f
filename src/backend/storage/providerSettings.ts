import { readFileSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  BUILT_IN_PROVIDERS,
  KEY_ENV_VAR_PATTERN,
  PROVIDER_ID_PATTERN,
  PROVIDER_KINDS,
  ProviderLimitsSchema,
} from '../../shared/providers';
import { writeFileAtomic } from '../services/textFiles';

export const PROVIDERS_FILE = 'providers.json';

/** A user endpoint as saved: no key, ever (keys go to the SecretStore or come from the environment). */
export const StoredEndpointSchema = z
  .object({
    id: z.string().regex(PROVIDER_ID_PATTERN),
    kind: z.enum(PROVIDER_KINDS),
    label: z.string().min(1),
    baseURL: z.string().min(1),
    keyEnvVar: z.string().regex(KEY_ENV_VAR_PATTERN).optional(),
    limits: ProviderLimitsSchema.optional(),
  })
  .strict();
export type StoredEndpoint = z.infer<typeof StoredEndpointSchema>;

const ProvidersFileSchema = z.object({
  version: z.literal(1),
  endpoints: z.array(StoredEndpointSchema),
  /** The built-ins' own settings: only their limits can change. */
  builtIns: z.partialRecord(z.enum(BUILT_IN_PROVIDERS), z.object({ limits: ProviderLimitsSchema })),
});
export type ProvidersFile = z.infer<typeof ProvidersFileSchema>;

const empty = (): ProvidersFile => ({ version: 1, endpoints: [], builtIns: {} });

/**
 * The provider settings in `providers.json` in the app data folder. Read synchronously when the backend is
 * built (as the catalog is), so the first model call already sees every endpoint; a file that does not
 * parse is moved aside (`*.corrupt-<time>`) and the built-ins alone are used. Writes are atomic and in order.
 */
export class ProviderSettingsStore {
  readonly file: string;
  private state: ProvidersFile;
  private writes: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, PROVIDERS_FILE);
    this.state = this.read();
  }

  private read(): ProvidersFile {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch {
      return empty();
    }
    try {
      const parsed = ProvidersFileSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: set aside below
    }
    void fs.rename(this.file, `${this.file}.corrupt-${Date.now()}`).catch(() => undefined);
    return empty();
  }

  get(): ProvidersFile {
    return this.state;
  }

  /** Replaces the settings with `edit(current)` and writes them; the state changes only once written. */
  update(edit: (current: ProvidersFile) => ProvidersFile): Promise<ProvidersFile> {
    const run = async () => {
      const next = ProvidersFileSchema.parse(edit(structuredClone(this.state)));
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, new TextEncoder().encode(JSON.stringify(next, null, 2) + '\n'));
      this.state = next;
      return next;
    };
    const result = this.writes.then(run);
    this.writes = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
