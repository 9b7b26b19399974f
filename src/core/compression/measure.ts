/**
 * Exact token savings without re-encoding the whole text.
 *
 * The o200k_base and cl100k_base pre-tokenizers split text into pieces with a regex that has no look-behind,
 * and BPE never merges across pieces. At a "safe cut" no piece can span the cut whatever lies further away,
 * so count(a + b) = count(a) + count(b). These positions are safe cuts:
 *   1. right after a letter, before anything but a letter, a combining mark or "'": a letter piece ends at
 *      its last letter unless a mark or a contraction ('s, 'll) follows, and no piece starts before it;
 *   2. right after a digit, before anything but a digit: a digit piece (\p{N}{1,3}) ends there;
 *   3. right after any other character but whitespace, before a space, tab or other horizontal whitespace:
 *      a punctuation piece stops at whitespace (only "\r", "\n" and "/" may trail it);
 *   4. right after "\n", before a character that is neither whitespace nor "/", or before a run of spaces
 *      and tabs that ends in such a character: a piece never holds a newline followed by anything but more
 *      whitespace, except "/" right after a newline that ends a punctuation piece.
 * In every case the piece holding the character before the cut ends at the cut whatever follows, also
 * when the text ends there, and the pre-tokenizer starts afresh after it (it has no look-behind).
 * An edit's saving is count(window) − count(window edited), where the window is the edit widened to the
 * nearest safe cut on each side whose neighbourhood the edit leaves alone. `test/core/compression/
 * measure.test.ts` checks the cut rule against full encodes on random and real text.
 */
import type { CountTokens, Range } from './types';

/** How far to look for a safe cut before settling for a local estimate. */
const CAP = 256;
/** Without a safe cut nearby, a saving is estimated on this much text around the edit (tokensExact: false). */
const FALLBACK = 32;

