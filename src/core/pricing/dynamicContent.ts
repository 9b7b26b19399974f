/**
 * Finds content that changes from one request to the next (template variables, dates, times, ids,
 * user-specific lines). Everything before the first such span can be served from a prompt cache; everything
 * after it is re-sent at full price.
 */
export type DynamicKind = 'variable' | 'date' | 'time' | 'id' | 'user-line';

export interface DynamicSpan {
  kind: DynamicKind;
  offset: number;
  text: string;
}

const MONTHS =
  'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';

const PATTERNS: Array<{ kind: DynamicKind; re: RegExp }> = [
  {
    kind: 'variable',
    re: /\{\{\s*[\w.-]+\s*\}\}|\$\{\w+\}|\{[A-Za-z_]\w*\}|%\([a-z_]+\)s|(?<![\w$])\$[A-Z][A-Z0-9_]{2,}\b|%s\b/g,
  },
  {
    kind: 'date',
    re: new RegExp(
      `\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2})?(?:Z|[+-]\\d{2}:?\\d{2})?)?\\b|\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b|\\b(?:${MONTHS})\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}\\b|\\b(?:today|current date|the date) is\\b`,
      'gi',
    ),
  },
  { kind: 'time', re: /\b\d{1,2}:\d{2}(?::\d{2})?\s?(?:[AaPp][Mm])?\b/g },
  { kind: 'id', re: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  {
    kind: 'user-line',
    re: /^[ \t]*(?:user(?:[ _]?(?:name|id))?|customer(?:[ _]?(?:name|id))?|name|email|account(?:[ _]?id)?)[ \t]*[:=][ \t]*\S.*$/gim,
  },
];

/** All dynamic spans of `text`, sorted by offset; overlapping matches keep the earliest. */
export function findDynamicSpans(text: string): DynamicSpan[] {
  const spans: DynamicSpan[] = [];
  for (const { kind, re } of PATTERNS) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) spans.push({ kind, offset: m.index, text: m[0] });
  }
  spans.sort((a, b) => a.offset - b.offset || b.text.length - a.text.length);
  const out: DynamicSpan[] = [];
  let end = -1;
  for (const s of spans) {
    if (s.offset >= end) {
      out.push(s);
      end = s.offset + s.text.length;
    }
  }
  return out;
}

/**
 * Offsets where a cache breakpoint can sit: ends of Markdown sections and paragraphs (a blank line or a
 * heading starts a new block), plus the end of the text.
 */
export function blockBoundaries(text: string): number[] {
  const out = new Set<number>();
  const re = /\n[ \t]*\n+|\n(?=#{1,6} )/g;
  for (const m of text.matchAll(re)) out.add(m.index + m[0].length);
  out.add(text.length);
  return [...out].sort((a, b) => a - b);
}
