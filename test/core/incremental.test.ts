import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { get_encoding } from 'tiktoken';
import { describe, expect, it } from 'vitest';
import { IncrementalCounter, isSafeBoundary, splitAtSafeBoundaries } from '../../src/core/tokens/incremental';
import { rng } from '../support/random';

const o200k = get_encoding('o200k_base');
const cl100k = get_encoding('cl100k_base');
const countO = (t: string) => o200k.encode(t, [], []).length;
const countC = (t: string) => cl100k.encode(t, [], []).length;

const CORPORA = path.resolve('../shared/corpora/system-prompts');
const realPrompts = readdirSync(CORPORA)
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(path.join(CORPORA, f), 'utf8'));

// Fragments chosen to stress the pre-tokenizer: newlines next to letters, digits and punctuation, runs of
// spaces, contractions, CJK, Hangul, emoji (surrogate pairs), combining marks, slashes after newlines.
const FRAGMENTS = [
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\r\n',
  '\t',
  'a',
  'Z',
  'word',
  ' word',
  "'s",
  "n't",
  '7',
  '123456',
  '.',
  '!\n',
  '/',
  '\n/',
  '{{x}}',
  '```',
  '안녕',
  '東京',
  '🙂',
  '👩‍💻',
  'é',
  'e\u0301',
  '—',
  '-',
  '_',
  ':',
  '<tag>',
  'ALLCAPS',
  'camelCase',
];

function randomText(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += FRAGMENTS[Math.floor(r() * FRAGMENTS.length)]!;
  return s;
}

describe('safe boundaries', () => {
  it('cutting at every safe boundary keeps the count exact on real prompts', () => {
    for (const text of realPrompts) {
      const chunks = splitAtSafeBoundaries(text, 64);
      expect(chunks.join('')).toBe(text);
      expect(chunks.length).toBeGreaterThan(10);
      expect(chunks.reduce((n, c) => n + countO(c), 0)).toBe(countO(text));
      expect(chunks.reduce((n, c) => n + countC(c), 0)).toBe(countC(text));
    }
  });

  it('cutting at every safe boundary keeps the count exact on random adversarial text', () => {
    const r = rng(1);
    for (let k = 0; k < 300; k++) {
      const text = randomText(r, 5 + Math.floor(r() * 200));
      const cuts = [0];
      for (let i = 1; i < text.length; i++) if (isSafeBoundary(text, i)) cuts.push(i);
      cuts.push(text.length);
      let sumO = 0;
      let sumC = 0;
      for (let j = 0; j + 1 < cuts.length; j++) {
        const part = text.slice(cuts[j], cuts[j + 1]);
        sumO += countO(part);
        sumC += countC(part);
      }
      expect(sumO, JSON.stringify(text)).toBe(countO(text));
      expect(sumC, JSON.stringify(text)).toBe(countC(text));
    }
  });

  it('does not call a boundary safe where cutting would change the count', () => {
    expect(isSafeBoundary('a\n/', 2)).toBe(false); // ".\n/" is one piece in o200k
    expect(isSafeBoundary('a  b', 2)).toBe(false); // runs of spaces split differently
    expect(isSafeBoundary('a\nb', 2)).toBe(true);
  });
});

describe('IncrementalCounter', () => {
  it('equals a full re-encode after thousands of random edits (o200k_base and cl100k_base)', () => {
    for (const [count, seed] of [
      [countO, 7],
      [countC, 8],
    ] as const) {
      const r = rng(seed);
      const base = realPrompts[0]!;
      const counter = new IncrementalCounter(count, base, 256);
      let doc = base;
      for (let step = 0; step < 2500; step++) {
        const offset = Math.floor(r() * (doc.length + 1));
        const del = r() < 0.5 ? 0 : Math.min(doc.length - offset, Math.floor(r() * (r() < 0.9 ? 4 : 400)));
        const ins = r() < 0.3 ? '' : randomText(r, 1 + Math.floor(r() * (r() < 0.9 ? 2 : 30)));
        doc = doc.slice(0, offset) + ins + doc.slice(offset + del);
        const got = counter.applyEdit(offset, del, ins);
        // every step is checked against a full encode of the whole document
        expect(got, `seed ${seed} step ${step}`).toBe(count(doc));
      }
      expect(counter.text).toBe(doc);
    }
  }, 120_000);

  it('handles edits at the ends, deleting everything, and documents without any safe boundary', () => {
    const counter = new IncrementalCounter(countO, 'x'.repeat(5000), 64);
    expect(counter.chunkCount).toBe(1);
    expect(counter.applyEdit(0, 0, 'Hello\nWorld ')).toBe(countO('Hello\nWorld ' + 'x'.repeat(5000)));
    expect(counter.applyEdit(counter.text.length, 0, '\nend')).toBe(countO(counter.text));
    expect(counter.applyEdit(0, counter.text.length, '')).toBe(0);
    expect(counter.applyEdit(0, 0, '🙂')).toBe(countO('🙂'));
  });

  it('rejects an edit outside the document', () => {
    const counter = new IncrementalCounter(countO, 'abc');
    expect(() => counter.applyEdit(2, 5, '')).toThrow(RangeError);
  });
});
