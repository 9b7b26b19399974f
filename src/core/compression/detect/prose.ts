import type { ProtectedSpan, Range, SpanKind } from '../types';

/*
 * Detectors for protected spans in prose. They run over the whole text, so each one starts from a cheap
 * trigger (a literal character found by indexOf or a regex with a literal first character) and only then
 * looks around: a regex that starts with a Unicode class or a look-behind is tried at every position and
 * costs tens of milliseconds on a 100k-token prompt.
 */

/** Replaces the given ranges by NUL characters (same length, so offsets stay valid). */
export function maskRanges(text: string, ranges: readonly Range[]): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let pos = 0;
  for (const r of sorted) {
    if (r.end <= pos) continue;
    const s = Math.max(r.start, pos);
    parts.push(text.slice(pos, s), '\0'.repeat(r.end - s));
    pos = r.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

function collect(text: string, re: RegExp, kind: SpanKind, out: ProtectedSpan[]) {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length, kind });
  }
}

const ASCII_WORD = /[A-Za-z0-9_]/;
const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
const isWordChar = (c: string | undefined) =>
  c !== undefined && (c.charCodeAt(0) < 128 ? ASCII_WORD.test(c) : LETTER_OR_NUMBER.test(c));

const KEEP_OPEN = /<keep>/gi;
const KEEP_CLOSE = /<\/keep>/gi;
const COMMENT = /<!--[\s\S]{0,2000}?-->/g;
const TAG = /<\/?[A-Za-z][\w:.-]*(?:\s+[^<>]{0,500}?)?\s*\/?>/g;
const URL = /\b(?:(?:https?|ftp|file|wss?):\/\/|www\.|mailto:)[^\s<>"'`\0]+/gi;
const URL_TRAIL = /[.,;:!?*_~'")\]}>]$/;
const EMAIL_LOCAL = /[\p{L}\p{N}._%+-]/u;
const EMAIL_DOMAIN = /[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63})+/uy;

/**
 * Structural spans found before masking: `<keep>` regions (to the end of the text when unclosed), inline
 * code, HTML comments and tags with their attributes, URLs and emails.
 */
export function structuralSpans(text: string): ProtectedSpan[] {
  const out: ProtectedSpan[] = [];
  KEEP_OPEN.lastIndex = 0;
  for (let m = KEEP_OPEN.exec(text); m; m = KEEP_OPEN.exec(text)) {
    KEEP_CLOSE.lastIndex = m.index + m[0].length;
    const c = KEEP_CLOSE.exec(text);
    const end = c ? c.index + c[0].length : text.length;
    out.push({ start: m.index, end, kind: 'keep' });
    KEEP_OPEN.lastIndex = end;
  }
  inlineCode(text, out);
  collect(text, COMMENT, 'tag', out);
  collect(text, TAG, 'tag', out);
  URL.lastIndex = 0;
  for (let m = URL.exec(text); m; m = URL.exec(text)) {
    let url = m[0];
    // trailing punctuation is prose, except a closing bracket that balances one inside the URL
    while (URL_TRAIL.test(url)) {
      const ch = url[url.length - 1]!;
      const opener = ch === ')' ? '(' : ch === ']' ? '[' : '';
      if (opener && url.split(opener).length > url.split(ch).length - 1) break;
      url = url.slice(0, -1);
    }
    if (url.length > 4) out.push({ start: m.index, end: m.index + url.length, kind: 'url' });
  }
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let s = at;
    while (s > 0 && at - s < 64 && EMAIL_LOCAL.test(text[s - 1]!)) s--;
    if (s === at) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const d = EMAIL_DOMAIN.exec(text);
    if (d) out.push({ start: s, end: at + 1 + d[0].length, kind: 'email' });
  }
  return out;
}

