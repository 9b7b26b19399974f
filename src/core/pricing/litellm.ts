/**
 * Import of LiteLLM's `model_prices_and_context_window.json` (keys are model names, values hold per-token prices
 * and limits) into catalog entries, and the merge rule between catalog origins. Pure: the caller reads the file.
 *
 * Policy: one malformed entry fails the whole import with PARSE_ERROR naming the key and field, so the catalog
 * in force before the import stays in force. Entries that are well-formed but not text-generation models
 * (embeddings, images, audio, the `sample_spec` example) or that carry no per-token price are skipped and listed.
 */
import { AppError } from '../errors';
import type { EncodingId } from '../tokens/tokenizer';
import { CatalogSchema, ModelEntrySchema } from './catalog';
import type { Catalog, CachingKind, ModelEntry, PriceTier } from './catalog';
import { describeIssue } from './overrides';

export const LITELLM_SOURCE =
  'https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json';

export interface LiteLlmImportOptions {
  /** The date the file was fetched or published (YYYY-MM-DD); becomes every entry's `asOf`. */
  asOf: string;
  /** Where the file came from; defaults to LiteLLM's repository. */
  source?: string;
}

export interface LiteLlmImport {
  models: ModelEntry[];
  skipped: Array<{ key: string; reason: string }>;
}

/** Modes that bill text tokens in and out; everything else (embedding, image_generation, audio_*, rerank…) is skipped. */
const TEXT_MODES = new Set(['chat', 'completion', 'responses']);

/** Per-token price fields this importer reads, and the catalog field each becomes. */
const PRICE_FIELDS = {
  input_cost_per_token: 'inputPerMTok',
  output_cost_per_token: 'outputPerMTok',
  cache_creation_input_token_cost: 'cacheWrite5mPerMTok',
  cache_creation_input_token_cost_above_1hr: 'cacheWrite1hPerMTok',
  cache_read_input_token_cost: 'cacheReadPerMTok',
  input_cost_per_token_batches: 'batchInputPerMTok',
  output_cost_per_token_batches: 'batchOutputPerMTok',
} as const;
type PriceKey = (typeof PRICE_FIELDS)[keyof typeof PRICE_FIELDS];
type Prices = Partial<Record<PriceKey, number>>;

/** Long-context prices, e.g. `input_cost_per_token_above_200k_tokens` → a tier above 200,000 input tokens. */
const TIER_FIELD =
  /^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)_above_(\d+)k_tokens$/;
const TIER_TARGET = {
  input_cost_per_token: 'inputPerMTok',
  output_cost_per_token: 'outputPerMTok',
  cache_read_input_token_cost: 'cacheReadPerMTok',
  cache_creation_input_token_cost: 'cacheWrite5mPerMTok',
} as const;

const LIMIT_FIELDS = ['max_input_tokens', 'max_output_tokens', 'max_tokens'] as const;

/** LiteLLM providers whose key prefix is dropped so ids match the provider's own API ids (and the bundled catalog). */
const PROVIDERS: Record<string, { provider?: string; host?: string; stripPrefix?: boolean }> = {
  openai: { provider: 'openai', stripPrefix: true },
  'text-completion-openai': { provider: 'openai' },
  azure: { provider: 'openai', host: 'azure' },
  anthropic: { provider: 'anthropic', stripPrefix: true },
  gemini: { provider: 'google', stripPrefix: true },
  'vertex_ai-language-models': { provider: 'google', host: 'vertex_ai' },
  deepseek: { provider: 'deepseek', stripPrefix: true },
  mistral: { provider: 'mistral', stripPrefix: true },
  codestral: { provider: 'mistral' },
  xai: { provider: 'xai', stripPrefix: true },
  groq: { host: 'groq', stripPrefix: true },
  together_ai: { host: 'together', stripPrefix: true },
  fireworks_ai: { host: 'fireworks', stripPrefix: true },
  bedrock: { host: 'bedrock' },
  bedrock_converse: { host: 'bedrock' },
};

