import { SPAN_KINDS, type ProtectedSpan, type Range, type SpanKind } from './types';

const PRIORITY = new Map<SpanKind, number>(SPAN_KINDS.map((k, i) => [k, i]));
const JSON_WHITESPACE = /^[ \t\r\n]+$/;

/** Disjoint, sorted intervals built from sorted (possibly overlapping) spans, each remembering its members. */
interface Merged {
  starts: Int32Array;
  ends: Int32Array;
  /** Index range [first, last] of the member spans in the sorted span list. */
  first: Int32Array;
  last: Int32Array;
}

/** Index of the first merged interval that overlaps [start, end) (an insertion when start === end), or -1. */
function firstOverlap(m: Merged, start: number, end: number): number {
  let lo = 0;
  let hi = m.ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.ends[mid]! <= start) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= m.starts.length) return -1;
  const s = m.starts[lo]!;
  if (start === end) return s < start ? lo : -1;
  return s < end ? lo : -1;
}

interface SpanArrays {
  starts: Int32Array;
  ends: Int32Array;
  kinds: readonly SpanKind[];
  json: Uint8Array;
}

/** An edit as the guard sees it. */
export interface EditShape extends Range {
  after: string;
}

/**
 * Protected spans of one text, indexed for the questions the guards and strategies ask: would this edit
 * touch a protected span, is this position inside code. Offsets live in typed arrays (a long prompt has
 * thousands of spans and every stage maps them); span objects are built only when asked for.
 */
export class SpanIndex {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Kinds and JSON flags never change when spans are mapped, so mapped indexes share them. */
  private readonly kinds: readonly SpanKind[];
  private readonly jsonFlags: Uint8Array;
  private readonly hard: Merged;
  private readonly json: Merged;
  private readonly code: Merged;
  private objects: ProtectedSpan[] | undefined;

  /** `arrays` is for map(): already sorted offsets with the kinds they share (then `spans` is ignored). */
  constructor(spans: readonly ProtectedSpan[], arrays?: SpanArrays) {
    if (arrays) {
      ({ starts: this.starts, ends: this.ends, kinds: this.kinds, json: this.jsonFlags } = arrays);
    } else {
      const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
      this.starts = new Int32Array(sorted.length);
      this.ends = new Int32Array(sorted.length);
      this.jsonFlags = new Uint8Array(sorted.length);
      sorted.forEach((s, i) => {
        this.starts[i] = s.start;
        this.ends[i] = s.end;
        this.jsonFlags[i] = s.jsonWhitespace ? 1 : 0;
      });
      this.kinds = sorted.map((s) => s.kind);
    }
    const kinds = this.kinds;
    this.hard = this.merge((i) => this.jsonFlags[i] === 0);
    this.json = this.merge((i) => this.jsonFlags[i] === 1);
    this.code = this.merge((i) => kinds[i] === 'code-block' || kinds[i] === 'json-block');
  }

  private merge(include: (i: number) => boolean): Merged {
    // typed arrays as long as the span list, trimmed to what was used: every stage builds three of these
    const size = this.starts.length;
    const m: Merged = {
      starts: new Int32Array(size),
      ends: new Int32Array(size),
      first: new Int32Array(size),
      last: new Int32Array(size),
    };
    let n = 0;
    for (let i = 0; i < size; i++) {
      const start = this.starts[i]!;
      const end = this.ends[i]!;
      if (end <= start || !include(i)) continue;
      if (n > 0 && start < m.ends[n - 1]!) {
        if (end > m.ends[n - 1]!) m.ends[n - 1] = end;
        m.last[n - 1] = i;
      } else {
        m.starts[n] = start;
        m.ends[n] = end;
        m.first[n] = i;
        m.last[n] = i;
        n++;
      }
    }
    return {
      starts: m.starts.subarray(0, n),
      ends: m.ends.subarray(0, n),
      first: m.first.subarray(0, n),
      last: m.last.subarray(0, n),
    };
  }

  /** The spans, sorted by start (then longest first). */
  get spans(): readonly ProtectedSpan[] {
    this.objects ??= Array.from(this.kinds, (kind, i) =>
      this.jsonFlags[i]
        ? { start: this.starts[i]!, end: this.ends[i]!, kind, jsonWhitespace: true }
        : { start: this.starts[i]!, end: this.ends[i]!, kind },
    );
    return this.objects;
  }

  get size(): number {
    return this.starts.length;
  }

  /**
   * The protected span the edit would damage, or undefined when it is safe. Inside a JSON block (a
   * json-block span that parsed) the only allowed edit deletes whitespace between tokens.
   */
  violation(text: string, edit: EditShape): ProtectedSpan | undefined {
    const h = firstOverlap(this.hard, edit.start, edit.end);
    if (h >= 0) {
      let best = -1;
      for (let i = this.hard.first[h]!; i <= this.hard.last[h]!; i++) {
        if (this.jsonFlags[i]) continue;
        const s = this.starts[i]!;
        const e = this.ends[i]!;
        const hit =
          edit.start === edit.end ? s < edit.start && edit.start < e : s < edit.end && edit.start < e;
        if (hit && (best < 0 || PRIORITY.get(this.kinds[i]!)! < PRIORITY.get(this.kinds[best]!)!)) best = i;
      }
      // members of a merged interval overlap each other strictly, so some member always overlaps the edit
      if (best >= 0) return { start: this.starts[best]!, end: this.ends[best]!, kind: this.kinds[best]! };
    }
    const j = firstOverlap(this.json, edit.start, edit.end);
    if (j >= 0) {
      const inside = edit.start >= this.json.starts[j]! && edit.end <= this.json.ends[j]!;
      const whitespaceDeletion =
        edit.after === '' && edit.end > edit.start && JSON_WHITESPACE.test(text.slice(edit.start, edit.end));
      if (!inside || !whitespaceDeletion) {
        return { start: this.json.starts[j]!, end: this.json.ends[j]!, kind: 'json-block' };
      }
    }
    return undefined;
  }

