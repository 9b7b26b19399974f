import { isSafeBoundary } from './incremental';
import type { EncodingId, Tokenizer } from './tokenizer';

export interface MemoOptions {
  /** A line start is a cut when a hash of the line before it is 0 modulo this (about one line in N). */
  cutEvery?: number;
  /** The characters of text kept as keys, per encoding; least recently used entries go first. */
  maxChars?: number;
}

/** A bounded least-recently-used map from text to its count, sized by the characters of its keys. */
class CountMemo {
  private readonly map = new Map<string, number>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(text: string): number | undefined {
    const n = this.map.get(text);
    if (n !== undefined) {
      this.map.delete(text);
      this.map.set(text, n);
    }
    return n;
  }

  set(text: string, n: number): void {
    if (text.length > this.maxChars) return;
    if (!this.map.has(text)) this.chars += text.length;
    this.map.set(text, n);
    while (this.chars > this.maxChars) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
      this.chars -= oldest.length;
    }
  }

  get size(): number {
    return this.map.size;
  }
}

/** No chunk is cut shorter than this, nor, unless no safe boundary allows it, longer than MAX_CHUNK. */
const MIN_CHUNK = 256;
const MAX_CHUNK = 16_384;

/**
 * Cuts text into chunks at safe boundaries chosen by content, not position: a heading line start ("\n#") is always
 * a cut, and another line start (a newline followed by a letter or digit) is a cut when a hash of the line that ends there is 0 modulo `cutEvery`. An edit then
 * changes only the chunks around it, and the chunks after it are the same strings as before, found in the
 * memo. A text without such line starts is cut at any safe boundary every MAX_CHUNK characters.
 */
export function contentChunks(text: string, cutEvery: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  let hash = 0;
  for (let i = 1; i < text.length; i++) {
    const prev = text.charCodeAt(i - 1);
    if (prev === 10) {
      // a Markdown heading always starts a chunk (markdownSections cuts there too, so a section counted on
      // its own is made of the same chunks as in the whole text); "\n#" is a safe cut, as sections.ts notes
      const heading = text.charCodeAt(i) === 35 && i > start;
      if (heading || (i - start >= MIN_CHUNK && hash % cutEvery === 0 && isSafeBoundary(text, i))) {
        chunks.push(text.slice(start, i));
        start = i;
      }
      hash = 0;
    } else hash = (Math.imul(hash, 31) + prev) >>> 0;
    if (i - start >= MAX_CHUNK && (prev === 10 || text.charCodeAt(i) === 32) && isSafeBoundary(text, i)) {
      chunks.push(text.slice(start, i));
      start = i;
    }
  }
  if (start < text.length) chunks.push(text.slice(start));
  return chunks;
}

export interface MemoTokenizer extends Tokenizer {
  /** Entries held, over all encodings (for tests and diagnostics). */
  readonly entries: number;
}

/**
 * Wraps an exact tokenizer with a bounded memo of counts, so a text counted once (the cost panel counting a
 * prompt when it opens) costs next to nothing when something else counts it again (the compression
 * pipeline's input count, each live re-run of the Compress view). A long text is counted as chunks cut at
 * safe boundaries (see incremental.ts: there count(a + b) = count(a) + count(b)) chosen by content, so a
 * prompt that changed in one place re-encodes only the chunks around the change. Counts stay exact: the property is tested against
 * a full encode in test/core/memoTokenizer.test.ts.
 */
export function memoTokenizer(inner: Tokenizer, options: MemoOptions = {}): MemoTokenizer {
  const cutEvery = options.cutEvery ?? 8;
  const maxChars = options.maxChars ?? 16_000_000;
  const memos = new Map<EncodingId, CountMemo>();
  const memoOf = (encoding: EncodingId) => {
    let m = memos.get(encoding);
    if (!m) memos.set(encoding, (m = new CountMemo(maxChars)));
    return m;
  };
  const countOne = (memo: CountMemo, text: string, encoding: EncodingId) => {
    let n = memo.get(text);
    if (n === undefined) memo.set(text, (n = inner.count(text, encoding)));
    return n;
  };
  return {
    id: inner.id,
    encodings: inner.encodings,
    count(text, encoding) {
      const memo = memoOf(encoding);
      if (text.length <= MIN_CHUNK) return countOne(memo, text, encoding);
      let total = 0;
      for (const chunk of contentChunks(text, cutEvery)) total += countOne(memo, chunk, encoding);
      return total;
    },
    get entries() {
      let n = 0;
      for (const m of memos.values()) n += m.size;
      return n;
    },
  };
}