/** Tokenizer families by model name, and the maker each family implies when a host serves it. */
const FAMILIES: Array<[RegExp, string, string]> = [
  [/claude/, 'claude', 'anthropic'],
  [/gemini|gemma/, 'gemini', 'google'],
  [/llama[-_.]?v?4/, 'llama4', 'meta'],
  [/llama[-_.]?v?3/, 'llama3', 'meta'],
  [/llama/, 'llama', 'meta'],
  [/qwen|qwq/, 'qwen', 'qwen'],
  [/deepseek/, 'deepseek', 'deepseek'],
  [/mistral|mixtral|codestral|ministral|magistral|devstral|pixtral/, 'mistral', 'mistral'],
  [/grok/, 'grok', 'xai'],
  [/command/, 'cohere', 'cohere'],
];

/** OpenAI models whose tokenizer is public and local: counted exactly. */
const O200K = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4)(\b|[-.])/;
const CL100K = /^(gpt-4|gpt-3\.5|gpt-35)(\b|[-.])/;

function fail(key: string | null, field: string | null, message: string): never {
  throw new AppError(
    'PARSE_ERROR',
    `${message} The LiteLLM import was not applied; the current catalog stays in force.`,
    {
      key,
      field,
    },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `a ${typeof value}`;
}

/** Per-token dollars → dollars per million tokens, rounded to 1e-9 so 3e-6 becomes 3, not 3.0000000000000004. */
export function perTokenToPerMTok(perToken: number): number {
  return Math.round(perToken * 1e15) / 1e9;
}

function price(key: string, entry: Record<string, unknown>, field: string): number | undefined {
  const v = entry[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    fail(key, field, `"${key}": ${field} must be a number, got ${kindOf(v)}.`);
  if (v < 0) fail(key, field, `"${key}": ${field} must not be negative (got ${v}).`);
  return perTokenToPerMTok(v);
}

function limit(key: string, entry: Record<string, unknown>, field: string): number | undefined {
  const v = entry[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    fail(key, field, `"${key}": ${field} must be a non-negative number of tokens, got ${kindOf(v)}.`);
  }
  return v >= 1 ? Math.floor(v) : undefined;
}

function identify(key: string, litellmProvider: string): { id: string; provider: string; host?: string } {
  const known = PROVIDERS[litellmProvider] ?? {};
  const prefix = `${litellmProvider}/`;
  const id =
    known.stripPrefix && key.startsWith(prefix) && key.length > prefix.length
      ? key.slice(prefix.length)
      : key;
  const family = FAMILIES.find(([re]) => re.test(id.toLowerCase()));
  const provider = known.provider ?? (known.host ? (family?.[2] ?? litellmProvider) : litellmProvider);
  return known.host ? { id, provider, host: known.host } : { id, provider };
}

function tokenizerFor(
  id: string,
  provider: string,
): Pick<ModelEntry, 'tokenizer' | 'countWith' | 'tokenCountMethod'> {
  // Judge by the model's own name: "azure/gpt-4o" and "ft:gpt-4o-mini:org::id" are gpt-4o models.
  const name = (id.toLowerCase().split('/').pop() ?? '').replace(/^ft:/, '');
  if (provider === 'openai') {
    const exact: EncodingId | undefined = O200K.test(name)
      ? 'o200k_base'
      : CL100K.test(name)
        ? 'cl100k_base'
        : undefined;
    if (exact) return { tokenizer: exact, countWith: exact, tokenCountMethod: 'exact' };
  }
  const family = FAMILIES.find(([re]) => re.test(name))?.[1] ?? provider;
  return { tokenizer: family, countWith: 'o200k_base', tokenCountMethod: 'estimate' };
}

function cachingFor(provider: string, tokenizer: string, prices: Prices): CachingKind {
  if (provider === 'anthropic' || (tokenizer === 'claude' && prices.cacheWrite5mPerMTok !== undefined)) {
    return 'anthropic-explicit';
  }
  if (prices.cacheReadPerMTok === undefined) return 'none';
  return provider === 'openai' ? 'openai-auto' : 'auto';
}

/** Anthropic's documented minimum cacheable prompt lengths; OpenAI caches from 1,024 tokens. */
function minCacheableFor(caching: CachingKind, id: string): number | undefined {
  if (caching === 'openai-auto') return 1024;
  if (caching !== 'anthropic-explicit') return undefined;
  if (/haiku-4|opus-4-5/.test(id)) return 4096;
  return /haiku/.test(id) ? 2048 : 1024;
}

function tiersFor(key: string, entry: Record<string, unknown>, base: Prices): PriceTier[] | undefined {
  const byThreshold = new Map<
    number,
    Partial<Record<(typeof TIER_TARGET)[keyof typeof TIER_TARGET], number>>
  >();
  for (const field of Object.keys(entry)) {
    const m = TIER_FIELD.exec(field);
    if (!m) continue;
    const value = price(key, entry, field);
    if (value === undefined) continue;
    const above = Number(m[2]) * 1000;
    const tier = byThreshold.get(above) ?? {};
    tier[TIER_TARGET[m[1] as keyof typeof TIER_TARGET]] = value;
    byThreshold.set(above, tier);
  }
  const tiers: PriceTier[] = [];
  for (const [aboveInputTokens, t] of [...byThreshold].sort((a, b) => a[0] - b[0])) {
    // A tier that raises only one of the two prices keeps the other at its base price.
    const inputPerMTok = t.inputPerMTok ?? base.inputPerMTok;
    const outputPerMTok = t.outputPerMTok ?? base.outputPerMTok;
    if (inputPerMTok == null || outputPerMTok == null) continue;
    tiers.push({ aboveInputTokens, ...t, inputPerMTok, outputPerMTok });
  }
  return tiers.length > 0 ? tiers : undefined;
}

/**
 * Converts LiteLLM's price file into catalog entries marked `origin: "litellm"`: per-token prices become
 * per-million prices, limits become the context window and max output, and the tokenizer, caching kind and
 * provider are inferred (OpenAI gpt-4o/4.1/5/o-series count exactly with o200k_base, gpt-4/3.5 with
 * cl100k_base, every other model is an estimate via o200k_base).
 *
 * Throws AppError('PARSE_ERROR', …, { key, field }) when the file is not an object of objects or a price is
 * negative or not a number; nothing is imported then. Non-text models and entries without a per-token price
 * or a context window are returned in `skipped` with the reason.
 */
export function parseLiteLlmPrices(json: unknown, opts: LiteLlmImportOptions): LiteLlmImport {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
    throw new AppError('INVALID_INPUT', `asOf must be a date like 2025-11-22, got "${opts.asOf}".`, {
      field: 'asOf',
    });
  }
  const source = opts.source ?? LITELLM_SOURCE;
  if (!isRecord(json))
    fail(null, null, `A LiteLLM price file is a JSON object keyed by model name, got ${kindOf(json)}.`);

  const models: ModelEntry[] = [];
  const skipped: LiteLlmImport['skipped'] = [];
  const fromKey = new Map<string, string>();

  for (const [key, entry] of Object.entries(json)) {
    if (key === 'sample_spec') {
      skipped.push({ key, reason: 'LiteLLM schema example, not a model' });
      continue;
    }
    if (!isRecord(entry))
      fail(key, null, `"${key}" must be an object of prices and limits, got ${kindOf(entry)}.`);
    const mode = entry.mode ?? 'chat';
    if (typeof mode !== 'string') fail(key, 'mode', `"${key}": mode must be a string, got ${kindOf(mode)}.`);
    if (!TEXT_MODES.has(mode)) {
      skipped.push({ key, reason: `mode "${mode}" is not a text-generation model` });
      continue;
    }
    const litellmProvider = entry.litellm_provider ?? 'unknown';
    if (typeof litellmProvider !== 'string' || litellmProvider.length === 0) {
      fail(
        key,
        'litellm_provider',
        `"${key}": litellm_provider must be a provider name, got ${kindOf(litellmProvider)}.`,
      );
    }

    const prices: Prices = {};
    for (const [field, target] of Object.entries(PRICE_FIELDS)) {
      const value = price(key, entry, field);
      if (value !== undefined) prices[target] = value;
    }
    const [maxInput, maxOutput, maxTokens] = LIMIT_FIELDS.map((f) => limit(key, entry, f));
    const tiers = tiersFor(key, entry, prices);

    if (prices.inputPerMTok === undefined && prices.outputPerMTok === undefined) {
      skipped.push({ key, reason: 'no per-token price (priced per character, second, image or request)' });
      continue;
    }
    // LiteLLM's legacy max_tokens is the max output when a provider states one, the input limit otherwise.
    const contextWindow = maxInput ?? (maxOutput === undefined ? maxTokens : undefined);
    if (contextWindow === undefined) {
      skipped.push({ key, reason: 'no context window (max_input_tokens)' });
      continue;
    }

    const { id, provider, host } = identify(key, litellmProvider);
    const previous = fromKey.get(id);
    if (previous !== undefined) {
      skipped.push({ key, reason: `same model id "${id}" as "${previous}", which was kept` });
      continue;
    }
    const tokenizer = tokenizerFor(id, provider);
    const caching = cachingFor(provider, tokenizer.tokenizer, prices);
    const minCacheableTokens = minCacheableFor(caching, id);
    const candidate: ModelEntry = {
      id,
      provider,
      ...(host ? { host } : {}),
      label: id,
      ...tokenizer,
      ...prices,
      inputPerMTok: prices.inputPerMTok ?? null,
      outputPerMTok: prices.outputPerMTok ?? null,
      ...(tiers ? { tiers } : {}),
      caching,
      ...(minCacheableTokens ? { minCacheableTokens } : {}),
      contextWindow,
      ...(maxOutput ? { maxOutputTokens: maxOutput } : {}),
      source,
      asOf: opts.asOf,
      origin: 'litellm',
      notes: `Imported from LiteLLM (${litellmProvider}/${mode}); not checked against the provider's page.`,
    };
    const parsed = ModelEntrySchema.safeParse(candidate);
    if (!parsed.success) {
      const { field, message } = describeIssue(parsed.error.issues[0]!, candidate);
      fail(key, field, `"${key}": ${message}.`);
    }
    fromKey.set(id, key);
    models.push(parsed.data);
  }
  return { models, skipped };
}

const RANK = { bundled: 0, litellm: 1, user: 2 } as const;

/**
 * Merges `incoming` entries into `base`, each marked with `origin`. An incoming entry replaces the entry with
 * the same id (whole, not field by field) unless that entry comes from a stronger origin: user overrides win
 * over LiteLLM imports, which win over the bundled catalog. New ids are appended. `kept` lists ids where a
 * stronger entry stayed. The result is validated with CatalogSchema (INVALID_INPUT naming the id and field on
 * failure); `base` is never mutated.
 */
export function mergeCatalog(
  base: Catalog,
  incoming: ModelEntry[],
  origin: 'litellm' | 'user',
): { catalog: Catalog; added: string[]; updated: string[]; kept: string[] } {
  const models = [...base.models];
  const indexById = new Map(models.map((m, i) => [m.id, i]));
  const added: string[] = [];
  const updated: string[] = [];
  const kept: string[] = [];
  const seen = new Set<string>();

  for (const entry of incoming) {
    if (seen.has(entry.id)) {
      throw new AppError('INVALID_INPUT', `Model "${entry.id}" appears twice in the entries to merge.`, {
        id: entry.id,
      });
    }
    seen.add(entry.id);
    const next: ModelEntry = { ...entry, origin };
    const at = indexById.get(entry.id);
    if (at === undefined) {
      indexById.set(entry.id, models.length);
      models.push(next);
      added.push(entry.id);
    } else if (RANK[origin] >= RANK[models[at]!.origin ?? 'bundled']) {
      models[at] = next;
      updated.push(entry.id);
    } else {
      kept.push(entry.id);
    }
  }

  const checked = CatalogSchema.safeParse({ version: base.version, models });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const at = typeof issue.path[1] === 'number' ? issue.path[1] : -1;
    const model = models[at];
    const { field, message } = describeIssue({ ...issue, path: issue.path.slice(2) }, model);
    throw new AppError(
      'INVALID_INPUT',
      `Model "${model?.id ?? '?'}": ${message}. The catalog was left unchanged.`,
      {
        id: model?.id,
        field,
      },
    );
  }
  return { catalog: checked.data, added, updated, kept };
}
