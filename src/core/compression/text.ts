import type { Range } from './types';

/** One line: [start, end) without its line break; `next` is where the following line starts. */
export interface Line {
  start: number;
  end: number;
  next: number;
}

/** Splits text into lines; a line break is "\n" or "\r\n" (the "\r" belongs to the break). */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ start, end: text.length, next: text.length });
      return lines;
    }
    const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    lines.push({ start, end, next: nl + 1 });
    start = nl + 1;
  }
}

const NON_BLANK = /[^ \t\r\u00a0\u202f\u2007\u200b\u2060\ufeff\u00ad\u180e\u200c\u200d]/;

/** The characters NON_BLANK does not match, by code. */
function isBlankChar(c: number): boolean {
  if (c < 128) return c === 32 || c === 9 || c === 13;
  return (
    c === 0xa0 ||
    c === 0x202f ||
    c === 0x2007 ||
    c === 0x200b ||
    c === 0x2060 ||
    c === 0xfeff ||
    c === 0xad ||
    c === 0x180e ||
    c === 0x200c ||
    c === 0x200d
  );
}

/** True when the line holds only spaces, tabs and invisible characters. */
export function isBlankLine(text: string, line: Line): boolean {
  return !NON_BLANK.test(text.slice(line.start, line.end));
}

/**
 * Ranges that delete the given lines (sorted indices) so that the text neither gains a run of blank lines nor
 * loses the blank line that separated paragraphs: a run of removed lines between two blank lines also takes
 * one of the blank lines with it; a run at the end of the text takes the line break before it.
 */
export function lineRemovals(text: string, lines: readonly Line[], indices: readonly number[]): Range[] {
  const out: Range[] = [];
  const last = lines.length - 1;
  let i = 0;
  while (i < indices.length) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    const a = indices[i]!;
    const b = indices[j]!;
    const prevBlank = a === 0 || isBlankLine(text, lines[a - 1]!);
    if (b === last) {
      // the run ends the text without a final line break: remove the break before each line instead
      for (let k = a; k <= b; k++) out.push({ start: k === 0 ? 0 : lines[k - 1]!.end, end: lines[k]!.end });
    } else {
      const nextBlank = isBlankLine(text, lines[b + 1]!);
      // only a final line break follows the run: take the blank line before it too
      const endsText = b + 1 === last && lines[last]!.start === text.length;
      for (let k = a; k <= b; k++) {
        let start = lines[k]!.start;
        let end = lines[k]!.next;
        if (k === a && endsText && prevBlank && a > 0) start = lines[a - 1]!.start;
        else if (k === b && !endsText && prevBlank && nextBlank) end = lines[b + 1]!.next;
        out.push({ start, end });
      }
    }
    i = j + 1;
  }
  return out;
}

