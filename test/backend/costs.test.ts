import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { get_encoding } from 'tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { COOKBOOK_MESSAGES, ok } from '../support/fixtures';

/** A real, fully static system prompt (τ²-bench, MIT; see ../shared/corpora/README.md) of ~3.8k o200k tokens. */
const MANUAL = path.resolve(
  '../shared/corpora/system-prompts/044_sierra-research__data__tau2__domains__telecom__tech_support_manual.md',
);
const o200k = get_encoding('o200k_base');
let backend: Backend;
let text: string;
let exact: number;

beforeAll(async () => {
  backend = createBackend({
    host: 'cli',
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'pp-costs-')),
    watch: false,
  });
  text = await readFile(MANUAL, 'utf8');
  exact = o200k.encode(text, [], []).length;
});
afterAll(() => backend.dispose());

/** OpenAI's automatic caching: from 1,024 tokens, in 128-token steps. */
const openAiRule = (n: number) => (n < 1024 ? 0 : 1024 + Math.floor((n - 1024) / 128) * 128);

describe('cost.estimate', () => {
  it('counts gpt-4o exactly, estimates Claude with a stand-in, and never prices an unpriced model at $0', async () => {
    const models = ['gpt-4o', 'claude-sonnet-4-5', 'mistral-large-latest'];
    const { rows, warnings } = await ok(
      call(backend, 'cost.estimate', { text, models, workload: { requestsPerDay: 1000 } }),
    );
    expect(rows.map((r) => r.model)).toEqual(models);
    const [gpt, claude, mistral] = rows;

    expect(exact).toBeGreaterThan(3000);
    expect(gpt).toMatchObject({ tokens: exact, method: 'exact', encoding: 'o200k_base', unpriced: [] });
    // 500 output tokens by default: input at $2.50/1M, output at $10/1M
    expect(gpt!.perRequestUsd).toBeCloseTo((exact * 2.5 + 500 * 10) / 1e6, 12);
    expect(gpt!.per1kUsd).toBeCloseTo(gpt!.perRequestUsd! * 1000, 9);
    expect(gpt!.perMonthUsd).toBeCloseTo(1000 * 30 * gpt!.perRequestUsd!, 6);

    expect(claude).toMatchObject({ method: 'estimate', counter: 'o200k_base stand-in' });
    expect(claude!.perMonthUsd).toBeCloseTo(1000 * 30 * claude!.perRequestUsd!, 6);
    expect(warnings.some((w) => w.startsWith('Claude Sonnet 4.5') && /≈/.test(w) && /stand-in/.test(w))).toBe(
      true,
    );

    expect(mistral).toMatchObject({ perRequestUsd: null, per1kUsd: null, perMonthUsd: null });
    expect(mistral!.unpriced).toEqual(expect.arrayContaining(['input', 'output']));
    expect(warnings.some((w) => w.includes('Mistral Large') && w.includes('no price'))).toBe(true);
  });

  it('lowers the gpt-4o monthly cost with cache hits and caches whole 128-token steps from 1,024', async () => {
    const estimate = (cacheHitRate: number) =>
      ok(call(backend, 'cost.estimate', { text, models: ['gpt-4o'], workload: { cacheHitRate } }));
    const [cold] = (await estimate(0)).rows;
    const [warm] = (await estimate(0.8)).rows;
    expect(cold!.cachedTokensOnHit).toBe(0);
    expect(warm!.cachedTokensOnHit).toBe(openAiRule(exact));
    expect(warm!.cachedTokensOnHit % 128).toBe(0);
    expect(warm!.perMonthUsd!).toBeLessThan(cold!.perMonthUsd!);
    // 80% of requests read the cached tokens at $1.25/1M instead of $2.50/1M
    const saved = 1000 * 30 * 0.8 * warm!.cachedTokensOnHit * (2.5 - 1.25) * 1e-6;
    expect(cold!.perMonthUsd! - warm!.perMonthUsd!).toBeCloseTo(saved, 6);
  });

  it('fails with UNKNOWN_MODEL naming an unknown id', async () => {
    const r = await call(backend, 'cost.estimate', { text, models: ['gpt-4o', 'gpt-99-ultra'] });
    expect(r.ok ? null : r.error.code).toBe('UNKNOWN_MODEL');
    expect(r.ok ? '' : r.error.message).toContain('gpt-99-ultra');
  });
});

