import { z } from 'zod';
import { guardEdits } from '../guards';
import type { Strategy, StrategyContext } from '../strategy';
import { excerpt, lineRemovals, splitLines, type Line } from '../text';
import type { ProposedEdit, Range } from '../types';
import { detectExamples, type ExampleBlock } from './examplesDetect';
import { jaccard, wordSet } from './similarity';

const options = z.strictObject({
  keep: z.number().int().min(1).default(3).describe('Examples to keep in each set of few-shot examples'),
  byMeaning: z
    .boolean()
    .default(true)
    .describe(
      'Compare examples by meaning (sentence embeddings) when the host has them; by shared words otherwise',
    ),
});

/**
 * rules.examples (lossy, off by default): few-shot pruning. In each set of sibling examples (see
 * examplesDetect.ts) it keeps `keep` of them chosen for coverage: the first, then again and again the one
 * least like every example kept so far (greedy farthest point), by the host's similarity or by shared words.
 * Each other example is one edit, so its `tokensSaved` is what dropping that example saves, and its reason
 * names the kept example closest to it. Each removal deletes the whole example (`dropsUnit`: the numbers,
 * quotes and negations inside it go with it, and the guard report counts them); an example whose range would
 * cut through protected text reaching outside it (a code block that continues) is kept and counts toward
 * `keep`, which also keeps the strategy idempotent.
 */
export const examplesStrategy: Strategy<typeof options> = {
  id: 'rules.examples',
  label: 'Few-shot examples',
  description:
    'Keeps a few few-shot examples chosen for coverage (the most different ones) and drops the rest, with the tokens each one costs.',
  lossy: true,
  defaultEnabled: false,
  idempotent: true,
  options,
  usesSimilarity: (o) => o.byMeaning,
  run(text, o, ctx) {
    const sets = detectExamples(text, ctx.spans);
    if (sets.length === 0) return [];
    const lines = splitLines(text);
    const edits: ProposedEdit[] = [];
    const stuck: string[] = [];
    for (const set of sets) {
      const { blocks } = set;
      if (blocks.length <= o.keep) continue;
      const pinned = blocks.map((b, i) => i > 0 && !removable(text, lines, b, ctx));
      const similar = similarity(blocks, o.byMeaning ? ctx.similar : undefined);
      const kept = choose(blocks.length, o.keep, pinned, similar.score);
      const removed = blocks.map((_, i) => i).filter((i) => !kept.includes(i));
      if (removed.length === 0) {
        stuck.push(`${blocks.length} examples from line ${blocks[0]!.first + 1}`);
        continue;
      }
      const ranges = blockRanges(
        text,
        lines,
        removed.map((i) => blocks[i]!),
      );
      removed.forEach((r, k) => {
        const by = nearest(r, kept, similar.score);
        const b = blocks[r]!;
        edits.push({
          ruleId: `example.${set.kind}`,
          ...ranges[k]!,
          after: '',
          // the whole example goes, numbers and negations in it included: that is what pruning means
          dropsUnit: true,
          reason:
            `Example ${r + 1} of ${blocks.length} ("${excerpt(b.text, 40)}") is closest to example ${by.index + 1}, ` +
            `which stays (${similar.how} ${by.score.toFixed(2)}); ${kept.length} examples kept for coverage.`,
          duplicateOf: {
            start: lines[blocks[by.index]!.first]!.start,
            end: lines[blocks[by.index]!.first]!.start + blocks[by.index]!.text.length,
            line: blocks[by.index]!.first + 1,
          },
        });
      });
    }
    if (edits.length === 0 && stuck.length > 0) {
      ctx.fail?.({
        code: 'EXAMPLES_PROTECTED',
        message: `No example could go (${stuck.join('; ')}): each one beyond the first would cut through protected text that reaches outside it.`,
      });
    }
    return edits.sort((a, b) => a.start - b.start);
  },
};

/** Whether the guards would let the example go on its own (the same check the pipeline applies). */
function removable(text: string, lines: readonly Line[], block: ExampleBlock, ctx: StrategyContext): boolean {
  const [range] = blockRanges(text, lines, [block]);
  return guardEdits(text, [{ ...range!, after: '', dropsUnit: true }], ctx.spans).blocked.length === 0;
}

/** One deletion per block: its lines, with the blank-line handling of lineRemovals. */
function blockRanges(text: string, lines: readonly Line[], blocks: readonly ExampleBlock[]): Range[] {
  const indices = blocks.flatMap((b) => Array.from({ length: b.last - b.first + 1 }, (_, k) => b.first + k));
  const ranges = lineRemovals(text, lines, indices);
  let at = 0;
  return blocks.map((b) => {
    const mine = ranges.slice(at, (at += b.last - b.first + 1));
    return { start: mine[0]!.start, end: mine[mine.length - 1]!.end };
  });
}

/**
 * Similarity of two examples of a set. Lines every example shares (the "Let's think step by step" of a
 * chain-of-thought template) are left out: they say nothing about what an example covers.
 */
function similarity(
  blocks: readonly ExampleBlock[],
  similar: ((a: string, b: string) => number) | undefined,
): { score: (i: number, j: number) => number; how: string } {
  const linesOf = blocks.map((b) => b.text.split('\n').map((l) => l.trim()));
  const common = new Set(linesOf[0]!.filter((l) => linesOf.every((ls) => ls.includes(l))));
  const content = linesOf.map((ls) => ls.filter((l) => l !== '' && !common.has(l)).join('\n'));
  const memo = new Map<number, number>();
  const n = blocks.length;
  const score = (i: number, j: number) => {
    const key = Math.min(i, j) * n + Math.max(i, j);
    let s = memo.get(key);
    if (s === undefined) {
      s = similar ? similar(content[i]!, content[j]!) : jaccard(wordSet(content[i]!), wordSet(content[j]!));
      memo.set(key, s);
    }
    return s;
  };
  return { score, how: similar ? 'similarity by meaning' : 'shared words' };
}

/**
 * Greedy farthest point: the first example and the pinned ones, then the example whose highest similarity
 * to anything kept is lowest, until `keep` are kept. Ties go to the earlier example, so the choice is
 * deterministic.
 */
function choose(
  n: number,
  keep: number,
  pinned: readonly boolean[],
  score: (i: number, j: number) => number,
) {
  const kept = [0, ...pinned.flatMap((p, i) => (p ? [i] : []))];
  while (kept.length < keep) {
    let best = -1;
    let bestScore = Infinity;
    for (let i = 1; i < n; i++) {
      if (kept.includes(i)) continue;
      const s = Math.max(...kept.map((j) => score(i, j)));
      if (s < bestScore) [best, bestScore] = [i, s];
    }
    kept.push(best);
  }
  return kept.sort((a, b) => a - b);
}

/** The kept example most like `i` (the earlier one on a tie). */
function nearest(i: number, kept: readonly number[], score: (i: number, j: number) => number) {
  let index = kept[0]!;
  for (const j of kept) if (score(i, j) > score(i, index)) index = j;
  return { index, score: score(i, index) };
}
