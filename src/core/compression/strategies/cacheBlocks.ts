/**
 * Blocks of a prompt for cache.reorder: paragraphs, Markdown sections or lines, each classified as dynamic
 * (it changes from one request to the next) or static, and as movable by the pipeline or not.
 */
import { findDynamicSpans } from '../../pricing/dynamicContent';
import { guardedWordCounts } from '../guardWords';
import { markdownSections } from '../sections';
import type { SpanIndex } from '../spanIndex';
import { isBlankLine, splitLines } from '../text';

export type BlockUnit = 'auto' | 'paragraph' | 'section' | 'line';

export interface Block {
  /** From the first character of its first line to the end of its last line (without the line break). */
  start: number;
  end: number;
  /** It starts a scope a move must not cross (see classifyBlocks): the scan for blocks to move stops here. */
  barrier: boolean;
  /** The first dynamic content in it (offset and text), when it has any. */
  dynamic?: { offset: number; text: string };
  /**
   * Whether the pipeline can move it: no protected span (number, quote, placeholder, code…) and no negation
   * or modal word in it. The guards keep protected text in its place and order, and never let an edit
   * remove a "not", so a block holding one cannot be deleted here and inserted elsewhere.
   */
  movable: boolean;
}

export interface Blocks {
  blocks: Block[];
  /** The unit used (`auto` resolved). */
  unit: Exclude<BlockUnit, 'auto'>;
  /** Starts of the engine's Markdown sections (every heading level), where an edit must not straddle. */
  sectionStarts: number[];
}

/** What counts as dynamic besides template variables, ids and user lines (always). */
export interface DynamicOptions {
  /** Dates and times count as dynamic ("Today is 2024-05-01"). */
  dates: boolean;
  /** Case-insensitive phrases that mark a block as dynamic ("Current user:", "Session"). */
  markers: readonly string[];
}

/**
 * Offsets of dynamic content, sorted: the cache what-if's detector (src/core/pricing/dynamicContent.ts:
 * `{{x}}`, `${x}`, `{x}`, `$X`, `%s`, dates, times, ids, `name: …` lines), the guards' placeholders that
 * hold no space (`{x}`, `$x`, `%(x)s`, `<X>`; "{like this}" in prose is an instruction, not a variable),
 * and the markers.
 */
export function dynamicOffsets(
  text: string,
  spans: SpanIndex,
  o: DynamicOptions,
): Array<{ offset: number; text: string }> {
  const out: Array<{ offset: number; text: string }> = [];
  for (const d of findDynamicSpans(text)) {
    if (!o.dates && (d.kind === 'date' || d.kind === 'time')) continue;
    out.push({ offset: d.offset, text: d.text });
  }
  for (const s of spans.spans) {
    if (s.kind !== 'placeholder') continue;
    const t = text.slice(s.start, s.end);
    if (!/\s/.test(t)) out.push({ offset: s.start, text: t });
  }
  const lower = o.markers.length > 0 ? text.toLowerCase() : '';
  for (const marker of o.markers) {
    const m = marker.toLowerCase();
    if (m.trim() === '') continue;
    for (let i = lower.indexOf(m); i >= 0; i = lower.indexOf(m, i + m.length)) {
      out.push({ offset: i, text: text.slice(i, i + m.length) });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/**
 * Splits `text` into blocks and classifies them. A blank line inside a fenced code block or a JSON block
 * does not end a block (code moves whole or not at all). `section`: a block runs from a heading to the
 * next heading of the same or a higher level than the section holding the first dynamic content (the
 * top-level sections when that is the preamble), so a section moves with its subsections and nothing moves
 * out from under its parent; a heading of a higher level is a barrier (moving it up would make the dynamic
 * section its child). `paragraph` and `line`: every heading starts a block and is a barrier, so a move stays
 * in the section of the dynamic content. `auto`: `section` when the text has a heading, else `paragraph`.
 */
/** Whether text[start, end) ends in ":" before trailing spaces and tabs (without slicing a long block). */
function endsWithColon(text: string, start: number, end: number): boolean {
  let i = end - 1;
  while (i >= start && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= start && text[i] === ':';
}

export function classifyBlocks(text: string, unit: BlockUnit, spans: SpanIndex, o: DynamicOptions): Blocks {
  const sections = markdownSections(text, spans);
  const levels = new Map(sections.filter((s) => s.level > 0).map((s) => [s.start, s.level]));
  const dyn = dynamicOffsets(text, spans, o);
  const mode = unit === 'auto' ? (levels.size > 0 ? 'section' : 'paragraph') : unit;
  let depth = 6;
  if (mode === 'section' && dyn.length > 0) {
    const holder = sections.findLast((s) => s.start <= dyn[0]!.offset);
    depth = holder && holder.level > 0 ? holder.level : Math.min(...levels.values());
  }
  const ranges: Array<{ start: number; end: number; barrier: boolean }> = [];
  let open: { start: number; end: number; barrier: boolean } | undefined;
  let openInCode = false;
  for (const line of splitLines(text)) {
    const inCode = spans.inCode(line.start, Math.max(line.end, line.start + 1));
    // a block ending in ":" introduces the next one ("Your image should feature:" and its list): one unit
    const introduces = open !== undefined && endsWithColon(text, open.start, open.end);
    if (!inCode && isBlankLine(text, line)) {
      if (mode !== 'section' && !introduces) open = undefined;
      continue;
    }
    const level = levels.get(line.start);
    const heading = level !== undefined && level <= depth;
    if (!open || heading || (mode === 'line' && !(inCode && openInCode) && !introduces)) {
      const barrier = heading && (mode !== 'section' || level < depth);
      open = { start: line.start, end: line.end, barrier };
      ranges.push(open);
    } else open.end = line.end;
    openInCode = inCode;
  }
  let k = 0;
  const blocks = ranges.map((r): Block => {
    while (k < dyn.length && dyn[k]!.offset < r.start) k++;
    const dynamic = k < dyn.length && dyn[k]!.offset < r.end ? dyn[k] : undefined;
    const movable =
      !dynamic && !spans.touches(r.start, r.end) && guardedWordCounts(text.slice(r.start, r.end)).size === 0;
    return dynamic ? { ...r, dynamic, movable } : { ...r, movable };
  });
  return { blocks, unit: mode, sectionStarts: [...levels.keys()] };
}
