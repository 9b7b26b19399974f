import type { ProtectedSpan } from '../types';

/** Longest standalone JSON value we try to recognise in prose (characters). */
const MAX_JSON = 2_000_000;

/**
 * End (exclusive) of the bracketed value that opens at `start` ('{' or '['), respecting strings, or -1 when
 * it does not close before a blank line, the end of the text or the size limit.
 */
export function bracketedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  const limit = Math.min(text.length, start + MAX_JSON);
  for (let i = start; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      else if (c === 10) return -1; // JSON strings hold no raw newline
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === 10) {
      // a blank line ends the attempt: prose rarely hides a JSON value across paragraphs
      let j = i + 1;
      while (
        j < limit &&
        (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)
      ) {
        j++;
      }
      if (text.charCodeAt(j) === 10) return -1;
    }
  }
  return -1;
}

/** True when `slice` parses as a JSON object or array. */
export function parsesAsContainer(slice: string): boolean {
  try {
    const v: unknown = JSON.parse(slice);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Spans for the tokens of valid JSON in [start, end): strings (json-key when followed by ':', else
 * json-value), numbers and literals. Punctuation and whitespace are left out: whitespace is what minifying
 * removes, and the json-block guard only allows deleting whitespace.
 */
export function jsonTokenSpans(text: string, start: number, end: number): ProtectedSpan[] {
  const spans: ProtectedSpan[] = [];
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = i + 1;
      while (j < end && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      j = Math.min(j + 1, end);
      let k = j;
      while (k < end && /[ \t\r\n]/.test(text[k]!)) k++;
      spans.push({ start: i, end: j, kind: text[k] === ':' ? 'json-key' : 'json-value' });
      i = j;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const j = m ? i + m[0].length : i + 1;
      spans.push({ start: i, end: j, kind: 'number' });
      i = j;
    } else if (c === 116 || c === 102 || c === 110) {
      LITERAL.lastIndex = i;
      const m = LITERAL.exec(text);
      const j = m ? i + m[0].length : i + 1;
      spans.push({ start: i, end: j, kind: 'json-value' });
      i = j;
    } else i++;
  }
  return spans;
}
