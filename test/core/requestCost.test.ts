import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '../../src/core/pricing/catalog';
import { openAiCachedTokens, requestCost } from '../../src/core/pricing/requestCost';

const base = { source: 'https://example.com/pricing', asOf: '2025-09-29', contextWindow: 1_000_000 } as const;
const sonnet: ModelEntry = {
  ...base,
  id: 'claude-sonnet-4-5',
  provider: 'anthropic',
  label: 'Claude Sonnet 4.5',
  tokenizer: 'claude',
  countWith: 'o200k_base',
  tokenCountMethod: 'estimate',
  inputPerMTok: 3,
  outputPerMTok: 15,
  batchInputPerMTok: 1.5,
  batchOutputPerMTok: 7.5,
  caching: 'anthropic-explicit',
  minCacheableTokens: 1024,
  tiers: [{ aboveInputTokens: 200_000, inputPerMTok: 6, outputPerMTok: 22.5 }],
};
const gpt4o: ModelEntry = {
  ...base,
  id: 'gpt-4o',
  provider: 'openai',
  label: 'GPT-4o',
  tokenizer: 'o200k_base',
  countWith: 'o200k_base',
  tokenCountMethod: 'exact',
  inputPerMTok: 2.5,
  outputPerMTok: 10,
  cacheReadPerMTok: 1.25,
  batchInputPerMTok: 1.25,
  batchOutputPerMTok: 5,
  caching: 'openai-auto',
  minCacheableTokens: 1024,
};
const unpriced: ModelEntry = {
  ...gpt4o,
  id: 'mystery',
  inputPerMTok: null,
  outputPerMTok: null,
  cacheReadPerMTok: undefined,
};

describe('Anthropic explicit caching', () => {
  it('bills a 5-minute cache write at 1.25× input, uncached input and output at list price', () => {
    const c = requestCost(sonnet, { inputTokens: 10_000, cacheWrite5mTokens: 2_000, outputTokens: 500 });
    expect(c.input.usd).toBeCloseTo(0.03, 12); // 10,000 × $3/M
    expect(c.cacheWrite5m.perMTok).toBeCloseTo(3.75, 12);
    expect(c.cacheWrite5m.usd).toBeCloseTo(0.0075, 12); // 2,000 × $3.75/M
    expect(c.output.usd).toBeCloseTo(0.0075, 12); // 500 × $15/M
    expect(c.totalUsd).toBeCloseTo(0.045, 12);
  });

  it('bills a 1-hour write at 2× and a cache read at 0.1× input', () => {
    const c = requestCost(sonnet, {
      inputTokens: 0,
      cacheWrite1hTokens: 1_000,
      cacheReadTokens: 8_000,
      outputTokens: 0,
    });
    expect(c.cacheWrite1h.usd).toBeCloseTo(0.006, 12); // 1,000 × $6/M
    expect(c.cacheRead.usd).toBeCloseTo(0.0024, 12); // 8,000 × $0.30/M
    expect(c.totalUsd).toBeCloseTo(0.0084, 12);
  });

  it('applies the long-context tier to the whole request when total input exceeds 200k', () => {
    const under = requestCost(sonnet, { inputTokens: 200_000, outputTokens: 1_000 });
    expect(under.tier).toBeNull();
    expect(under.totalUsd).toBeCloseTo(0.6 + 0.015, 12);
    // 150k uncached + 60k cache read = 210k > 200k: every line at tier prices, cache read at 0.1 × $6
    const over = requestCost(sonnet, { inputTokens: 150_000, cacheReadTokens: 60_000, outputTokens: 1_000 });
    expect(over.tier?.aboveInputTokens).toBe(200_000);
    expect(over.input.usd).toBeCloseTo(0.9, 12);
    expect(over.cacheRead.usd).toBeCloseTo(0.036, 12);
    expect(over.output.usd).toBeCloseTo(0.0225, 12);
  });

  it('stacks the batch discount with cache multipliers', () => {
    const c = requestCost(
      sonnet,
      { inputTokens: 1_000, cacheReadTokens: 10_000, outputTokens: 1_000 },
      { batch: true },
    );
    expect(c.input.perMTok).toBeCloseTo(1.5, 12);
    expect(c.cacheRead.perMTok).toBeCloseTo(0.15, 12);
    expect(c.output.perMTok).toBeCloseTo(7.5, 12);
    expect(c.totalUsd).toBeCloseTo(0.0015 + 0.0015 + 0.0075, 12);
  });
});

describe('OpenAI automatic caching', () => {
  it.each([
    [0, 0],
    [1_023, 0],
    [1_024, 1_024],
    [1_151, 1_024],
    [1_152, 1_152],
    [3_000, 2_944],
  ])('a %i-token shared prefix caches %i tokens (1,024 minimum, 128-token steps)', (prefix, cached) => {
    expect(openAiCachedTokens(prefix)).toBe(cached);
  });

  it('reads cached tokens at the cached price and charges no write surcharge', () => {
    const cached = openAiCachedTokens(3_000);
    const c = requestCost(gpt4o, { inputTokens: 3_000 - cached, cacheReadTokens: cached, outputTokens: 200 });
    expect(c.input.usd).toBeCloseTo((56 * 2.5) / 1e6, 12);
    expect(c.cacheRead.usd).toBeCloseTo((2_944 * 1.25) / 1e6, 12);
    const write = requestCost(gpt4o, { inputTokens: 0, cacheWrite5mTokens: 3_000, outputTokens: 0 });
    expect(write.totalUsd).toBeCloseTo((3_000 * 2.5) / 1e6, 12);
  });

  it('bills batch requests at the batch price (50%)', () => {
    const c = requestCost(gpt4o, { inputTokens: 1_000_000, outputTokens: 1_000_000 }, { batch: true });
    expect(c.totalUsd).toBeCloseTo(1.25 + 5, 12);
    expect(c.batch).toBe(true);
  });
});

describe('missing prices', () => {
  it('never shows $0 for a model without a price: the total is null and the lines are named', () => {
    const c = requestCost(unpriced, { inputTokens: 100, outputTokens: 10 });
    expect(c.totalUsd).toBeNull();
    expect(c.unpriced).toEqual(['input', 'output']);
  });

  it('treats lines without tokens as free even when unpriced', () => {
    const c = requestCost(unpriced, { inputTokens: 0, outputTokens: 0 });
    expect(c.totalUsd).toBe(0);
  });

  it('has no batch price for a model without a batch API', () => {
    const noBatch: ModelEntry = { ...gpt4o, batchInputPerMTok: undefined, batchOutputPerMTok: undefined };
    const c = requestCost(noBatch, { inputTokens: 10, outputTokens: 10 }, { batch: true });
    expect(c.totalUsd).toBeNull();
    expect(c.unpriced).toContain('input');
  });
});
