import { AppError } from '../../errors';
import { parseJson } from '../../json';
import type { HistoryFormat } from '../types';
import { isObject } from './common';
import { formatOfShape, isMessageLike, listShape, recordShape } from './records';
import { looksLikeTranscript } from './transcript';

/**
 * Which format a history file is in, from its extension and then its content:
 * `.jsonl`/`.ndjson` are JSON Lines; `.txt`/`.md`/`.log` are transcripts; anything else that starts with
 * `{` or `[` is JSON (or JSON Lines, when the whole does not parse but its first line does), classified by
 * its first conversation; other text with role labels is a transcript.
 */

/** How the file is to be read, with the JSON document when detection already parsed it. */
export type Sniffed =
  | { kind: 'json'; format: HistoryFormat; data: unknown }
  | { kind: 'jsonl'; format: 'jsonl' }
  | { kind: 'transcript'; format: 'transcript' };

const JSONL_EXT = new Set(['jsonl', 'ndjson']);
const TEXT_EXT = new Set(['txt', 'text', 'md', 'markdown', 'log']);

export const extensionOf = (fileName: string): string =>
  /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';

/** True when the start of the text has NULs or many control characters: a binary file read as text. */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return true;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 0xfffd) odd++;
  }
  return odd > 8 && odd > head.length * 0.05;
}

/** The errors every format shares: an empty file, a binary one. */
export function checkText(text: string, fileName: string): void {
  if (text.replace(/^\uFEFF/, '').trim() === '')
    throw new AppError('INVALID_INPUT', `${fileName} is empty: there is no conversation to import.`, {
      file: fileName,
    });
  if (looksBinary(text))
    throw new AppError(
      'BINARY_FILE',
      `${fileName} looks like a binary file: a history is JSON, JSON Lines or a plain-text transcript.`,
      { file: fileName },
    );
}

/** The format of a parsed JSON document, from its first conversation. */
export function jsonFormat(data: unknown): HistoryFormat {
  if (Array.isArray(data)) {
    if (isMessageLike(data[0])) return formatOfShape(listShape(data));
    const first = data.find(isObject);
    const shape = first ? recordShape(first) : undefined;
    return shape ? formatOfShape(shape) : 'openai';
  }
  const shape = isObject(data) ? recordShape(data) : undefined;
  return shape ? formatOfShape(shape) : 'openai';
}

/** True when the text has more than one line and its first line alone is a JSON object or list. */
function firstLineIsJson(text: string): boolean {
  const nl = text.indexOf('\n');
  if (nl < 0 || text.slice(nl).trim() === '') return false;
  try {
    const v: unknown = JSON.parse(text.slice(0, nl));
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}

/** How to read the file (after checkText): by extension, then by content. */
export function sniff(text: string, fileName: string): Sniffed {
  const ext = extensionOf(fileName);
  if (JSONL_EXT.has(ext)) return { kind: 'jsonl', format: 'jsonl' };
  if (TEXT_EXT.has(ext)) return { kind: 'transcript', format: 'transcript' };
  const body = text.replace(/^\uFEFF/, '');
  const start = /\S/.exec(body)?.[0];
  if (start === '{' || start === '[') {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      if (firstLineIsJson(body.trimStart())) return { kind: 'jsonl', format: 'jsonl' };
      parseJson(body, fileName); // throws PARSE_ERROR with the line and column
    }
    return { kind: 'json', format: jsonFormat(data), data };
  }
  if (ext === 'json') {
    const data = parseJson(body, fileName);
    return { kind: 'json', format: jsonFormat(data), data };
  }
  if (looksLikeTranscript(body)) return { kind: 'transcript', format: 'transcript' };
  throw new AppError(
    'UNSUPPORTED',
    `${fileName}: not a conversation history PromptPress reads (JSON, JSON Lines, or a transcript with "User:" and "Assistant:" lines).`,
    { file: fileName },
  );
}

/** The format `importHistory` would read a file as (PARSE_ERROR, BINARY_FILE, UNSUPPORTED as it would). */
export function detectHistoryFormat(text: string, fileName: string): HistoryFormat {
  checkText(text, fileName);
  return sniff(text, fileName).format;
}
