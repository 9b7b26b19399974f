import { AppError } from '../errors';
import { detectBlocks } from './detect/blocks';
import { maskedSpans, maskRanges, structuralSpans } from './detect/prose';
import { missingGuardWordsAt } from './guardWords';
import { SpanIndex, type EditShape } from './spanIndex';
import { excerpt, lineStartFinder } from './text';
import type { BlockKind, ProtectedSpan, Range, SpanKind } from './types';

export interface ProtectOptions {
  /** Extra ranges the user marked as protected (an editor selection), in offsets of the text. */
  protect?: readonly Range[];
}

/**
 * Every span of `text` that compression must leave byte for byte: fenced code (an unclosed fence protects
 * to the end), JSON blocks, inline code, `<keep>…</keep>`, tags with attributes, URLs, emails, file paths,
 * quoted strings, JSON keys, template placeholders, dates, times and every number, plus the user's ranges.
 * Sorted by start; spans may nest or overlap.
 */
export function protectedSpans(text: string, options: ProtectOptions = {}): ProtectedSpan[] {
  const blocks = detectBlocks(text);
  const prose = maskRanges(text, blocks.regions);
  const structural = structuralSpans(prose);
  const rest = maskedSpans(maskRanges(prose, structural));
  const user = (options.protect ?? []).map((r, i): ProtectedSpan => {
    if (
      !Number.isInteger(r.start) ||
      !Number.isInteger(r.end) ||
      r.start < 0 ||
      r.end < r.start ||
      r.end > text.length
    ) {
      throw new AppError(
        'INVALID_INPUT',
        `protect[${i}] must be a range inside the text (0 ≤ start ≤ end ≤ ${text.length}); got ${r.start}..${r.end}.`,
        { field: `protect[${i}]` },
      );
    }
    return { start: r.start, end: r.end, kind: 'user' };
  });
  return [...blocks.spans, ...structural, ...rest, ...user].sort(
    (a, b) => a.start - b.start || b.end - a.end,
  );
}

const LABEL: Record<SpanKind, string> = {
  'code-block': 'code block',
  'json-block': 'JSON block (only whitespace between its tokens may go)',
  'inline-code': 'inline code span',
  keep: '<keep> region',
  user: 'range you protected',
  tag: 'tag',
  url: 'URL',
  email: 'email address',
  path: 'file path',
  quote: 'quoted string',
  'json-key': 'JSON key',
  'json-value': 'JSON value',
  placeholder: 'template placeholder',
  date: 'date',
  time: 'time',
  number: 'number',
};

export interface GuardableEdit extends EditShape {
  group?: string;
  dropsUnit?: boolean;
}

export interface GuardResult<E> {
  accepted: E[];
  blocked: Array<{ edit: E; reason: string; spanKind: BlockKind }>;
}

/**
 * Splits edits into those that may be applied and those that would damage something: an edit overlapping a
 * protected span (an insertion strictly inside one), an edit after which a negation or modal word occurs
 * fewer times in the words it touches, and every edit of a group in which one member was blocked.
 */
