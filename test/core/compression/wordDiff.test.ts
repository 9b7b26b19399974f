import { describe, expect, it } from 'vitest';
import { applyEdits, diffHunks } from '../../../src/core/compression';
import { lcsPairs } from '../../../src/core/compression/wordDiff';
import { randomPrompt, rng } from './random';

/** Length of a longest common subsequence by dynamic programming, the slow reference. */
function lcsLength(a: number[], b: number[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j]!, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

/** A random edit of `text` at the word level: drops, replaces and inserts words and sentences. */
function mutate(text: string, next: () => number): string {
  const words = text.split(/(\s+)/);
  const out: string[] = [];
  for (const w of words) {
    const r = next();
    if (r < 0.08) continue;
    if (r < 0.14) out.push('changed');
    else if (r < 0.18) out.push(w, ' inserted words. ');
    else out.push(w);
  }
  return out.join('');
}

describe('lcsPairs', () => {
  it('finds a longest common subsequence (checked against dynamic programming)', () => {
    const next = rng(7);
    for (let c = 0; c < 300; c++) {
      const a = Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 5));
      const b = Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 5));
      const pairs = lcsPairs(a, b)!;
      expect(pairs.length, `case ${c}`).toBe(lcsLength(a, b));
      for (const [x, y] of pairs) expect(a[x]).toBe(b[y]);
      for (let i = 1; i < pairs.length; i++) {
        expect(pairs[i]![0]).toBeGreaterThan(pairs[i - 1]![0]);
        expect(pairs[i]![1]).toBeGreaterThan(pairs[i - 1]![1]);
      }
    }
  });

  it('gives up (null) beyond its budget of differences', () => {
    expect(lcsPairs([1, 2, 3], [4, 5, 6], 2)).toBeNull();
    expect(lcsPairs([1, 2, 3], [4, 5, 6], 6)).toEqual([]);
  });
});

describe('diffHunks', () => {
  it('has no hunk for equal texts and one minimal hunk for a one-word change', () => {
    expect(diffHunks('same text', 'same text')).toEqual([]);
    const before = 'You must always reply in English. Keep answers short.';
    const hunks = diffHunks(before, 'You must reply in English. Keep answers short.');
    expect(hunks).toEqual([{ start: 9, end: 16, after: '' }]);
    expect(before.slice(9, 16)).toBe('always ');
  });

  it('joins two changes with only a space between them', () => {
    expect(diffHunks('Use the big model now.', 'Use a large model now.')).toEqual([
      { start: 4, end: 11, after: 'a large' },
    ]);
  });

  it('rebuilds the rewrite exactly, with ordered hunks separated by unchanged text (property)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const before = randomPrompt(seed, 60);
      const after = mutate(before, rng(seed * 31));
      const hunks = diffHunks(before, after);
      expect(applyEdits(before, hunks), `seed ${seed}`).toBe(after);
      for (let i = 1; i < hunks.length; i++) {
        expect(hunks[i]!.start, `seed ${seed}`).toBeGreaterThan(hunks[i - 1]!.end);
      }
      for (const h of hunks) expect(before.slice(h.start, h.end) !== h.after, `seed ${seed}`).toBe(true);
    }
  });

  it('keeps unchanged protected text out of every hunk when the rewrite keeps it', () => {
    const before = 'Hello {{name}}, in order to help you, note that the fee is $5 and you must not share it.';
    const after = 'Hello {{name}}, to help: the fee is $5 and you must not share it.';
    const hunks = diffHunks(before, after);
    expect(applyEdits(before, hunks)).toBe(after);
    for (const kept of ['{{name}}', '$5', ' not ']) {
      const at = before.indexOf(kept);
      expect(hunks.some((h) => h.start < at + kept.length && at < h.end)).toBe(false);
    }
  });

  it('stays correct and fast when everything changes in a long text', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `alpha${i % 97} beta.`).join(' ');
    const after = Array.from({ length: 3000 }, (_, i) => `gamma${i % 89} delta!`).join('\n');
    const t0 = performance.now();
    const hunks = diffHunks(before, after);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(applyEdits(before, hunks)).toBe(after);
  });
});
