import { z } from 'zod';
import type { Strategy } from '../strategy';
import { excerpt, lineNumberer } from '../text';
import type { ProposedEdit } from '../types';
import { classifyBlocks } from './cacheBlocks';

const options = z.strictObject({
  unit: z
    .enum(['auto', 'paragraph', 'section', 'line'])
    .default('auto')
    .describe(
      'What moves: Markdown sections (heading to heading), paragraphs or single lines; auto: sections when the text has headings, else paragraphs',
    ),
  dates: z.boolean().default(true).describe('Count dates and times as dynamic content'),
  markers: z
    .array(z.string())
    .default([])
    .describe('Extra phrases that mark a block as dynamic (case-insensitive), e.g. "Current user:"'),
  minGainChars: z
    .number()
    .int()
    .min(0)
    .default(200)
    .describe('Propose a move only when the static prefix grows by at least this many characters'),
});

/**
 * cache.reorder (a suggestion): a prompt cache serves the longest prefix that is the same on every request,
 * so dynamic content (template variables, dates, times, ids, user lines, the markers) early in a prompt
 * makes everything after it full price. This proposes moving the static blocks that follow the first
 * dynamic block up in front of it, keeping their order. A move is one group: the insertion before the
 * dynamic block and the deletion of each run of moved blocks, applied together or not at all.
 *
 * Only blocks without protected text and without negations move: the guards keep protected spans in place
 * and in order, and never let an edit delete a "not", so such blocks stay, and the reason says how far the
 * prefix would grow if they were moved by hand. Order can change how a model reads a prompt, hence a
 * proposal, off by default. Running it on its own output proposes nothing: no movable static block is
 * left after the first dynamic one.
 */
export const cacheReorderStrategy: Strategy<typeof options> = {
  id: 'cache.reorder',
  label: 'Cache-friendly order (proposal)',
  description:
    'Proposes moving static blocks before the first dynamic content (variables, dates, names) so the prefix a prompt cache can serve grows.',
  lossy: false,
  defaultEnabled: false,
  kind: 'suggestion',
  idempotent: true,
  options,
  run(text, o, ctx) {
    if (text.trim() === '') return [];
    const { blocks, unit, sectionStarts } = classifyBlocks(text, o.unit, ctx.spans, o);
    const first = blocks.findIndex((b) => b.dynamic);
    if (first < 0) return [];
    const gapBefore = (i: number) => text.slice(blocks[i - 1]!.end, blocks[i]!.start);
    // blocks keep their separators: a moved paragraph stays a paragraph
    const gap = first > 0 ? gapBefore(first) : unit === 'line' ? '\n' : '\n\n';
    const moved: number[] = [];
    let stuckChars = 0;
    let stuck = 0;
    for (let i = first + 1; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.barrier) break;
      if (b.dynamic) continue;
      if (b.movable) moved.push(i);
      else {
        stuck++;
        stuckChars += b.end - b.start + gap.length;
      }
    }
    if (moved.length === 0) return [];
    const movedText = moved.map((i) => text.slice(blocks[i]!.start, blocks[i]!.end)).join(gap);
    const inserted = first > 0 ? gap + movedText : movedText + gap;
    if (inserted.length < Math.max(1, o.minGainChars)) return [];

    const dyn = blocks[first]!.dynamic!;
    const before = dyn.offset;
    const after = before + inserted.length;
    const lineOf = lineNumberer(text);
    const group = `reorder@${blocks[first]!.start}`;
    const note =
      'A proposal: order can change how a model reads a prompt; check the answers (benchmark) before keeping it.';
    const suggestion = { prefixChars: { before, after }, note };
    const staying =
      stuck === 0
        ? ''
        : ` ${stuck} other static block${stuck === 1 ? '' : 's'} stay${stuck === 1 ? 's' : ''} after it: ${stuck === 1 ? 'it holds' : 'they hold'} protected text (numbers, quotes, placeholders, code) or negations, which the pipeline never moves; moved by hand, the prefix would reach ${after + stuckChars} characters.`;
    const edits: ProposedEdit[] = [
      {
        ruleId: 'move.insert',
        ...(first > 0
          ? { start: blocks[first - 1]!.end, end: blocks[first - 1]!.end }
          : { start: blocks[0]!.start, end: blocks[0]!.start }),
        after: inserted,
        group,
        reason: `Proposal: ${moved.length} static block${moved.length === 1 ? '' : 's'} (${movedText.length} characters, from line ${lineOf(blocks[moved[0]!]!.start)}) move${moved.length === 1 ? 's' : ''} in front of the first dynamic content (line ${lineOf(dyn.offset)}: "${excerpt(dyn.text, 40)}"), so the prefix a prompt cache can serve grows from ${before} to ${after} characters.${staying} ${note}`,
        suggestion,
      },
    ];
    for (const [i, j] of runs(moved)) {
      const range =
        j + 1 < blocks.length
          ? { start: blocks[i]!.start, end: blocks[j + 1]!.start }
          : { start: blocks[i - 1]!.end, end: blocks[j]!.end };
      // one deletion per section: the pipeline counts tokens per section and maps each section's start
      // through the edits, which holds only when no edit spans a section start
      const cuts = sectionStarts.filter((at) => at > range.start && at < range.end);
      let from = range.start;
      for (const to of [...cuts, range.end]) {
        edits.push({
          ruleId: 'move.remove',
          start: from,
          end: to,
          after: '',
          group,
          reason: `Proposal: moved in front of the first dynamic content (line ${lineOf(dyn.offset)}), with the rest of its group.`,
          suggestion,
        });
        from = to;
      }
    }
    return edits;
  },
};

/** Consecutive indices as [first, last] runs. */
function runs(indices: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const i of indices) {
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}
