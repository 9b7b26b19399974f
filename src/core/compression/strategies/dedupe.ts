import { z } from 'zod';
import type { Strategy, StrategyContext } from '../strategy';
import { excerpt, lineRemovals, splitLines } from '../text';
import { hashLine, isSpace, markerLength, normaliseUnit, restOf, type Unit } from './dedupeUnits';
import type { ProposedEdit } from '../types';

const options = z.strictObject({
  lines: z.boolean().default(true).describe('Drop lines and bullets that repeat an earlier one'),
  sentences: z.boolean().default(true).describe('Drop sentences that repeat an earlier one'),
  nearDuplicates: z
    .boolean()
    .default(true)
    .describe('Also count as duplicates units that differ only in case, punctuation and spacing'),
  minChars: z
    .number()
    .int()
    .min(1)
    .default(12)
    .describe('Ignore units shorter than this (normalised characters)'),
  structuralRepeats: z
    .number()
    .int()
    .min(0)
    .default(3)
    .describe(
      'A unit occurring this often is template structure (few-shot scaffolding) and stays; 0 turns this off',
    ),
  similarity: z
    .number()
    .min(0)
    .max(1)
    .default(0.92)
    .describe(
      'With a similarity function from the host (embeddings): lines at or above this are near-duplicates',
    ),
});
type Options = z.output<typeof options>;

