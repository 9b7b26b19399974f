import { z } from 'zod';
import { AppError } from '../errors';
import { ENCODINGS } from '../tokens/tokenizer';

const Price = z.number().nonnegative();
/** A price that a provider may not publish; null means "no price", never $0. */
const OptionalPrice = Price.nullable();

/**
 * How a provider caches prompts, which decides how cache writes and reads are billed:
 * - anthropic-explicit: up to 4 `cache_control` breakpoints; writes cost 1.25× (5 min) or 2× (1 h), reads 0.1×.
 * - openai-auto: automatic for prompts ≥ 1,024 tokens, matched in 128-token steps, no write surcharge.
 * - auto: automatic prefix caching with a published cached-input price and no write surcharge (DeepSeek, Gemini implicit, xAI…).
 * - none: no prompt caching.
 */
export const CACHING_KINDS = ['anthropic-explicit', 'openai-auto', 'auto', 'none'] as const;
export type CachingKind = (typeof CACHING_KINDS)[number];

/** Prices that apply when a request's input is longer than `aboveInputTokens` (e.g. Gemini and Sonnet > 200k). */
export const PriceTierSchema = z.object({
  aboveInputTokens: z.number().int().positive(),
  inputPerMTok: Price,
  outputPerMTok: Price,
  cacheReadPerMTok: Price.optional(),
  cacheWrite5mPerMTok: Price.optional(),
  cacheWrite1hPerMTok: Price.optional(),
});
export type PriceTier = z.infer<typeof PriceTierSchema>;

/** One model of the catalog. Prices are US dollars per million tokens, as providers publish them. */
export const ModelEntrySchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  /** Where the model is served when that is not its maker (e.g. "together", "groq"). */
  host: z.string().min(1).optional(),
  label: z.string().min(1),
  /** The model's own tokenizer family (o200k_base, cl100k_base, claude, gemini, llama3, …). */
  tokenizer: z.string().min(1),
  /** The local encoding PromptPress counts with: the tokenizer itself when exact, a stand-in otherwise. */
  countWith: z.enum(ENCODINGS),
  /** exact: counted with the provider's own public tokenizer; estimate: a stand-in encoding (shown with ≈). */
  tokenCountMethod: z.enum(['exact', 'estimate']),
  inputPerMTok: OptionalPrice,
  outputPerMTok: OptionalPrice,
  cacheWrite5mPerMTok: OptionalPrice.optional(),
  cacheWrite1hPerMTok: OptionalPrice.optional(),
  cacheReadPerMTok: OptionalPrice.optional(),
  batchInputPerMTok: OptionalPrice.optional(),
  batchOutputPerMTok: OptionalPrice.optional(),
  tiers: z.array(PriceTierSchema).optional(),
  caching: z.enum(CACHING_KINDS),
  /** Shortest prompt prefix the provider will cache, in tokens. */
  minCacheableTokens: z.number().int().nonnegative().optional(),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive().optional(),
  source: z.string().url(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Where the entry came from: the bundled catalog, a LiteLLM import, or the user's own override. */
  origin: z.enum(['bundled', 'litellm', 'user']).optional(),
  notes: z.string().optional(),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

export const CatalogSchema = z
  .object({
    version: z.literal(1),
    models: z.array(ModelEntrySchema).min(1),
  })
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    catalog.models.forEach((m, i) => {
      if (seen.has(m.id))
        ctx.addIssue({ code: 'custom', path: ['models', i, 'id'], message: `duplicate model id "${m.id}"` });
      seen.add(m.id);
      if (m.tokenCountMethod === 'exact' && m.tokenizer !== m.countWith) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'countWith'],
          message: "an exact count must use the model's own tokenizer",
        });
      }
    });
  });
export type Catalog = z.infer<typeof CatalogSchema>;

/** Looks a model up by id, failing with UNKNOWN_MODEL and the known ids when it is not in the catalog. */
export function findModel(catalog: Catalog, id: string): ModelEntry {
  const model = catalog.models.find((m) => m.id === id);
  if (!model) {
    const known = catalog.models.map((m) => m.id);
    const near = known.filter((k) => k.includes(id) || id.includes(k)).slice(0, 5);
    throw new AppError(
      'UNKNOWN_MODEL',
      `Unknown model "${id}".${near.length ? ` Did you mean ${near.join(', ')}?` : ''} Run \`promptpress models\` for the full list.`,
      { model: id, known },
    );
  }
  return model;
}
