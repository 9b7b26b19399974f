import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CatalogSchema, ModelEntrySchema, type Catalog } from '../../core/pricing/catalog';
import { mergeCatalog, parseLiteLlmPrices } from '../../core/pricing/litellm';
import { applyUserModels } from '../../core/pricing/overrides';
import { parseJson } from '../../core/json';
import { readTextFile, writeFileAtomic } from '../services/textFiles';

const OverridesSchema = z.object({
  version: z.literal(1),
  litellm: z
    .object({ importedAt: z.string(), source: z.string(), models: z.array(ModelEntrySchema) })
    .nullable(),
  user: z.array(z.unknown()),
});
type Overrides = z.infer<typeof OverridesSchema>;
const EMPTY: Overrides = { version: 1, litellm: null, user: [] };

/**
 * The model catalog in force: the bundled resources/models.json, then entries imported from a LiteLLM price
 * file, then the user's own models and overrides (stored in the app data folder). Every change is computed
 * and validated in full before it is saved, so a bad import leaves the previous catalog in force.
 */
export class CatalogStore {
  private overrides: Overrides = EMPTY;
  private current: Catalog;
  private loading: Promise<void> | null = null;
  private readonly file: string;

  constructor(
    private readonly bundled: Catalog,
    dataDir: string,
  ) {
    this.file = path.join(dataDir, 'catalog-overrides.json');
    this.current = bundled;
  }

  private compose(o: Overrides): Catalog {
    let catalog = this.bundled;
    if (o.litellm) catalog = mergeCatalog(catalog, o.litellm.models, 'litellm').catalog;
    if (o.user.length) catalog = applyUserModels(catalog, o.user);
    return CatalogSchema.parse(catalog);
  }

  async get(): Promise<Catalog> {
    // One load shared by every caller: two routes called at start-up must not see the bundled catalog
    // while the other is still reading the overrides file.
    this.loading ??= this.load();
    await this.loading;
    return this.current;
  }

  private async load(): Promise<void> {
    try {
      const raw = await fs.readFile(this.file, 'utf8');
      const parsed = OverridesSchema.safeParse(JSON.parse(raw));
      if (parsed.success) {
        const catalog = this.compose(parsed.data); // throws before anything is taken over
        this.overrides = parsed.data;
        this.current = catalog;
      } else {
        await this.setAside();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        // an override file that is not JSON or no longer composes (e.g. a user entry the new schema
        // refuses) is set aside, and the bundled catalog is used
        await this.setAside();
      }
    }
  }

  private setAside(): Promise<void> {
    return fs.rename(this.file, `${this.file}.corrupt-${Date.now()}`).catch(() => undefined);
  }

  private async save(next: Overrides): Promise<Catalog> {
    const catalog = this.compose(next); // throws before anything is written
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, new TextEncoder().encode(JSON.stringify(next, null, 2) + '\n'));
    this.overrides = next;
    this.current = catalog;
    return catalog;
  }

  /** Imports a LiteLLM model_prices_and_context_window.json; replaces any earlier import. */
  async importLiteLlm(
    filePath: string,
    today: string,
  ): Promise<{ added: string[]; updated: string[]; skipped: number; total: number }> {
    await this.get();
    const file = await readTextFile(filePath, filePath);
    const parsed = parseLiteLlmPrices(parseJson(file.content, path.basename(filePath)), { asOf: today });
    const before = new Set((await this.get()).models.map((m) => m.id));
    const merged = mergeCatalog(this.bundled, parsed.models, 'litellm');
    const catalog = await this.save({
      ...this.overrides,
      litellm: { importedAt: today, source: filePath, models: parsed.models },
    });
    return {
      added: merged.added.filter((id) => !before.has(id)),
      updated: merged.updated,
      skipped: parsed.skipped.length,
      total: catalog.models.length,
    };
  }

  /** The user's models and overrides as stored, in order (a copy: callers edit and send it back whole). */
  async userModels(): Promise<unknown[]> {
    await this.get();
    return structuredClone(this.overrides.user);
  }

  async setUserModels(models: unknown[]): Promise<number> {
    await this.get();
    return (await this.save({ ...this.overrides, user: models })).models.length;
  }
}
