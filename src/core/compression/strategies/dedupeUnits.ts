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

/** fold() of every UTF-16 code unit plus 2 (0: not computed yet), filled in as met: a typed array, not a Map. */
const FOLD = new Int32Array(65536);
const WORDISH = /[\p{L}\p{N}]/u;
/** Lower-cased code unit, or -1 for a separator (anything but a letter or digit). Cached per character. */
function fold(c: number): number {
  if (c < 128) {
    if (c >= 65 && c <= 90) return c + 32;
    return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? c : -1;
  }
  const cached = FOLD[c]!;
  if (cached !== 0) return cached - 2;
  const ch = String.fromCharCode(c);
  // surrogate halves count as letters: emoji and rare scripts then compare by their code units
  const f = c >= 0xd800 && c <= 0xdfff ? c : WORDISH.test(ch) ? ch.toLowerCase().charCodeAt(0) : -1;
  FOLD[c] = f + 2;
  return f;
}

/**
 * Dense ids (0, 1, 2…) for 52-bit hashes given as two halves (32 and 20 bits), in an open-addressing table
 * of typed arrays: equal hashes get equal ids, and no hash is boxed as a heap number or hashed by a Map.
 */
export class HashIds {
  private h1 = new Int32Array(1 << 12);
  private h2 = new Int32Array(1 << 12);
  private ids = new Int32Array(1 << 12).fill(-1);
  size = 0;

  of(a: number, b: number): number {
    const lo = b & 0xfffff;
    const mask = this.ids.length - 1;
    let i = slot(a, lo) & mask;
    for (let id = this.ids[i]!; id >= 0; id = this.ids[i]!) {
      if (this.h1[i] === (a | 0) && this.h2[i] === lo) return id;
      i = (i + 1) & mask;
    }
    const id = this.size++;
    this.h1[i] = a;
    this.h2[i] = lo;
    this.ids[i] = id;
    if (this.size * 2 > this.ids.length) this.grow();
    return id;
  }

  private grow(): void {
    const { h1, h2, ids } = this;
    this.h1 = new Int32Array(ids.length * 2);
    this.h2 = new Int32Array(ids.length * 2);
    this.ids = new Int32Array(ids.length * 2).fill(-1);
    for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0) this.place(h1[i]!, h2[i]!, ids[i]!);
  }

  private place(a: number, lo: number, id: number): void {
    const mask = this.ids.length - 1;
    let i = slot(a, lo) & mask;
    while (this.ids[i]! >= 0) i = (i + 1) & mask;
    this.h1[i] = a;
    this.h2[i] = lo;
    this.ids[i] = id;
  }
}

/** Mixes the two halves of a hash into a table index (the caller masks it). */
function slot(a: number, lo: number): number {
  const x = Math.imul(a ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b);
  return x ^ (x >>> 15);
}

let hashedLength = 0;
let hashedId = 0;
/**
 * The id of the 52-bit hash of the folded form of text[start, end) (words separated by single spaces),
 * computed without building it; `hashedLength` receives the folded length. Equal folded forms get equal ids;
 * a match is confirmed by comparing normaliseUnit() before anything is removed.
 */
function foldedHash(text: string, start: number, end: number, ids: HashIds): void {
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
  hashedId = ids.of(h1, h2);
}

export interface Unit extends Range {
  /** Exact text (list marker and surrounding whitespace excluded), sliced when first needed. */
  raw?: string;
  /** Id of the hash of the folded form (HashIds of one run of the strategy). */
  id: number;
  /** Length of the folded form. */
  size: number;
  line: number;
}

/** The line as it reads once the dropped sentences are gone (kept sentences joined by a space). */
export function restOf(unit: Unit, kept: readonly string[], ids: HashIds): Unit {
  const text = kept.join(' ');
  foldedHash(text, 0, text.length, ids);
  return { start: unit.start, end: unit.end, raw: text, id: hashedId, size: hashedLength, line: unit.line };
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
 * (cuts c0..c1-1 are the sentence boundaries inside the line: content end cuts[2c], next start cuts[2c+1]).
 */
export function hashLine(
  text: string,
  from: number,
  to: number,
  cuts: readonly number[],
  c0: number,
  c1: number,
  line: number,
  ids: HashIds,
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
  let cutAt = c < c1 ? cuts[2 * c]! : to;
  for (let i = from; i <= to; i++) {
    if (i === cutAt || i === to) {
      sentences.push({ start: sStart, end: i, id: ids.of(s1, s2), size: slen, line });
      if (i === to) break;
      s1 = 0x811c9dc5;
      s2 = 0x01000193;
      slen = 0;
      ssep = false;
      sStart = cuts[2 * c + 1]!;
      c++;
      cutAt = c < c1 ? cuts[2 * c]! : to;
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
    unit: { start: from, end: to, id: ids.of(h1, h2), size: len, line },
    sentences,
  };
}
