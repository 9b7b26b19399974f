import { describe, expect, it } from 'vitest';
import { get_encoding } from 'tiktoken';
import type { ModelEntry } from '../../src/core/pricing/catalog';
import { cacheWhatIf, invalidatedByEdit } from '../../src/core/pricing/cacheWhatIf';
import { findDynamicSpans } from '../../src/core/pricing/dynamicContent';
import { projectWorkload } from '../../src/core/pricing/projection';

const enc = get_encoding('o200k_base');
const count = (t: string) => enc.encode(t, [], []).length;
const meta = {
  source: 'https://example.com',
  asOf: '2025-09-29',
  contextWindow: 200_000,
  countWith: 'o200k_base' as const,
};
const sonnet: ModelEntry = {
  ...meta,
  id: 'sonnet',
  provider: 'anthropic',
  label: 'Sonnet',
  tokenizer: 'claude',
  tokenCountMethod: 'estimate',
  inputPerMTok: 3,
  outputPerMTok: 15,
  batchInputPerMTok: 1.5,
  batchOutputPerMTok: 7.5,
  caching: 'anthropic-explicit',
  minCacheableTokens: 1024,
};
const gpt: ModelEntry = {
  ...meta,
  id: 'gpt-4o',
  provider: 'openai',
  label: 'GPT-4o',
  tokenizer: 'o200k_base',
  tokenCountMethod: 'exact',
  inputPerMTok: 2.5,
  outputPerMTok: 10,
  cacheReadPerMTok: 1.25,
  caching: 'openai-auto',
  minCacheableTokens: 1024,
};
const none: ModelEntry = { ...gpt, id: 'old', caching: 'none', cacheReadPerMTok: undefined };

const policy = Array.from(
  { length: 60 },
  (_, i) =>
    `## Rule ${i + 1}\n\nAgents must verify the booking before changing flight ${i + 1}; never refund more than the fare.\n`,
).join('\n');
const prompt = `${policy}\n## Session\n\nToday is 2025-03-14. The customer is {{customer_name}}.\n`;

describe('dynamic content', () => {
  it('finds variables, dates, times, ids and user lines in order', () => {
    const spans = findDynamicSpans(
      'Hi {{name}}, today is March 3, 2025 at 10:30 am.\nuser_id: 8f14e45f-ceea-467f-a0e6-bd1fd6e4c1a2\nUse $API_KEY and {city}.',
    );
    expect(spans.map((s) => s.kind)).toEqual([
      'variable',
      'date',
      'date',
      'time',
      'user-line',
      'variable',
      'variable',
    ]);
    expect(spans[0]!.text).toBe('{{name}}');
  });

  it('does not mistake JSON, prices or code braces for variables', () => {
    expect(findDynamicSpans('Return {"a": 1} and cost $5. function f() { return 1 }')).toEqual([]);
  });
});

