import type { ProtectedSpan } from '../types';

/** Longest standalone JSON value we try to recognise in prose (characters). */
const MAX_JSON = 2_000_000;

/** How many characters the last bracketedEnd() call looked at. */
export let scanned = 0;

/**
 * End (exclusive) of the bracketed value that opens at `start` ('{' or '['), respecting strings, or -1 when
 * it does not close before a blank line, the end of the text or `maxLength` characters.
 */
export function bracketedEnd(text: string, start: number, maxLength = MAX_JSON): number {
  let depth = 0;
  let inString = false;
  const limit = Math.min(text.length, start + maxLength);
  let i = start;
  const stop = (result: number) => {
    scanned = i - start + 1;
    return result;
  };
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      else if (c === 10) return stop(-1); // JSON strings hold no raw newline
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return stop(i + 1);
    } else if (c === 10) {
      // a blank line ends the attempt: prose rarely hides a JSON value across paragraphs
      let j = i + 1;
      while (
        j < limit &&
        (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)
      ) {
        j++;
      }
      if (text.charCodeAt(j) === 10) return stop(-1);
    }
  }
  return stop(-1);
}

const WS = /[ \t\n\r]*/y;
// eslint-disable-next-line no-control-regex -- a JSON string may not hold a raw control character
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL_TOKEN = /true|false|null/y;

/**
 * True when `slice` is a JSON object or array (RFC 8259). A validator that never throws: JSON.parse's
 * exceptions cost tens of microseconds, and prose can have thousands of lines that start with a bracket.
 */
export function parsesAsContainer(slice: string): boolean {
  const c0 = slice.trimStart()[0];
  if (c0 !== '{' && c0 !== '[') return false;
  const stack: string[] = [];
  let i = 0;
  // states: 'value' (a value may start), 'key' (a key or a closing brace), 'after' (a comma or a close)
  let state: 'value' | 'key' | 'after' = 'value';
  const skip = () => {
    WS.lastIndex = i;
    WS.exec(slice);
    i = WS.lastIndex;
  };
  const token = (re: RegExp) => {
    re.lastIndex = i;
    if (!re.exec(slice)) return false;
    i = re.lastIndex;
    return true;
  };
  for (;;) {
    skip();
    const c = slice[i];
    if (state === 'value') {
      if (c === '{') {
        stack.push('}');
        i++;
        skip();
        if (slice[i] === '}') {
          stack.pop();
          i++;
          state = 'after';
        } else state = 'key';
        continue;
      }
      if (c === '[') {
        stack.push(']');
        i++;
        skip();
        if (slice[i] === ']') {
          stack.pop();
          i++;
          state = 'after';
        } else state = 'value';
        continue;
      }
      if (stack.length === 0) return false;
      if (
        !(c === '"'
          ? token(STRING)
          : c === '-' || (c !== undefined && c >= '0' && c <= '9')
            ? token(NUMBER_TOKEN)
            : token(LITERAL_TOKEN))
      ) {
        return false;
      }
      state = 'after';
      continue;
    }
    if (state === 'key') {
      if (c !== '"' || !token(STRING)) return false;
      skip();
      if (slice[i] !== ':') return false;
      i++;
      state = 'value';
      continue;
    }
    // after a value
    if (stack.length === 0) return i >= slice.length;
    if (c === ',') {
      i++;
      state = stack[stack.length - 1] === '}' ? 'key' : 'value';
      continue;
    }
    if (c === stack[stack.length - 1]) {
      stack.pop();
      i++;
      continue;
    }
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
