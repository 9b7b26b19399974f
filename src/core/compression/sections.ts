import type { SpanIndex } from './spanIndex';
import { nextLineMatch, type LinePattern } from './text';
import type { Range } from './types';

/** A Markdown section: a heading line and everything up to the next heading (the preamble has level 0). */
export interface Section extends Range {
  title: string;
  level: number;
}

/** Tried at line starts only (nextLineMatch), on lines that begin with a space or "#". */
const ATX: LinePattern = { re: / {0,3}(#{1,6})[ \t]+([^\n]*?)(?:[ \t]+#+)?[ \t]*\r?(?![^\n])/y, first: ' #' };

/**
 * Splits text at ATX headings outside code. Every cut sits right after a newline and before spaces and "#",
 * a safe cut for the GPT pre-tokenizers, so the sections' token counts add up to the text's.
 */
export function markdownSections(text: string, spans: SpanIndex): Section[] {
  const starts: Array<{ at: number; title: string; level: number }> = [];
  for (let m = nextLineMatch(ATX, text, 0); m; m = nextLineMatch(ATX, text, m.index + m[0].length)) {
    if (spans.inCode(m.index, m.index + m[0].length)) continue;
    starts.push({ at: m.index, title: m[2]!.trim(), level: m[1]!.length });
  }
  const sections: Section[] = [];
  if (starts.length === 0 || starts[0]!.at > 0) {
    sections.push({ start: 0, end: starts[0]?.at ?? text.length, title: '', level: 0 });
  }
  starts.forEach((s, i) => {
    sections.push({ start: s.at, end: starts[i + 1]?.at ?? text.length, title: s.title, level: s.level });
  });
  return sections;
}
