import { z } from 'zod';
import type { Strategy } from '../strategy';
import { forEachLineMatch, forEachMatch, lineNumberer, lineStartFinder, type LinePattern } from '../text';
import type { ProposedEdit, Range } from '../types';

const options = z.strictObject({
  trailing: z.boolean().default(true).describe('Remove spaces and tabs at the end of lines'),
  innerRuns: z.boolean().default(true).describe('Collapse runs of spaces inside lines to one space'),
  blankLines: z
    .boolean()
    .default(true)
    .describe('Keep at most one blank line in a row; none at the start or end'),
  invisible: z
    .boolean()
    .default(true)
    .describe('Remove zero-width characters (not inside emoji or scripts that need them)'),
  nbsp: z.boolean().default(true).describe('Replace non-breaking spaces with ordinary spaces'),
  crlf: z.boolean().default(true).describe('Turn Windows line endings (CRLF) into LF'),
  collapseTabs: z
    .boolean()
    .default(false)
    .describe('Also collapse runs that contain tabs (off: tabs may separate columns, as in TSV)'),
});

const NBSP = /[\u00a0\u202f\u2007]/g;
const SPACE_LIKE = new Set([' ', '\t', '\u00a0', '\u202f', '\u2007']);
const INVISIBLE = new Set(['\u200b', '\u2060', '\ufeff', '\u00ad', '\u180e']);
/**
 * ZWNJ and ZWJ shape emoji sequences and Persian, Arabic and Indic words; they go only in a run with spaces or
 * next to whitespace or a line end, where they join nothing. The rule looks at the run as a whole, so removing
 * part of it cannot make the rest removable in a second run.
 */
const JOINERS = new Set(['\u200c', '\u200d']);

/** A line of only these is blank (joiners included: next to a line end they join nothing and go). */
const BLANK_CHARS = ' \t\u00a0\u202f\u2007\u200b\u2060\ufeff\u00ad\u180e\u200c\u200d';
const BLANK_LINE_CHARS =
  '(?:[ \\t\\u00a0\\u202f\\u2007\\u200b\\u2060\\ufeff\\u00ad\\u180e\\u200c\\u200d]|\\r(?!\\n))';
const LEADING_BLANK = new RegExp(`^(?:${BLANK_LINE_CHARS}*\\r?\\n)+`);
/**
 * Two or more blank lines, from a line start (after "\n": the m flag would also start lines after a lone "\r"),
 * so that a range of whole lines finds them. Sticky, tried at line starts only (forEachLineMatch).
 */
const BLANK_RUN: LinePattern = {
  re: new RegExp(`((?:${BLANK_LINE_CHARS}*\\r?\\n){2,})`, 'y'),
  first: `${BLANK_CHARS}\r\n`,
};
/**
 * Runs worth a look: 2+ spacing characters, any special space or invisible character, a space at a line end.
 * A carriage return not followed by "\n" counts as spacing (lines here end at "\n"), so removing what stands
 * between it and a line break cannot leave a new CRLF behind.
 */
const RUN =
  /(?:[ \t\u00a0\u202f\u2007\u200b\u2060\ufeff\u00ad\u180e\u200c\u200d]|\r(?!\n)){2,}|[\u00a0\u202f\u2007\u200b\u2060\ufeff\u00ad\u180e\u200c\u200d]|[ \t](?=\r?\n|$)/g;
/** Indentation, then list or quote markers with the spaces after them: the layout of nested lists. */
const LEAD =
  /^[ \t\u00a0\u202f\u2007\u200b\u2060\ufeff\u00ad\u180e\u200c\u200d]*(?:(?:[-*+>]|\d{1,9}[.)])[ \t\u00a0\u202f\u2007]+)*$/;
/** One or more carriage returns before a line feed. */
const CRLF = /\r+\n/g;
const WHITE = /[\s\u200b\u2060\ufeff\u00ad\u180e\u200c\u200d]/;

/**
 * format.whitespace: trailing spaces, runs of spaces inside lines, runs of blank lines, zero-width characters,
 * non-breaking spaces and CRLF. Leading indentation (and the spacing after list markers) is never shortened:
 * YAML, Python and nested lists depend on it. Nothing inside fenced code or JSON blocks is touched.
 */