export function guardEdits<E extends GuardableEdit>(
  text: string,
  edits: readonly E[],
  spans: SpanIndex | readonly ProtectedSpan[],
): GuardResult<E> {
  const index = spans instanceof SpanIndex ? spans : new SpanIndex(spans);
  let finder: ((offset: number) => number) | undefined;
  const lineStartOf = (offset: number) => (finder ??= lineStartFinder(text))(offset);
  const accepted: E[] = [];
  const blocked: GuardResult<E>['blocked'] = [];
  for (const edit of edits) {
    if (edit.dropsUnit && edit.after === '' && edit.end > edit.start) {
      // a whole unit goes (lossy strategies only): whole spans and negations inside may go with it
      const cut = index.straddles(edit.start, edit.end);
      if (cut) {
        blocked.push({
          edit,
          spanKind: cut.kind,
          reason: `Would cut through a protected ${LABEL[cut.kind]}: "${excerpt(text.slice(cut.start, cut.end), 50)}".`,
        });
      } else accepted.push(edit);
      continue;
    }
    const span = index.violation(text, edit);
    if (span) {
      blocked.push({
        edit,
        spanKind: span.kind,
        reason: `Would change a protected ${LABEL[span.kind]}: "${excerpt(text.slice(span.start, span.end), 50)}".`,
      });
      continue;
    }
    const created = createdStructure(text, edit, lineStartOf);
    if (created) {
      blocked.push({
        edit,
        spanKind: 'structure',
        reason: `Would turn the line "${excerpt(text.slice(lineStartOf(edit.start), edit.end + 20), 40)}" into ${created}, which changes how the text around it is read.`,
      });
      continue;
    }
    const unstable = unstableNeighbour(text, edit, index, lineStartOf);
    if (unstable) {
      blocked.push({
        edit,
        spanKind: unstable.kind,
        reason: `Would change how the protected ${LABEL[unstable.kind]} next to it is recognised: "${excerpt(text.slice(unstable.start, unstable.end), 50)}".`,
      });
      continue;
    }
    const missing = missingGuardWordsAt(text, edit.start, edit.end, edit.after);
    if (missing.length > 0) {
      blocked.push({
        edit,
        spanKind: 'negation',
        reason: `Would remove ${missing.map((m) => `"${m.word}"`).join(', ')}: negations and modal words are never removed.`,
      });
      continue;
    }
    accepted.push(edit);
  }
  return propagateGroups(accepted, blocked);
}

