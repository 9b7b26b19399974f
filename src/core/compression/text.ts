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

/** 32-bit FNV-1a of a string, in base 36: short, stable ids. */
export function hash36(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** Line number (1-based) of each offset, for many lookups over one text. */
export function lineNumberer(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
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
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return starts[Math.max(0, lo - 1)]!;
  };
}

/** Shortens text for a reason sentence. */
export function excerpt(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : one.slice(0, max - 1) + '…';
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

/** Ranges widened to whole lines, with `context` lines before and after and any blank lines next to them, merged. */
export function expandToLines(text: string, ranges: readonly Range[], context = 1): Range[] {
  if (ranges.length === 0) return [];
  // line starts, so that a range on a giant line does not scan it again
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
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
  const blank = (k: number) =>
    k >= 0 && k < starts.length && !NON_BLANK.test(text.slice(starts[k]!, lineEnd(k)).replace(/\n$/, ''));
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
