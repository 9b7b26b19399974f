import { describe, expect, it } from 'vitest';
import { runPipeline, type Pipeline } from '../../src/core/compression';
import { DEFAULT_SIMILARITY } from '../../src/core/compression/strategies/similarity';
import {
  bundledModelLoader,
  createEmbeddingsService,
  type EmbeddingModel,
  type ModelLoader,
} from '../../src/backend/services/embeddings';
import { bundledRules, countO200k } from '../core/compression/corpora';

/** The real model, loaded once for this file; `calls` records every batch it is asked to embed. */
const calls: string[][] = [];
let loaded: Promise<EmbeddingModel> | undefined;
const realLoader: ModelLoader = async () => {
  const model = await (loaded ??= bundledModelLoader());
  return {
    embed: (texts) => {
      calls.push(texts);
      return model.embed(texts);
    },
  };
};

// a real policy line (tau-bench retail) and the same rule in other words; an unrelated line of the same policy
const LINE =
  'The user needs to confirm the order id, the list of items to be returned, and a payment method to receive the refund.';
const RESTATED =
  'Ask the user to confirm the order id, which items they are returning, and the payment method for the refund.';
const UNRELATED = 'Each user has a profile of its email, default address, user id, and payment methods.';

const DEDUPE: Pipeline = { version: 1, steps: [{ strategy: 'rules.dedupe', options: { byMeaning: true } }] };
const rules = bundledRules();

/** A stub model: one-hot vectors per distinct text, so equal texts score 1 and different ones 0. */
function stubLoader(log: string[][] = []): ModelLoader {
  const ids = new Map<string, number>();
  return async () => ({
    embed: async (texts) => {
      log.push(texts);
      return texts.map((t) => {
        if (!ids.has(t)) ids.set(t, ids.size);
        return Array.from({ length: 64 }, (_, i) => (i === ids.get(t)! % 64 ? 1 : 0));
      });
    },
  });
}

describe('embeddings service, bundled model', () => {
  const service = createEmbeddingsService({ loader: realLoader });

  it('loads offline and scores a restated rule far above an unrelated line', async () => {
    const [a, b, c] = await service.embed([LINE, RESTATED, UNRELATED]);
    expect(a).toHaveLength(512);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    const restated = await service.similarity(LINE, RESTATED);
    const unrelated = await service.similarity(LINE, UNRELATED);
    expect(restated).toBeGreaterThanOrEqual(DEFAULT_SIMILARITY);
    expect(unrelated).toBeLessThan(0.8);
    expect(await service.similarity(LINE, LINE)).toBeCloseTo(1, 5);
    expect(b).not.toEqual(c);
  }, 60_000);

  it('answers repeated texts from the cache and embeds each new text once, in one batch', async () => {
    const before = calls.length;
    const first = await service.embed([
      LINE,
      'A line the model has not seen yet.',
      'A line the model has not seen yet.',
    ]);
    expect(calls.slice(before)).toEqual([['A line the model has not seen yet.']]);
    const again = await service.embed([LINE, 'A line the model has not seen yet.']);
    expect(calls.length).toBe(before + 1);
    expect(again[1]).toBe(first[1]); // the cached vector itself
  });

  it('settles a pipeline in two runs, then in one, with the result of a run that knew every vector', async () => {
    const text = `${LINE}\n${UNRELATED}\n${RESTATED}\n`;
    const fresh = createEmbeddingsService({ loader: realLoader });
    const run = (similar?: (a: string, b: string) => number) =>
      runPipeline(text, DEDUPE, { count: countO200k, rules, similar });
    const first = await fresh.withSimilarity(run);
    expect(first).toMatchObject({ runs: 2, semantic: true });
    expect(first.warning).toBeUndefined();
    expect(first.result.text).toBe(`${LINE}\n${UNRELATED}\n`);
    expect(first.result.stages[0]!.edits[0]).toMatchObject({
      ruleId: 'line.similar',
      before: `${RESTATED}\n`,
    });
    const second = await fresh.withSimilarity(run);
    expect(second).toMatchObject({ runs: 1, embedded: 0, semantic: true });
    expect(JSON.stringify(second.result)).toBe(JSON.stringify(first.result));
    // the same as a run that had every vector from the start
    const vectors = new Map([LINE, UNRELATED, RESTATED].map((t, i) => [t, i]));
    const all = await fresh.embed([...vectors.keys()]);
    const oracle = (a: string, b: string) =>
      Math.max(
        0,
        all[vectors.get(a)!]!.reduce((s, x, i) => s + x * all[vectors.get(b)!]![i]!, 0),
      );
    expect(run(oracle).text).toBe(first.result.text);
  }, 60_000);
});

describe('embeddings service, stub models', () => {
  it('falls back to wording when the model cannot load, says why, and does not retry the load', async () => {
    let loads = 0;
    const service = createEmbeddingsService({
      loader: async () => {
        loads++;
        throw new Error('model files missing');
      },
    });
    const seen: unknown[] = [];
    const r = await service.withSimilarity((similar) => (seen.push(similar), 'lexical'));
    expect(r).toMatchObject({ result: 'lexical', semantic: false });
    expect(r.warning).toMatch(/by wording.*could not be loaded \(model files missing\)/);
    expect(seen).toEqual([undefined]);
    await service.withSimilarity(() => 0);
    expect(loads).toBe(1);
    await expect(service.embed(['x'])).rejects.toThrow('model files missing');
  });

  it('falls back when embedding fails midway', async () => {
    const service = createEmbeddingsService({
      loader: async () => ({
        embed: async () => {
          throw new Error('out of memory');
        },
      }),
    });
    const r = await service.withSimilarity((similar) => similar?.('a', 'b') ?? -1);
    expect(r).toMatchObject({ result: -1, semantic: false });
    expect(r.warning).toMatch(/embedding failed \(out of memory\)/);
  });

  it('falls back rather than embed more texts than a run may, or loop when runs do not settle', async () => {
    const service = createEmbeddingsService({ loader: stubLoader() });
    const many = await service.withSimilarity(
      (similar) => {
        for (let i = 0; i < 5; i++) similar?.(`t${i}`, 'u');
        return 'done';
      },
      { maxTexts: 3 },
    );
    expect(many).toMatchObject({ semantic: false, result: 'done' });
    expect(many.warning).toMatch(/6 texts to embed is more than the 3/);
    let k = 0;
    const restless = await service.withSimilarity((similar) => similar?.(`new ${k++}`, 'same'));
    expect(restless.semantic).toBe(false);
    expect(restless.warning).toMatch(/did not settle within 3 runs/);
  });

  it('embeds in batches and drops the least recently used vectors beyond its size', async () => {
    const log: string[][] = [];
    const service = createEmbeddingsService({ loader: stubLoader(log), batchSize: 2, cacheSize: 3 });
    await service.embed(['a', 'b', 'c', 'd', 'e']);
    expect(log).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(service.cacheSize).toBe(3);
    await service.embed(['c']); // c is now the most recent, d the least
    await service.embed(['f']);
    log.length = 0;
    await service.embed(['c', 'e', 'f', 'd']);
    expect(log).toEqual([['d']]);
  });

  it('settles even when the texts of one call do not all fit in the cache', async () => {
    const service = createEmbeddingsService({ loader: stubLoader(), cacheSize: 1 });
    const r = await service.withSimilarity((similar) => [similar?.('a', 'a'), similar?.('a', 'b')]);
    expect(r).toMatchObject({ semantic: true, runs: 2, result: [1, 0] });
  });
});