/** The 32-bit FNV-1a hash of `${a}\u0000${b}` (hash36 before base 36), without building that string. */
export function hashPair(a: string, b: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
  h = Math.imul(h, 0x01000193); // the NUL: h ^ 0 is h
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** 32-bit FNV-1a of a string, in base 36: short, stable ids. */
export function hash36(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** The last texts lineStarts() saw, with their line starts: every stage asks several times about one text. */
const startsCache: Array<{ text: string; starts: readonly number[] }> = [];

/** Offsets where the lines of `text` start (0 first); shared, not to be changed. */
export function lineStarts(text: string): readonly number[] {
  for (const c of startsCache) if (c.text === text) return c.starts;
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  // two entries: a stage's input and the text a strategy derives from it (a mask) alternate
  if (startsCache.length >= 2) startsCache.shift();
  startsCache.push({ text, starts });
  return starts;
}

/** Line number (1-based) of each offset, for many lookups over one text. */
export function lineNumberer(text: string): (offset: number) => number {
  const starts = lineStarts(text);
  return (offset) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Start of the line holding each offset, for many lookups over one text (lastIndexOf would scan a giant line
 * again for every lookup).
 */
export function lineStartFinder(text: string): (offset: number) => number {
  const starts = lineStarts(text);
  const lineOf = lineNumberer(text);
  return (offset) => starts[Math.max(0, lineOf(offset) - 1)]!;
}

/** Shortens text for a reason sentence. */
export function excerpt(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : one.slice(0, max - 1) + '…';
}

/**
 * A one-line rendering of a snippet that keeps whitespace visible (unlike `excerpt`): line breaks, tabs,
 * zero-width and non-breaking spaces get a glyph each, so a whitespace edit can be seen. Shortened to `max`.
 */
export function visibleSnippet(text: string, max = 60): string {
  const shown = text
    .replace(/\r?\n/g, '↵')
    .replace(/\t/g, '⇥')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '·')
    .replace(/\u00a0/g, '⍽');
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

/**
 * Calls `fn` for every match of the global regex `re` in `text`, or, when `only` (sorted, disjoint ranges
 * that start and end at line boundaries) is given, for the matches inside those ranges: each range is
 * searched on its own, so a rare pattern does not make every range scan to the end of the text. `m.index`
 * is always an offset of `text`. `fn` may return the offset to continue from (to retry or skip).
 */
export function forEachMatch(
  re: RegExp,
  text: string,
  only: readonly Range[] | undefined,
  fn: (m: RegExpExecArray) => number | void,
): void {
  for (const r of only ?? [{ start: 0, end: text.length }]) {
    const sub = only ? text.slice(r.start, r.end) : text;
    const base = only ? r.start : 0;
    re.lastIndex = 0;
    for (let m = re.exec(sub); m; m = re.exec(sub)) {
      const empty = m[0].length === 0;
      m.index += base;
      const next = fn(m);
      if (next !== undefined) re.lastIndex = next - base;
      else if (empty) re.lastIndex++;
    }
  }
}

/** A sticky regex that matches at line starts only, with every character a match can begin with. */
export interface LinePattern {
  re: RegExp;
  first: string;
}

/**
 * The first match of `pattern` that starts at a line start in [from, to): what a global regex beginning
 * with (?<![^\n]) finds from `from`, without trying every position in between (a regex that starts with a
 * look-behind gets no fast scan from the engine), nor lines that begin with no character it can start with.
 */
export function nextLineMatch(
  pattern: LinePattern,
  text: string,
  from: number,
  to = text.length,
): RegExpExecArray | null {
  const { re, first } = pattern;
  let p = from;
  if (p > 0 && text.charCodeAt(p - 1) !== 10) {
    const nl = text.indexOf('\n', p);
    if (nl < 0) return null;
    p = nl + 1;
  }
  while (p < to) {
    re.lastIndex = p;
    const m = first.includes(text[p]!) ? re.exec(text) : null;
    if (m) return m;
    const nl = text.indexOf('\n', p);
    if (nl < 0) return null;
    p = nl + 1;
  }
  return null;
}

/**
 * forEachMatch for a global regex that begins with (?<![^\n]), given without it and sticky: it is tried at
 * line starts only, with the same matches, `only` ranges and continuation offsets (non-empty matches).
 */
export function forEachLineMatch(
  re: LinePattern,
  text: string,
  only: readonly Range[] | undefined,
  fn: (m: RegExpExecArray) => number | void,
): void {
  for (const r of only ?? [{ start: 0, end: text.length }]) {
    // a range is searched on its own, as forEachMatch does: a match ends with the range
    const sub = only ? text.slice(r.start, r.end) : text;
    const base = only ? r.start : 0;
    let m = nextLineMatch(re, sub, 0);
    while (m) {
      const end = m.index + Math.max(1, m[0].length);
      m.index += base;
      const next = fn(m);
      m = nextLineMatch(re, sub, next !== undefined ? next - base : end);
    }
  }
}

/** Ranges widened to whole lines, with `context` lines before and after and any blank lines next to them, merged. */
export function expandToLines(text: string, ranges: readonly Range[], context = 1): Range[] {
  if (ranges.length === 0) return [];
  // line starts, so that a range on a giant line does not scan it again
  const starts = lineStarts(text);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  };
  const lineEnd = (k: number) => (k + 1 < starts.length ? starts[k + 1]! : text.length);
  const blank = (k: number) => {
    if (k < 0 || k >= starts.length) return false;
    // the line without its final "\n", read in place: slicing every line of a long text costs
    let end = lineEnd(k);
    if (end > starts[k]! && text.charCodeAt(end - 1) === 10) end--;
    for (let i = starts[k]!; i < end; i++) if (!isBlankChar(text.charCodeAt(i))) return false;
    return true;
  };
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of sorted) {
    let first = Math.max(0, lineOf(r.start) - context);
    let last = Math.min(starts.length - 1, lineOf(r.end) + context);
    // and through blank lines on either side: a run of them is one thing to look at
    while (first > 0 && blank(first - 1)) first--;
    while (last + 1 < starts.length && blank(last + 1)) last++;
    const start = starts[first]!;
    const end = lineEnd(last);
    const prev = out[out.length - 1];
    if (prev && start <= prev.end) prev.end = Math.max(prev.end, end);
    else out.push({ start, end });
  }
  return out;
}

/**
 * Two lists of ranges (each sorted by start) as one sorted list in which ranges on the same line or on
 * neighbouring lines are joined. The lines the list touches, which is all that expandToLines reads, stay the
 * same; the list stays short when a stage edits many lines (otherwise every later stage maps every edit of
 * every earlier stage).
 */
export function mergeLineRanges(text: string, a: readonly Range[], b: readonly Range[]): Range[] {
  const lineOf = lineNumberer(text);
  const out: Range[] = [];
  let lastLine = -1;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const r = j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start) ? a[i++]! : b[j++]!;
    const prev = out[out.length - 1];
    if (prev && (r.start <= prev.end || lineOf(r.start) <= lastLine + 1)) {
      if (r.end > prev.end) {
        prev.end = r.end;
        lastLine = lineOf(r.end);
      }
    } else {
      out.push({ start: r.start, end: r.end });
      lastLine = lineOf(r.end);
    }
  }
  return out;
}
