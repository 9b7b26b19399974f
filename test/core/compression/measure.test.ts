import { encode as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { editWindow, isSafeCut } from '../../../src/core/compression';
import { measureEdits } from '../../../src/core/compression/measure';
import { applyEdits } from '../../../src/core/compression/stage';
import { systemPrompts } from './corpora';
import { rng } from './random';

const NONE = new Set<string>();
const counters = {
  o200k_base: (t: string) => o200k(t, { disallowedSpecial: NONE }).length,
  cl100k_base: (t: string) => cl100k(t, { disallowedSpecial: NONE }).length,
};

// characters that stress the pre-tokenizers at a cut: letters, digits, spaces and tabs, newlines, "/", "'",
// punctuation, marks, surrogate pairs, exotic spaces
const ALPHABET = [
  'a',
  'Z',
  'é',
  'e\u0301',
  '한',
  '中',
  '7',
  '٣',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\n\n',
  '/',
  "'",
  "'s",
  '.',
  ',',
  '#',
  '-',
  '*',
  '"',
  '😀',
  '\u00a0',
  '\u3000',
  '\u2028',
  '\u200b',
  '{',
  '}',
  // for the cut rules after a letter, a digit or punctuation: contractions, curly apostrophes, astral
  // letters and digits, other numbers, whitespace that is not whitespace to every tokenizer, lone surrogates
  "'ll",
  "'t",
  '’',
  '𝐀',
  '𝟎',
  '½',
  '\u0085',
  '\u180e',
  '\v',
  '\u2028',
  '\ufeff',
  '\ud800',
  '\u0301',
  ':',
  '(',
];

function randomText(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

describe('safe cuts', () => {
  it('count(a + b) = count(a) + count(b) at every safe cut of random text, for o200k and cl100k', () => {
    const r = rng(11);
    let cuts = 0;
    for (let n = 0; n < 300; n++) {
      const text = randomText(r, 30);
      for (let i = 0; i <= text.length; i++) {
        if (!isSafeCut(text, i)) continue;
        cuts++;
        for (const [name, count] of Object.entries(counters)) {
          expect(
            count(text.slice(0, i)) + count(text.slice(i)),
            `${name} ${JSON.stringify(text)} @${i}`,
          ).toBe(count(text));
        }
      }
    }
    expect(cuts).toBeGreaterThan(1000);
  });

  it('holds at every safe cut of real prompts', () => {
    const count = counters.o200k_base;
    for (const p of systemPrompts(0).slice(0, 8)) {
      const text = p.text.slice(0, 3000);
      const total = count(text);
      const r = rng(text.length);
      for (let k = 0; k < 60; k++) {
        const i = Math.floor(r() * text.length);
        if (isSafeCut(text, i))
          expect(count(text.slice(0, i)) + count(text.slice(i)), `${p.name} @${i}`).toBe(total);
      }
    }
  });
});

describe('edit savings', () => {
  it('are exact for each edit alone, and the clusters add up to the exact saving of all edits', () => {
    const count = counters.o200k_base;
    const text = systemPrompts(0)[0]!.text.slice(0, 4000);
    const r = rng(3);
    for (let round = 0; round < 40; round++) {
      // a few random, sorted, non-overlapping edits
      const edits: Array<{
        start: number;
        end: number;
        after: string;
        tokensSaved: number;
        tokensExact: boolean;
      }> = [];
      let pos = 0;
      while (pos < text.length && edits.length < 6) {
        const start = pos + Math.floor(r() * 400);
        const end = Math.min(text.length, start + Math.floor(r() * 8));
        if (start >= text.length) break;
        edits.push({
          start,
          end,
          after: ['', ' ', 'x', '\n', 'word '][Math.floor(r() * 5)]!,
          tokensSaved: 0,
          tokensExact: true,
        });
        pos = end + 1;
      }
      const clusters = measureEdits(text, edits, [], count);
      for (const e of edits) {
        expect(e.tokensExact).toBe(true);
        expect(e.tokensSaved).toBe(count(text) - count(applyEdits(text, [e])));
      }
      expect(clusters.reduce((n, c) => n + c.saved, 0)).toBe(count(text) - count(applyEdits(text, edits)));
    }
  });

  it('are exact for clusters without a safe cut nearby (a long run of brackets)', () => {
    const count = counters.o200k_base;
    const run = '[]'.repeat(600);
    const text = `Data:\n${run}\nEnd of data.`;
    const from = text.indexOf(run);
    const r = rng(5);
    for (let round = 0; round < 10; round++) {
      // pairs deleted here and there in the middle of the run, far from any safe cut
      const edits: Array<{
        start: number;
        end: number;
        after: string;
        tokensSaved: number;
        tokensExact: boolean;
      }> = [];
      for (let i = from + 300; i < from + run.length - 300; i += 2) {
        if (r() < 0.1) edits.push({ start: i, end: i + 2, after: '', tokensSaved: 0, tokensExact: true });
      }
      const clusters = measureEdits(text, edits, [], count);
      expect(edits.every((e) => !e.tokensExact)).toBe(true);
      expect(clusters.every((c) => c.exact)).toBe(true);
      expect(clusters.reduce((n, c) => n + c.saved, 0)).toBe(count(text) - count(applyEdits(text, edits)));
    }
  });

  it('widens an edit only to the nearest safe cuts the edit leaves alone', () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    const at = text.indexOf('brown');
    const w = editWindow(text, at, at + 5);
    // the cut right after the edit would read the edited character, so the window reaches the next one
    expect(text.slice(w.start, w.end)).toBe(' brown fox');
    expect(w.exact).toBe(true);
  });
});