describe('cacheWhatIf', () => {
  it('Anthropic: caches up to the last block boundary before the first dynamic span and suggests that breakpoint', () => {
    const r = cacheWhatIf({ text: prompt, model: sonnet, count, hitRate: 0.9, outputTokens: 300 });
    expect(r.firstDynamic?.text).toBe('Today is');
    const sessionHeading = prompt.indexOf('## Session');
    expect(r.prefixChars).toBeLessThanOrEqual(prompt.indexOf('Today is'));
    expect(r.prefixChars).toBeGreaterThanOrEqual(sessionHeading);
    expect(r.prefixTokens).toBe(count(prompt.slice(0, r.prefixChars)));
    expect(r.meetsMinimum).toBe(true);
    expect(r.breakpoints).toHaveLength(1);
    expect(r.breakpoints[0]!.offset).toBe(r.prefixChars);
    // a hit reads the prefix at 0.1×, a miss writes it at 1.25×
    expect(r.perRequest.hit.cacheRead.tokens).toBe(r.prefixTokens);
    expect(r.perRequest.miss.cacheWrite5m.tokens).toBe(r.prefixTokens);
    const expected = 0.9 * r.perRequest.hit.totalUsd! + 0.1 * r.perRequest.miss.totalUsd!;
    expect(r.perRequest.expectedUsd).toBeCloseTo(expected, 12);
    expect(r.savingPerRequestUsd!).toBeGreaterThan(0);
  });

  it('Anthropic: a low hit rate makes caching cost more than it saves (write surcharge)', () => {
    const r = cacheWhatIf({ text: prompt, model: sonnet, count, hitRate: 0.05, outputTokens: 300 });
    expect(r.savingPerRequestUsd!).toBeLessThan(0);
  });

  it('OpenAI: caches the static prefix in 128-token steps from 1,024, with no write surcharge', () => {
    const r = cacheWhatIf({ text: prompt, model: gpt, count, hitRate: 0.5, outputTokens: 0 });
    const prefix = count(prompt.slice(0, prompt.indexOf('Today is')));
    expect(r.prefixTokens).toBe(prefix);
    expect(r.cachedTokensOnHit).toBe(1024 + Math.floor((prefix - 1024) / 128) * 128);
    expect(r.perRequest.miss.totalUsd).toBeCloseTo(r.perRequest.noCache.totalUsd!, 12);
    expect(r.breakpoints).toEqual([]);
  });

  it('reports no caching below the minimum length or without provider caching', () => {
    const short = cacheWhatIf({
      text: 'Answer briefly. Today is 2025-01-01.',
      model: sonnet,
      count,
      hitRate: 1,
      outputTokens: 10,
    });
    expect(short.meetsMinimum).toBe(false);
    expect(short.explanation).toContain('at least 1,024 tokens');
    expect(short.perRequest.expectedUsd).toBeCloseTo(short.perRequest.noCache.totalUsd!, 12);
    const noCaching = cacheWhatIf({ text: prompt, model: none, count, hitRate: 1, outputTokens: 10 });
    expect(noCaching.cachedTokensOnHit).toBe(0);
    expect(noCaching.savingPerRequestUsd).toBe(0);
  });

  it('flags an edit inside the cached prefix with the tokens it invalidates', () => {
    const r = cacheWhatIf({ text: prompt, model: gpt, count, hitRate: 1, outputTokens: 0 });
    const early = prompt.replace('## Rule 2\n', '## Rule two\n');
    expect(invalidatedByEdit(prompt, early, r, count)).toBeGreaterThan(r.cachedTokensOnHit - 100);
    const late = prompt.replace('{{customer_name}}', '{{customer}}');
    expect(invalidatedByEdit(prompt, late, r, count)).toBe(0);
    const anthropic = cacheWhatIf({ text: prompt, model: sonnet, count, hitRate: 1, outputTokens: 0 });
    expect(invalidatedByEdit(prompt, prompt.replace('Rule 59', 'Rule 59!'), anthropic, count)).toBe(
      anthropic.cachedTokensOnHit,
    );
  });
});

describe('projectWorkload', () => {
  const w = {
    inputTokens: 5_000,
    cacheableTokens: 4_000,
    outputTokens: 500,
    requestsPerDay: 1_000,
    days: 30,
    cacheHitRate: 0,
    batchShare: 0,
  };

  it('prices a month of uncached real-time requests', () => {
    const p = projectWorkload({ ...w, model: gpt });
    expect(p.requests).toBe(30_000);
    expect(p.totalUsd).toBeCloseTo(30_000 * ((5_000 * 2.5 + 500 * 10) / 1e6), 6);
    expect(p.breakdown!.cache).toBe(0);
  });

  it('splits hits and misses and batch share, with the five-way breakdown', () => {
    const p = projectWorkload({
      ...w,
      model: sonnet,
      cacheHitRate: 0.8,
      batchShare: 0.5,
      embeddingTokensPerDay: 1e6,
      embeddingPerMTok: 0.02,
      otherMonthlyUsd: 10,
    });
    const hit = (1_000 * 3 + 4_000 * 0.3 + 500 * 15) / 1e6;
    const miss = (1_000 * 3 + 4_000 * 3.75 + 500 * 15) / 1e6;
    const realtime = 0.8 * hit + 0.2 * miss;
    const llm = 30_000 * (0.5 * realtime + 0.5 * realtime * 0.5);
    expect(p.breakdown!.embeddings).toBeCloseTo(0.6, 9);
    expect(p.breakdown!.other).toBeCloseTo(10, 9);
    expect(p.totalUsd).toBeCloseTo(llm + 0.6 + 10, 6);
    expect(p.perRequestUsd).toBeCloseTo(llm / 30_000, 9);
  });

  it('never totals a workload with a missing price', () => {
    const p = projectWorkload({ ...w, model: { ...gpt, outputPerMTok: null } });
    expect(p.totalUsd).toBeNull();
    expect(p.unpriced).toContain('output');
  });
});