/** Backtick code spans: a run of n backticks closed by the next run of exactly n in the same paragraph. */
function inlineCode(text: string, out: ProtectedSpan[]): void {
  const runs: Array<{ start: number; len: number }> = [];
  const re = /`+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) runs.push({ start: m.index, len: m[0].length });
  const blank = /\n[ \t]*\r?\n/g;
  let i = 0;
  let limit = -1;
  while (i < runs.length) {
    const open = runs[i]!;
    if (limit < open.start) {
      blank.lastIndex = open.start;
      const para = blank.exec(text);
      limit = para ? para.index : text.length;
    }
    let j = i + 1;
    while (j < runs.length && runs[j]!.start < limit && runs[j]!.len !== open.len) j++;
    if (j < runs.length && runs[j]!.start < limit) {
      out.push({ start: open.start, end: runs[j]!.start + open.len, kind: 'inline-code' });
      i = j + 1;
    } else i++;
  }
}

const CURLY: Array<[string, string]> = [
  ['“', '”'],
  ['„', '“'],
  ['«', '»'],
  ['「', '」'],
  ['『', '』'],
];
const CURLY_OPEN = new RegExp(`[${CURLY.map(([o]) => o).join('')}]`, 'g');
const SINGLE = /'(?=[^\s'])[^'\n]{0,300}?(?<=[^\s'])'(?![\p{L}\p{N}])/uy;
const CURLY_SINGLE = /‘[^‘\n]{0,300}?’(?!\p{L})/gu;
const MARK = /\p{M}/u;

/** Quoted strings: straight double quotes paired per line (an unpaired one protects to the line end). */
function quotes(text: string, out: ProtectedSpan[]): void {
  let open = -1;
  let lineEnd = -1;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) {
    if (i > lineEnd) {
      if (open >= 0) out.push({ start: open, end: lineEnd, kind: 'quote' });
      open = -1;
      const nl = text.indexOf('\n', i);
      lineEnd = nl < 0 ? text.length : nl;
    }
    let backslashes = 0;
    for (let k = i - 1; k >= 0 && text.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 1) continue;
    if (open < 0) open = i;
    else {
      let k = i + 1;
      while (text[k] === ' ' || text[k] === '\t') k++;
      out.push({ start: open, end: i + 1, kind: text[k] === ':' ? 'json-key' : 'quote' });
      open = -1;
    }
  }
  if (open >= 0) out.push({ start: open, end: lineEnd, kind: 'quote' });
  // curly and CJK quotes close within their paragraph (or protect to the end of the line); a distance limit
  // would make the pairing depend on how much an edit shortened the text
  const paragraphEnds: number[] = [];
  const blank = /\n[ \t]*\r?\n/g;
  for (let m = blank.exec(text); m; m = blank.exec(text)) paragraphEnds.push(m.index);
  const paragraphEnd = (i: number) => {
    let lo = 0;
    let hi = paragraphEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (paragraphEnds[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return paragraphEnds[lo] ?? text.length;
  };
  // one pass for every opening mark (an indexOf per mark scanned the text five times); each kind of mark
  // resumes after its own last quote, as a loop per kind would
  const resume = CURLY.map(() => 0);
  CURLY_OPEN.lastIndex = 0;
  for (let m = CURLY_OPEN.exec(text); m; m = CURLY_OPEN.exec(text)) {
    const i = m.index;
    const k = CURLY.findIndex(([o]) => o === m![0]);
    if (i < resume[k]!) continue;
    const j = text.indexOf(CURLY[k]![1], i + 1);
    const eol = text.indexOf('\n', i);
    const end = j >= 0 && j < paragraphEnd(i) ? j + 1 : eol < 0 ? text.length : eol;
    out.push({ start: i, end, kind: 'quote' });
    resume[k] = end;
  }
  // 'single quotes' only when clearly quotes: not an apostrophe inside or after a word
  for (let i = text.indexOf("'"); i >= 0; i = text.indexOf("'", i + 1)) {
    const prev = text[i - 1];
    if (prev === "'" || isWordChar(prev) || (prev !== undefined && MARK.test(prev))) continue;
    SINGLE.lastIndex = i;
    const m = SINGLE.exec(text);
    if (m) {
      out.push({ start: i, end: i + m[0].length, kind: 'quote' });
      i += m[0].length - 1;
    }
  }
  collect(text, CURLY_SINGLE, 'quote', out);
}

const PLACEHOLDERS = [
  /\{\{[^{}\n]{0,200}\}\}/g,
  /\{%[^\n]{0,200}?%\}/g,
  /\$\{[^{}\n]{1,200}\}/g,
  /(?<![\w$])\$[A-Za-z_][A-Za-z0-9_]*/g,
  /(?<!\{)\{[^{}"\n]{1,60}\}(?!\})/g,
  /%(?:\([\w.]+\))?[-#0+]*(?:\d+|\*)?(?:\.\d+)?[sdifFeEgGxXoucr](?![\p{L}\p{N}])/gu,
  /<(?=[^\s<>])[^<>\n]{1,80}(?<=[^\s<>])>/g,
];

const EXT =
  'ts|tsx|js|jsx|mjs|cjs|json|jsonl|md|mdx|txt|py|rb|go|rs|java|kt|c|h|cc|cpp|hpp|cs|php|sh|bash|zsh|ps1|' +
  'yaml|yml|toml|ini|cfg|conf|env|xml|html|htm|css|scss|sql|csv|tsv|pdf|docx?|xlsx?|pptx?|png|jpe?g|gif|' +
  'svg|webp|mp3|mp4|wav|zip|tar|gz|log|lock|ipynb|exe|dll|so|dylib';
const FILE_EXT = new RegExp(`\\.(?:${EXT})(?![\\w])`, 'gi');
const PATH_CHAR = /[\w.@%+~:-]/;
const SLASH = /[/\\]/g;

/**
 * File paths: a token of path characters that holds a slash or backslash (/etc/hosts, ./src/a.ts, ~/x,
 * and/or, C:\Users\x, \\server\share), and file names with a known extension (config.yaml).
 */
function paths(text: string, out: ProtectedSpan[]): void {
  SLASH.lastIndex = 0;
  let covered = -1;
  for (let m = SLASH.exec(text); m; m = SLASH.exec(text)) {
    const i = m.index;
    if (i < covered) continue;
    let s = i;
    while (s > 0 && (PATH_CHAR.test(text[s - 1]!) || text[s - 1] === '/' || text[s - 1] === '\\')) s--;
    let e = i + 1;
    while (e < text.length && (PATH_CHAR.test(text[e]!) || text[e] === '/' || text[e] === '\\')) e++;
    // trailing sentence punctuation is not part of the path
    while (e > i + 1 && /[.,:;]/.test(text[e - 1]!)) e--;
    covered = e;
    const token = text.slice(s, e);
    if (!/[\w~]/.test(token) || /^[/\\]+$/.test(token)) continue;
    out.push({ start: s, end: e, kind: 'path' });
  }
  FILE_EXT.lastIndex = 0;
  for (let m = FILE_EXT.exec(text); m; m = FILE_EXT.exec(text)) {
    let s = m.index;
    while (s > 0 && /[\w.-]/.test(text[s - 1]!)) s--;
    if (s < m.index && !/[/\\]/.test(text[s - 1] ?? ''))
      out.push({ start: s, end: m.index + m[0].length, kind: 'path' });
  }
}

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|' +
  'Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DATES = [
  new RegExp(`\\b${MONTH}\\.? \\d{1,2}(?:st|nd|rd|th)?(?:,? \\d{4})?\\b`, 'g'),
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)? (?:of )?${MONTH}\\.?(?:,? \\d{4})?\\b`, 'g'),
  new RegExp(`\\b${MONTH} \\d{4}\\b`, 'g'),
  /\d{2,4}년\s?\d{1,2}월(?:\s?\d{1,2}일)?/g,
];
const UNIT =
  '%|‰|°[CFcf]?|ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|yrs?|' +
  '[KMGTP]i?B|[kKMGT]b|bytes?|bits?|[kMG]bps|kg|g|mg|lbs?|oz|km|m|cm|mm|mi|miles?|ft|feet|in|inches|px|pt|' +
  'em|rem|tokens?|chars?|characters?|words?|items?|times|USD|EUR|GBP|KRW|JPY|dollars?|euros?|won|' +
  'AM|PM|am|pm|a\\.m\\.|p\\.m\\.|원|개|명|시간|분|초|일|년|월|주|회|번';
