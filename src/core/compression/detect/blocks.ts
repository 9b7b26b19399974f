import type { ProtectedSpan, Range } from '../types';
import { nextLineMatch, type LinePattern } from '../text';
import { bracketedEnd, jsonTokenSpans, parsesAsContainer, scanned } from './json';

// both tried at line starts only (nextLineMatch), on lines that begin with one of `first`
/** A fence line: any indentation (fences inside list items and quotes), 3+ backticks or tildes. */
const FENCE_LINE: LinePattern = { re: /[ \t]*(?:>[ \t]?)*(`{3,}|~{3,})([^\n]*)/y, first: ' \t>`~' };
/** Lines of prose that may open a standalone JSON value. */
const JSON_START: LinePattern = { re: /[ \t]*[{[]/y, first: ' \t{[' };

export interface Blocks {
  spans: ProtectedSpan[];
  /** Regions the prose detectors skip: fenced blocks and JSON blocks. Sorted, disjoint. */
  regions: Range[];
}

/**
 * Fenced code blocks and JSON blocks. A fence with info `json` whose content parses becomes two fence-line
 * spans, a json-block span for its content and spans for its tokens; any other fence protects everything from
 * its opening line to its closing line, or to the end of the text when it never closes. In the prose between
 * fences, a line that starts with '{' or '[' and opens a value that parses as a JSON object or array is a
 * JSON block too.
 */
export function detectBlocks(text: string): Blocks {
  const spans: ProtectedSpan[] = [];
  const regions: Range[] = [];
  const budget = { left: 4 * text.length + 1_000_000 };
  let proseStart = 0;
  let from = 0;
  for (let m = nextLineMatch(FENCE_LINE, text, 0); m; m = nextLineMatch(FENCE_LINE, text, from)) {
    from = m.index + m[0].length;
    const marker = m[1]!;
    if (marker[0] === '`' && m[2]!.includes('`')) continue;
    const pos = m.index;
    const lineEnd = pos + m[0].length;
    const next = lineEnd < text.length ? lineEnd + 1 : text.length;
    proseJson(text, proseStart, pos, spans, regions, budget);
    const info = m[2]!.trim().split(/\s+/)[0]!.toLowerCase();
    // the closing fence: same character, at least as long, nothing but spaces after it
    const close = new RegExp(
      `(?<![^\\n])[ \\t]*(?:>[ \\t]?)*${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*\\r?(?![^\\n])`,
      'g',
    );
    close.lastIndex = next;
    const c = close.exec(text);
    const closeStart = c ? c.index : -1;
    const closeEnd = c ? c.index + c[0].replace(/\r$/, '').length : text.length;
    const content = text.slice(next, closeStart < 0 ? text.length : closeStart);
    if (info === 'json' && closeStart >= 0 && parsesAsContainer(content)) {
      const openEnd = text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
      spans.push({ start: pos, end: openEnd, kind: 'code-block' });
      spans.push({ start: next, end: closeStart, kind: 'json-block', jsonWhitespace: true });
      spans.push(...jsonTokenSpans(text, next, closeStart));
      spans.push({ start: closeStart, end: closeEnd, kind: 'code-block' });
    } else {
      spans.push({ start: pos, end: closeEnd, kind: 'code-block' });
    }
    regions.push({ start: pos, end: closeEnd });
    if (closeStart < 0) return { spans, regions };
    const after = text.indexOf('\n', closeStart);
    proseStart = after < 0 ? text.length : after + 1;
    from = proseStart;
  }
  proseJson(text, proseStart, text.length, spans, regions, budget);
  return { spans, regions };
}

/** Standalone JSON objects and arrays in a stretch of prose. */
function proseJson(
  text: string,
  from: number,
  to: number,
  spans: ProtectedSpan[],
  regions: Range[],
  budget: { left: number },
): void {
  let next = from;
  for (let m = nextLineMatch(JSON_START, text, from, to); m; m = nextLineMatch(JSON_START, text, next, to)) {
    next = m.index + m[0].length;
    // lines that open a bracket and never close it would each scan far ahead: a text of them would take
    // quadratic time, so the scanning of one text is bounded (a few times its length)
    if (budget.left <= 0) return;
    const i = m.index + m[0].length - 1;
    if (!plausibleJson(text, i)) continue;
    const end = bracketedEnd(text, i, Math.min(budget.left, to - i));
    budget.left -= scanned;
    if (end < 0 || end > to) continue;
    const lineEnd = text.indexOf('\n', end);
    const rest = text.slice(end, lineEnd < 0 || lineEnd > to ? to : lineEnd);
    if (/^[ \t\r]*$/.test(rest) && parsesAsContainer(text.slice(i, end))) {
      spans.push({ start: i, end, kind: 'json-block', jsonWhitespace: true });
      spans.push(...jsonTokenSpans(text, i, end));
      regions.push({ start: i, end });
      next = end;
    }
  }
}

/**
 * Whether what follows an opening bracket could be JSON: a value (or the closing bracket) after '[', a key
 * (or '}') after '{'. Prose such as "[x]" or "[link](url)" fails here, before JSON.parse (whose exceptions
 * are slow when thousands of lines start with a bracket).
 */
function plausibleJson(text: string, i: number): boolean {
  let j = i + 1;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\n'))
    j++;
  const c = text[j];
  if (text[i] === '{') return c === '"' || c === '}';
  return c !== undefined && /[[{"\]\d\-tfn]/.test(c);
}
