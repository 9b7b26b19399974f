import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors';
import { CatalogSchema } from '../../src/core/pricing/catalog';
import type { Catalog, ModelEntry } from '../../src/core/pricing/catalog';
import {
  LITELLM_SOURCE,
  mergeCatalog,
  parseLiteLlmPrices,
  perTokenToPerMTok,
} from '../../src/core/pricing/litellm';
import { applyUserModels } from '../../src/core/pricing/overrides';

const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const sample = readJson('../fixtures/litellm/model_prices_sample.json') as Record<
  string,
  Record<string, unknown>
>;
const bundled: Catalog = CatalogSchema.parse(readJson('../../resources/models.json'));
const OPTS = { asOf: '2026-11-01' };

/** Runs `fn` and returns the AppError it throws (failing the test when it does not throw one). */
function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}
const withEntry = (key: string, patch: Record<string, unknown>) => ({
  ...sample,
  [key]: { ...sample[key], ...patch },
});
/** Deep-freezes a catalog so any mutation by the code under test throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(frozen);
    Object.freeze(value);
  }
  return value;
}

describe('parseLiteLlmPrices', () => {
  const { models, skipped } = parseLiteLlmPrices(sample, OPTS);
  const get = (id: string): ModelEntry => {
    const m = models.find((x) => x.id === id);
    if (!m) throw new Error(`no model ${id} in ${models.map((x) => x.id).join(', ')}`);
    return m;
  };

  it('imports the text models and lists everything else with a reason', () => {
    expect(models.map((m) => m.id)).toEqual([
      'gpt-4o',
      'azure/gpt-4o-mini',
      'gpt-3.5-turbo',
      'claude-sonnet-4-5',
      'gemini-2.5-pro',
      'deepseek-chat',
      'grok-4',
      'llama-3.3-70b-versatile',
      'Qwen/Qwen2.5-72B-Instruct-Turbo',
    ]);
    expect(skipped).toEqual([
      { key: 'sample_spec', reason: 'LiteLLM schema example, not a model' },
      {
        key: 'together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo',
        reason: 'no context window (max_input_tokens)',
      },
      {
        key: 'vertex_ai/chat-bison',
        reason: 'no per-token price (priced per character, second, image or request)',
      },
      { key: 'text-embedding-3-small', reason: 'mode "embedding" is not a text-generation model' },
      {
        key: 'standard/1024-x-1024/dall-e-3',
        reason: 'mode "image_generation" is not a text-generation model',
      },
      { key: 'whisper-1', reason: 'mode "audio_transcription" is not a text-generation model' },
    ]);
  });

  it('converts per-token prices to exact per-million prices', () => {
    expect(get('gpt-4o')).toMatchObject({
      provider: 'openai',
      inputPerMTok: 2.5,
      outputPerMTok: 10,
      cacheReadPerMTok: 1.25,
      batchInputPerMTok: 1.25,
      batchOutputPerMTok: 5,
      contextWindow: 128000,
      maxOutputTokens: 16384,
    });
    // 2.8e-8 × 1e6 is 0.027999999999999997 in floating point; the import rounds it back.
    expect(get('deepseek-chat').cacheReadPerMTok).toBe(0.028);
    expect(get('deepseek-chat').outputPerMTok).toBe(0.42);
    expect(get('azure/gpt-4o-mini').inputPerMTok).toBe(0.165);
    expect(perTokenToPerMTok(3e-6)).toBe(3);
    expect(perTokenToPerMTok(1.25e-7)).toBe(0.125);
    expect(perTokenToPerMTok(7.9e-7)).toBe(0.79);
  });

  it('maps Anthropic cache writes (5 min and 1 h), reads, batch and the > 200k tier', () => {
    expect(get('claude-sonnet-4-5')).toMatchObject({
      provider: 'anthropic',
      tokenizer: 'claude',
      countWith: 'o200k_base',
      tokenCountMethod: 'estimate',
      caching: 'anthropic-explicit',
      minCacheableTokens: 1024,
      inputPerMTok: 3,
      outputPerMTok: 15,
      cacheWrite5mPerMTok: 3.75,
      cacheWrite1hPerMTok: 6,
      cacheReadPerMTok: 0.3,
      batchInputPerMTok: 1.5,
      batchOutputPerMTok: 7.5,
      tiers: [
        {
          aboveInputTokens: 200000,
          inputPerMTok: 6,
          outputPerMTok: 22.5,
          cacheReadPerMTok: 0.6,
          cacheWrite5mPerMTok: 7.5,
        },
      ],
      maxOutputTokens: 64000,
    });
  });

  it('maps Gemini to google with its > 200k tier and drops the provider prefix from the id', () => {
    const pro = get('gemini-2.5-pro');
    expect(pro).toMatchObject({
      provider: 'google',
      tokenizer: 'gemini',
      caching: 'auto',
      contextWindow: 1048576,
    });
    expect(pro.tiers).toEqual([
      { aboveInputTokens: 200000, inputPerMTok: 2.5, outputPerMTok: 15, cacheReadPerMTok: 0.25 },
    ]);
    expect(pro.batchInputPerMTok).toBe(0.625);
    expect(get('grok-4').tiers).toEqual([{ aboveInputTokens: 128000, inputPerMTok: 6, outputPerMTok: 30 }]);
  });

  it('infers tokenizers: exact for OpenAI encodings, an estimate via o200k_base for everyone else', () => {
    const pick = (m: ModelEntry) => [m.tokenizer, m.countWith, m.tokenCountMethod];
    expect(pick(get('gpt-4o'))).toEqual(['o200k_base', 'o200k_base', 'exact']);
    expect(pick(get('azure/gpt-4o-mini'))).toEqual(['o200k_base', 'o200k_base', 'exact']);
    expect(pick(get('gpt-3.5-turbo'))).toEqual(['cl100k_base', 'cl100k_base', 'exact']);
    expect(pick(get('deepseek-chat'))).toEqual(['deepseek', 'o200k_base', 'estimate']);
    expect(pick(get('llama-3.3-70b-versatile'))).toEqual(['llama3', 'o200k_base', 'estimate']);
    expect(pick(get('Qwen/Qwen2.5-72B-Instruct-Turbo'))).toEqual(['qwen', 'o200k_base', 'estimate']);
  });

  it('infers caching, makers and hosts', () => {
    expect(get('gpt-4o')).toMatchObject({ caching: 'openai-auto', minCacheableTokens: 1024 });
    expect(get('gpt-3.5-turbo').caching).toBe('none');
    expect(get('deepseek-chat').caching).toBe('auto');
    expect(get('azure/gpt-4o-mini')).toMatchObject({ provider: 'openai', host: 'azure' });
    expect(get('llama-3.3-70b-versatile')).toMatchObject({ provider: 'meta', host: 'groq', caching: 'none' });
    expect(get('Qwen/Qwen2.5-72B-Instruct-Turbo')).toMatchObject({ provider: 'qwen', host: 'together' });
    expect(get('gpt-4o').host).toBeUndefined();
  });

  it('marks every entry with origin, asOf and source, and every entry is a valid catalog entry', () => {
    for (const m of models)
      expect(m).toMatchObject({ origin: 'litellm', asOf: '2026-11-01', source: LITELLM_SOURCE });
    const own = parseLiteLlmPrices(sample, { asOf: '2026-11-01', source: 'https://example.com/prices.json' });
    expect(own.models[0]!.source).toBe('https://example.com/prices.json');
    expect(CatalogSchema.safeParse({ version: 1, models }).success).toBe(true);
  });

  it('uses max_tokens as the context window only when it cannot be the max output', () => {
    const r = parseLiteLlmPrices(
      {
        a: { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, max_tokens: 8192, mode: 'chat' },
        b: {
          input_cost_per_token: 1e-6,
          output_cost_per_token: 2e-6,
          max_tokens: 8192,
          max_output_tokens: 8192,
        },
      },
      OPTS,
    );
    expect(r.models.map((m) => [m.id, m.contextWindow])).toEqual([['a', 8192]]);
    expect(r.skipped).toEqual([{ key: 'b', reason: 'no context window (max_input_tokens)' }]);
  });

  it('keeps the first of two keys that name the same model', () => {
    const r = parseLiteLlmPrices(
      {
        'deepseek/deepseek-chat': sample['deepseek/deepseek-chat'],
        'deepseek-chat': { ...sample['deepseek/deepseek-chat'], litellm_provider: 'deepseek' },
      },
      OPTS,
    );
    expect(r.models).toHaveLength(1);
    expect(r.skipped[0]).toEqual({
      key: 'deepseek-chat',
      reason: 'same model id "deepseek-chat" as "deepseek/deepseek-chat", which was kept',
    });
  });
});

describe('parseLiteLlmPrices on a malformed file', () => {
  it.each([
    ['an array', [sample['gpt-4o']], 'got an array'],
    ['null', null, 'got null'],
    ['a string', 'gpt-4o', 'got the string "gpt-4o"'],
  ])('rejects %s at the top level', (_name, json, text) => {
    const e = caught(() => parseLiteLlmPrices(json, OPTS));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toContain(text);
    expect(e.message).toContain('current catalog stays in force');
  });

  it('rejects an entry that is not an object, naming the key', () => {
    const e = caught(() => parseLiteLlmPrices({ ...sample, 'gpt-9': 'cheap' }, OPTS));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.details).toEqual({ key: 'gpt-9', field: null });
    expect(e.message).toContain('"gpt-9"');
  });

  it('rejects a negative price, naming key and field, and imports nothing', () => {
    const e = caught(() => parseLiteLlmPrices(withEntry('gpt-4o', { output_cost_per_token: -1e-5 }), OPTS));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.details).toEqual({ key: 'gpt-4o', field: 'output_cost_per_token' });
    expect(e.message).toMatch(/"gpt-4o": output_cost_per_token must not be negative \(got -0\.00001\)/);
  });

  it.each([
    ['input_cost_per_token', 'abc', 'got the string "abc"'],
    ['cache_read_input_token_cost', '1e-7', 'got the string "1e-7"'],
    ['input_cost_per_token_above_200k_tokens', true, 'got a boolean'],
    ['max_input_tokens', 'lots', 'got the string "lots"'],
  ])('rejects a non-numeric %s', (field, value, text) => {
    const e = caught(() => parseLiteLlmPrices(withEntry('claude-sonnet-4-5', { [field]: value }), OPTS));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.details).toEqual({ key: 'claude-sonnet-4-5', field });
    expect(e.message).toContain(`"claude-sonnet-4-5": ${field}`);
    expect(e.message).toContain(text);
  });

  it('rejects a bad asOf before reading anything', () => {
    expect(caught(() => parseLiteLlmPrices(sample, { asOf: 'today' })).code).toBe('INVALID_INPUT');
  });
});

describe('mergeCatalog', () => {
  const imported = parseLiteLlmPrices(sample, OPTS).models;

  it('replaces same-id entries, appends new ones, and leaves the base untouched', () => {
    const base = frozen(CatalogSchema.parse(readJson('../../resources/models.json')));
    const { catalog, added, updated, kept } = mergeCatalog(base, imported, 'litellm');
    expect(updated).toEqual([
      'gpt-4o',
      'gpt-3.5-turbo',
      'claude-sonnet-4-5',
      'gemini-2.5-pro',
      'deepseek-chat',
      'grok-4',
      'llama-3.3-70b-versatile',
      'Qwen/Qwen2.5-72B-Instruct-Turbo',
    ]);
    expect(added).toEqual(['azure/gpt-4o-mini']);
    expect(kept).toEqual([]);
    expect(catalog.models).toHaveLength(bundled.models.length + 1);
    const gpt = catalog.models.find((m) => m.id === 'gpt-4o');
    expect(gpt?.origin).toBe('litellm');
    // Position is kept, so the catalog's order stays stable across imports.
    expect(catalog.models.findIndex((m) => m.id === 'gpt-4o')).toBe(
      bundled.models.findIndex((m) => m.id === 'gpt-4o'),
    );
    expect(base).toEqual(bundled);
  });

  it('lets user entries win over LiteLLM, and LiteLLM over bundled', () => {
    const mine = { ...bundled.models.find((m) => m.id === 'gpt-4o')!, inputPerMTok: 2 };
    const withUser = mergeCatalog(bundled, [mine], 'user').catalog;
    const afterImport = mergeCatalog(withUser, imported, 'litellm');
    expect(afterImport.kept).toEqual(['gpt-4o']);
    expect(afterImport.catalog.models.find((m) => m.id === 'gpt-4o')).toMatchObject({
      origin: 'user',
      inputPerMTok: 2,
    });
    expect(afterImport.catalog.models.find((m) => m.id === 'gpt-3.5-turbo')?.origin).toBe('litellm');

    const again = mergeCatalog(afterImport.catalog, [{ ...mine, inputPerMTok: 1.5 }], 'user');
    expect(again.updated).toEqual(['gpt-4o']);
    expect(again.catalog.models.find((m) => m.id === 'gpt-4o')?.inputPerMTok).toBe(1.5);
  });

  it('rejects a result that breaks the catalog rules, naming the model and field', () => {
    const broken = { ...imported[0]!, countWith: 'cl100k_base' as const };
    const e = caught(() => mergeCatalog(bundled, [broken], 'litellm'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.details).toEqual({ id: 'gpt-4o', field: 'countWith' });
    const twice = caught(() => mergeCatalog(bundled, [imported[0]!, imported[0]!], 'litellm'));
    expect(twice.message).toContain('appears twice');
  });
});

describe('applyUserModels', () => {
  const complete = {
    id: 'acme-1',
    provider: 'acme',
    label: 'Acme One',
    tokenizer: 'acme',
    countWith: 'o200k_base',
    tokenCountMethod: 'estimate',
    inputPerMTok: 1,
    outputPerMTok: 2,
    caching: 'none',
    contextWindow: 32000,
    source: 'https://acme.example/pricing',
    asOf: '2026-10-01',
  };

  it('merges a partial override onto the bundled entry without touching the base', () => {
    const base = frozen(CatalogSchema.parse(readJson('../../resources/models.json')));
    const next = applyUserModels(base, [
      { id: 'claude-sonnet-4-5', inputPerMTok: 2.5, notes: 'negotiated rate' },
    ]);
    const sonnet = next.models.find((m) => m.id === 'claude-sonnet-4-5');
    expect(sonnet).toMatchObject({
      inputPerMTok: 2.5,
      outputPerMTok: 15,
      cacheReadPerMTok: 0.3,
      origin: 'user',
    });
    expect(sonnet?.tiers).toHaveLength(1);
    expect(base.models.find((m) => m.id === 'claude-sonnet-4-5')?.inputPerMTok).toBe(3);
    expect(next.models).toHaveLength(base.models.length);
  });

  it('adds a complete new model and lets a later entry override it', () => {
    const next = applyUserModels(bundled, [complete, { id: 'acme-1', outputPerMTok: 3 }]);
    expect(next.models.at(-1)).toMatchObject({
      id: 'acme-1',
      inputPerMTok: 1,
      outputPerMTok: 3,
      origin: 'user',
    });
  });

  it('accepts null as "no price"', () => {
    const next = applyUserModels(bundled, [{ id: 'gpt-4o', inputPerMTok: null }]);
    expect(next.models.find((m) => m.id === 'gpt-4o')?.inputPerMTok).toBeNull();
  });

  it.each([
    [
      'a negative price',
      [{ id: 'gpt-4o', outputPerMTok: -10 }],
      0,
      'outputPerMTok',
      'outputPerMTok must not be negative (got -10)',
    ],
    [
      'a missing price on a new model',
      [{ ...complete, inputPerMTok: undefined }],
      0,
      'inputPerMTok',
      'inputPerMTok is missing',
    ],
    [
      'a missing field on a new model',
      [{ id: 'x' }, { ...complete, contextWindow: undefined }],
      0,
      'provider',
      'a new model needs every field',
    ],
    ['a string price', [complete, { id: 'gpt-4o', inputPerMTok: '2.5' }], 1, 'inputPerMTok', 'inputPerMTok'],
    [
      'a negative tier price',
      [{ id: 'gemini-2.5-pro', tiers: [{ aboveInputTokens: 200000, inputPerMTok: -1, outputPerMTok: 1 }] }],
      0,
      'tiers.0.inputPerMTok',
      'must not be negative',
    ],
    [
      'an unknown field',
      [{ id: 'gpt-4o', inputPerMtok: 1 }],
      0,
      'inputPerMtok',
      'did you mean "inputPerMTok"',
    ],
    ['an entry without id', [{ inputPerMTok: 1 }], 0, 'id', 'id is missing'],
    ['an entry that is not an object', [complete, 'gpt-4o'], 1, '(entry)', 'must be an object'],
    [
      'an exact count through another encoding',
      [{ id: 'gpt-4o', countWith: 'cl100k_base' }],
      0,
      'countWith',
      "model's own tokenizer",
    ],
  ])('rejects %s, naming the index and field', (_name, user, index, field, text) => {
    const e = caught(() => applyUserModels(bundled, user as unknown[]));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.details).toMatchObject({ index, field });
    expect(e.message).toContain(`User model #${index}`);
    expect(e.message).toContain(text);
  });
});
