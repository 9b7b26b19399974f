/**
 * Negations and modal words that carry a prompt's constraints. No edit may lower how often any of them
 * occurs: a dropped "not" turns a rule into its opposite.
 */
export const GUARDED_EN = [
  'not',
  'never',
  'no',
  'must',
  'cannot',
  'only',
  'always',
  'none',
  'nor',
  'without',
  'unless',
  'except',
  'neither',
] as const;

/** Korean markers counted as substrings (they live inside longer words: 하지 않는다, 말라, 금지한다). */
export const GUARDED_KO_SUBSTRINGS = ['않', '말', '금지', '반드시', '절대', '못'] as const;
/** Korean markers counted only as whole words. */
export const GUARDED_KO_WORDS = ['안'] as const;

const WORDLIKE = /[\p{L}\p{N}\p{M}]/u;

/** True when the code point at i (either half of a surrogate pair) is a letter, digit or mark. */
function wordlikeAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const start = c >= 0xdc00 && c <= 0xdfff && i > 0 ? i - 1 : i;
  return WORDLIKE.test(String.fromCodePoint(s.codePointAt(start)!));
}

/** English guarded words and n't, case-insensitive; \b is ASCII-only, so non-ASCII neighbours are checked by hand. */
const EN = new RegExp(
  `\\b(?:${[...GUARDED_EN].sort((a, b) => b.length - a.length).join('|')})\\b|n['’]t\\b`,
  'gi',
);

/**
 * Guarded words of `text` with their counts: whole English words (case-insensitive, not inside a longer
 * word), every word ending in n't (key: the whole contraction, e.g. "don't"), the Korean markers as
 * substrings and 안 as a word. One case-insensitive regex with a literal alternation plus indexOf for the
 * Korean markers: tokenising every word with a Unicode regex costs several times more on a long prompt.
 */
export function guardedWordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  // the guards ask this twice per edit, mostly of a few words: skip what cannot match. Every English
  // guarded word holds n, m, w, x or y (the regex folds ASCII case only), every Korean marker a syllable
  const short = text.length < 256;
  let en = !short;
  let ko = !short;
  for (let i = 0; short && i < text.length && !(en && ko); i++) {
    const c = text.charCodeAt(i);
    const lower = c | 32;
    if (lower === 110 || lower === 109 || lower === 119 || lower === 120 || lower === 121) en = true;
    else if (c >= 0xac00 && c <= 0xd7a3) ko = true;
  }
  EN.lastIndex = 0;
  for (let m = en ? EN.exec(text) : null; m; m = EN.exec(text)) {
    const i = m.index;
    const end = i + m[0].length;
    if (wordlikeAt(text, end)) continue;
    if (m[0].length === 3 && (m[0][1] === "'" || m[0][1] === '’')) {
      // n't: the whole contraction is the key (don't, won't, isn't)
      let s = i;
      while (s > 0 && i - s < 20 && wordlikeAt(text, s - 1)) s--;
      if (s < i) add(text.slice(s, end).toLowerCase().replace('’', "'"));
      continue;
    }
    if (wordlikeAt(text, i - 1)) continue;
    // "no's", "only'": a possessive or contraction is a different word
    if ((text[end] === "'" || text[end] === '’') && wordlikeAt(text, end + 1)) continue;
    add(m[0].toLowerCase());
  }
  if (!ko) return counts;
  for (const k of GUARDED_KO_SUBSTRINGS) {
    for (let i = text.indexOf(k); i >= 0; i = text.indexOf(k, i + k.length)) add(k);
  }
  for (const k of GUARDED_KO_WORDS) {
    for (let i = text.indexOf(k); i >= 0; i = text.indexOf(k, i + 1)) {
      if (!wordlikeAt(text, i - 1) && !wordlikeAt(text, i + k.length)) add(k);
    }
  }
  return counts;
}

/** Guarded words that occur fewer times in `after` than in `before`, with how many are missing. */
export function missingGuardWords(before: string, after: string): Array<{ word: string; missing: number }> {
  const b = guardedWordCounts(before);
  if (b.size === 0) return [];
  const a = guardedWordCounts(after);
  const out: Array<{ word: string; missing: number }> = [];
  for (const [word, n] of b) {
    const have = a.get(word) ?? 0;
    if (have < n) out.push({ word, missing: n - have });
  }
  return out;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}'’_]/u;
/** WORD_CHAR per UTF-16 code unit: 0 not yet known, 1 yes, 2 no (it is asked for every edit's neighbours). */
const WORD_CHARS = new Uint8Array(65536);

function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  let k = WORD_CHARS[c]!;
  if (k === 0) WORD_CHARS[c] = k = WORD_CHAR.test(text[i]!) ? 1 : 2;
  return k === 1;
}

// 64 characters is longer than any guarded word, and keeps edits inside a giant "word" linear
function wordStart(text: string, start: number): number {
  let s = start;
  while (s > 0 && start - s < 64 && isWordChar(text, s - 1)) s--;
  return s;
}

function wordEnd(text: string, end: number): number {
  let e = end;
  while (e < text.length && e - end < 64 && isWordChar(text, e)) e++;
  return e;
}

/**
 * The edit widened to whole words on both sides, before and after: an edit that cuts or joins a word is
 * judged by the words it leaves (deleting the "t" of "not" removes a "not").
 */
export function wordContext(
  text: string,
  start: number,
  end: number,
  after: string,
): { before: string; after: string } {
  const s = wordStart(text, start);
  const e = wordEnd(text, end);
  return { before: text.slice(s, e), after: text.slice(s, start) + after + text.slice(end, e) };
}

/**
 * missingGuardWords of the edit's wordContext, which is built only when its words could hold a guarded
 * word: most edits touch none, and the guards ask for every edit.
 */
export function missingGuardWordsAt(
  text: string,
  start: number,
  end: number,
  after: string,
): Array<{ word: string; missing: number }> {
  const s = wordStart(text, start);
  const e = wordEnd(text, end);
  if (!mayHoldGuardedWord(text, s, e)) return [];
  return missingGuardWords(text.slice(s, e), text.slice(s, start) + after + text.slice(end, e));
}

/**
 * False when text[start, end) cannot hold a guarded word: every English one has an n, m, w, x or y (the
 * regex folds ASCII case only), every Korean marker is a Hangul syllable.
 */
function mayHoldGuardedWord(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 32;
    if (lower === 110 || lower === 109 || lower === 119 || lower === 120 || lower === 121) return true;
    if (c >= 0xac00 && c <= 0xd7a3) return true;
  }
  return false;
}
