/**
 * Helpers for the strategies that compare texts by meaning (rules.dedupe with a host similarity,
 * rules.examples): a lexical stand-in for embeddings, and the facts two texts must share before a
 * similarity score may call them the same.
 */
import { guardedWordCounts } from '../guardWords';

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased words of a text, as a set. */
export function wordSet(text: string): Set<string> {
  return new Set(text.toLowerCase().match(WORD) ?? []);
}

/** Jaccard similarity of two word sets in [0, 1] (1 for two empty sets). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const w of small) if (large.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

// numbers with their inner separators (2.1.3, 10:30, 1,000), identifiers that read as code (snake_case,
// camelCase, words with digits) and quoted text: the details a paraphrase keeps and a different rule changes
const FACT =
  /\d+(?:[.,:/]\d+)*|\b[\p{L}\p{N}]*(?:_[\p{L}\p{N}]+|\p{Ll}\p{Lu})[\p{L}\p{N}_]*|"[^"\n]{1,200}"|'[^'\n]{1,200}'|`[^`\n]{1,200}`/gu;
// words whose opposite embeds almost the same ("Airplane Mode is ON" / "OFF": 0.958); ON and OFF only in
// capitals, as switch states, since "on" is mostly a preposition
const SWITCH = /\b(?:ON|OFF)\b/gu;
const POLARITY =
  /\b(?:enabled?|disabled?|higher|lower|more|less|fewer|increase[sd]?|decrease[sd]?|above|below|minimum|maximum|before|after)\b/giu;
// "Term: description" or "Term - description": the term names what the line is about
const LABEL = /^[ \t]*(?:(?:[-*+>]|\d+[.)])[ \t]+)?([^:\n]{1,60}?)(?::[*_]*(?:[ \t]|$)|[ \t][-–—][ \t])/u;

/**
 * What two texts must agree on before a similarity score may call them the same: their numbers,
 * identifiers, quoted text, leading label ("Payment: …"), switch and comparison words (ON/OFF, higher/lower),
 * and how often each negation or modal word occurs (see guardWords.ts). Sentence embeddings score "2 free
 * bags" against "3 free bags", or "If you are able" against "If you are not able", higher than any
 * paraphrase (0.98–0.996 on the tau-bench policies), so the score alone would drop a different rule.
 */
export function factKey(text: string): string {
  const facts = (text.match(FACT) ?? []).map((f) => f.toLowerCase());
  facts.push(...(text.match(SWITCH) ?? []));
  for (const m of text.matchAll(POLARITY)) facts.push(m[0].toLowerCase());
  const label = LABEL.exec(text)?.[1]?.replace(/[*_]/g, '').trim();
  if (label) facts.push(`label:${label.toLowerCase()}`);
  for (const [w, n] of guardedWordCounts(text)) facts.push(`${w}×${n}`);
  return facts.sort().join('\u0000');
}

/**
 * Cosine similarity of sentence embeddings at or above which rules.dedupe (with `byMeaning`) calls two
 * comparable lines the same. Measured with the bundled model by `bench/similarity.bench.ts` on real prompts:
 * the lowest threshold at which no distinct rule of the six agent policies matched an earlier one (see
 * docs/formats/pipeline.md, "Choosing the threshold").
 */
export const DEFAULT_SIMILARITY = 0.92;

/**
 * Word overlap (Jaccard) at or above which two texts that differ are one sentence with a few words
 * swapped ("a silver member" / "a gold member", 0.956 by cosine): the swapped words are the point, and a
 * sentence embedding cannot judge them, so such pairs are not compared by meaning.
 */
export const MAX_WORD_OVERLAP = 0.6;

/**
 * Whether a similarity score may decide that `a` and `b` say the same thing: they agree on their facts
 * ({@link factKey}) and are not near-copies with swapped words ({@link MAX_WORD_OVERLAP}).
 */
export function comparableByMeaning(a: string, b: string, keyA = factKey(a), keyB = factKey(b)): boolean {
  return keyA === keyB && jaccard(wordSet(a), wordSet(b)) < MAX_WORD_OVERLAP;
}
