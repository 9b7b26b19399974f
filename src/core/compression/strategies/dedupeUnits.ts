/**
 * The units rules.dedupe compares (lines and sentences), hashed in their folded form: lower case, letters and
 * digits only, words separated by single spaces.
 */
import type { Range } from '../types';

const LIST_MARKER = /^[ \t]*(?:[-*+>]|\d+[.)])[ \t]+/;

/** Case, punctuation and spacing folded; list markers and leading spaces ignored. */
export function normaliseUnit(s: string): string {
  const body = s.replace(LIST_MARKER, '');
  // NFKC is slow and a no-op on ASCII, which most prompts are
  if (ASCII.test(body))
    return body
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return (COMPAT.test(body) ? body.normalize('NFKC') : body)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
const ASCII = /^[^\u0080-\uffff]*$/;
/** Characters NFKC folds (full-width forms, ligatures, circled and squared forms, odd spaces); NFKC is costly. */
const COMPAT =
  /[\u00a0-\u00bf\u2000-\u206f\u2150-\u218f\u2460-\u24ff\u3300-\u33ff\ufb00-\ufb4f\uff00-\uffef]/;

const FOLD = new Map<number, number>();
const WORDISH = /[\p{L}\p{N}]/u;
/** Lower-cased code unit, or -1 for a separator (anything but a letter or digit). Cached per character. */
function fold(c: number): number {
  if (c < 128) {
    if (c >= 65 && c <= 90) return c + 32;
    return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? c : -1;
  }
  let f = FOLD.get(c);
  if (f === undefined) {
    const ch = String.fromCharCode(c);
    // surrogate halves count as letters: emoji and rare scripts then compare by their code units
    f = c >= 0xd800 && c <= 0xdfff ? c : WORDISH.test(ch) ? ch.toLowerCase().charCodeAt(0) : -1;
    FOLD.set(c, f);
  }
  return f;
}

let hashedLength = 0;
/**
 * A 52-bit hash of the folded form of text[start, end) (words separated by single spaces), without building
 * it; `hashedLength` receives the folded length. Equal folded forms hash equal; a hash match is confirmed by
 * comparing normaliseUnit() before anything is removed.
 */
function foldedHash(text: string, start: number, end: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let len = 0;
  let sep = false;
  for (let i = start; i < end; i++) {
    const f = fold(text.charCodeAt(i));
    if (f < 0) {
      sep = len > 0;
      continue;
    }
    if (sep) {
      h1 = Math.imul(h1 ^ 32, 0x01000193);
      h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
      len++;
      sep = false;
    }
    h1 = Math.imul(h1 ^ f, 0x01000193);
    h2 = Math.imul(h2 ^ f, 0x5bd1e995);
    len++;
  }
  hashedLength = len;
  return (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff);
}

export interface Unit extends Range {
  /** Exact text (list marker and surrounding whitespace excluded), sliced when first needed. */
  raw?: string;
  hash: number;
  /** Length of the folded form. */
  size: number;
  line: number;
}

/** The line as it reads once the dropped sentences are gone (kept sentences joined by a space). */
export function restOf(unit: Unit, kept: readonly string[]): Unit {
  const text = kept.join(' ');
  const hash = foldedHash(text, 0, text.length);
  return { start: unit.start, end: unit.end, raw: text, hash, size: hashedLength, line: unit.line };
}

export function isSpace(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 13 ||
    c === 0xa0 ||
    c === 0x3000 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0xfeff
  );
}

/** Length of a list or quote marker with its spaces at `i` ("- ", "* ", "+ ", "> ", "12. ", "3) "), or 0. */
export function markerLength(text: string, i: number, end: number): number {
  let j = i;
  const ch = text[j];
  if (ch === '-' || ch === '*' || ch === '+' || ch === '>') j++;
  else {
    while (j < end && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    if (j === i || j - i > 9 || (text[j] !== '.' && text[j] !== ')')) return 0;
    j++;
  }
  const k = j;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  return j > k ? j - i : 0;
}

/**
 * The line's unit and its sentences' units in one pass: the folded hash of the line and of each sentence
 * (cuts[c0..c1) are the sentence boundaries inside the line: [content end, next start]).
 */
export function hashLine(
  text: string,
  from: number,
  to: number,
  cuts: ReadonlyArray<[number, number]>,
  c0: number,
  c1: number,
  line: number,
): { unit: Unit; sentences: Unit[] } {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let len = 0;
  let sep = false;
  let s1 = 0x811c9dc5;
  let s2 = 0x01000193;
  let slen = 0;
  let ssep = false;
  const sentences: Unit[] = [];
  let sStart = from;
  let c = c0;
  let cutAt = c < c1 ? cuts[c]![0] : to;
  for (let i = from; i <= to; i++) {
    if (i === cutAt || i === to) {
      sentences.push({
        start: sStart,
        end: i,
        hash: (s1 >>> 0) * 0x100000 + ((s2 >>> 0) & 0xfffff),
        size: slen,
        line,
      });
      if (i === to) break;
      s1 = 0x811c9dc5;
      s2 = 0x01000193;
      slen = 0;
      ssep = false;
      sStart = cuts[c]![1];
      c++;
      cutAt = c < c1 ? cuts[c]![0] : to;
    }
    const f = fold(text.charCodeAt(i));
    if (f < 0) {
      sep = len > 0;
      ssep = slen > 0;
      continue;
    }
    if (sep) {
      h1 = Math.imul(h1 ^ 32, 0x01000193);
      h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
      len++;
      sep = false;
    }
    h1 = Math.imul(h1 ^ f, 0x01000193);
    h2 = Math.imul(h2 ^ f, 0x5bd1e995);
    len++;
    if (i >= sStart) {
      if (ssep) {
        s1 = Math.imul(s1 ^ 32, 0x01000193);
        s2 = Math.imul(s2 ^ 32, 0x5bd1e995);
        slen++;
        ssep = false;
      }
      s1 = Math.imul(s1 ^ f, 0x01000193);
      s2 = Math.imul(s2 ^ f, 0x5bd1e995);
      slen++;
    }
  }
  return {
    unit: { start: from, end: to, hash: (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff), size: len, line },
    sentences,
  };
}