  /**
   * Hard spans that end exactly where the edit starts or start exactly where it ends: the edit changes the
   * character next to them, which can change whether they are recognised at all.
   */
  neighbours(edit: EditShape): ProtectedSpan[] {
    const out: ProtectedSpan[] = [];
    // spans starting at edit.end: starts are sorted
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < edit.end) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.starts.length && this.starts[i] === edit.end; i++) {
      if (!this.jsonFlags[i]) out.push({ start: this.starts[i]!, end: this.ends[i]!, kind: this.kinds[i]! });
    }
    // spans ending at edit.start lie in the merged interval that ends there (the edit does not overlap any)
    const h = firstOverlap(this.hard, edit.start - 1, edit.start);
    if (h >= 0 && this.hard.ends[h] === edit.start) {
      for (let i = this.hard.first[h]!; i <= this.hard.last[h]!; i++) {
        if (!this.jsonFlags[i] && this.ends[i] === edit.start) {
          out.push({ start: this.starts[i]!, end: this.ends[i]!, kind: this.kinds[i]! });
        }
      }
    }
    return out;
  }

  /** A span that [start, end) overlaps without containing it whole; a unit deletion may take whole spans only. */
  straddles(start: number, end: number): ProtectedSpan | undefined {
    for (const m of [this.hard, this.json]) {
      for (let h = firstOverlap(m, start, end); h >= 0 && h < m.starts.length && m.starts[h]! < end; h++) {
        if (m.starts[h]! >= start && m.ends[h]! <= end) continue;
        for (let i = m.first[h]!; i <= m.last[h]!; i++) {
          const s = this.starts[i]!;
          const e = this.ends[i]!;
          if (s < end && start < e && (s < start || e > end))
            return { start: s, end: e, kind: this.kinds[i]! };
        }
      }
    }
    return undefined;
  }

  /** Indices (in `spans` order) of the spans wholly inside [start, end). */
  within(start: number, end: number): number[] {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.starts.length && this.starts[i]! < end; i++) {
      if (this.ends[i]! <= end) out.push(i);
    }
    return out;
  }

  /** True when [start, end) overlaps a fenced code block or a JSON block. */
  inCode(start: number, end: number = start + 1): boolean {
    return firstOverlap(this.code, start, Math.max(end, start + 1)) >= 0;
  }

  /** True when one merged run of protected spans contains all of [start, end). */
  covers(start: number, end: number): boolean {
    const h = firstOverlap(this.hard, start, Math.max(end, start + 1));
    return h >= 0 && this.hard.starts[h]! <= start && this.hard.ends[h]! >= end;
  }

  /** True when [start, end) overlaps any protected span. */
  touches(start: number, end: number): boolean {
    return firstOverlap(this.hard, start, end) >= 0 || firstOverlap(this.json, start, end) >= 0;
  }

  /** Code regions (fenced blocks and JSON blocks), merged and sorted. */
  codeRegions(): Range[] {
    return Array.from(this.code.starts, (start, i) => ({ start, end: this.code.ends[i]! }));
  }

  /**
   * The same spans in the text that results from applying `edits` (sorted, non-overlapping, none touching
   * a span except whitespace deletions inside JSON blocks). Starts move monotonically and only JSON blocks
   * (which contain their tokens) can shrink, so the order is kept.
   */
  map(edits: readonly EditShape[]): SpanIndex {
    if (edits.length === 0) return this;
    const mapper = offsetMapper(edits);
    const n = this.starts.length;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    // starts are sorted, and so are the edits' ends: one walk gives what mapper.start would, span by span
    let k = 0;
    let delta = 0;
    for (let i = 0; i < n; i++) {
      const p = this.starts[i]!;
      for (; k < edits.length && edits[k]!.end <= p; k++) {
        delta += edits[k]!.after.length - (edits[k]!.end - edits[k]!.start);
      }
      starts[i] = p + delta;
      const cut = edits[k];
      // a span inside a deleted unit (ProposedEdit.dropsUnit) goes with it: an empty span where it was
      if (cut && cut.start <= p && this.ends[i]! <= cut.end && cut.end > cut.start) {
        starts[i] = cut.start + delta;
        ends[i] = starts[i]!;
        continue;
      }
      ends[i] = mapper.end(this.ends[i]!);
    }
    return new SpanIndex([], { starts, ends, kinds: this.kinds, json: this.jsonFlags });
  }
}

/** Maps offsets of a text to the text after applying sorted, non-overlapping edits. */
export function offsetMapper(edits: readonly EditShape[]): {
  start: (p: number) => number;
  end: (p: number) => number;
} {
  const ends = new Int32Array(edits.length);
  const cum = new Float64Array(edits.length + 1);
  edits.forEach((e, i) => {
    ends[i] = e.end;
    cum[i + 1] = cum[i]! + e.after.length - (e.end - e.start);
  });
  const count = (p: number) => {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! <= p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    // a position where a span starts moves with everything inserted before it, insertions at p included
    start: (p) => p + cum[count(p)]!,
    // a position where a span ends does not move with insertions exactly at p (they land after the span)
    end: (p) => {
      let k = count(p);
      while (k > 0 && edits[k - 1]!.start === p && edits[k - 1]!.end === p) k--;
      return p + cum[k]!;
    },
  };
}
