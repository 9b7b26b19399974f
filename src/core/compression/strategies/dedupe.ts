import { z } from 'zod';
import type { Strategy, StrategyContext } from '../strategy';
import { excerpt, lineRemovals, splitLines } from '../text';
import { HashIds, hashLine, isSpace, markerLength, normaliseUnit, restOf, type Unit } from './dedupeUnits';
import { DEFAULT_SIMILARITY, factKey, jaccard, MAX_WORD_OVERLAP, wordSet } from './similarity';
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
  byMeaning: z
    .boolean()
    .default(false)
    .describe(
      'Also drop lines that say the same as an earlier one in other words (sentence embeddings from the host; the first run embeds every line)',
    ),
  similarity: z
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_SIMILARITY)
    .describe(
      'With byMeaning: lines at or above this similarity are near-duplicates (0.92 measured on real policies, see docs)',
    ),
});
type Options = z.output<typeof options>;

const HR_LINE = /^[ \t]*(?:[-*_][ \t]*){3,}$/;
/** Sentence ends: . ! ? (then spaces) or 。！？, before a capital or a CJK/Hangul letter. */
const SENTENCE_CUT = /[.!?]+["')\]]*[ \t]+(?=[\p{Lu}\p{Lo}])|[。！？]+[ \t]*(?=[\p{Lu}\p{Lo}])/gu;

/**
 * rules.dedupe: drops lines, bullets and sentences that repeat an earlier one, exactly or after folding case,
 * punctuation and spacing (or, with `byMeaning` and the host's `similar`, at or above a similarity threshold),
 * keeping the first occurrence. Headings, table rows, code and units that recur as template structure are
 * left alone.
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
  usesSimilarity: (o) => o.byMeaning && o.lines,
  run(text, o, ctx) {
    const lines = splitLines(text);
    const raw = (u: Unit) => (u.raw ??= text.slice(u.start, u.end));
    // sentence boundaries as pairs (content end, next start), flat
    const cuts: number[] = [];
    if (o.sentences) {
      SENTENCE_CUT.lastIndex = 0;
      for (let m = SENTENCE_CUT.exec(text); m; m = SENTENCE_CUT.exec(text)) {
        const ws = m[0].length - m[0].trimEnd().length;
        cuts.push(m.index + m[0].length - ws, m.index + m[0].length);
      }
    }
    const cutCount = cuts.length / 2;
    const candidates: Array<{ index: number; unit: Unit; sentences: Unit[] }> = [];
    // every distinct hash gets a small id: counts are then typed arrays indexed by it (Maps keyed by 52-bit
    // numbers, asked several times per unit, cost most of the strategy's time)
    const ids = new HashIds();
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
      while (c < cutCount && cuts[2 * c + 1]! <= from) c++;
      const c0 = c;
      while (c < cutCount && cuts[2 * c + 1]! <= to) c++;
      const { unit, sentences } = hashLine(text, from, to, cuts, c0, c, index + 1, ids);
      candidates.push({ index, unit, sentences: o.sentences ? sentences : [] });
    }
    const lineFreq = new Int32Array(ids.size);
    const sentFreq = new Int32Array(ids.size);
    for (const { unit } of candidates) lineFreq[unit.id]!++;
    // ids given later (restOf) lie past the arrays' ends and count 0
    const structural = (u: Unit, freq: Int32Array) =>
      o.structuralRepeats > 0 && (freq[u.id] ?? 0) >= o.structuralRepeats;
    // sentences are counted as they will be once repeated lines are gone (every copy of a template line, the
    // first copy of any other), so a second run sees the same counts: the strategy is idempotent
    const firstCopy = new Uint8Array(ids.size);
    for (const { unit, sentences } of candidates) {
      if (!structural(unit, lineFreq) && firstCopy[unit.id]) continue;
      firstCopy[unit.id] = 1;
      for (const x of sentences) sentFreq[x.id]!++;
    }
    const eligible = (u: Unit, freq: Int32Array) => u.size >= o.minChars && !structural(u, freq);
    const same = (a: Unit, b: Unit) =>
      raw(a) === raw(b) || (o.nearDuplicates && normaliseUnit(raw(a)) === normaliseUnit(raw(b)));
    /** Units remembered so far, by id: each list holds units of one hash, no two with the same text. */
    type Seen = Map<number, Unit[]>;
    const find = (seen: Seen, u: Unit) => seen.get(u.id)?.find((x) => same(x, u));
    const remember = (seen: Seen, u: Unit) => {
      const list = seen.get(u.id);
      if (!list) seen.set(u.id, [u]);
      else if (!list.some((x) => raw(x) === raw(u))) list.push(u);
    };

    const seenLines: Seen = new Map();
    const seenSentences: Seen = new Map();
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
      // a sentence may repeat one earlier on the same line; those count only once the line is kept (a line
      // has few sentences: a list searched in order finds what a Map of lists by id would)
      const local: Unit[] = [];
      for (const s of sents) {
        const of = eligible(s, sentFreq)
          ? (find(seenSentences, s) ?? local.find((x) => x.id === s.id && same(x, s)))
          : undefined;
        if (of) dropped.push({ s, of });
        else {
          kept.push(s);
          if (!local.some((x) => x.id === s.id && raw(x) === raw(s))) local.push(s);
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
        const rest = restOf(unit, kept.map(raw), ids);
        const again = o.lines && eligible(rest, lineFreq) ? find(seenLines, rest) : undefined;
        if (again) {
          removedLines.push({ index, of: again, exact: false, kind: 'rest' });
          remember(seenLines, unit);
          continue;
        }
        remember(seenLines, rest);
      }
      if (dropped.length > 0) edits.push(...sentenceEdits(sents, dropped, raw));
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
  if (!ctx.similar || !o.byMeaning) return undefined;
  const a = meaning(unit, raw);
  // the most recent 200 kept lines: enough for a prompt, bounded for a book
  for (let i = kept.length - 1; i >= Math.max(0, kept.length - 200); i--) {
    const b = meaning(kept[i]!, raw);
    // the score is asked only of lines with the same facts that are not near-copies (see similarity.ts):
    // for the others it cannot tell a paraphrase from a different rule, and those lines are never embedded
    if (a.facts !== b.facts || jaccard(a.words, b.words) >= MAX_WORD_OVERLAP) continue;
    if (ctx.similar(raw(unit), raw(kept[i]!)) >= o.similarity) return kept[i];
  }
  return undefined;
}

const MEANING = new WeakMap<Unit, { facts: string; words: Set<string> }>();
function meaning(u: Unit, raw: (u: Unit) => string) {
  let m = MEANING.get(u);
  if (!m) MEANING.set(u, (m = { facts: factKey(raw(u)), words: wordSet(raw(u)) }));
  return m;
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
