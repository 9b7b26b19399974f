import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGptTokenizer } from '../../src/core/tokens/gptTokenizer';
import { contentChunks, memoTokenizer } from '../../src/core/tokens/memoTokenizer';
import type { EncodingId, Tokenizer } from '../../src/core/tokens/tokenizer';
import { rng } from '../support/random';

const CORPORA = path.resolve('../shared/corpora/system-prompts');
const corpus = readdirSync(CORPORA)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => readFileSync(path.join(CORPORA, f), 'utf8'))
  .join('\n\n');

/** A tokenizer that records how many characters it was asked to encode. */
function counting(): Tokenizer & { chars: number } {
  const inner = createGptTokenizer();
  const t = {
    id: inner.id,
    encodings: inner.encodings,
    chars: 0,
    count(text: string, encoding: EncodingId) {
      t.chars += text.length;
      return inner.count(text, encoding);
    },
  };
  return t;
}

const MIXED = [
  '\n',
  '\n\n',
  ' ',
  '  ',
  'a',
  'Word',
  '7',
  '12',
  '.',
  ':\n',
  '- ',
  '# ',
  '안녕',
  '🙂',
  "'s",
  '\t',
  '{{x}}',
];

describe('memoTokenizer', () => {
  const plain = createGptTokenizer();

  it('cuts chunks that join back to the text, each at most a little over the cap unless no safe cut exists', () => {
    const chunks = contentChunks(corpus, 16);
    expect(chunks.join('')).toBe(corpus);
    expect(chunks.length).toBeGreaterThan(20);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(20_000);
    expect(contentChunks('', 16)).toEqual([]);
  });

  it('counts exactly what the tokenizer counts, on real prompts and on random mixed text, both encodings', () => {
    const memo = memoTokenizer(createGptTokenizer());
    for (const enc of ['o200k_base', 'cl100k_base'] as const) {
      expect(memo.count(corpus, enc)).toBe(plain.count(corpus, enc));
      const r = rng(7);
      for (let k = 0; k < 40; k++) {
        let s = '';
        const n = 200 + Math.floor(r() * 3000);
        for (let i = 0; i < n; i++) s += MIXED[Math.floor(r() * MIXED.length)]!;
        expect(memo.count(s, enc), `case ${k}`).toBe(plain.count(s, enc));
      }
    }
  });

  it('re-encodes only the chunks around an edit, and stays exact after it', () => {
    const inner = counting();
    const memo = memoTokenizer(inner);
    expect(memo.count(corpus, 'o200k_base')).toBe(plain.count(corpus, 'o200k_base'));
    expect(inner.chars).toBe(corpus.length);
    inner.chars = 0;
    expect(memo.count(corpus, 'o200k_base')).toBe(plain.count(corpus, 'o200k_base'));
    expect(inner.chars).toBe(0);
    const r = rng(11);
    let reencoded = 0;
    for (let k = 0; k < 20; k++) {
      const at = Math.floor(r() * corpus.length);
      const edited = corpus.slice(0, at) + (k % 2 ? 'Never do that.\n' : '') + corpus.slice(at + (k % 3) * 5);
      inner.chars = 0;
      expect(memo.count(edited, 'o200k_base')).toBe(plain.count(edited, 'o200k_base'));
      reencoded += inner.chars;
    }
    // a content-defined cut resynchronises after the edit: a cut by position would re-encode everything
    // after each edit (half the text on average)
    expect(reencoded / 20).toBeLessThan(corpus.length / 10);
  });

  it('forgets the least recently used texts beyond its character budget', () => {
    const memo = memoTokenizer(createGptTokenizer(), { maxChars: 100 });
    for (let i = 0; i < 50; i++) memo.count(`text number ${i}`, 'o200k_base');
    expect(memo.entries).toBeLessThanOrEqual(8);
    expect(memo.count('text number 49', 'o200k_base')).toBe(plain.count('text number 49', 'o200k_base'));
  });
});
