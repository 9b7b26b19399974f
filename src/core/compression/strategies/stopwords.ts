import { z } from 'zod';
import { GUARDED_EN } from '../guardWords';
import type { Strategy } from '../strategy';
import { splitLines } from '../text';
import type { ProposedEdit } from '../types';

const options = z.strictObject({
  extraStopwords: z.array(z.string()).default([]).describe('More words to drop'),
  keepWords: z.array(z.string()).default([]).describe('Stop words to keep anyway'),
});

/**
 * NLTK's English stop-word list (the one gptrim uses) without negations and modal verbs, which carry the
 * prompt's constraints and are never removed.
 */
const NLTK = (
  "i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves he him " +
  "his himself she she's her hers herself it it's its itself they them their theirs themselves what which who " +
  "whom this that that'll these those am is are was were be been being have has had having do does did doing " +
  'a an the and but if or because as until while of at by for with about against between into through during ' +
  'before after above below to from up down in out on off over under again further then once here there when ' +
  'where why how all any both each few more most other some such own same so than too very s t just now d ll ' +
  'm o re ve y ma'
).split(' ');
const NEVER = new Set<string>([
  ...GUARDED_EN,
  'can',
  'will',
  'should',
  'must',
  'may',
  'might',
  'could',
  'would',
  'shall',
]);

const WORD = /(?<=^|[ \t])[\p{L}'’]+(?=[ \t]|$)/gu;

/**
 * rules.stopwords (lossy, off by default): gptrim-style removal of stop words, the cheap aggressive baseline
 * the LLMLingua papers compare with. Negations and modal verbs stay, and so does anything in a protected
 * span, in code, or in a heading.
 */
export const stopwordsStrategy: Strategy<typeof options> = {
  id: 'rules.stopwords',
  label: 'Stop words (lossy)',
  description:
    'Drops English stop words (articles, pronouns, prepositions), keeping negations and modal verbs. Lossy.',
  lossy: true,
  defaultEnabled: false,
  idempotent: true,
  local: true,
  options,
  run(text, o, ctx) {
    const keep = new Set(o.keepWords.map((w) => w.toLowerCase()));
    const stop = new Set(
      [...NLTK, ...o.extraStopwords.map((w) => w.toLowerCase())].filter((w) => !NEVER.has(w) && !keep.has(w)),
    );
    const edits: ProposedEdit[] = [];
    const only = ctx.only;
    let r = 0;
    splitLines(text).forEach((line, index) => {
      if (only) {
        while (r < only.length && only[r]!.end <= line.start) r++;
        if (r >= only.length || only[r]!.start > line.end) return;
      }
      if (ctx.spans.inCode(line.start, Math.max(line.next, line.start + 1))) return;
      const s = text.slice(line.start, line.end);
      if (/^[ \t]*#{1,6}[ \t]/.test(s)) return;
      const words: Array<{ start: number; end: number; word: string }> = [];
      WORD.lastIndex = 0;
      for (let m = WORD.exec(s); m; m = WORD.exec(s)) {
        const w = m[0].toLowerCase().replace(/’/g, "'");
        const start = line.start + m.index;
        const end = start + m[0].length;
        if (stop.has(w) && !ctx.spans.touches(start, end)) words.push({ start, end, word: m[0] });
      }
      // consecutive stop words (one whitespace run apart) go as one edit, with the whitespace after them
      let i = 0;
      while (i < words.length) {
        let j = i;
        while (j + 1 < words.length && /^[ \t]+$/.test(text.slice(words[j]!.end, words[j + 1]!.start))) j++;
        const a = words[i]!.start;
        const b = words[j]!.end;
        let after = b;
        while (after < line.end && (text[after] === ' ' || text[after] === '\t')) after++;
        let range: { start: number; end: number } | undefined;
        if (after < line.end) range = { start: a, end: after };
        else {
          let before = a;
          while (before > line.start && (text[before - 1] === ' ' || text[before - 1] === '\t')) before--;
          // a line made only of stop words keeps them: an empty line would change the structure
          if (before > line.start && /\S/.test(text.slice(line.start, before)))
            range = { start: before, end: b };
        }
        if (range) {
          const dropped = words.slice(i, j + 1).map((w) => `"${w.word}"`);
          edits.push({
            ruleId: 'stopword',
            ...range,
            after: '',
            reason: `Stop word${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} on line ${index + 1} dropped (lossy, gptrim-style).`,
          });
        }
        i = j + 1;
      }
    });
    return edits;
  },
};
