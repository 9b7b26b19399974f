import { describe, expect, it } from 'vitest';
import {
  expandToLines,
  forEachLineMatch,
  forEachMatch,
  lineStarts,
  mergeLineRanges,
} from '../../../src/core/compression/text';
import type { Range } from '../../../src/core/compression';
import { rng } from './random';

const PIECES = [
  '\n',
  '\r\n',
  '\n\n',
  ' ',
  '  ',
  '\t',
  '#',
  '## ',
  'Title',
  '---',
  '***',
  '| a |',
  '|-|',
  'x',
  '```',
];

function randomText(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

/** Sorted, disjoint ranges from line start to line start, as expandToLines gives them. */
function lineRanges(r: () => number, text: string): Range[] {
  const starts = [...lineStarts(text), text.length];
  const out: Range[] = [];
  for (let k = 0; k + 1 < starts.length; k++) {
    if (r() < 0.3) out.push({ start: starts[k]!, end: starts[k + 1 + Math.floor(r() * 2)] ?? text.length });
  }
  return expandToLines(text, out, 0);
}

describe('line-start matching', () => {
  // single-line and multi-line patterns, as the strategies use them (never empty matches)
  const patterns: Array<[string, string]> = [
    ['( {0,3})(#{1,6})[ \\t]+([^\\n]*?)(?:[ \\t]+#+)?[ \\t]*\\r?(?![^\\n])', ' #'],
    [' {0,3}([-*_])(?:[ \\t]*\\1){2,}[ \\t]*\\r?(?![^\\n])', ' -*_'],
    ['((?:[ \\t]*\\r?\\n){2,})', ' \t\r\n'],
    ['[ \\t]*\\|[^\\n]*', ' \t|'],
  ];

  it('finds what a global regex starting with (?<![^\\n]) finds, with and without ranges', () => {
    const r = rng(21);
    for (let n = 0; n < 400; n++) {
      const text = randomText(r, 40);
      const only = n % 2 ? lineRanges(r, text) : undefined;
      for (const [p, first] of patterns) {
        const want: Array<[number, string]> = [];
        const got: Array<[number, string]> = [];
        // a skip now and then, as markdown's tables return one
        forEachMatch(new RegExp(`(?<![^\\n])${p}`, 'g'), text, only, (m) => {
          want.push([m.index, m[0]]);
          if (m[0].length === 0) return m.index + 1;
          return m.index % 3 === 0 ? m.index + m[0].length + 2 : undefined;
        });
        forEachLineMatch({ re: new RegExp(p, 'y'), first }, text, only, (m) => {
          got.push([m.index, m[0]]);
          if (m[0].length === 0) return m.index + 1;
          return m.index % 3 === 0 ? m.index + m[0].length + 2 : undefined;
        });
        expect(got, `${p} in ${JSON.stringify(text)}`).toEqual(want);
      }
    }
  });
});

describe('mergeLineRanges', () => {
  it('keeps the lines the ranges touch, so expandToLines gives the same', () => {
    const r = rng(8);
    for (let n = 0; n < 400; n++) {
      const text = randomText(r, 30);
      const random = (): Range[] =>
        Array.from({ length: Math.floor(r() * 8) }, () => {
          const start = Math.floor(r() * (text.length + 1));
          return { start, end: Math.min(text.length, start + Math.floor(r() * 6)) };
        }).sort((x, y) => x.start - y.start);
      const a = random();
      const b = random();
      const merged = mergeLineRanges(text, a, b);
      expect(merged.length).toBeLessThanOrEqual(a.length + b.length);
      for (const context of [0, 1]) {
        expect(expandToLines(text, merged, context), JSON.stringify(text)).toEqual(
          expandToLines(text, [...a, ...b], context),
        );
      }
    }
  });
});
