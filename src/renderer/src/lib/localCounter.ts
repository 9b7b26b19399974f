import { createGptTokenizer } from '../../../core/tokens/gptTokenizer';
import { IncrementalCounter, splitAtSafeBoundaries } from '../../../core/tokens/incremental';
import type { EncodingId } from '../../../core/tokens/tokenizer';

/** One edit as the editor reports it: offsets into the text before the edit. */
export interface TextChange {
  offset: number;
  deleteCount: number;
  insert: string;
}

/** The chunk size of IncrementalCounter (its default), so that warm() pre-counts exactly its chunks. */
const CHUNK_CHARS = 512;
/** The longest stretch warm() encodes before it lets input and rendering run. */
const SLICE_MS = 8;

const yieldToBrowser = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Exact token counts kept up to date in the window, edit by edit: only the chunks around an edit are
 * re-encoded (src/core/tokens/incremental.ts), so typing in a 200k-token prompt costs well under a frame
 * (bench/incremental.bench.ts, bench/latency.bench.ts). gpt-tokenizer is the same exact encoder the backend
 * uses.
 */
export class LocalCounter {
  readonly id = 'gpt-tokenizer';
  private readonly tokenizer = createGptTokenizer();
  private readonly counters = new Map<EncodingId, IncrementalCounter>();
  private readonly warming = new Map<EncodingId, Promise<void>>();
  private text = '';
  /** Bumped by every reset and edit, so a warm-up notices that the text moved on. */
  private version = 0;

  /** Replaces the document (a file was opened or reloaded). */
  reset(text: string): void {
    this.text = text;
    this.version++;
    this.counters.clear();
  }

  /**
   * Applies the editor's changes (offsets into the text before the whole batch). A keystroke pays only for
   * the chunks around its edits: the new text is not read here, because the editor's text is a fresh rope
   * on every keystroke and reading any of it copies all of it (about 1 ms and 1.8 MB of garbage at 900k
   * characters). The lengths must add up, or the document is reset to `text` at once; verify(), which the
   * caller runs once typing pauses, compares the whole text.
   */
  apply(changes: readonly TextChange[], text: string): void {
    const ascending = [...changes].sort((a, b) => a.offset - b.offset);
    if (!fits(this.text.length, ascending, text.length)) {
      this.reset(text);
      return;
    }
    // Applied from the end, so that the earlier offsets stay valid.
    const descending = ascending.reverse();
    for (const counter of this.counters.values()) {
      for (const c of descending) counter.applyEdit(c.offset, c.deleteCount, c.insert);
    }
    this.text = text;
    this.version++;
  }

  /**
   * Compares every counted document with the text in full (O(length), so not per keystroke) and forgets
   * a counter that drifted from it. Returns false when one did: the caller counts again.
   */
  verify(): boolean {
    let ok = true;
    for (const [encoding, counter] of this.counters) {
      if (counter.text !== this.text) {
        this.counters.delete(encoding);
        ok = false;
      }
    }
    return ok;
  }

  /** Whether `encoding` is counted already, so that count() answers without encoding the whole text. */
  has(encoding: EncodingId): boolean {
    return this.counters.has(encoding);
  }

  /**
   * Encodes the document for `encoding` in slices of at most SLICE_MS, yielding to the browser between
   * them, so that a long prompt is counted without a long task; edits made meanwhile are followed. Resolves
   * once count(encoding) answers at once.
   */
  warm(encoding: EncodingId): Promise<void> {
    if (this.counters.has(encoding)) return Promise.resolve();
    let running = this.warming.get(encoding);
    if (!running) {
      running = this.build(encoding).finally(() => this.warming.delete(encoding));
      this.warming.set(encoding, running);
    }
    return running;
  }

  /** The exact count of the current document in `encoding` (a full encode the first time: see warm()). */
  count(encoding: EncodingId): number {
    let counter = this.counters.get(encoding);
    if (!counter) {
      counter = new IncrementalCounter((t) => this.tokenizer.count(t, encoding), this.text, CHUNK_CHARS);
      this.counters.set(encoding, counter);
    }
    return counter.tokens;
  }

  private async build(encoding: EncodingId): Promise<void> {
    const count = (t: string) => this.tokenizer.count(t, encoding);
    // Token counts of the chunks seen so far: chunks an edit did not touch are not encoded again.
    const counted = new Map<string, number>();
    for (;;) {
      const { text, version } = this;
      let sliceStart = performance.now();
      for (const chunk of splitAtSafeBoundaries(text, CHUNK_CHARS)) {
        if (!counted.has(chunk)) counted.set(chunk, count(chunk));
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToBrowser();
          if (this.counters.has(encoding)) return; // count() got there first
          sliceStart = performance.now();
        }
      }
      if (this.counters.has(encoding)) return;
      if (version !== this.version) continue; // edited meanwhile: encode the chunks that changed
      let lookup: Map<string, number> | null = counted;
      const counter = new IncrementalCounter((t) => lookup?.get(t) ?? count(t), text, CHUNK_CHARS);
      lookup = null; // later edits encode their own chunks; the map can go
      this.counters.set(encoding, counter);
      return;
    }
  }
}

/** Whether `changes` (by offset, not overlapping) fit a text of `before` characters and give `after`. */
function fits(before: number, changes: readonly TextChange[], after: number): boolean {
  let end = 0;
  let length = before;
  for (const c of changes) {
    if (c.offset < end || c.deleteCount < 0 || c.offset + c.deleteCount > before) return false;
    end = c.offset + c.deleteCount;
    length += c.insert.length - c.deleteCount;
  }
  return length === after;
}
