/**
 * Exact incremental token counting for large documents.
 *
 * The o200k_base and cl100k_base pre-tokenizers split text into pieces with a regex, and BPE never merges
 * across pieces. Some positions are boundaries whatever the text around them: a piece never contains a
 * newline followed by a letter or digit, nor a letter followed by a space followed by a letter. At such a
 * "safe boundary" the pre-tokenization of the left part cannot see the right part (the regex has no
 * look-behind, and every alternative that could cross the boundary is excluded by its character classes),
 * so count(a + b) = count(a) + count(b). The document is kept as chunks cut at safe boundaries; an edit
 * re-encodes only the chunks it touches. A property test checks the sum against a full encode after
 * thousands of random edits.
 */

/** Counts the tokens of a piece of text with an exact encoder. */
export type CountFn = (text: string) => number;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;

/** True when `text` can be cut before index `i` without changing the token count. */
export function isSafeBoundary(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return true;
  const prev = text.charCodeAt(i - 1);
  const cur = text[i]!;
  if (prev === 10 /* \n */) return LETTER_OR_DIGIT.test(cur);
  if (cur === ' ' && i + 1 < text.length) {
    // letter, space, letter: the space belongs to the next word and the previous word ends at the letter.
    // Surrogate pairs: test whole code points on both sides.
    const before =
      text.codePointAt(i - 1)! >= 0xdc00 && i >= 2
        ? String.fromCodePoint(text.codePointAt(i - 2)!)
        : text[i - 1]!;
    const after = String.fromCodePoint(text.codePointAt(i + 1)!);
    return LETTER.test(before) && LETTER.test(after);
  }
  return false;
}

/** Finds the first safe boundary at or after `from` (returns text.length when there is none). */
function nextSafeBoundary(text: string, from: number): number {
  for (let i = Math.max(1, from); i < text.length; i++) {
    const c = text.charCodeAt(i);
    // cheap pre-filter: boundaries only sit after a newline or at a space
    if ((c === 32 || text.charCodeAt(i - 1) === 10) && isSafeBoundary(text, i)) return i;
  }
  return text.length;
}

/** Splits text into chunks of roughly `target` characters, each cut at a safe boundary. */
export function splitAtSafeBoundaries(text: string, target: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    const cut = nextSafeBoundary(text, start + target);
    chunks.push(text.slice(start, cut));
    start = cut;
  }
  return chunks;
}

interface Chunk {
  text: string;
  tokens: number;
}

/** A document whose exact token count is kept up to date edit by edit. */
export class IncrementalCounter {
  private chunks: Chunk[] = [];
  private totalTokens = 0;
  private length = 0;
  private readonly count: CountFn;
  private readonly target: number;

  constructor(count: CountFn, text = '', targetChunkChars = 512) {
    this.count = count;
    this.target = targetChunkChars;
    this.reset(text);
  }

  /** Replaces the whole document (a full encode). */
  reset(text: string): void {
    this.chunks = splitAtSafeBoundaries(text, this.target).map((t) => ({ text: t, tokens: this.count(t) }));
    this.totalTokens = this.chunks.reduce((n, c) => n + c.tokens, 0);
    this.length = text.length;
  }

  get tokens(): number {
    return this.totalTokens;
  }

  get text(): string {
    return this.chunks.map((c) => c.text).join('');
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  /**
   * Applies a replace of `deleteCount` characters at `offset` by `insert` (Monaco's rangeOffset/rangeLength/
   * text) and returns the new total. Only the chunks around the edit are re-encoded.
   */
  applyEdit(offset: number, deleteCount: number, insert: string): number {
    if (offset < 0 || deleteCount < 0 || offset + deleteCount > this.length) {
      throw new RangeError(
        `edit ${offset}+${deleteCount} is outside a document of ${this.length} characters`,
      );
    }
    // Whether a boundary is safe depends on the two characters on each side of it, so the re-encoded region
    // runs from a boundary at least MARGIN characters before the edit to one at least MARGIN after it, and
    // always includes a whole neighbouring chunk on each side.
    const MARGIN = 3;
    const editEnd = offset + deleteCount;
    let first = 0;
    let firstStart = 0;
    while (first < this.chunks.length - 1 && firstStart + this.chunks[first]!.text.length <= offset) {
      firstStart += this.chunks[first]!.text.length;
      first++;
    }
    do {
      if (first === 0) break;
      first--;
      firstStart -= this.chunks[first]!.text.length;
    } while (offset - firstStart < MARGIN);
    let last = first;
    let lastEnd = firstStart + (this.chunks[first]?.text.length ?? 0);
    while (last < this.chunks.length - 1 && lastEnd <= editEnd) {
      last++;
      lastEnd += this.chunks[last]!.text.length;
    }
    while (last < this.chunks.length - 1 && (lastEnd - editEnd < MARGIN || last === first)) {
      last++;
      lastEnd += this.chunks[last]!.text.length;
    }
    if (last < this.chunks.length - 1) {
      last++;
      lastEnd += this.chunks[last]!.text.length;
    }
    const region = this.chunks
      .slice(first, last + 1)
      .map((c) => c.text)
      .join('');
    const local = offset - firstStart;
    const edited = region.slice(0, local) + insert + region.slice(local + deleteCount);
    const fresh = splitAtSafeBoundaries(edited, this.target).map((t) => ({ text: t, tokens: this.count(t) }));
    let removed = 0;
    for (let i = first; i <= last; i++) removed += this.chunks[i]?.tokens ?? 0;
    this.chunks.splice(first, last - first + 1, ...fresh);
    this.totalTokens += fresh.reduce((n, c) => n + c.tokens, 0) - removed;
    this.length += insert.length - deleteCount;
    return this.totalTokens;
  }
}
