import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogSchema } from '../../src/core/pricing/catalog';
import {
  batchItemUsd,
  batchPriceEntry,
  isBatchDone,
  summariseBatch,
  type BatchHandle,
  type BatchItemResult,
} from '../../src/core/providers/batch';

const catalog = CatalogSchema.parse(JSON.parse(readFileSync(path.resolve('resources/models.json'), 'utf8')));

describe('batch pricing', () => {
  it("prices a dated snapshot as the requested model it belongs to, and only at that model's provider", () => {
    expect(batchPriceEntry(catalog, 'openai', ['gpt-4o', 'gpt-4o-mini'], 'gpt-4o-mini-2024-07-18')?.id).toBe(
      'gpt-4o-mini',
    );
    expect(batchPriceEntry(catalog, 'openai', ['gpt-4o', 'gpt-4o-mini'], 'gpt-4o-2024-08-06')?.id).toBe(
      'gpt-4o',
    );
    expect(batchPriceEntry(catalog, 'openai', ['gpt-4o'], 'gpt-4o')?.id).toBe('gpt-4o');
    // a model served elsewhere is not priced at OpenAI's rate, and an unrequested one is not guessed
    expect(batchPriceEntry(catalog, 'groq', ['gpt-4o'], 'gpt-4o')).toBeNull();
    expect(batchPriceEntry(catalog, 'openai', ['gpt-4o'], 'gpt-4o-mini')).toBeNull();
  });

  it('bills input, output and cache reads at half price, and has no price without a batch price', () => {
    const haiku = catalog.models.find((m) => m.id === 'claude-haiku-4-5')!;
    const usd = batchItemUsd(haiku, {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheRead: 1_000_000,
    });
    expect(usd).toBeCloseTo((haiku.inputPerMTok! + haiku.outputPerMTok! + haiku.cacheReadPerMTok!) / 2, 12);
    const deepseek = catalog.models.find((m) => m.id === 'deepseek-chat')!;
    expect(deepseek.batchInputPerMTok ?? null).toBeNull();
    expect(batchItemUsd(deepseek, { inputTokens: 10, outputTokens: 10 })).toBeNull();
    expect(batchItemUsd(null, { inputTokens: 10, outputTokens: 10 })).toBeNull();
  });

  it('sums only the successes, and has no total when one of them has no price', () => {
    const handle = { id: 'b' } as BatchHandle;
    const ok = (usd: number | null): BatchItemResult => ({
      customId: String(usd),
      ok: true,
      text: '',
      usage: { inputTokens: 10, outputTokens: 5, cacheRead: 2 },
      usageMethod: 'provider-reported',
      usd,
      model: 'm',
      stopReason: 'end',
      providerStopReason: 'stop',
    });
    const failed: BatchItemResult = {
      customId: 'x',
      ok: false,
      outcome: 'errored',
      error: { code: 'PROVIDER_ERROR', message: 'no' },
    };
    const r = summariseBatch(handle, [ok(0.5), failed, ok(0.25)]);
    expect(r.usage).toEqual({ inputTokens: 20, outputTokens: 10, cacheRead: 4 });
    expect(r.usd).toBe(0.75);
    expect(summariseBatch(handle, [ok(0.5), ok(null)]).usd).toBeNull();
  });

  it('knows which statuses are final', () => {
    expect(['ended', 'canceled', 'expired', 'failed'].every((s) => isBatchDone(s as never))).toBe(true);
    expect(['validating', 'in_progress', 'canceling'].some((s) => isBatchDone(s as never))).toBe(false);
  });
});
