import { guardedWordCounts } from '../guardWords';

/**
 * Reading the fields out of a prose description of an answer ("the name of the product, a short summary of
 * the review, and whether the sentiment is positive or negative") and writing them back as a compact
 * structure. Used by structured.output. English only, and deliberately conservative: one item it cannot read
 * as a field makes the whole list unreadable, so a sentence is either rewritten faithfully or left alone.
 */

/** What a field holds, as far as the prose says. */
export type FieldType =
  | { kind: 'string' }
  | { kind: 'list' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: string[] };

export interface OutputField {
  /** snake_case key derived from the phrase, e.g. `product_name`. */
  key: string;
  type: FieldType;
}

const DETERMINERS = new Set(
  'the a an your my our their his her its this that these those each every any both either one'.split(' '),
);
/** Quantities that make the field a list. */
const PLURAL_QUANTITIES = new Set(
  'two three four five six seven eight nine ten twelve several few many multiple some all'.split(' '),
);
const LIST_HEADS = new Set(['list', 'set', 'array', 'series']);
/** Heads that name an attribute of what follows "of": "the name of the product" → product_name. */
const ATTRIBUTE_HEADS = new Set(
  'name title type kind category number count amount total price cost id date time level score rating age size year'.split(
    ' ',
  ),
);
const NUMERIC_HEADS = new Set('number count amount total price cost score rating age size year'.split(' '));
/** Words that end the head noun phrase: prepositions, relative words, pronouns, auxiliaries. */
const CUT = new Set(
  (
    'of for from about that which who whom whose when where why how if whether to in on at with by as or than ' +
    'i you we they he she it me us them is are was were be been will would should could can may might must ' +
    'do does did has have had so because while per into onto via over under after before during within ' +
    'without between across through like such including then'
  ).split(' '),
);
/** Adjectives that describe the form of a field rather than name it ("a short summary" → summary). */
const ADJECTIVES = new Set(
  (
    'short brief concise detailed precise clear simple single final overall main full complete quick good ' +
    'helpful friendly small little best suggested recommended possible relevant specific appropriate proper ' +
    'correct exact new few short-form one-line one-sentence high low key clean readable compelling'
  ).split(' '),
);
/** Word endings of adjectives: an item that is one such bare word ("photorealistic") describes, not names. */
const ADJECTIVE_ENDING = /(?:ic|al|ive|ful|ous|able|ible|less|ish|ed|ly)$/;
const PRONOUNS = new Set('it this that they these those he she you i we'.split(' '));
/** "you've learned", "it's": a clause starts, the noun phrase has ended. */
const CONTRACTION = /^(?:i|you|we|they|he|she|it|that|there)['’]/;
/** Items about the form of the answer, not a part of it ("clean Markdown", "a rigorous tone"). */
const FORM_WORDS =
  /\b(?:markdown|json|yaml|xml|html|csv|format|formatting|tone|style|voice|prose|paragraphs?|sentences?|bullet points?)\b/i;
/** Words that open an item naming a part of the answer: "the …", "your …", "three …", "whether …". */
const OPENERS =
  /^(?:the|a|an|your|its|their|each|every|one|two|three|four|five|six|seven|eight|nine|ten|several|whether|if)\s/i;
const WORD = /^[\p{L}][\p{L}\p{N}'’-]*$/u;
/** Words of a qualifier that may be dropped from a key before the field no longer says what it holds. */
const MAX_DROPPED_WORDS = 3;

const isPlural = (w: string) => w.length > 3 && w.endsWith('s') && !/(?:ss|us|is|ics)$/.test(w);
const keyOf = (words: readonly string[]) =>
  words
    .map((w) => w.toLowerCase().replace(/['’-]/g, '_'))
    .join('_')
    .replace(/_+/g, '_');

interface NounPhrase {
  head: string[];
  /** Words after the head (the qualifier the key leaves out), starting with the word that cut it. */
  rest: string[];
  list: boolean;
  hadDeterminer: boolean;
}

function nounPhrase(words: readonly string[]): NounPhrase | undefined {
  let i = 0;
  let list = false;
  let hadDeterminer = false;
  for (; i < words.length; i++) {
    const w = words[i]!.toLowerCase();
    if (DETERMINERS.has(w)) hadDeterminer = true;
    else if (PLURAL_QUANTITIES.has(w)) list = true;
    else if (w === 'of' && i > 0 && words[i - 1]!.toLowerCase() === 'few') continue;
    else break;
  }
  const head: string[] = [];
  for (; i < words.length; i++) {
    const w = words[i]!;
    const lower = w.toLowerCase();
    if (CUT.has(lower) || PRONOUNS.has(lower) || CONTRACTION.test(lower)) break;
    if (head.length > 0 && /ing$/.test(lower) && !ADJECTIVES.has(lower)) break;
    if (!WORD.test(w)) return undefined;
    head.push(w);
  }
  const rest = words.slice(i);
  // adjectives and adverbs before the head noun say how, not what
  while (head.length > 1 && (ADJECTIVES.has(head[0]!.toLowerCase()) || /ly$/.test(head[0]!.toLowerCase())))
    head.shift();
  // a field is named in a few words; a longer run is a clause the cuts did not catch
  if (head.length === 0 || head.length > 3) return undefined;
  return { head, rest, list, hadDeterminer };
}

/** A field read from one item of the list, or undefined when the item does not read as one. */
function parseItem(phrase: string): OutputField | undefined {
  const words = phrase.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 14) return undefined;
  const first = words[0]!.toLowerCase();
  if (first === 'whether' || first === 'if') return whetherField(words.slice(1));
  if (/^(?:what|how|why|which|who|when|where)$/.test(first)) return undefined;
  const np = nounPhrase(words);
  if (!np) return undefined;
  let { head, rest, list } = np;
  const last = head[head.length - 1]!.toLowerCase();
  if (LIST_HEADS.has(last) && rest[0]?.toLowerCase() === 'of') {
    const inner = nounPhrase(rest.slice(1));
    if (!inner) return undefined;
    ({ head, rest } = inner);
    list = true;
  } else if (ATTRIBUTE_HEADS.has(last) && rest[0]?.toLowerCase() === 'of') {
    const owner = nounPhrase(rest.slice(1));
    if (!owner) return undefined;
    if (owner.rest.length > MAX_DROPPED_WORDS) return undefined;
    const key = keyOf([...owner.head.slice(-2), last]);
    return { key, type: { kind: NUMERIC_HEADS.has(last) ? 'number' : 'string' } };
  }
  if (rest.length > MAX_DROPPED_WORDS) return undefined;
  const h = head.slice(-3);
  const tail = h[h.length - 1]!.toLowerCase();
  if (h.length === 1 && !np.hadDeterminer && !ATTRIBUTE_HEADS.has(tail) && ADJECTIVE_ENDING.test(tail))
    return undefined;
  if (h.every((w) => ADJECTIVES.has(w.toLowerCase()))) return undefined;
  const type: FieldType = NUMERIC_HEADS.has(tail)
    ? { kind: 'number' }
    : list || isPlural(tail)
      ? { kind: 'list' }
      : { kind: 'string' };
  return { key: keyOf(h), type };
}

/** "whether the sentiment is positive or negative" → sentiment: "positive" | "negative". */
function whetherField(words: readonly string[]): OutputField | undefined {
  const copula = words.findIndex((w) => /^(?:is|are|was|were)$/i.test(w));
  if (copula <= 0) return undefined;
  const subject = nounPhrase(words.slice(0, copula));
  if (!subject || subject.rest.length > 0) return undefined;
  const predicate = words.slice(copula + 1);
  const values = predicate
    .join(' ')
    .split(/\s*,\s*|\s+or\s+/)
    .map((v) => v.replace(/^(?:a|an|the)\s+/i, '').trim())
    .filter(Boolean);
  if (values.length >= 2) {
    if (values.some((v) => v.split(' ').length > 3 || !v.split(' ').every((w) => WORD.test(w))))
      return undefined;
    const yesNo =
      values.length === 2 && /^(?:true\|false|false\|true|yes\|no|no\|yes)$/i.test(values.join('|'));
    return {
      key: keyOf(subject.head.slice(-2)),
      type: yesNo ? { kind: 'boolean' } : { kind: 'enum', values },
    };
  }
  const np = nounPhrase(predicate);
  if (!np || np.head.length > 2 || np.rest.length > MAX_DROPPED_WORDS) return undefined;
  return { key: keyOf(['is', ...np.head]), type: { kind: 'boolean' } };
}

/** Things that are already a structure or point at one: such a list is not prose to rewrite. */
const ALREADY_STRUCTURED =
  /^(?:(?:a|an|the|only|just|valid)\s+)*(?:json|yaml|xml|csv|markdown|tsv|html|these lines|the following|this format|following|one of|either|yes\b|no\b|true|false|[`{[<"'“…])/i;

/**
 * The fields a prose list names, or undefined when any item does not read as a field. Items are separated by
 * commas, semicolons and "and"; a "whether …" item keeps its "or" alternatives as an enumeration.
 */
export function parseFieldList(list: string, opts: { opener?: boolean } = {}): OutputField[] | undefined {
  let body = list.trim();
  if (body === '' || body.endsWith(':') || ALREADY_STRUCTURED.test(body)) return undefined;
  // a semicolon joins clauses ("return X to clients; log Y"), not fields; and constraints stay prose
  if (body.includes(';') || FORM_WORDS.test(body) || guardedWordCounts(body).size > 0) return undefined;
  // "a list with the title, the author and the year": the wrapper names the container, not a field
  body = body.replace(
    /^(?:a|an|one)\s+(?:[\p{L}-]+\s+){0,2}?(?:list|table|summary|report|object|record|set)\s+(?:with|containing|including|that (?:includes|contains))\s+/iu,
    '',
  );
  const items: string[] = [];
  for (const part of body.split(/\s*,\s*/)) {
    const p = part.replace(/^(?:and|or|as well as|plus|also|then)\s+/i, '').trim();
    if (p === '') continue;
    if (/^(?:whether|if)\b/i.test(p)) items.push(p);
    else items.push(...p.split(/\s+(?:and|as well as|plus|&)\s+/i));
  }
  if (items.length === 0 || items.length > 12) return undefined;
  // "reply with folk wisdom and home remedies" names content, "reply with your diagnosis and …" names parts
  if (opts.opener && !OPENERS.test(items[0]!)) return undefined;
  const fields: OutputField[] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const f = parseItem(item.trim());
    if (!f) return undefined;
    const n = (seen.get(f.key) ?? 0) + 1;
    seen.set(f.key, n);
    fields.push(n === 1 ? f : { ...f, key: `${f.key}_${n}` });
  }
  return fields;
}

const jsonType = (t: FieldType): string =>
  t.kind === 'enum'
    ? t.values.map((v) => JSON.stringify(v)).join(' | ')
    : t.kind === 'list'
      ? 'string[]'
      : t.kind;

const lineValue = (t: FieldType): string =>
  t.kind === 'enum'
    ? t.values.join(' | ')
    : t.kind === 'list'
      ? '…, …'
      : t.kind === 'number'
        ? '<number>'
        : t.kind === 'boolean'
          ? 'yes | no'
          : '…';

/** `{"product_name": string, "sentiment": "positive" | "negative"}`: a schema a model reads at a glance. */
export function renderJsonSchema(fields: readonly OutputField[]): string {
  return `{${fields.map((f) => `"${f.key}": ${jsonType(f.type)}`).join(', ')}}`;
}

/** One `key: value` line per field. */
export function renderKeyLines(fields: readonly OutputField[]): string {
  return fields.map((f) => `${f.key}: ${lineValue(f.type)}`).join('\n');
}

/**
 * A max_tokens for the compact answer: per field its key and punctuation (about a token per four characters
 * plus four), and a value budget (`tokensPerField` for text, three times that for a list, a few tokens for a
 * number, a yes/no or one of the enumerated values), plus ten for the braces; rounded up to ten.
 */
export function estimateMaxTokens(fields: readonly OutputField[], tokensPerField: number): number {
  let total = 10;
  for (const f of fields) {
    const value =
      f.type.kind === 'string'
        ? tokensPerField
        : f.type.kind === 'list'
          ? 3 * tokensPerField
          : f.type.kind === 'enum'
            ? Math.max(...f.type.values.map((v) => Math.ceil(v.length / 3))) + 2
            : 4;
    total += Math.ceil(f.key.length / 4) + 4 + value;
  }
  return Math.ceil(total / 10) * 10;
}
