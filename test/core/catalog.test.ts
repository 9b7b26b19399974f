import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CatalogSchema, ModelEntrySchema } from '../../src/core/pricing/catalog';
import type { Catalog, ModelEntry } from '../../src/core/pricing/catalog';
import { isEncodingId } from '../../src/core/tokens/tokenizer';

const raw: unknown = JSON.parse(
  readFileSync(new URL('../../resources/models.json', import.meta.url), 'utf8'),
);
const catalog: Catalog = CatalogSchema.parse(raw);
const models = catalog.models;
/** The day this catalog was last edited; no price can be known from a later date. */
const TODAY = '2026-11-22';
const EPS = 1e-9;

const PRICE_FIELDS = [
  'inputPerMTok',
  'outputPerMTok',
  'cacheWrite5mPerMTok',
  'cacheWrite1hPerMTok',
  'cacheReadPerMTok',
  'batchInputPerMTok',
  'batchOutputPerMTok',
] as const;

const by = (provider: string) => models.filter((m) => m.provider === provider);
const copy = (): { version: 1; models: Record<string, unknown>[] } =>
  JSON.parse(JSON.stringify(raw)) as { version: 1; models: Record<string, unknown>[] };
const close = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(EPS);
};

describe('resources/models.json', () => {
  it('validates against CatalogSchema', () => {
    const result = CatalogSchema.safeParse(raw);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('has at least 30 models with unique ids', () => {
    expect(models.length).toBeGreaterThanOrEqual(30);
    expect(new Set(models.map((m) => m.id)).size).toBe(models.length);
  });

  it.each(['anthropic', 'openai', 'google', 'deepseek', 'mistral', 'xai'])(
    'has at least 2 %s models',
    (p) => {
      expect(by(p).length).toBeGreaterThanOrEqual(2);
    },
  );

  it('has at least 2 Meta or Qwen models through a host, on at least 2 hosts', () => {
    const hosted = models.filter((m) => (m.provider === 'meta' || m.provider === 'qwen') && m.host);
    expect(hosted.length).toBeGreaterThanOrEqual(2);
    expect(new Set(hosted.map((m) => m.host)).size).toBeGreaterThanOrEqual(2);
    expect(hosted.some((m) => m.provider === 'qwen')).toBe(true);
  });

  it('prices every Anthropic cache write at 1.25× (5 min) and 2× (1 h) input, reads at 0.1×, tiers included', () => {
    const anthropic = by('anthropic');
    for (const m of anthropic) {
      expect(m.caching, m.id).toBe('anthropic-explicit');
      for (const p of [m, ...(m.tiers ?? [])]) {
        const input = p.inputPerMTok as number;
        close(p.cacheWrite5mPerMTok, input * 1.25);
        close(p.cacheWrite1hPerMTok, input * 2);
        close(p.cacheReadPerMTok, input * 0.1);
      }
    }
  });

  it('gives every Anthropic model a minimum cacheable length Anthropic documents', () => {
    for (const m of by('anthropic')) expect([1024, 2048, 4096], m.id).toContain(m.minCacheableTokens);
    expect(models.find((m) => m.id === 'claude-sonnet-4-5')?.minCacheableTokens).toBe(1024);
    expect(models.find((m) => m.id === 'claude-3-5-haiku-latest')?.minCacheableTokens).toBe(2048);
  });

  it('prices batch at 50% of standard wherever batch prices exist, and always as a pair', () => {
    const batched = models.filter((m) => m.batchInputPerMTok != null || m.batchOutputPerMTok != null);
    expect(batched.length).toBeGreaterThan(20);
    for (const m of batched) {
      close(m.batchInputPerMTok, (m.inputPerMTok as number) * 0.5);
      close(m.batchOutputPerMTok, (m.outputPerMTok as number) * 0.5);
    }
  });

  it('lists no batch price for providers without a batch API', () => {
    for (const m of [...by('deepseek'), ...models.filter((x) => x.host)]) {
      expect(m.batchInputPerMTok, m.id).toBeUndefined();
      expect(m.batchOutputPerMTok, m.id).toBeUndefined();
    }
  });

  it('counts OpenAI models exactly with their own encoding and everyone else as a labelled estimate', () => {
    for (const m of models) {
      if (m.provider === 'openai') {
        expect(m.tokenCountMethod, m.id).toBe('exact');
        expect(m.countWith, m.id).toBe(m.tokenizer);
      } else {
        expect(m.tokenCountMethod, m.id).toBe('estimate');
        expect(isEncodingId(m.tokenizer), m.id).toBe(false);
        expect(m.countWith, m.id).toBe('o200k_base');
      }
    }
    expect(models.find((m) => m.id === 'gpt-4-turbo')?.tokenizer).toBe('cl100k_base');
    expect(models.find((m) => m.id === 'gpt-4o')?.tokenizer).toBe('o200k_base');
  });

  it('uses OpenAI automatic caching from 1,024 tokens with a cached price below input', () => {
    for (const m of models.filter((x) => x.caching === 'openai-auto')) {
      expect(m.provider).toBe('openai');
      expect(m.minCacheableTokens, m.id).toBe(1024);
      expect(m.cacheReadPerMTok, m.id).toBeLessThan(m.inputPerMTok as number);
    }
  });

  it('has a cache-read price for every auto-caching model and none for models that do not cache', () => {
    for (const m of models) {
      if (m.caching === 'none') {
        expect(m.cacheReadPerMTok ?? undefined, m.id).toBeUndefined();
        expect(m.cacheWrite5mPerMTok ?? undefined, m.id).toBeUndefined();
      } else {
        expect(typeof m.cacheReadPerMTok, m.id).toBe('number');
        if (m.inputPerMTok !== null) expect(m.cacheReadPerMTok, m.id).toBeLessThan(m.inputPerMTok);
      }
    }
  });

  it('never uses 0 as a price unless the entry says it is free; unknown prices are null and explained', () => {
    for (const m of models) {
      const tiers = (m.tiers ?? []) as Array<Partial<Record<(typeof PRICE_FIELDS)[number], number>>>;
      for (const p of [m as Partial<Record<(typeof PRICE_FIELDS)[number], number | null>>, ...tiers]) {
        for (const f of PRICE_FIELDS) {
          if (p[f] === 0) expect(m.notes ?? '', `${m.id}.${f}`).toMatch(/free/i);
        }
      }
      if (m.inputPerMTok === null || m.outputPerMTok === null)
        expect(m.notes ?? '', m.id).toMatch(/no price/i);
    }
  });

  it('has long-context tiers where providers publish them, above the base price and inside the window', () => {
    const sonnet = models.find((m) => m.id === 'claude-sonnet-4-5');
    expect(sonnet?.tiers?.[0]).toMatchObject({
      aboveInputTokens: 200000,
      inputPerMTok: 6,
      outputPerMTok: 22.5,
    });
    const pro = models.find((m) => m.id === 'gemini-2.5-pro');
    expect(pro?.tiers?.[0]).toMatchObject({ aboveInputTokens: 200000, inputPerMTok: 2.5, outputPerMTok: 15 });
    for (const m of models.filter((x) => x.tiers)) {
      for (const t of m.tiers!) {
        expect(t.aboveInputTokens, m.id).toBeLessThan(m.contextWindow);
        expect(t.inputPerMTok, m.id).toBeGreaterThan(m.inputPerMTok as number);
        expect(t.outputPerMTok, m.id).toBeGreaterThanOrEqual(m.outputPerMTok as number);
      }
    }
  });

  it('dates every price honestly: a real past date, a provider https source, bundled origin', () => {
    for (const m of models) {
      expect(new Date(`${m.asOf}T00:00:00Z`).toISOString().slice(0, 10), m.id).toBe(m.asOf);
      expect(m.asOf <= TODAY, `${m.id} asOf ${m.asOf}`).toBe(true);
      expect(m.asOf, m.id).not.toBe(TODAY);
      expect(m.source, m.id).toMatch(/^https:\/\//);
      expect(m.origin, m.id).toBe('bundled');
    }
  });

  it('keeps the max output within the context window', () => {
    for (const m of models)
      if (m.maxOutputTokens) expect(m.maxOutputTokens, m.id).toBeLessThanOrEqual(m.contextWindow);
  });
});

describe('CatalogSchema rejects a bad entry, naming the field', () => {
  const issuesOf = (value: unknown) => {
    const r = CatalogSchema.safeParse(value);
    expect(r.success).toBe(false);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('a negative price', () => {
    const c = copy();
    c.models[3]!.cacheReadPerMTok = -0.1;
    expect(issuesOf(c)).toContain('models.3.cacheReadPerMTok');
  });

  it('a missing price', () => {
    const c = copy();
    delete c.models[0]!.inputPerMTok;
    expect(issuesOf(c)).toContain('models.0.inputPerMTok');
  });

  it('a missing context window and a string price', () => {
    const c = copy();
    delete c.models[1]!.contextWindow;
    c.models[2]!.outputPerMTok = '10';
    expect(issuesOf(c)).toEqual(expect.arrayContaining(['models.1.contextWindow', 'models.2.outputPerMTok']));
  });

  it('a negative tier price', () => {
    const c = copy();
    const at = c.models.findIndex((m) => m.id === 'gemini-2.5-pro');
    (c.models[at]!.tiers as Array<Record<string, unknown>>)[0]!.outputPerMTok = -15;
    expect(issuesOf(c)).toContain(`models.${at}.tiers.0.outputPerMTok`);
  });

  it('a duplicated id and an exact count through a stand-in encoding', () => {
    const c = copy();
    c.models.push({ ...c.models[0]! });
    const gpt = c.models.findIndex((m) => m.id === 'gpt-4-turbo');
    c.models[gpt]!.countWith = 'o200k_base';
    expect(issuesOf(c)).toEqual(
      expect.arrayContaining([`models.${c.models.length - 1}.id`, `models.${gpt}.countWith`]),
    );
  });

  it('accepts null as "no price" but not as a context window', () => {
    const entry = { ...(copy().models[0] as ModelEntry), inputPerMTok: null, outputPerMTok: null };
    expect(ModelEntrySchema.safeParse(entry).success).toBe(true);
    const bad = ModelEntrySchema.safeParse({ ...entry, contextWindow: null });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'))).toEqual(['contextWindow']);
  });
});
