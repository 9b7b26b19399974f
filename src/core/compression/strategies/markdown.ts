import { z } from 'zod';
import type { Strategy, StrategyContext } from '../strategy';
import {
  forEachLineMatch,
  forEachMatch,
  isBlankLine,
  lineNumberer,
  lineRemovals,
  splitLines,
  type Line,
  type LinePattern,
} from '../text';
import type { ProposedEdit } from '../types';

const options = z.strictObject({
  emphasis: z
    .boolean()
    .default(true)
    .describe('Drop emphasis markers (**bold**, *italic*, __bold__, _italic_)'),
  horizontalRules: z.boolean().default(true).describe('Drop horizontal rules (---, ***, ___)'),
  tables: z.boolean().default(true).describe('Drop table cell padding and the alignment row'),
  headings: z
    .enum(['keep', 'label'])
    .default('keep')
    .describe('keep: "## Title" (trailing hashes trimmed); label: "Title:"'),
});

// tried at line starts only (forEachLineMatch), on lines that begin with one of `first`
const HEADING: LinePattern = {
  re: /( {0,3})(#{1,6})[ \t]+([^\n]*?)(?:[ \t]+#+)?[ \t]*\r?(?![^\n])/y,
  first: ' #',
};
const HR: LinePattern = { re: / {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\r?(?![^\n])/y, first: ' -*_' };
const ALIGN: LinePattern = {
  re: /[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\r?(?![^\n])/y,
  first: ' \t|:-',
};
const ALIGN_LINE = new RegExp(`^${ALIGN.re.source}`, '');

/** Emphasis pairs on one line; the character before the opening marker is checked separately (see NOT_BEFORE). */
const EMPHASIS: Array<{ ruleId: string; re: RegExp; width: number; name: string }> = [
  {
    ruleId: 'emphasis.strong',
    re: /\*\*(?=[^\s*])((?:[^*\n]|\*(?!\*))*?[^\s*\\])\*\*(?![\p{L}\p{N}_*])/gu,
    width: 2,
    name: 'Bold markers (**…**)',
  },
  {
    ruleId: 'emphasis.strong',
    re: /__(?=[^\s_])((?:[^_\n]|_(?!_))*?[^\s_\\])__(?![\p{L}\p{N}_])/gu,
    width: 2,
    name: 'Bold markers (__…__)',
  },
  {
    ruleId: 'emphasis.italic',
    re: /\*(?=[^\s*])((?:[^*\n]|\*\*)*?[^\s*\\])\*(?![\p{L}\p{N}_*])/gu,
    width: 1,
    name: 'Italic markers (*…*)',
  },
  {
    ruleId: 'emphasis.italic',
    re: /_(?=[^\s_])((?:[^_\n]|__)*?[^\s_\\])_(?![\p{L}\p{N}_])/gu,
    width: 1,
    name: 'Italic markers (_…_)',
  },
];

/**
 * format.markdown: decoration that costs tokens without carrying meaning: emphasis markers, horizontal rules,
 * table padding and alignment rows, trailing heading hashes (or, with `headings: 'label'`, the hashes turned
 * into a "Title:" label). Indentation and list markers stay, so nesting survives.
 */
export const markdownStrategy: Strategy<typeof options> = {
  id: 'format.markdown',
  label: 'Markdown decoration',
  description:
    'Drops emphasis markers, horizontal rules, table padding and alignment rows, and trailing heading hashes; keeps headings and list nesting.',
  lossy: false,
  defaultEnabled: true,
  idempotent: true,
  local: true,
  options,
  run(text, o, ctx) {
    const edits: ProposedEdit[] = [];
    let lines: Line[] | undefined;
    const allLines = () => (lines ??= splitLines(text));
    const lineOf = lineNumberer(text);
    const fmEnd = frontMatterEnd(text);
    const outside = (a: number, b: number) => a >= fmEnd && !ctx.spans.inCode(a, Math.max(b, a + 1));
    forEachLineMatch(HEADING, text, ctx.only, (m) => {
      if (outside(m.index, m.index + m[0].length)) headingEdits(m, lineOf(m.index), o.headings, edits);
    });
    if (o.horizontalRules) {
      forEachLineMatch(HR, text, ctx.only, (m) => {
        if (!outside(m.index, m.index + m[0].length)) return;
        const ls = allLines();
        const i = lineIndex(ls, m.index);
        // "---" right under a line of text underlines a heading (setext), it is not a rule
        if (m[1] === '-' && i > 0 && !isBlankLine(text, ls[i - 1]!)) return;
        hrEdit(text, ls, i, edits);
      });
    }
    if (o.tables) {
      forEachLineMatch(ALIGN, text, ctx.only, (m) => {
        if (!outside(m.index, m.index + m[0].length)) return;
        const ls = allLines();
        const a = lineIndex(ls, m.index);
        if (a === 0 || !outside(ls[a - 1]!.start, ls[a - 1]!.next)) return;
        const header = text.slice(ls[a - 1]!.start, ls[a - 1]!.end);
        if (!header.includes('|') || (!m[0].includes('|') && !header.trim().startsWith('|'))) return;
        const last = tableEdits(text, ls, a - 1, ctx, edits);
        return ls[last]!.next;
      });
    }
    if (o.emphasis) emphasisEdits(text, outside, lineOf, ctx, edits);
    return edits.sort((a, b) => a.start - b.start || a.end - b.end);
  },
};

/** Index of the line that holds `offset`. */
function lineIndex(lines: readonly Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** End of a YAML front matter block at the top ("---" … "---"), which is data, not decoration. */
function frontMatterEnd(text: string): number {
  const m = /^---[ \t]*\r?\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  return m ? m[0].length : 0;
}

function headingEdits(m: RegExpExecArray, n: number, mode: 'keep' | 'label', edits: ProposedEdit[]) {
  const [whole, indent, hashes, title] = m as unknown as [string, string, string, string];
  if (!title) return;
  const lineStart = m.index;
  const titleStart = lineStart + whole.indexOf(title, indent.length + hashes.length);
  const titleEnd = titleStart + title.length;
  const tail = lineStart + whole.trimEnd().length;
  if (tail > titleEnd) {
    edits.push({
      ruleId: 'heading.trailing-hashes',
      start: titleEnd,
      end: tail,
      after: '',
      reason: `Closing hashes on the heading at line ${n} repeat the opening ones.`,
    });
  }
  // a title that itself starts like a heading would become one: leave it as it is
  if (mode === 'label' && !/^#{1,6}(?:[ \t]|$)/.test(title)) {
    const group = `heading@${lineStart}`;
    edits.push({
      ruleId: 'heading.label',
      start: lineStart + indent.length,
      end: titleStart,
      after: '',
      group,
      reason: `The heading at line ${n} becomes a short label ("${title}:"); the text around it keeps the structure.`,
    });
    if (!/[:.?!]$/.test(title)) {
      edits.push({
        ruleId: 'heading.label',
        start: titleEnd,
        end: titleEnd,
        after: ':',
        group,
        reason: `Label colon for the heading at line ${n}.`,
      });
    }
  }
}

function hrEdit(text: string, lines: readonly Line[], i: number, edits: ProposedEdit[]): void {
  const prevBlank = i === 0 || isBlankLine(text, lines[i - 1]!);
  const nextBlank = i === lines.length - 1 || isBlankLine(text, lines[i + 1]!);
  const reason = `The horizontal rule at line ${i + 1} is decoration; a blank line separates as well.`;
  if (!prevBlank && !nextBlank) {
    edits.push({ ruleId: 'hr', start: lines[i]!.start, end: lines[i]!.end, after: '', reason });
    return;
  }
  for (const r of lineRemovals(text, lines, [i])) edits.push({ ruleId: 'hr', ...r, after: '', reason });
}

/** Cell padding and the alignment row of the table whose header is line `h`; returns the last line used. */
function tableEdits(
  text: string,
  lines: readonly Line[],
  h: number,
  ctx: StrategyContext,
  edits: ProposedEdit[],
): number {
  let last = h + 1;
  const lineText = (i: number) => text.slice(lines[i]!.start, lines[i]!.end);
  while (last + 1 < lines.length) {
    const next = lines[last + 1]!;
    if (
      ctx.spans.inCode(next.start, Math.max(next.next, next.start + 1)) ||
      !lineText(last + 1).includes('|')
    )
      break;
    // a row followed by an alignment row is the header of the next table
    const after = last + 2 < lines.length ? lineText(last + 2) : '';
    if (
      ALIGN_LINE.test(after) &&
      (after.includes('|') ||
        lineText(last + 1)
          .trim()
          .startsWith('|'))
    )
      break;
    last++;
  }
  const group = `table@${lines[h]!.start}`;
  for (const r of lineRemovals(text, lines, [h + 1])) {
    edits.push({
      ruleId: 'table.alignment-row',
      ...r,
      after: '',
      reason: `The alignment row of the table at line ${h + 1} only tells a renderer how to align cells.`,
    });
  }
  for (let i = h; i <= last; i++) {
    if (i === h + 1) continue;
    const line = lines[i]!;
    const runs = new Map<number, number>();
    let firstVisible = line.start;
    while (firstVisible < line.end && (text[firstVisible] === ' ' || text[firstVisible] === '\t'))
      firstVisible++;
    for (let p = text.indexOf('|', firstVisible); p >= 0 && p < line.end; p = text.indexOf('|', p + 1)) {
      if (text[p - 1] === '\\' || ctx.spans.touches(p, p + 1)) continue;
      let a = p;
      while (a > firstVisible && (text[a - 1] === ' ' || text[a - 1] === '\t')) a--;
      if (a < p) runs.set(a, p);
      let b = p + 1;
      while (b < line.end && (text[b] === ' ' || text[b] === '\t')) b++;
      if (b > p + 1) runs.set(p + 1, b);
    }
    for (const [start, end] of [...runs].sort((x, y) => x[0] - y[0])) {
      edits.push({
        ruleId: 'table.padding',
        start,
        end,
        after: '',
        group,
        reason: `Padding around the cells of the table at line ${h + 1} aligns columns for the eye only.`,
      });
    }
  }
  return last;
}

const NOT_BEFORE_ASTERISK = /[\p{L}\p{N}_*\\]/u;
const NOT_BEFORE_UNDERSCORE = /[\p{L}\p{N}_\\]/u;

function emphasisEdits(
  text: string,
  outside: (a: number, b: number) => boolean,
  lineOf: (offset: number) => number,
  ctx: StrategyContext,
  edits: ProposedEdit[],
): void {
  const taken = new Set<number>();
  const free = (a: number, b: number) => {
    for (let i = a; i < b; i++) if (taken.has(i)) return false;
    return true;
  };
  for (const { ruleId, re, width, name } of EMPHASIS) {
    const notBefore = re.source.startsWith('_') ? NOT_BEFORE_UNDERSCORE : NOT_BEFORE_ASTERISK;
    forEachMatch(re, text, ctx.only, (m) => {
      const open = m.index;
      const close = open + m[0].length - width;
      const prev = text[open - 1];
      const ok =
        !(prev !== undefined && notBefore.test(prev)) &&
        !(ruleId === 'emphasis.strong' && m[0][0] === '_' && /^\w+$/.test(m[1]!)) && // __dunder__
        free(open, open + width) &&
        free(close, close + width) &&
        outside(open, close + width) &&
        !ctx.spans.touches(open, open + width) &&
        !ctx.spans.touches(close, close + width);
      if (!ok) return open + 1;
      for (let i = 0; i < width; i++) taken.add(open + i).add(close + i);
      const group = `emphasis@${open}`;
      const inner = m[1]!.length > 40 ? m[1]!.slice(0, 39) + '…' : m[1];
      const reason = `${name} around "${inner}" on line ${lineOf(open)}: the words stay, the decoration goes.`;
      edits.push({ ruleId, start: open, end: open + width, after: '', group, reason });
      edits.push({ ruleId, start: close, end: close + width, after: '', group, reason });
    });
  }
}