/** A number's start: ASCII digits, with a currency sign or a sign before them (/[$€£¥₩]?[+-]?[0-9]/). */
const ASCII_DIGIT = /[0-9]/g;
const CURRENCY = '$€£¥₩';
const NON_ASCII_RUN = /[\u0080-\uffff]+/g;
const HAS_NUMBER = /\p{N}/u;
/** A whole number from its first digit: digits joined by . , : / -, then a unit (spaced) or attached letters. */
const NUMBER_BODY = new RegExp(
  `\\p{N}+(?:[.,:/-]\\p{N}+)*(?:[ \\u00a0]?(?:${UNIT})(?![\\p{L}\\p{N}])|\\p{L}{1,4}(?![\\p{L}\\p{N}]))?`,
  'uy',
);
const DATE_SHAPE = /^[$€£¥₩]?\d{4}-\d{1,2}-\d{1,2}|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$/;
const TIME_SHAPE = /^\d{1,2}:\d{2}/;

/** Every number (all digits, ASCII or not), with currency signs and units. */
function numbers(text: string, out: ProtectedSpan[]): void {
  const add = (start: number, digit: number) => {
    NUMBER_BODY.lastIndex = digit;
    const m = NUMBER_BODY.exec(text);
    const end = m ? digit + m[0].length : digit + 1;
    const s = text.slice(start, end);
    out.push({ start, end, kind: DATE_SHAPE.test(s) ? 'date' : TIME_SHAPE.test(s) ? 'time' : 'number' });
    return end;
  };
  // each ASCII digit, then the currency sign and sign before it: where ASCII_NUMBER, scanning on from the
  // end of the last number, would have matched (a pattern with optional leading parts gets no fast scan)
  let from = 0;
  const sign = (i: number) => text[i] === '+' || text[i] === '-';
  ASCII_DIGIT.lastIndex = 0;
  for (let m = ASCII_DIGIT.exec(text); m; m = ASCII_DIGIT.exec(text)) {
    const d = m.index;
    let start = d;
    if (d - 2 >= from && CURRENCY.includes(text[d - 2]!) && sign(d - 1)) start = d - 2;
    else if (d - 1 >= from && (CURRENCY.includes(text[d - 1]!) || sign(d - 1))) start = d - 1;
    from = add(start, d);
    ASCII_DIGIT.lastIndex = from;
  }
  NON_ASCII_RUN.lastIndex = 0;
  for (let m = NON_ASCII_RUN.exec(text); m; m = NON_ASCII_RUN.exec(text)) {
    if (!HAS_NUMBER.test(m[0])) continue;
    const run = m[0];
    let i = 0;
    while (i < run.length) {
      const ch = String.fromCodePoint(run.codePointAt(i)!);
      if (!HAS_NUMBER.test(ch)) {
        i += ch.length;
        continue;
      }
      const end = add(m.index + i, m.index + i);
      i = end - m.index;
      if (i >= run.length) NON_ASCII_RUN.lastIndex = Math.max(NON_ASCII_RUN.lastIndex, end);
    }
  }
}

/** Spans found on the masked text: quotes, JSON keys, placeholders, paths, dates, times and numbers. */
export function maskedSpans(masked: string): ProtectedSpan[] {
  const out: ProtectedSpan[] = [];
  quotes(masked, out);
  for (const re of PLACEHOLDERS) collect(masked, re, 'placeholder', out);
  paths(masked, out);
  for (const re of DATES) collect(masked, re, 'date', out);
  numbers(masked, out);
  return out;
}
