import { z } from 'zod';
import { guardedWordCounts, missingGuardWords } from '../guardWords';
import type { Strategy, StrategyContext } from '../strategy';
import { excerpt, splitLines, type Line } from '../text';
import type { ProposedEdit } from '../types';
import {
  estimateMaxTokens,
  parseFieldList,
  renderJsonSchema,
  renderKeyLines,
  type OutputField,
} from './outputFields';

const options = z.strictObject({
  format: z
    .enum(['json', 'lines'])
    .default('json')
    .describe('Ask for a JSON object with a schema, or for one "key: value" line per field'),
  minFields: z
    .number()
    .int()
    .min(1)
    .max(12)
    .default(2)
    .describe('Propose only when the prose names at least this many fields'),
  tokensPerField: z
    .number()
    .int()
    .min(1)
    .max(4000)
    .default(40)
    .describe('Tokens budgeted per free-text field when suggesting max_tokens (three times that for a list)'),
  dropProseStyle: z
    .boolean()
    .default(true)
    .describe(
      'Also drop a following sentence that asks for prose ("Please write it in a friendly paragraph.")',
    ),
});
type Options = z.output<typeof options>;

/** "I want you to only", "you should", "just": what may stand before the verb of a reply instruction. */
const SUBJECT = String.raw`(?:(?:i (?:want|would like|'d like) you to|you (?:should|will|must|need to|are to|shall|have to)|you'll|please|kindly|just|simply|always|only|and)\s+)*`;
/** Instructions that introduce the fields of the answer; `clause`: may also start after a comma. */
const LEADS: ReadonlyArray<{ re: RegExp; clause: boolean }> = [
  {
    re: new RegExp(
      String.raw`${SUBJECT}(?:respond|reply|answer)(?:\s+(?:only|just))?\s+with(?:\s+(?:only|just))?\s+`,
      'iy',
    ),
    clause: true,
  },
  {
    re: /(?:(?:please|also)\s+)?(?:your|the|each|every)\s+(?:final\s+)?(?:answer|response|reply|output|result)s?\s+(?:should|must|will|needs? to|has to|shall|is to)\s+(?:always\s+)?(?:include|contain|consist of|list|provide|give|state|cover|have)\s+/iy,
    clause: false,
  },
  {
    re: /in\s+(?:your|the|each|every)\s+(?:answer|response|reply|output)s?,?\s+(?:please\s+|you\s+(?:should|must|will)\s+|always\s+)?(?:include|provide|give|list|state|mention)\s+/iy,
    clause: false,
  },
  { re: /(?:please\s+)?(?:return|output)(?:\s+(?:only|just))?\s+/iy, clause: false },
  {
    re: /(?:please\s+)?format\s+(?:your|the)\s+(?:answer|response|reply|output)\s+(?:as|with|like)\s+/iy,
    clause: false,
  },
];
/** `Output: …` lines: the label stays, what follows it is the list. */
const LABEL = /(?:output|response|answer|result)(?:\s+format)?[ \t]*:[ \t]*/iy;
/** Lines before a label that make it part of a worked example (Input: … / Output: …), not an instruction. */
const EXAMPLE_LINE = /^[ \t]*(?:[-*+][ \t]+)?(?:input|example|question|q|user|text|sentence)\b[^:\n]{0,20}:/i;
const TRIGGER = /\b(?:respond|reply|answer|return|output|response|result|format)\b/i;
const SKIP_LINE = /^[ \t]*(?:#|\||```|~~~)/;
const MARKER = /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?/;
/** Sentence ends: . ! ? before spaces and a capital, a quote or a bracket, or at the end of the line. */
const SENTENCE_END = /[.!?]+(?=[ \t]+["“(\p{Lu}]|[ \t]*$)/gu;
/**
 * Formatting tails that stay after the rewritten list ("… inside one unique code block, and nothing
 * else"): the list ends where one of them covers the rest of the sentence.
 */
const TAIL =
  /^(?:,?\s*(?:and\s+)?nothing else|,?\s*(?:inside|in|within|as|using)\s+(?:(?:a|an|one|the|your|this|that|single|unique|plain)\s+)*(?:[\p{L}-]+,?\s+){0,3}(?:code block|block|paragraph|sentence|line|format|list|table|message|reply|response|answer|json|markdown)s?)(?:,?\s*(?:and\s+)?nothing else)?\s*$/iu;
/** A sentence asking for prose, which a structured answer replaces. */
const STYLE =
  /^(?:please\s+)?(?:write|format|present|put|phrase|deliver|give)\s+(?:it|this|them|that|your\s+(?:answer|response|reply|output))\s+(?:in|as)\s+(?:a|an|one|the form of an?)?\s*(?:[\p{L}-]+[ \t]+){0,3}(?:paragraph|paragraphs|prose|essay|text|sentences?|story|letter|narrative|email)\b[^.!?]{0,80}[.!?]*$/iu;
/** Words of a clause that show its negation or modal word is about the form of the answer. */
const FORMAT_WORDS =
  /\b(?:explanations?|comments?|commentary|words|text|prose|markdown|notes?|anything|other|else|preamble|introduction|apolog\w*|format\w*|repl(?:y|ies)|respon\w+|answers?|output|sentences?|paragraphs?|code block)\b/i;

interface Span {
  start: number;
  end: number;
}

function sentencesOf(text: string, from: number, to: number): Span[] {
  const line = text.slice(from, to);
  const out: Span[] = [];
  let start = 0;
  while (start < line.length && (line[start] === ' ' || line[start] === '\t')) start++;
  SENTENCE_END.lastIndex = start;
  for (let m = SENTENCE_END.exec(line); m; m = SENTENCE_END.exec(line)) {
    const end = m.index + m[0].length;
    out.push({ start: from + start, end: from + end });
    start = end;
    while (start < line.length && (line[start] === ' ' || line[start] === '\t')) start++;
    SENTENCE_END.lastIndex = start;
  }
  if (start < line.length && line.slice(start).trim() !== '') out.push({ start: from + start, end: to });
  return out;
}

/** Where the list of a match ends: before a formatting tail that covers the rest, else before the final punctuation. */
function listEnd(text: string, listStart: number, sentenceEnd: number): number {
  let end = sentenceEnd;
  while (end > listStart && /[.!?\s]/.test(text[end - 1]!)) end--;
  const rest = text.slice(listStart, end);
  const cut = /,|\s(?:inside|in|within|as|using|and nothing)\s/gi;
  for (let m = cut.exec(rest); m; m = cut.exec(rest)) {
    if (TAIL.test(rest.slice(m.index))) return listStart + m.index;
  }
  return end;
}

/**
 * Whether a negation or modal word of the sentence outside [start, end) constrains something other than the
 * format: then the instruction is left alone, so that rewriting it cannot blur the constraint.
 */
function foreignConstraint(text: string, sentence: Span, start: number, end: number): boolean {
  const outside = `${text.slice(sentence.start, start)}\n${text.slice(end, sentence.end)}`;
  return outside
    .split(/[,;\n]/)
    .some((clause) => guardedWordCounts(clause).size > 0 && !FORMAT_WORDS.test(clause));
}

/**
 * The replacement, with "must" and "always" of the original kept in it (the guards never let a rewrite drop
 * a modal word); undefined when it would drop any other guarded word.
 */
function phrase(before: string, body: string, sentenceStart: boolean, label: boolean): string | undefined {
  const cap = (s: string) => (sentenceStart ? s[0]!.toUpperCase() + s.slice(1) : s);
  let after = label ? body : cap(`respond ${body}`);
  let missing = missingGuardWords(before, after);
  if (
    missing.length > 0 &&
    !label &&
    missing.every((m) => m.missing === 1 && /^(?:must|always)$/.test(m.word))
  ) {
    const has = (w: string) => missing.some((m) => m.word === w);
    after = cap(`${has('must') ? 'you must ' : ''}${has('always') ? 'always ' : ''}respond ${body}`);
    missing = missingGuardWords(before, after);
  }
  return missing.length === 0 ? after : undefined;
}

interface Match {
  sentence: Span;
  /** Where the rewritten text starts (the lead-in, or after an `Output:` label) and where the list ends. */
  start: number;
  end: number;
  fields: OutputField[];
  label: boolean;
  sentenceStart: boolean;
}

function findMatch(text: string, line: Line, o: Options, lines: readonly Line[], index: number): Match[] {
  const body = line.start + MARKER.exec(text.slice(line.start, line.end))![0].length;
  const out: Match[] = [];
  const sentences = sentencesOf(text, body, line.end);
  LABEL.lastIndex = body;
  const label = LABEL.exec(text);
  if (label && sentences[0]) {
    const prev = lines.slice(Math.max(0, index - 3), index).map((l) => text.slice(l.start, l.end));
    const listStart = body + label[0].length;
    const end = listEnd(text, listStart, sentences[0].end);
    const fields = prev.some((p) => EXAMPLE_LINE.test(p))
      ? undefined
      : parseFieldList(text.slice(listStart, end));
    if (fields && fields.length >= o.minFields)
      out.push({ sentence: sentences[0], start: listStart, end, fields, label: true, sentenceStart: false });
    return out;
  }
  for (const sentence of sentences) {
    const starts = [sentence.start];
    const clause = /[,;][ \t]+/g;
    const s = text.slice(sentence.start, sentence.end);
    for (let m = clause.exec(s); m; m = clause.exec(s)) starts.push(sentence.start + m.index + m[0].length);
    found: for (const at of starts) {
      for (const lead of LEADS) {
        if (at !== sentence.start && !lead.clause) continue;
        lead.re.lastIndex = at;
        const m = lead.re.exec(text);
        if (!m || m.index + m[0].length > sentence.end) continue;
        const listStart = at + m[0].length;
        const end = listEnd(text, listStart, sentence.end);
        const fields = parseFieldList(text.slice(listStart, end), { opener: true });
        if (!fields || fields.length < o.minFields) continue;
        out.push({ sentence, start: at, end, fields, label: false, sentenceStart: at === sentence.start });
        break found;
      }
    }
  }
  return out;
}

/** The following sentence on the line when it only asks for prose styling: it goes with the rewrite. */
function styleSentence(text: string, m: Match, ctx: StrategyContext, lineEnd: number): Span | undefined {
  const sentences = sentencesOf(text, m.sentence.end, lineEnd);
  const next = sentences[0];
  if (!next) return undefined;
  const s = text.slice(next.start, next.end);
  if (!STYLE.test(s) || guardedWordCounts(s).size > 0 || ctx.spans.touches(next.start, next.end))
    return undefined;
  return { start: m.sentence.end, end: next.end };
}

function proposalsFor(
  text: string,
  m: Match,
  o: Options,
  ctx: StrategyContext,
  lineEnd: number,
): ProposedEdit[] {
  if (ctx.spans.touches(m.start, m.end)) return [];
  if (foreignConstraint(text, m.sentence, m.start, m.end)) return [];
  const before = text.slice(m.start, m.end);
  const json = o.format === 'json';
  const body = json
    ? `${m.label ? 'JSON only' : 'only with JSON'}: ${renderJsonSchema(m.fields)}`
    : m.label
      ? 'these lines only'
      : 'only with these lines';
  const after = phrase(before, body, m.sentenceStart, m.label);
  if (after === undefined) return [];
  const maxTokens = estimateMaxTokens(m.fields, o.tokensPerField);
  const keys = m.fields.map((f) => f.key).join(', ');
  const group = `structured@${m.start}`;
  const note =
    'A proposal: keep it only if the benchmark shows fewer output tokens at the same answer quality.';
  // key lines follow the sentence: when nothing but its final stop follows the list, a colon replaces it
  const colon = !json && /^[.!]$/.test(text.slice(m.end, m.sentence.end));
  const edits: ProposedEdit[] = [
    {
      ruleId: json ? 'json' : 'lines',
      start: m.start,
      end: colon ? m.sentence.end : m.end,
      after: colon ? `${after}:` : after,
      group,
      reason: `Proposal: "${excerpt(before, 50)}" describes the answer in prose; asking for ${json ? 'JSON' : 'key lines'} with ${m.fields.length} fields (${keys}) makes it compact and machine-readable. Suggested max_tokens: ${maxTokens}. ${note}`,
      suggestion: { maxTokens, note },
    },
  ];
  const style = o.dropProseStyle ? styleSentence(text, m, ctx, lineEnd) : undefined;
  const reason = `Proposal, with the structured answer before it: "${excerpt(text.slice(style?.start ?? 0, style?.end ?? 0), 50)}" asks for prose, which the structured answer replaces.`;
  if (json) {
    if (style) edits.push({ ruleId: 'prose-style', ...style, after: '', group, reason });
    return edits;
  }
  // key lines go on lines of their own after the sentence (and after the dropped styling sentence)
  const from = m.sentence.end;
  let to = style?.end ?? from;
  while (to < lineEnd && (text[to] === ' ' || text[to] === '\t')) to++;
  const rest = text.slice(to, lineEnd);
  // the text after the key lines would start a line: it must not turn into a list item or a heading there
  if (rest !== '' && /^(?:[-*+>#|{[]|\d+[.)]|```|~~~)/.test(rest)) return [];
  edits.push({
    ruleId: 'lines.keys',
    start: from,
    end: to,
    after: `\n${renderKeyLines(m.fields)}${rest === '' ? '' : '\n'}`,
    group,
    reason: style ? reason : `Proposal: the key lines the answer should consist of (${keys}).`,
  });
  return edits;
}

/**
 * structured.output (a suggestion): finds instructions that describe the answer's format in prose ("Your
 * answer should include the name of the product, a short summary and whether the sentiment is positive or
 * negative", "You should only reply with your diagnosis and treatment plan", "Output: …") and proposes asking
 * for a compact structure instead: a JSON schema or key lines, with a suggested max_tokens in the reason and
 * in `suggestion.maxTokens`. It only proposes: what it does to output tokens and answer quality is for the
 * benchmark to measure. Sentences whose other clauses carry a negation or modal word about something else
 * than the format are left alone, and so is any list with an item that does not read as a field.
 */
export const structuredOutputStrategy: Strategy<typeof options> = {
  id: 'structured.output',
  label: 'Structured output (proposal)',
  description:
    'Proposes replacing prose descriptions of the answer with a compact JSON schema or key lines, with a suggested max_tokens; measure it with the benchmark.',
  lossy: false,
  defaultEnabled: false,
  kind: 'suggestion',
  idempotent: true,
  options,
  run(text, o, ctx) {
    const edits: ProposedEdit[] = [];
    const lines = splitLines(text);
    for (const [index, line] of lines.entries()) {
      if (line.end - line.start < 12) continue;
      const content = text.slice(line.start, line.end);
      if (!TRIGGER.test(content) || SKIP_LINE.test(content)) continue;
      if (ctx.spans.inCode(line.start, line.end)) continue;
      for (const m of findMatch(text, line, o, lines, index))
        edits.push(...proposalsFor(text, m, o, ctx, line.end));
    }
    return edits;
  },
};
