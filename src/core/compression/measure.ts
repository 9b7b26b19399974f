/**
 * Exact token savings without re-encoding the whole text.
 *
 * The o200k_base and cl100k_base pre-tokenizers split text into pieces with a regex that has no look-behind,
 * and BPE never merges across pieces. At a "safe cut" no piece can span the cut whatever lies further away,
 * so count(a + b) = count(a) + count(b). Two kinds of position are safe cuts:
 *   1. right after a letter or digit, before any whitespace: letter and digit pieces end there, and every
 *      piece that starts with whitespace starts there;
 *   2. right after "\n", before a character that is neither whitespace nor "/", or before a run of spaces
 *      and tabs that ends in such a character: a piece never holds a newline followed by anything but more
 *      whitespace, except "/" right after a newline that ends a punctuation piece.
 * An edit's saving is count(window) − count(window edited), where the window is the edit widened to the
 * nearest safe cut on each side whose neighbourhood the edit leaves alone. `test/core/compression/
 * measure.test.ts` checks the cut rule against full encodes on random and real text.
 */
import type { CountTokens, Range } from './types';

/** How far to look for a safe cut before settling for a local estimate. */
const CAP = 256;
/** Without a safe cut nearby, a saving is estimated on this much text around the edit (tokensExact: false). */
const FALLBACK = 32;

const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
/** Whitespace by any definition a tokenizer might use (JavaScript \s, Unicode White_Space, U+180E). */
const ANY_SPACE = /[\s\u0085\u180e]/;

function isLetterOrNumberBefore(text: string, i: number): boolean {
  const prev = text.charCodeAt(i - 1);
  if (prev < 128)
    return (prev >= 48 && prev <= 57) || (prev >= 65 && prev <= 90) || (prev >= 97 && prev <= 122);
  const cp = prev >= 0xdc00 && prev <= 0xdfff && i >= 2 ? text.codePointAt(i - 2)! : prev;
  return LETTER_OR_NUMBER.test(String.fromCodePoint(cp));
}

/**
 * -1 when `i` is not a safe cut of `text`; otherwise the exclusive end of the characters right of `i` that
 * the decision read (an edit must not change them for the cut to stay safe).
 */
export function cutDependency(text: string, i: number): number {
  const n = text.length;
  if (i <= 0) return 0;
  if (i >= n) return n;
  const prevCode = text.charCodeAt(i - 1);
  const cur = text[i]!;
  if (prevCode === 10) {
    if (cur === '/' || cur === '\n' || cur === '\r') return -1;
    if (cur !== ' ' && cur !== '\t') return ANY_SPACE.test(cur) ? -1 : i + 1;
    let j = i + 1;
    while (j < n && j < i + 256 && (text[j] === ' ' || text[j] === '\t')) j++;
    if (j >= n) return n;
    const d = text[j]!;
    return d === '/' || ANY_SPACE.test(d) ? -1 : j + 1;
  }
  const code = cur.charCodeAt(0);
  const space = code === 32 || code === 9 || code === 13 || (code > 127 && ANY_SPACE.test(cur));
  if (space && isLetterOrNumberBefore(text, i)) return i + 1;
  return -1;
}

/** True when cutting `text` before index `i` cannot change the token count. */
export function isSafeCut(text: string, i: number): boolean {
  return cutDependency(text, i) >= 0;
}

interface Window extends Range {
  exact: boolean;
}

/** The edit [start, end) widened to safe cuts the edit does not disturb. */
export function editWindow(text: string, start: number, end: number): Window {
  let left = -1;
  const lowest = Math.max(0, start - 1 - CAP);
  for (let i = start - 1; i >= lowest; i--) {
    if (i <= 0) {
      left = 0;
      break;
    }
    const dep = cutDependency(text, i);
    if (dep >= 0 && dep <= start) {
      left = i;
      break;
    }
  }
  let right = -1;
  const highest = Math.min(text.length, end + 1 + CAP);
  for (let i = Math.min(end + 1, text.length); i <= highest; i++) {
    if (i >= text.length) {
      right = i;
      break;
    }
    // the cut reads the code point before it, which must lie after the edit
    const low = text.charCodeAt(i - 1) >= 0xdc00 && text.charCodeAt(i - 1) <= 0xdfff;
    if (i - (low ? 2 : 1) >= end && cutDependency(text, i) >= 0) {
      right = i;
      break;
    }
  }
  const exact = left >= 0 && right >= 0;
  if (exact) return { start: left, end: right, exact };
  return { start: Math.max(0, start - FALLBACK), end: Math.min(text.length, end + FALLBACK), exact };
}

export interface MeasurableEdit extends Range {
  after: string;
  tokensSaved: number;
  tokensExact: boolean;
}

/** One group of accepted edits whose windows overlap, with the tokens it saves (exact when `exact`). */
export interface Cluster extends Range {
  /** Start of its first edit (the window may begin earlier, in text the cluster does not change). */
  at: number;
  /** Indices of its first and last edit in the accepted list. */
  first: number;
  last: number;
  saved: number;
  exact: boolean;
}

export function applyWithin(text: string, w: Range, edits: readonly MeasurableEdit[]): string {
  const parts: string[] = [];
  let pos = w.start;
  for (const e of edits) {
    parts.push(text.slice(pos, e.start), e.after);
    pos = e.end;
  }
  parts.push(text.slice(pos, w.end));
  return parts.join('');
}

/**
 * Sets `tokensSaved` and `tokensExact` on every edit (each measured alone) and returns the clusters of the
 * accepted edits (sorted, non-overlapping), whose savings add up to the exact saving of applying them all.
 */
export function measureEdits(
  text: string,
  accepted: readonly MeasurableEdit[],
  others: readonly MeasurableEdit[],
  count: CountTokens,
): Cluster[] {
  const windows = new Map<MeasurableEdit, Window>();
  for (const e of [...accepted, ...others]) {
    const w = editWindow(text, e.start, e.end);
    windows.set(e, w);
    const before = text.slice(w.start, w.end);
    const after = text.slice(w.start, e.start) + e.after + text.slice(e.end, w.end);
    e.tokensSaved = before === after ? 0 : count(before) - count(after);
    e.tokensExact = w.exact;
  }
  const clusters: Cluster[] = [];
  let i = 0;
  while (i < accepted.length) {
    const first = windows.get(accepted[i]!)!;
    const w: Window = { ...first };
    let j = i;
    while (j + 1 < accepted.length) {
      const next = windows.get(accepted[j + 1]!)!;
      if (next.start >= w.end) break;
      w.end = Math.max(w.end, next.end);
      w.start = Math.min(w.start, next.start);
      w.exact &&= next.exact;
      j++;
    }
    if (!w.exact) {
      // the caller recounts the whole text instead; counting a window without safe cuts would be wrong anyway
      clusters.push({
        start: w.start,
        end: w.end,
        at: accepted[i]!.start,
        first: i,
        last: j,
        saved: 0,
        exact: false,
      });
    } else if (j === i) {
      clusters.push({
        start: w.start,
        end: w.end,
        at: accepted[i]!.start,
        first: i,
        last: i,
        saved: accepted[i]!.tokensSaved,
        exact: w.exact,
      });
    } else {
      const members = accepted.slice(i, j + 1);
      const saved = count(text.slice(w.start, w.end)) - count(applyWithin(text, w, members));
      clusters.push({
        start: w.start,
        end: w.end,
        at: accepted[i]!.start,
        first: i,
        last: j,
        saved,
        exact: w.exact,
      });
    }
    i = j + 1;
  }
  return clusters;
}