/** What a line starts with, as far as detection and Markdown structure go. */
function lineSignature(line: string): string | undefined {
  const t = line.replace(/^[ \t]+/, '');
  if (/^(?:>[ \t]?)*(?:`{3}|~{3})/.test(t)) return 'a code fence';
  if (/^#{1,6}(?:[ \t]|$)/.test(t)) return 'a heading';
  if (/^[{[]/.test(t)) return 'the start of a JSON value';
  if (/^[-*+](?:[ \t]|$)/.test(t)) return 'a list item';
  if (/^([-*_=])(?:[ \t]*\1){2,}[ \t]*$/.test(t)) return 'a rule or heading underline';
  if (/^\d+[.)](?:[ \t]|$)/.test(t)) return 'a numbered item';
  if (/^[|>]/.test(t)) return 'a table row or quote';
  return undefined;
}

/**
 * What the edit would make the line it starts on begin with, when that is structure the line did not have
 * (removing "has " before "```x" opens a code fence that swallows the rest of the text). Removing whole
 * lines, and edits after the first word of a line, cannot do that.
 */
function createdStructure(
  text: string,
  edit: GuardableEdit,
  lineStartOf: (offset: number) => number,
): string | undefined {
  const lineStart = lineStartOf(edit.start);
  // a signature reads a few characters after the indentation; an edit further along cannot change it
  let first = lineStart;
  while (first < edit.start && (text[first] === ' ' || text[first] === '\t')) first++;
  if (edit.start - first > 12) return undefined;
  const prefix = text.slice(lineStart, edit.start);
  if (
    edit.after === '' &&
    edit.start === lineStart &&
    (edit.end === text.length || text[edit.end - 1] === '\n')
  ) {
    return undefined; // whole lines go
  }
  if (
    edit.start === edit.end &&
    edit.start === lineStart &&
    edit.after.endsWith('\n') &&
    !/^[ \t]*(?:>[ \t]?)*(?:`{3}|~{3})/m.test(edit.after)
  ) {
    return undefined; // whole lines come in before a line, which keeps its own start (a fence would not)
  }
  const head = (s: string) => (s.indexOf('\n') < 0 ? s : s.slice(0, s.indexOf('\n')));
  const before = lineSignature(head(text.slice(lineStart, Math.max(edit.end, edit.start + 24))));
  const after = lineSignature(head(prefix + edit.after.slice(0, 64) + text.slice(edit.end, edit.end + 24)));
  return after !== undefined && after !== before ? after : undefined;
}

/** What a detector sees of a neighbouring character: its class, or the character itself for punctuation. */
function charClass(c: string | undefined): string {
  if (c === undefined) return 'edge';
  if (/\s/.test(c)) return 'space';
  if (/[\p{L}\p{M}]/u.test(c)) return 'letter';
  if (/\p{N}/u.test(c)) return 'digit';
  return c;
}

/** Span kinds found without looking at their neighbours (or not found by detection at all). */
const CONTEXT_FREE = new Set<SpanKind>(['keep', 'user', 'json-key', 'json-value']);

/**
 * A protected span next to the edit that the edit would make unrecognisable: detection reads the
 * characters around a span (a quote closed by ' is one only when no letter follows), so an edit that changes
 * such a neighbour could unprotect it in a later run. Checked by detecting spans on the lines around the edit
 * before and after it, only when the neighbour's class changes.
 */
function unstableNeighbour(
  text: string,
  edit: GuardableEdit,
  index: SpanIndex,
  lineStartOf: (offset: number) => number,
): ProtectedSpan | undefined {
  for (const span of index.neighbours(edit)) {
    if (CONTEXT_FREE.has(span.kind)) continue;
    // the edit sits just before the span, or just after it
    const startSide = span.start === edit.end;
    const beforeChar = startSide ? text[span.start - 1] : text[span.end];
    const afterChar = startSide
      ? edit.after.length > 0
        ? edit.after[edit.after.length - 1]
        : text[edit.start - 1]
      : edit.after.length > 0
        ? edit.after[0]
        : text[edit.end];
    if (charClass(beforeChar) === charClass(afterChar)) continue;
    // the lines around the edit, detected before and after it: every span found before must still be found
    // (a URL that grows over a quote's opening mark hides the quote from the quote detector, for example)
    const from = lineStartOf(Math.min(edit.start, span.start));
    const tail = Math.max(edit.end, span.end);
    if (tail - from > 4000) continue; // a giant line: leave it to the span guard
    const nl = text.slice(tail, from + 4001).indexOf('\n');
    if (nl < 0 && from + 4001 < text.length) continue;
    const to = nl < 0 ? text.length : tail + nl;
    const before = text.slice(from, to);
    const after = text.slice(from, edit.start) + edit.after + text.slice(edit.end, to);
    const delta = edit.after.length - (edit.end - edit.start);
    const found = new SpanIndex(protectedSpans(after));
    for (const x of protectedSpans(before)) {
      if (x.jsonWhitespace) continue;
      const s = x.start + from >= edit.end ? x.start + delta : x.start;
      const e = x.end + from > edit.start ? x.end + delta : x.end;
      if (!found.covers(s, e)) return { start: x.start + from, end: x.end + from, kind: x.kind };
    }
    return undefined;
  }
  return undefined;
}

/** Moves accepted edits whose group lost a member (blocked or rejected) to `blocked` as 'linked'. */
export function propagateGroups<E extends GuardableEdit>(
  accepted: readonly E[],
  blocked: GuardResult<E>['blocked'],
  alsoLost: readonly E[] = [],
): GuardResult<E> {
  const lost = new Set<string>();
  for (const b of blocked) if (b.edit.group) lost.add(b.edit.group);
  for (const e of alsoLost) if (e.group) lost.add(e.group);
  if (lost.size === 0) return { accepted: [...accepted], blocked };
  const keep: E[] = [];
  const out = [...blocked];
  for (const e of accepted) {
    if (e.group && lost.has(e.group)) {
      out.push({
        edit: e,
        spanKind: 'linked',
        reason: 'Left out with the rest of its group (one edit of the group was blocked or rejected).',
      });
    } else keep.push(e);
  }
  return { accepted: keep, blocked: out };
}

export { SpanIndex } from './spanIndex';