/** Whitespace by any definition a tokenizer might use (JavaScript \s, Unicode White_Space, U+180E). */
const ANY_SPACE = /[\s\u0085\u180e]/;
const HORIZONTAL_SPACE = /[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/;
const LETTER = /\p{L}/u;
const MARK = /\p{M}/u;
const DIGIT = /\p{N}/u;

/** What the cut rules need to know of a character (plain numbers: a Uint8Array caches them). */
const Kind = {
  Other: 1,
  Letter: 2,
  Mark: 3,
  Digit: 4,
  /**
   * Whitespace to every tokenizer (JavaScript \s and Unicode White_Space) that no punctuation piece takes;
   * other whitespace ("\r", vertical tab, U+2028, U+FEFF, U+180E...) is Break.
   */
  Space: 5,
  Break: 6,
  Newline: 7,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

function classify(cp: number): Kind {
  if (cp === 10) return Kind.Newline;
  if (cp === 13 || cp === 11 || cp === 12) return Kind.Break;
  const ch = String.fromCodePoint(cp);
  if (ANY_SPACE.test(ch)) return HORIZONTAL_SPACE.test(ch) ? Kind.Space : Kind.Break;
  if (LETTER.test(ch)) return Kind.Letter;
  if (MARK.test(ch)) return Kind.Mark;
  return DIGIT.test(ch) ? Kind.Digit : Kind.Other;
}

/** Kind of every UTF-16 code unit, filled in as met (0: not yet); astral code points are classified each time. */
const KINDS = new Uint8Array(65536);

function kindOf(cp: number): Kind {
  if (cp > 0xffff) return classify(cp);
  const k = KINDS[cp]!;
  if (k !== 0) return k as Kind;
  const c = classify(cp);
  KINDS[cp] = c;
  return c;
}

/** Kind of the code point that ends right before `i` (a surrogate pair read whole). */
function kindBefore(text: string, i: number): Kind {
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const h = text.charCodeAt(i - 2);
    if (h >= 0xd800 && h <= 0xdbff) return kindOf(((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000);
  }
  return kindOf(c);
}

/**
 * -1 when `i` is not a safe cut of `text`; otherwise the exclusive end of the characters right of `i` that
 * the decision read (an edit must not change them for the cut to stay safe).
 */
export function cutDependency(text: string, i: number): number {
  const n = text.length;
  if (i <= 0) return 0;
  if (i >= n) return n;
  const prev = kindBefore(text, i);
  if (prev === Kind.Newline) {
    const cur = text[i]!;
    if (cur === '/' || cur === '\n' || cur === '\r') return -1;
    if (cur !== ' ' && cur !== '\t') return ANY_SPACE.test(cur) ? -1 : i + 1;
    let j = i + 1;
    while (j < n && j < i + 256 && (text[j] === ' ' || text[j] === '\t')) j++;
    if (j >= n) return n;
    const d = text[j]!;
    return d === '/' || ANY_SPACE.test(d) ? -1 : j + 1;
  }
  if (prev === Kind.Space || prev === Kind.Break) return -1;
  const c = text.charCodeAt(i);
  const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < n;
  const cur = pair ? kindOf(text.codePointAt(i)!) : kindOf(c);
  const dep = pair ? i + 2 : i + 1;
  if (prev === Kind.Letter) return cur === Kind.Letter || cur === Kind.Mark || c === 39 ? -1 : dep;
  if (prev === Kind.Digit) return cur === Kind.Digit ? -1 : dep;
  return cur === Kind.Space ? dep : -1;
}

/** True when cutting `text` before index `i` cannot change the token count. */
export function isSafeCut(text: string, i: number): boolean {
  return cutDependency(text, i) >= 0;
}

interface Window extends Range {
  exact: boolean;
}

/**
 * The edit [start, end) widened to safe cuts the edit does not disturb, looking `cap` characters each way;
 * without one on both sides, a window of FALLBACK characters around the edit with `exact: false`.
 */
export function editWindow(text: string, start: number, end: number, cap = CAP): Window {
  let left = -1;
  const lowest = Math.max(0, start - 1 - cap);
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
  const highest = Math.min(text.length, end + 1 + cap);
  for (let i = Math.min(end + 1, text.length); i <= highest; i++) {
    if (i >= text.length) {
      right = i;
      break;
    }
    if (rightCutAfter(text, i, end)) {
      right = i;
      break;
    }
  }
  const exact = left >= 0 && right >= 0;
  if (exact) return { start: left, end: right, exact };
  return { start: Math.max(0, start - FALLBACK), end: Math.min(text.length, end + FALLBACK), exact };
}

/** True when `i` (< text.length) is a safe cut that an edit ending at `end` leaves alone. */
function rightCutAfter(text: string, i: number, end: number): boolean {
  // the cut reads the code point before it, which must lie after the edit
  const low = text.charCodeAt(i - 1) >= 0xdc00 && text.charCodeAt(i - 1) <= 0xdfff;
  return i - (low ? 2 : 1) >= end && cutDependency(text, i) >= 0;
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
 * Every cluster is exact: where an edit has no safe cut nearby, its cluster's window is widened as far as
 * the next safe cuts (the ends of the text at worst), so the caller never has to recount the whole text.
 */
export function measureEdits(
  text: string,
  accepted: readonly MeasurableEdit[],
  others: readonly MeasurableEdit[],
  count: CountTokens,
): Cluster[] {
  const windows = accepted.map((e) => measureOne(text, e, count));
  for (const e of others) measureOne(text, e, count);
  return clusterEdits(text, accepted, windows, count);
}

/** Measures one edit alone on its window; returns the window. */
function measureOne(text: string, e: MeasurableEdit, count: CountTokens): Window {
  const w = editWindow(text, e.start, e.end);
  e.tokensExact = w.exact;
  if (e.after.length === e.end - e.start && text.startsWith(e.after, e.start)) e.tokensSaved = 0;
  else {
    const before = text.slice(w.start, w.end);
    const after = text.slice(w.start, e.start) + e.after + text.slice(e.end, w.end);
    e.tokensSaved = count(before) - count(after);
  }
  return w;
}

/**
 * Groups accepted edits whose windows overlap. An edit without an exact window of its own gets the window
 * of the cluster it lies in when that one's right cut is clear of it (so a giant line without safe cuts is
 * scanned once, not once per edit), or else a window widened without limit.
 */
function clusterEdits(
  text: string,
  accepted: readonly MeasurableEdit[],
  windows: readonly Window[],
  count: CountTokens,
): Cluster[] {
  const wide = (k: number): Window => {
    const w = windows[k]!;
    return w.exact ? w : editWindow(text, accepted[k]!.start, accepted[k]!.end, Infinity);
  };
  const clusters: Cluster[] = [];
  let i = 0;
  let next = accepted.length > 0 ? wide(0) : undefined;
  while (next) {
    let start = next.start;
    let end = next.end;
    let j = i;
    next = undefined;
    while (j + 1 < accepted.length) {
      const e = accepted[j + 1]!;
      const absorbed =
        !windows[j + 1]!.exact && e.start < end && (end === text.length || rightCutAfter(text, end, e.end));
      const w = absorbed ? { start, end, exact: true } : wide(j + 1);
      if (w.start >= end) {
        next = w;
        break;
      }
      start = Math.min(start, w.start);
      end = Math.max(end, w.end);
      j++;
    }
    const own = j === i && windows[i]!.exact;
    const saved = own
      ? accepted[i]!.tokensSaved
      : count(text.slice(start, end)) - count(applyWithin(text, { start, end }, accepted.slice(i, j + 1)));
    clusters.push({ start, end, at: accepted[i]!.start, first: i, last: j, saved, exact: true });
    i = j + 1;
  }
  return clusters;
}
