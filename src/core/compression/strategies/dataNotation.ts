import type { StrategyContext } from '../strategy';
import { lineRemovals, splitLines, type Line } from '../text';
import type { ProposedEdit } from '../types';

const ALIGN_ROW = /^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$/;
const ROW = /^[ \t]*\|.*\|[ \t]*$/;

interface Cell {
  /** The cell's text without its padding, [start, end) in the text. */
  start: number;
  end: number;
}

/** The cells of a `| a | b |` row, or null when a pipe is escaped or inside a protected span. */
function cells(text: string, line: Line, ctx: StrategyContext): Cell[] | null {
  const pipes: number[] = [];
  for (let p = text.indexOf('|', line.start); p >= 0 && p < line.end; p = text.indexOf('|', p + 1)) {
    if (text[p - 1] === '\\' || ctx.spans.touches(p, p + 1)) return null;
    pipes.push(p);
  }
  if (pipes.length < 3) return null;
  const out: Cell[] = [];
  for (let k = 0; k + 1 < pipes.length; k++) {
    let a = pipes[k]! + 1;
    let b = pipes[k + 1]!;
    while (a < b && (text[a] === ' ' || text[a] === '\t')) a++;
    while (b > a && (text[b - 1] === ' ' || text[b - 1] === '\t')) b--;
    out.push({ start: a, end: b });
  }
  return out;
}

/**
 * Pipe tables → one line per row in `header:value|header:value` notation (format.data's `tablesToLines`).
 * Only the pipes, padding and header/alignment rows change: every cell's text stays where it is, so
 * protected spans inside cells are untouched. A table is one group: it is rewritten whole or not at all,
 * which is how the user picks per table (reject any of its edits).
 */
export function tableLineEdits(text: string, ctx: StrategyContext): ProposedEdit[] {
  const lines = splitLines(text);
  const edits: ProposedEdit[] = [];
  const lineText = (i: number) => text.slice(lines[i]!.start, lines[i]!.end);
  for (let h = 0; h < lines.length; h++) {
    if (!ROW.test(lineText(h)) || ctx.spans.inCode(lines[h]!.start, lines[h]!.next)) continue;
    const header = cells(text, lines[h]!, ctx);
    if (!header) continue;
    const names = header.map((c) => text.slice(c.start, c.end));
    // a header name must survive as a label: not empty, no separator of the notation in it
    if (names.some((n) => n === '' || /[:|\n]/.test(n))) continue;
    let first = h + 1;
    const aligned = first < lines.length && ALIGN_ROW.test(lineText(first));
    if (aligned) first++;
    let last = first - 1;
    const rows: Cell[][] = [];
    while (last + 1 < lines.length && ROW.test(lineText(last + 1))) {
      const row = cells(text, lines[last + 1]!, ctx);
      if (!row || row.length !== header.length) break;
      rows.push(row);
      last++;
    }
    // two rows without an alignment row may be any two lines with pipes; a real table has one
    if (rows.length === 0 || (!aligned && rows.length < 2)) continue;
    const group = `table-lines@${lines[h]!.start}`;
    const at = h + 1;
    const reason = `Table at line ${at} as one "header:value" line per row; every cell's text is kept as it is.`;
    for (const r of lineRemovals(text, lines, aligned ? [h, h + 1] : [h])) {
      edits.push({ ruleId: 'table.lines', ...r, after: '', group, reason });
    }
    rows.forEach((row, k) => {
      const line = lines[first + k]!;
      row.forEach((cell, i) => {
        const from = i === 0 ? line.start : row[i - 1]!.end;
        edits.push({
          ruleId: 'table.lines',
          start: from,
          end: cell.start,
          after: `${i === 0 ? '' : '|'}${names[i]}:`,
          group,
          reason,
        });
      });
      edits.push({
        ruleId: 'table.lines',
        start: row[row.length - 1]!.end,
        end: line.end,
        after: '',
        group,
        reason,
      });
    });
    h = last;
  }
  return edits;
}

/** Speaker labels of transcripts and the short form each pair takes. */
const QA_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['Question', 'Answer'],
  ['User', 'Assistant'],
  ['Human', 'Assistant'],
  ['Customer', 'Agent'],
];

/**
 * Q/A transcripts → `Q:` / `A:` labels (format.data's `qaLabels`): when both labels of a pair open lines
 * (`User:` and `Assistant:`), each is shortened. Only the label word changes. One group per pair, so the
 * user takes or leaves a transcript's relabelling as a whole.
 */
export function qaLabelEdits(text: string, ctx: StrategyContext): ProposedEdit[] {
  const edits: ProposedEdit[] = [];
  const taken = new Set<number>();
  for (const [q, a] of QA_PAIRS) {
    const re = new RegExp(`(?<![^\\n])[ \\t]*(${q}|${a})(?=[ \\t]*:)`, 'g');
    const found: Array<{ start: number; end: number; label: string }> = [];
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index + m[0].length - m[1]!.length;
      if (!taken.has(start) && !ctx.spans.inCode(start, start + m[1]!.length))
        found.push({ start, end: start + m[1]!.length, label: m[1]! });
    }
    if (!found.some((f) => f.label === q) || !found.some((f) => f.label === a)) continue;
    const group = `qa:${q}/${a}`;
    for (const f of found) {
      taken.add(f.start);
      const short = f.label === q ? 'Q' : 'A';
      edits.push({
        ruleId: 'qa.labels',
        start: f.start,
        end: f.end,
        after: short,
        group,
        reason: `"${q}:" / "${a}:" turns in a transcript read the same as "Q:" / "A:".`,
      });
    }
  }
  return edits;
}