describe('cost.cacheWhatIf', () => {
  const dynamicTail = '\n\nToday is 2025-11-22.\nCustomer name: Ada Lovelace\n';

  it('flags an edit early in the cached prefix and ignores one after the first dynamic span', async () => {
    const prompt = text + dynamicTail;
    const base = await ok(call(backend, 'cost.cacheWhatIf', { text: prompt, model: 'gpt-4o' }));
    expect(base.firstDynamic?.kind).toBe('date');
    expect(base.cachedTokensOnHit).toBe(openAiRule(exact));
    expect(base.invalidatedTokens).toBe(0);

    const early = prompt.replace('# ', '# Revised ');
    expect(early).not.toBe(prompt);
    const r1 = await ok(
      call(backend, 'cost.cacheWhatIf', { text: early, previousText: prompt, model: 'gpt-4o' }),
    );
    expect(r1.invalidatedTokens).toBeGreaterThan(0);
    expect(r1.invalidatedTokens).toBeLessThanOrEqual(base.cachedTokensOnHit);

    const late = prompt.replace('Ada Lovelace', 'Grace Hopper');
    const r2 = await ok(
      call(backend, 'cost.cacheWhatIf', { text: late, previousText: prompt, model: 'gpt-4o' }),
    );
    expect(r2.invalidatedTokens).toBe(0);
  });

  it('loses the whole Anthropic breakpoint on an early edit', async () => {
    const prompt = text + dynamicTail;
    const edited = 'Note: be brief.\n\n' + prompt;
    const r = await ok(
      call(backend, 'cost.cacheWhatIf', { text: edited, previousText: prompt, model: 'claude-sonnet-4-5' }),
    );
    expect(r.method).toBe('estimate');
    const before = await ok(call(backend, 'cost.cacheWhatIf', { text: prompt, model: 'claude-sonnet-4-5' }));
    expect(before.cachedTokensOnHit).toBeGreaterThan(0);
    expect(r.invalidatedTokens).toBe(before.cachedTokensOnHit);
  });
});

describe('cost.project', () => {
  it('projects original vs compressed with savingUsd = original − compressed', async () => {
    const compressed = text.slice(0, Math.floor(text.length / 2));
    const workload = {
      requestsPerDay: 2000,
      days: 30,
      outputTokens: 400,
      cacheHitRate: 0.5,
      batchShare: 0.2,
    };
    const { rows } = await ok(
      call(backend, 'cost.project', {
        models: ['gpt-4o', 'claude-sonnet-4-5', 'mistral-large-latest'],
        original: { text },
        compressed: { text: compressed },
        workload,
      }),
    );
    const [gpt, claude, mistral] = rows;
    for (const row of [gpt!, claude!]) {
      expect(row.original.requests).toBe(60_000);
      expect(row.compressed!.totalUsd!).toBeLessThan(row.original.totalUsd!);
      expect(row.savingUsd).toBeCloseTo(row.original.totalUsd! - row.compressed!.totalUsd!, 9);
      const b = row.original.breakdown!;
      expect(b.input + b.output + b.cache + b.embeddings + b.other).toBeCloseTo(row.original.totalUsd!, 9);
    }
    expect(mistral).toMatchObject({ savingUsd: null, original: { totalUsd: null, breakdown: null } });
  });

  it('applies the 1,024/128 rule to a prompt given only by its token count', async () => {
    const workload = { requestsPerDay: 100, days: 1, outputTokens: 0, cacheHitRate: 1, batchShare: 0 };
    const { rows } = await ok(
      call(backend, 'cost.project', { models: ['gpt-4o'], original: { tokens: 1100 }, workload }),
    );
    // 1,024 tokens read at $1.25/1M and 76 at $2.50/1M, 100 times
    expect(rows[0]!.original.totalUsd).toBeCloseTo(100 * (1024 * 1.25 + 76 * 2.5) * 1e-6, 12);
  });
});

describe('tokens.countRequest', () => {
  const cookbook = COOKBOOK_MESSAGES;

  it.each([
    ['gpt-4o', 124],
    ['gpt-3.5-turbo', 129],
  ])('counts the cookbook example for %s as %i tokens', async (model, tokens) => {
    const r = await ok(call(backend, 'tokens.countRequest', { request: cookbook, model }));
    expect(r).toMatchObject({ tokens, method: 'exact', messageCount: 6 });
    expect(r.parts.messages + r.parts.overhead + r.parts.tools).toBe(tokens);
    // the same messages inside a request body count the same
    const body = await ok(
      call(backend, 'tokens.countRequest', { request: { model, messages: cookbook }, model }),
    );
    expect(body.tokens).toBe(tokens);
  });

  it('fails with UNKNOWN_MODEL for an unknown id and INVALID_INPUT naming a bad field', async () => {
    const unknown = await call(backend, 'tokens.countRequest', { request: cookbook, model: 'gpt-7' });
    expect(unknown.ok ? null : unknown.error.code).toBe('UNKNOWN_MODEL');
    const bad = await call(backend, 'tokens.countRequest', {
      request: [{ role: 'wizard', content: 'hi' }],
      model: 'gpt-4o',
    });
    expect(bad.ok ? null : bad.error.code).toBe('INVALID_INPUT');
    expect(bad.ok ? '' : bad.error.message).toContain('[0].role');
  });
});
