import { createGptTokenizer } from '../../../core/tokens/gptTokenizer';
import { IncrementalCounter } from '../../../core/tokens/incremental';
import type { EncodingId } from '../../../core/tokens/tokenizer';

/** One edit as the editor reports it: offsets into the text before the edit. */
export interface TextChange {
  offset: number;
  deleteCount: number;
  insert: string;
}

/**
 * Exact token counts kept up to date in the window, edit by edit: only the chunks around an edit are
 * re-encoded (src/core/tokens/incremental.ts), so typing in a 200k-token prompt costs well under a frame
 * (bench/incremental.bench.ts). gpt-tokenizer is the same exact encoder the backend uses.
 */
export class LocalCounter {
  readonly id = 'gpt-tokenizer';
  private readonly tokenizer = createGptTokenizer();
  private readonly counters = new Map<EncodingId, IncrementalCounter>();
  private text = '';

  /** Replaces the document (a file was opened or reloaded). */
  reset(text: string): void {
    this.text = text;
    this.counters.clear();
  }

  /**
   * Applies the editor's changes and returns whether they led to `text`; when they did not (a change was
   * missed), the document is reset to `text` so the count stays exact.
   */
  apply(changes: readonly TextChange[], text: string): void {
    // Offsets refer to the text before the whole batch: apply from the end so earlier offsets stay valid.
    const ordered = [...changes].sort((a, b) => b.offset - a.offset);
    let next = this.text;
    for (const c of ordered) next = next.slice(0, c.offset) + c.insert + next.slice(c.offset + c.deleteCount);
    if (next !== text) {
      this.reset(text);
      return;
    }
    for (const counter of this.counters.values()) {
      for (const c of ordered) counter.applyEdit(c.offset, c.deleteCount, c.insert);
    }
    this.text = text;
  }

  /** The exact count of the current document in `encoding`. */
  count(encoding: EncodingId): number {
    let counter = this.counters.get(encoding);
    if (!counter) {
      counter = new IncrementalCounter((t) => this.tokenizer.count(t, encoding), this.text);
      this.counters.set(encoding, counter);
    }
    return counter.tokens;
  }
}
