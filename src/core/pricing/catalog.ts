import { z } from 'zod';
import { AppError } from '../errors';
import { ENCODINGS } from '../tokens/tokenizer';

/** Prices are US dollars per million tokens, as providers publish them. */
export const ModelEntrySchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  label: z.string().min(1),
  tokenizer: z.enum(ENCODINGS),
  /** exact: the provider's own public tokenizer; estimate: a stand-in encoding whose error is documented. */
  tokenCountMethod: z.enum(['exact', 'estimate']),
  inputPerMTok: z.number().nonnegative().nullable(),
  outputPerMTok: z.number().nonnegative().nullable(),
  contextWindow: z.number().int().positive(),
  source: z.string().url(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

export const CatalogSchema = z.object({
  version: z.literal(1),
  models: z.array(ModelEntrySchema).min(1),
});
export type Catalog = z.infer<typeof CatalogSchema>;

/** Looks a model up by id, failing with UNKNOWN_MODEL and the known ids when it is not in the catalog. */
export function findModel(catalog: Catalog, id: string): ModelEntry {
  const model = catalog.models.find((m) => m.id === id);
  if (!model) {
    throw new AppError('UNKNOWN_MODEL', `Unknown model "${id}". Known models: ${catalog.models.map((m) => m.id).join(', ')}.`, {
      model: id,
      known: catalog.models.map((m) => m.id),
    });
  }
  return model;
}
