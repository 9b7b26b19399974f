/**
 * Finds the few-shot examples of a prompt for rules.examples: `<example>` elements, "Example 1:" headings,
 * Q:/A:, Question:/Answer:, Input:/Output: and User:/Assistant: demos, and the paragraphs, list items or
 * sub-sections of a Markdown section titled "Examples". Each set is a run of sibling examples; the query a
 * prompt ends with ("Q: {question}", or "A:" with nothing after it) is not an example.
 */
import type { SpanIndex } from '../spanIndex';
import { isBlankLine, splitLines, type Line } from '../text';

/** One example: whole lines, from its first line to the line before the next example (blank lines included). */
export interface ExampleBlock {
  /** Line indices, inclusive. */
  first: number;
  last: number;
  /** The example's text, without the blank lines after it. */
  text: string;
}

export interface ExampleSet {
  kind: 'tag' | 'heading' | 'pair' | 'section';
  blocks: ExampleBlock[];
}

const HEADING = /^ {0,3}(#{1,6})[ \t]/;
const EXAMPLE_HEADING =
  /^[ \t]*(?:#{1,6}[ \t]+)?[*_]{0,2}example(?:[ \t]*#?[ \t]*\d{1,3}|[ \t]+#?[ \t]*[a-z](?![\p{L}\p{N}]))?[*_]{0,2}[ \t]*(?::|[.)](?=[ \t]|$)|$)/iu;
/**
 * Lines that open a demo, each starting an example; the flag: only after a blank line, since a dialogue demo
 * runs over several User/Assistant turns.
 */
const OPENERS: ReadonlyArray<[RegExp, boolean]> = [
  [/^[*_]{0,2}Q[*_]{0,2}:/, false],
  [/^[*_]{0,2}(?:Question|QUESTION)[*_]{0,2}:/, false],
  [/^[*_]{0,2}(?:Input|INPUT)[*_]{0,2}:/, false],
  [/^[*_]{0,2}(?:User|USER|Human|HUMAN)[*_]{0,2}:/, true],
];
/** A heading that names its section as examples: "Examples", "Few-shot examples", "Phrasing examples:". */
const EXAMPLES_TITLE =
  /^ {0,3}#{1,6}[ \t]+[*_]{0,2}(?:[\p{L}-]+[ \t]+){0,2}examples[*_]{0,2}[ \t]*:?[*_]{0,2}[ \t]*$/iu;
const EXAMPLES_LABEL = /^[ \t]*[*_]{0,2}(?:examples|few[- ]shot examples)[*_]{0,2}[ \t]*:[*_]{0,2}[ \t]*$/i;
const LIST_ITEM = /^([ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+/;
const PLACEHOLDER = /\{\{[^{}\n]*\}\}|\{[A-Za-z_][\w.-]*\}|\$\{[^{}\n]*\}/;
const ANSWER_LABEL = /^[*_]{0,2}(?:A|Answer|ANSWER|Output|OUTPUT|Assistant|ASSISTANT|AI)[*_]{0,2}:/;
const ANSWER_ONLY =
  /^[ \t]*[*_]{0,2}(?:A|Answer|ANSWER|Output|OUTPUT|Assistant|ASSISTANT|AI)[*_]{0,2}:[ \t]*$/;

/** The example sets of `text`, in text order; sets never overlap. Code blocks are skipped. */
export function detectExamples(text: string, spans: SpanIndex): ExampleSet[] {
  const lines = splitLines(text);
  const doc: Doc = {
    text,
    lines,
    at: (i) => text.slice(lines[i]!.start, lines[i]!.end),
    blank: (i) => isBlankLine(text, lines[i]!),
    code: (i) => spans.inCode(lines[i]!.start, Math.max(lines[i]!.next, lines[i]!.start + 1)),
  };
  const found: ExampleSet[] = [];
  const add = (kind: ExampleSet['kind'], starts: number[][], last: (starts: number[]) => number) => {
    for (const run of starts) {
      const blocks = toBlocks(doc, run, last(run)).filter((b) => !isQuery(b.text));
      if (blocks.length < 2) continue;
      const [a, b] = [blocks[0]!.first, blocks[blocks.length - 1]!.last];
      if (found.some((s) => s.blocks[0]!.first <= b && a <= s.blocks[s.blocks.length - 1]!.last)) continue;
      found.push({ kind, blocks });
    }
  };
  tagSets(doc, add);
  const headings = runsOf(doc, (i) => EXAMPLE_HEADING.test(doc.at(i)), true);
  add('heading', headings, (run) => lastLine(doc, run, headingLevel(doc.at(run[0]!))));
  for (const [opener, needsBlank] of OPENERS) {
    const open = (i: number) => opener.test(doc.at(i).trimStart());
    const starts = runsOf(doc, (i) => open(i) && (!needsBlank || i === 0 || doc.blank(i - 1)), false);
    add('pair', starts, (run) => lastLine(doc, run, 7));
  }
  sectionSets(doc, add);
  return found.sort((x, y) => x.blocks[0]!.first - y.blocks[0]!.first);
}

interface Doc {
  text: string;
  lines: Line[];
  at(i: number): string;
  blank(i: number): boolean;
  code(i: number): boolean;
}
type Add = (kind: ExampleSet['kind'], runs: number[][], last: (run: number[]) => number) => void;

function headingLevel(line: string): number {
  return HEADING.exec(line)?.[1]!.length ?? 7;
}

/**
 * Lines where `isStart` holds, outside code, cut into runs of siblings: a heading that is not itself a start
 * (with `headed`, one at the starts' level or above) ends a run.
 */
function runsOf(doc: Doc, isStart: (i: number) => boolean, headed: boolean): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  let level = 7;
  for (let i = 0; i < doc.lines.length; i++) {
    if (doc.code(i)) continue;
    if (isStart(i)) {
      if (run.length === 0) level = headed ? headingLevel(doc.at(i)) : 7;
      run.push(i);
    } else if (run.length > 0 && headingLevel(doc.at(i)) <= Math.min(headed ? level : 6, 6)) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs.filter((r) => r.length >= 2);
}

/**
 * Last line of the final example of a run. Nothing marks where it ends, so it takes as many paragraphs as
 * the longest earlier example and stops at a heading of `level` or above, or at the first code line.
 */
function lastLine(doc: Doc, run: number[], level: number): number {
  let paragraphs = 1;
  for (let k = 0; k + 1 < run.length; k++)
    paragraphs = Math.max(paragraphs, countParagraphs(doc, run[k]!, run[k + 1]!));
  let end = run[run.length - 1]!;
  let seen = 1;
  for (let i = end + 1; i < doc.lines.length; i++) {
    if (doc.code(i) || headingLevel(doc.at(i)) <= Math.min(level, 6)) break;
    if (doc.blank(i)) continue;
    if (doc.blank(i - 1) && ++seen > paragraphs) break;
    end = i;
  }
  return end;
}

function countParagraphs(doc: Doc, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!doc.blank(i) && (i === from || doc.blank(i - 1))) n++;
  return n;
}

/** Blocks from start lines: each runs to the line before the next start; the final one to `lastLine`. */
function toBlocks(doc: Doc, starts: readonly number[], finalLine: number): ExampleBlock[] {
  return starts.map((first, k) => {
    const last = k + 1 < starts.length ? starts[k + 1]! - 1 : finalLine;
    let content = last;
    while (content > first && doc.blank(content)) content--;
    const text = doc.text.slice(doc.lines[first]!.start, doc.lines[content]!.end);
    return { first, last: k + 1 < starts.length ? last : trailingBlank(doc, last), text };
  });
}

/** The final example takes the blank lines after it, so removing it does not leave two gaps. */
function trailingBlank(doc: Doc, last: number): number {
  let i = last;
  while (i + 1 < doc.lines.length && doc.blank(i + 1) && doc.lines[i + 1]!.start < doc.text.length) i++;
  return i;
}

/** The prompt's own question: a template placeholder, or an answer label with nothing after it. */
function isQuery(block: string): boolean {
  const lines = block.split('\n');
  return PLACEHOLDER.test(block) || ANSWER_ONLY.test(lines[lines.length - 1]!);
}

/** `<example>…</example>` elements that fill their lines; siblings are separated by blank lines only. */
function tagSets(doc: Doc, add: Add): void {
  const open = /<example\b[^>\n]*>/gi;
  const lower = doc.text.toLowerCase();
  const runs: number[][] = [];
  const ends = new Map<number, number>();
  let prevEnd = -1;
  for (let m = open.exec(doc.text); m; m = open.exec(doc.text)) {
    const close = lower.indexOf('</example>', m.index);
    if (close < 0) break;
    const first = lineAt(doc, m.index);
    const last = lineAt(doc, close);
    open.lastIndex = close;
    const lead = doc.text.slice(doc.lines[first]!.start, m.index).trim();
    const tail = doc.text.slice(close + '</example>'.length, doc.lines[last]!.end).trim();
    if (lead !== '' || tail !== '' || doc.code(first)) continue;
    let between = prevEnd >= 0;
    for (let i = prevEnd + 1; i < first && between; i++) between = doc.blank(i);
    if (!between) runs.push([]);
    runs[runs.length - 1]!.push(first);
    ends.set(first, last);
    prevEnd = last;
  }
  add('tag', runs, (run) => ends.get(run[run.length - 1]!)!);
}

function lineAt(doc: Doc, offset: number): number {
  let lo = 0;
  let hi = doc.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (doc.lines[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A Markdown section titled "Examples" (or an "Examples:" line before a list): its sub-sections, else its
 * top-level list items, else its paragraphs, less an introduction that ends with a colon.
 */
function sectionSets(doc: Doc, add: Add): void {
  for (let h = 0; h < doc.lines.length; h++) {
    const line = doc.at(h);
    const level = headingLevel(line);
    const label = level > 6 && EXAMPLES_LABEL.test(line);
    if (doc.code(h) || !(label || (level <= 6 && EXAMPLES_TITLE.test(line)))) continue;
    let end = h + 1;
    while (end < doc.lines.length && !doc.code(end) && headingLevel(doc.at(end)) > Math.min(level, 6)) end++;
    const body = range(h + 1, end).filter((i) => !doc.blank(i));
    if (body.length === 0) continue;
    const subs = body.filter((i) => headingLevel(doc.at(i)) <= 6);
    // a list, after at most an introduction that ends with a colon ("Some examples:")
    const intro = body[0]! < body[body.length - 1]! && doc.at(body[0]!).trimEnd().endsWith(':') ? 1 : 0;
    const list = body.slice(intro);
    const indent = LIST_ITEM.exec(doc.at(list[0]!))?.[1];
    let starts: number[];
    if (subs.length > 0 && !label) starts = subs;
    else if (indent !== undefined) {
      const stop = list.findIndex((i) => !LIST_ITEM.test(doc.at(i)) && !doc.at(i).startsWith(indent + ' '));
      const items = stop < 0 ? list : list.slice(0, stop);
      if (stop >= 0) end = list[stop]!;
      starts = items.filter((i) => LIST_ITEM.exec(doc.at(i))?.[1] === indent);
      // "- Input: …" / "- Output: …" are the parts of one example, not two
      if (starts.some((i) => ANSWER_LABEL.test(doc.at(i).replace(LIST_ITEM, '')))) continue;
    } else if (label) continue;
    else starts = body.filter((i) => i === body[0] || doc.blank(i - 1));
    if (starts.length > 0 && doc.at(starts[0]!).trimEnd().endsWith(':') && starts[0] === body[0]) {
      starts = starts.slice(1);
    }
    let last = end - 1;
    while (last > h && doc.blank(last)) last--;
    add('section', [starts], () => last);
    h = end - 1;
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}
