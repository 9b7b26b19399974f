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

const LETTER = /\p{L}/u;
/** Per UTF-16 code unit: 0 not yet known, 1 a letter, 2 not. */
const LETTERS = new Uint8Array(65536);

/**
 * 0 unless text[start, end) is letters and apostrophes (' and ’) only, as /^[\p{L}'’]+$/u says; then 2 when
 * it is lower-case ASCII and ' only (already in the form the stop list uses), 1 otherwise.
 */
function wordKind(text: string, start: number, end: number): number {
  let kind = 2;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if ((c >= 97 && c <= 122) || c === 39) continue;
      if (c >= 65 && c <= 90) {
        kind = 1;
        continue;
      }
      return 0;
    }
    kind = 1;
    if (c === 0x2019) continue;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        if (!LETTER.test(text.slice(i, i + 2))) return 0;
        i++;
        continue;
      }
    }
    let k = LETTERS[c]!;
    if (k === 0) LETTERS[c] = k = LETTER.test(String.fromCharCode(c)) ? 1 : 2;
    if (k !== 1) return 0;
  }
  return kind;
}

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
    let longest = 0;
    for (const w of stop) longest = Math.max(longest, w.length);
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
      // the words: runs of letters and apostrophes from one space or tab (or line end) to the next, read in
      // place (a regex with a look-behind and a Unicode class, tried at every position, cost the most here)
      for (let start = line.start; start < line.end;) {
        let end = start;
        while (end < line.end && text.charCodeAt(end) !== 32 && text.charCodeAt(end) !== 9) end++;
        // lower-casing never shortens a word, so a longer one is no stop word
        const kind = end > start && end - start <= longest ? wordKind(text, start, end) : 0;
        if (kind > 0) {
          const word = text.slice(start, end);
          const w = kind === 2 ? word : word.toLowerCase().replace(/’/g, "'");
          if (stop.has(w) && !ctx.spans.touches(start, end)) words.push({ start, end, word });
        }
        start = end + 1;
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
          const dropped = i === j ? [`"${words[i]!.word}"`] : words.slice(i, j + 1).map((w) => `"${w.word}"`);
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