const HR_LINE = /^[ \t]*(?:[-*_][ \t]*){3,}$/;
/** Sentence ends: . ! ? (then spaces) or 。！？, before a capital or a CJK/Hangul letter. */
const SENTENCE_CUT = /[.!?]+["')\]]*[ \t]+(?=[\p{Lu}\p{Lo}])|[。！？]+[ \t]*(?=[\p{Lu}\p{Lo}])/gu;

/**
 * rules.dedupe: drops lines, bullets and sentences that repeat an earlier one, exactly or after folding case,
 * punctuation and spacing (or, when the host passes `similar`, above a similarity threshold), keeping the
 * first occurrence. Headings, table rows, code and units that recur as template structure are left alone.
 */
export const dedupeStrategy: Strategy<typeof options> = {
  id: 'rules.dedupe',
  label: 'Duplicates',
  description:
    'Drops repeated lines, bullets and sentences, keeping the first occurrence; template lines of few-shot examples stay.',
  lossy: false,
  defaultEnabled: true,
  idempotent: true,
  options,
  run(text, o, ctx) {
    const lines = splitLines(text);
    const raw = (u: Unit) => (u.raw ??= text.slice(u.start, u.end));
    const cuts: Array<[number, number]> = [];
    if (o.sentences) {
      SENTENCE_CUT.lastIndex = 0;
      for (let m = SENTENCE_CUT.exec(text); m; m = SENTENCE_CUT.exec(text)) {
        const ws = m[0].length - m[0].trimEnd().length;
        cuts.push([m.index + m[0].length - ws, m.index + m[0].length]);
      }
    }
    const candidates: Array<{ index: number; unit: Unit; sentences: Unit[] }> = [];
    const lineFreq = new Map<number, number>();
    const sentFreq = new Map<number, number>();
    let c = 0;
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      let first = line.start;
      while (first < line.end && isSpace(text.charCodeAt(first))) first++;
      if (first === line.end) continue;
      const ch = text[first]!;
      if (ch === '|' || (ch === '#' && /^#{1,6}[ \t]/.test(text.slice(first, first + 8)))) continue;
      if ((ch === '-' || ch === '*' || ch === '_') && HR_LINE.test(text.slice(line.start, line.end)))
        continue;
      if (ctx.spans.inCode(line.start, Math.max(line.next, line.start + 1))) continue;
      const from = first + markerLength(text, first, line.end);
      let to = line.end;
      while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
      if (to <= from) continue;
      while (c < cuts.length && cuts[c]![1] <= from) c++;
      const c0 = c;
      while (c < cuts.length && cuts[c]![1] <= to) c++;
      const { unit, sentences } = hashLine(text, from, to, cuts, c0, c, index + 1);
      candidates.push({ index, unit, sentences: o.sentences ? sentences : [] });
      lineFreq.set(unit.hash, (lineFreq.get(unit.hash) ?? 0) + 1);
    }
    const structural = (u: Unit, freq: Map<number, number>) =>
      o.structuralRepeats > 0 && (freq.get(u.hash) ?? 0) >= o.structuralRepeats;
    // sentences are counted as they will be once repeated lines are gone (every copy of a template line, the
    // first copy of any other), so a second run sees the same counts: the strategy is idempotent
    const firstCopy = new Set<number>();
    for (const { unit, sentences } of candidates) {
      if (!structural(unit, lineFreq) && firstCopy.has(unit.hash)) continue;
      firstCopy.add(unit.hash);
      for (const x of sentences) sentFreq.set(x.hash, (sentFreq.get(x.hash) ?? 0) + 1);
    }
    const eligible = (u: Unit, freq: Map<number, number>) => u.size >= o.minChars && !structural(u, freq);
    const same = (a: Unit, b: Unit) =>
      raw(a) === raw(b) || (o.nearDuplicates && normaliseUnit(raw(a)) === normaliseUnit(raw(b)));
    const find = (seen: Map<number, Unit[]>, u: Unit) => seen.get(u.hash)?.find((x) => same(x, u));
    const remember = (seen: Map<number, Unit[]>, u: Unit) => {
      const list = seen.get(u.hash);
      if (!list) seen.set(u.hash, [u]);
      else if (!list.some((x) => raw(x) === raw(u))) list.push(u);
    };

    const seenLines = new Map<number, Unit[]>();
    const seenSentences = new Map<number, Unit[]>();
    const keptLines: Unit[] = [];
    const removedLines: Array<{
      index: number;
      of: Unit;
      exact: boolean;
      kind: 'line' | 'sentence' | 'rest' | 'similar';
    }> = [];
    const edits: ProposedEdit[] = [];
    for (const { index, unit, sentences: sents } of candidates) {
      const lineOk = o.lines && eligible(unit, lineFreq);
      const earlier = lineOk ? find(seenLines, unit) : undefined;
      if (earlier) {
        removedLines.push({ index, of: earlier, exact: raw(earlier) === raw(unit), kind: 'line' });
        continue;
      }
      const similar = lineOk ? similarLine(unit, keptLines, o, ctx, raw) : undefined;
      if (similar) {
        removedLines.push({ index, of: similar, exact: false, kind: 'similar' });
        continue;
      }
      const dropped: Array<{ s: Unit; of: Unit }> = [];
      const kept: Unit[] = [];
      // a sentence may repeat one earlier on the same line; those count only once the line is kept
      const local = new Map<number, Unit[]>();
      for (const s of sents) {
        const of = eligible(s, sentFreq) ? (find(seenSentences, s) ?? find(local, s)) : undefined;
        if (of) dropped.push({ s, of });
        else {
          kept.push(s);
          remember(local, s);
        }
      }
      if (dropped.length > 0 && kept.length === 0) {
        removedLines.push({
          index,
          of: dropped[0]!.of,
          exact: dropped.every((d) => raw(d.of) === raw(d.s)),
          kind: 'sentence',
        });
        continue;
      }
      if (dropped.length > 0) {
        // what is left of the line may now repeat an earlier line
        const rest = restOf(unit, kept.map(raw));
        const again = o.lines && eligible(rest, lineFreq) ? find(seenLines, rest) : undefined;
        if (again) {
          removedLines.push({ index, of: again, exact: false, kind: 'rest' });
          remember(seenLines, unit);
          continue;
        }
        remember(seenLines, rest);
      }
      edits.push(...sentenceEdits(sents, dropped, raw));
      remember(seenLines, unit);
      keptLines.push(unit);
      for (const s of kept) remember(seenSentences, s);
    }
    const ranges = lineRemovals(
      text,
      lines,
      removedLines.map((r) => r.index),
    );
    removedLines.forEach((r, i) => {
      const how =
        r.kind === 'similar'
          ? 'nearly (by meaning)'
          : r.exact
            ? 'word for word'
            : 'apart from case, punctuation and spacing';
      edits.push({
        ruleId:
          r.kind === 'sentence' || r.kind === 'rest'
            ? 'line.sentences'
            : r.kind === 'similar'
              ? 'line.similar'
              : r.exact
                ? 'line.exact'
                : 'line.near',
        ...ranges[i]!,
        after: '',
        reason:
          r.kind === 'sentence'
            ? `Every sentence of line ${r.index + 1} repeats an earlier one (first: line ${r.of.line}, "${excerpt(raw(r.of), 50)}").`
            : r.kind === 'rest'
              ? `Without its repeated sentences, line ${r.index + 1} repeats line ${r.of.line}: "${excerpt(raw(r.of), 50)}".`
              : `Line ${r.index + 1} repeats line ${r.of.line} ${how}: "${excerpt(raw(r.of), 50)}".`,
        duplicateOf: { start: r.of.start, end: r.of.end, line: r.of.line },
      });
    });
    return edits.sort((a, b) => a.start - b.start);
  },
};

function similarLine(
  unit: Unit,
  kept: readonly Unit[],
  o: Options,
  ctx: StrategyContext,
  raw: (u: Unit) => string,
): Unit | undefined {
  if (!ctx.similar) return undefined;
  // the most recent 200 kept lines: enough for a prompt, bounded for a book
  for (let i = kept.length - 1; i >= Math.max(0, kept.length - 200); i--) {
    if (ctx.similar(raw(unit), raw(kept[i]!)) >= o.similarity) return kept[i];
  }
  return undefined;
}

/** Edits that drop sentences of one line: each takes the space after it, or before it at the end of the line. */
function sentenceEdits(
  sents: readonly Unit[],
  dropped: ReadonlyArray<{ s: Unit; of: Unit }>,
  raw: (u: Unit) => string,
): ProposedEdit[] {
  const gone = new Map(dropped.map((d) => [d.s, d.of]));
  const edits: ProposedEdit[] = [];
  let i = 0;
  while (i < sents.length) {
    if (!gone.has(sents[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < sents.length && gone.has(sents[j + 1]!)) j++;
    for (let k = i; k <= j; k++) {
      const s = sents[k]!;
      const of = gone.get(s)!;
      const range =
        j + 1 < sents.length
          ? { start: s.start, end: sents[k + 1]!.start }
          : { start: sents[k - 1]!.end, end: s.end };
      edits.push({
        ruleId: raw(of) === raw(s) ? 'sentence.exact' : 'sentence.near',
        ...range,
        after: '',
        reason: `This sentence repeats one on line ${of.line}${raw(of) === raw(s) ? '' : ' apart from case, punctuation and spacing'}: "${excerpt(raw(of), 50)}".`,
        duplicateOf: { start: of.start, end: of.end, line: of.line },
      });
    }
    i = j + 1;
  }
  return edits;
}