export const whitespaceStrategy: Strategy<typeof options> = {
  id: 'format.whitespace',
  label: 'Whitespace',
  description:
    'Removes trailing spaces, extra blank lines, invisible characters and CRLF, and collapses runs of spaces. Never changes indentation or code.',
  lossy: false,
  defaultEnabled: true,
  idempotent: true,
  local: true,
  options,
  run(text, o, ctx) {
    const edits: ProposedEdit[] = [];
    const lineOf = lineNumberer(text);
    const lineStartOf = lineStartFinder(text);
    const covered: Range[] = [];
    const free = (r: Range) => !ctx.spans.inCode(r.start, Math.max(r.end, r.start + 1));
    if (o.blankLines) {
      const lead = LEADING_BLANK.exec(text);
      const leadEnd = lead ? lead[0].length : 0;
      if (lead && free({ start: 0, end: lead[0].length })) {
        covered.push({ start: 0, end: lead[0].length });
        edits.push({
          ruleId: 'blank-lines',
          start: 0,
          end: lead[0].length,
          after: '',
          reason: 'Blank lines at the start of the text separate nothing.',
        });
      }
      // the end: everything after the line break that follows the last visible character
      let last = text.length;
      while (last > 0 && WHITE.test(text[last - 1]!)) last--;
      const br = text.indexOf('\n', last);
      const tailStart = br < 0 ? text.length : br + 1;
      forEachLineMatch(BLANK_RUN, text, ctx.only, (m) => {
        const firstEnd = m.index + m[1]!.indexOf('\n') + 1;
        const end = m.index + m[0].length;
        if (m.index === 0 || end > tailStart || firstEnd < leadEnd || !free({ start: m.index, end })) return;
        covered.push({ start: firstEnd, end });
        edits.push({
          ruleId: 'blank-lines',
          start: firstEnd,
          end,
          after: '',
          reason: `Blank lines in a row (from line ${lineOf(m.index)}) separate no more than one does.`,
        });
      });
      if (last > 0 && tailStart < text.length && free({ start: tailStart, end: text.length })) {
        covered.push({ start: tailStart, end: text.length });
        edits.push({
          ruleId: 'blank-lines',
          start: tailStart,
          end: text.length,
          after: '',
          reason: 'Blank lines at the end of the text separate nothing.',
        });
      }
    }
    covered.sort((a, b) => a.start - b.start);
    let c = 0;
    const isCovered = (at: number) => {
      while (c < covered.length && covered[c]!.end <= at) c++;
      return c < covered.length && covered[c]!.start <= at;
    };
    if (o.invisible && text[0] === '\ufeff' && !isCovered(0) && free({ start: 0, end: 1 })) {
      edits.push({
        ruleId: 'invisible',
        start: 0,
        end: 1,
        after: '',
        reason: 'A byte-order mark is invisible and costs tokens.',
      });
    }
    forEachMatch(RUN, text, ctx.only, (m) => {
      // the byte-order mark at 0 has its own edit
      const a = m.index === 0 && text[0] === '\ufeff' ? 1 : m.index;
      const b = m.index + m[0].length;
      if (a >= b || isCovered(a) || !free({ start: a, end: b })) return;
      const lineStart = lineStartOf(a);
      const trailing = b === text.length || text[b] === '\n' || (text[b] === '\r' && text[b + 1] === '\n');
      const leading = LEAD.test(text.slice(lineStart, b));
      // joiners in a run with spaces, or at a line end, join nothing; elsewhere they stay
      const joinersGo =
        /[ \t\u00a0\u202f\u2007]/.test(m[0]) ||
        a === 0 ||
        b === text.length ||
        /\s/.test(text[a - 1]!) ||
        /\s/.test(text[b]!);
      for (const [x, y] of joinersGo ? [[a, b] as [number, number]] : splitAtJoiners(text, a, b)) {
        const run = text.slice(x, y);
        let spaces = 0;
        for (const ch of run) if (SPACE_LIKE.has(ch) || ch === '\r') spaces++;
        const edit = runEdit(run, spaces, trailing && y === b, leading && x === a, lineOf(x), o);
        if (edit && edit.after !== run) {
          // not { ...edit, start, end }: a spread followed by new properties is slow in V8
          const p = Object.assign({}, edit) as ProposedEdit;
          p.start = x;
          p.end = y;
          edits.push(p);
        }
      }
    });
    if (o.crlf) {
      c = 0;
      forEachMatch(CRLF, text, ctx.only, (m) => {
        const i = m.index;
        const end = i + m[0].length - 1;
        if (isCovered(i) || !free({ start: i, end })) return;
        edits.push({
          ruleId: 'crlf',
          start: i,
          end,
          after: '',
          reason: `Line ${lineOf(i)} ends with CRLF; LF reads the same.`,
        });
      });
    }
    return edits.sort((x, y) => x.start - y.start || x.end - y.end);
  },
};

/** Sub-runs of [a, b) between the joiners (ZWNJ, ZWJ), which stay. */
function splitAtJoiners(text: string, a: number, b: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = a;
  for (let i = a; i < b; i++) {
    if (JOINERS.has(text[i]!)) {
      if (i > from) out.push([from, i]);
      from = i + 1;
    }
  }
  if (b > from) out.push([from, b]);
  return out;
}

function runEdit(
  run: string,
  spaces: number,
  trailing: boolean,
  leading: boolean,
  n: number,
  o: z.output<typeof options>,
): Omit<ProposedEdit, 'start' | 'end'> | undefined {
  if (trailing && o.trailing) {
    return {
      ruleId: 'trailing',
      after: '',
      reason: `Whitespace at the end of line ${n} carries no meaning.`,
    };
  }
  if (spaces === 0) {
    return o.invisible
      ? {
          ruleId: 'invisible',
          after: '',
          reason: `Zero-width characters on line ${n} are invisible and cost tokens.`,
        }
      : undefined;
  }
  const hasTab = run.includes('\t');
  if (!trailing && !leading && o.innerRuns && spaces >= 2 && (!hasTab || o.collapseTabs)) {
    return {
      ruleId: 'inner-run',
      after: ' ',
      reason: `A run of ${spaces} spaces inside line ${n} reads the same as one space.`,
    };
  }
  const normalised = (o.nbsp ? run.replace(NBSP, ' ') : run)
    .split('')
    .filter((ch) => !(o.invisible && (INVISIBLE.has(ch) || JOINERS.has(ch))))
    .join('');
  if (normalised === run) return undefined;
  return {
    ruleId: /[\u00a0\u202f\u2007]/.test(run) && o.nbsp ? 'nbsp' : 'invisible',
    after: normalised,
    reason: /[\u00a0\u202f\u2007]/.test(run)
      ? `Non-breaking spaces on line ${n} become ordinary spaces.`
      : `Zero-width characters on line ${n} are invisible and cost tokens.`,
  };
}
