import { describe, expect, it } from 'vitest';
import { cosine, lcsLength, rougeL, rougeTokens, type EmbedPort } from '../../../src/core/scorers';
import { both, check } from './helpers';

/** A deterministic stand-in for an embedding model: bag of lower-cased words over a fixed vocabulary. */
const VOCAB = ['paris', 'capital', 'france', 'city', 'rome', 'italy', 'pizza'];
const bagEmbed: EmbedPort = async (texts) =>
  texts.map((t) =>
    VOCAB.map(
      (w) =>
        t
          .toLowerCase()
          .split(/\W+/)
          .filter((x) => x === w).length,
    ),
  );

describe('similar (embedding cosine)', () => {
  it('passes at or above the threshold and reports the similarity', async () => {
    const ctx = { embed: bagEmbed, expected: 'Paris is the capital of France' };
    const r = await check('similar', {}, 'The capital of France: Paris', ctx);
    expect(r.score).toBeCloseTo(1);
    expect(r.pass).toBe(true);
    const far = await check('similar', {}, 'Rome is in Italy', ctx);
    expect(far.score).toBe(0);
    expect(await both('similar', {}, 'Rome is in Italy', ctx)).toEqual([false, true]);
    // paris+capital vs paris+capital+france: cos = 2 / (√2·√3) ≈ 0.816.
    const mid = await check('similar', { threshold: 0.85 }, 'Paris capital', ctx);
    expect(mid.score).toBeCloseTo(2 / Math.sqrt(6));
    expect(mid.pass).toBe(false);
  });

  it('embeds the output and the reference in one call, in that order', async () => {
    const seen: (readonly string[])[] = [];
    const embed: EmbedPort = async (t) => (seen.push(t), bagEmbed(t));
    await check('similar', { value: 'ref' }, 'out', { embed });
    expect(seen).toEqual([['out', 'ref']]);
  });

  it('errors without an embedding port (and not-similar does not pass then)', async () => {
    const r = await check('not-similar', { value: 'x' }, 'y');
    expect(r.pass).toBe(false);
    expect(r.error?.code).toBe('UNSUPPORTED');
  });

  it('scores an empty output 0 without calling the model', async () => {
    let calls = 0;
    const embed: EmbedPort = async (t) => (calls++, bagEmbed(t));
    expect((await check('similar', { value: 'Paris' }, '  ', { embed })).score).toBe(0);
    expect(calls).toBe(0);
  });

  it('cosine is 0 for a zero vector and refuses vectors of different lengths', () => {
    expect(cosine([0, 0], [1, 2])).toBe(0);
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1);
    expect(() => cosine([1], [1, 2])).toThrow(/differ in length/);
  });
});

describe('ROUGE-L', () => {
  it('computes the LCS F-measure of Lin (2004) on a textbook pair', () => {
    // Reference "police killed the gunman", candidate "police kill the gunman": LCS 3 of 4 and 4.
    const r = rougeL('police kill the gunman', 'police killed the gunman');
    expect(r).toEqual({ precision: 0.75, recall: 0.75, f: 0.75 });
    // "the gunman kill police": LCS "the gunman" = 2.
    expect(rougeL('the gunman kill police', 'police killed the gunman').f).toBeCloseTo(0.5);
  });

  it('LCS is order-sensitive and symmetric in its arguments', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['b', 'd'])).toBe(2);
    expect(lcsLength(['b', 'd'], ['a', 'b', 'c', 'd'])).toBe(2);
    expect(lcsLength([], ['a'])).toBe(0);
  });

  it('tokenises case-insensitively, drops punctuation, and splits Chinese and Japanese per character', () => {
    expect(rougeTokens('The Cat, the HAT!')).toEqual(['the', 'cat', 'the', 'hat']);
    expect(rougeTokens('東京タワー is tall')).toEqual(['東', '京', 'タ', 'ワ', 'ー', 'is', 'tall']);
    expect(rougeTokens('서울은 크다')).toEqual(['서울은', '크다']);
  });

  it('scores through the registry with a threshold, and not-rouge-l inverts', async () => {
    const ref = { value: 'police killed the gunman' };
    const r = await check('rouge-l', ref, 'police kill the gunman');
    expect(r.score).toBeCloseTo(0.75);
    expect(r.pass).toBe(true);
    expect((await check('rouge-l', { ...ref, threshold: 0.8 }, 'police kill the gunman')).pass).toBe(false);
    expect(await both('rouge-l', ref, 'nothing alike')).toEqual([false, true]);
    expect((await check('rouge-l', ref, '')).score).toBe(0);
  });
});
