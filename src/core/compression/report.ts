import { locateEdits } from './locate';
import { visibleSnippet } from './text';
import type { PipelineResult } from './runPipeline';
import type { Edit } from './types';

/** What a report says besides the pipeline's result. */
export interface ReportInput {
  /** The compressed file's workspace path or name. */
  source: string;
  result: PipelineResult;
  /** Encoding the tokens were counted with (o200k_base, cl100k_base…). */
  encoding: string;
  /** Pipeline name and the enabled strategy ids in order. */
  pipeline: { name?: string; steps: string[] };
  /** Cost of one request's input before and after, per model (exact counts with each model's encoding). */
  costs?: ReadonlyArray<{ model: string; beforeUsd: number | null; afterUsd: number | null }>;
  /** When the report was made (ISO time); left out of the report when absent, so reports can be diffed. */
  generatedAt?: string;
}

const MAX_SNIPPET = 80;

/** A snippet of prompt text safe inside a Markdown table cell: one line, whitespace visible, escaped, shortened. */
function cell(text: string): string {
  const short = visibleSnippet(text, MAX_SNIPPET);
  return short === '' ? '∅' : '`' + short.replace(/`/g, 'ˋ').replace(/\|/g, '\\|') + '`';
}

const text = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const pct = (ratio: number) => `${((1 - ratio) * 100).toFixed(1)} %`;
const usd = (v: number | null) =>
  v === null ? 'no price' : v < 0.01 ? `$${v.toFixed(6)}` : `$${v.toFixed(4)}`;

function summary(input: ReportInput): string[] {
  const { totals } = input.result;
  const lines = [
    `| | tokens (${input.encoding}) |`,
    '|---|---:|',
    `| original | ${totals.tokensBefore} |`,
    `| compressed | ${totals.tokensAfter} |`,
    `| saved | ${totals.saved} (${pct(totals.ratio)}) |`,
  ];
  if (input.costs && input.costs.length > 0) {
    lines.push(
      '',
      '| model | input cost / request, original | compressed | saved per 1,000 requests |',
      '|---|---:|---:|---:|',
    );
    for (const c of input.costs) {
      const per1k =
        c.beforeUsd === null || c.afterUsd === null ? 'no price' : usd((c.beforeUsd - c.afterUsd) * 1000);
      lines.push(`| ${text(c.model)} | ${usd(c.beforeUsd)} | ${usd(c.afterUsd)} | ${per1k} |`);
    }
  }
  return lines;
}

function byStrategy(result: PipelineResult): string[] {
  const rows = new Map<string, { edits: number; saved: number; rejected: number; blocked: number }>();
  for (const s of result.stages) {
    const row = rows.get(s.strategy) ?? { edits: 0, saved: 0, rejected: 0, blocked: 0 };
    row.edits += s.edits.length;
    row.saved += s.saved;
    row.rejected += s.rejected.length;
    row.blocked += s.blocked.length;
    rows.set(s.strategy, row);
  }
  return [
    '| strategy | edits applied | tokens saved | rejected by you | blocked by guards |',
    '|---|---:|---:|---:|---:|',
    ...[...rows].map(([id, r]) => `| ${id} | ${r.edits} | ${r.saved} | ${r.rejected} | ${r.blocked} |`),
  ];
}

function sections(result: PipelineResult): string[] {
  if (result.sections.length <= 1) return [];
  return [
    '## Sections',
    '',
    '| section | tokens before | after | saved |',
    '|---|---:|---:|---:|',
    ...result.sections.map(
      (s) =>
        `| ${text(s.title || '(top)')} | ${s.tokensBefore} | ${s.tokensAfter} | ${s.tokensBefore - s.tokensAfter} |`,
    ),
    '',
  ];
}

function guards(result: PipelineResult): string[] {
  const g = result.guardReport;
  const kinds = Object.entries(g.spansByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const lines = [
    '## Guard report',
    '',
    `Protected spans: ${g.protectedSpans}${kinds ? ` (${kinds})` : ''}. Edits blocked: ${g.blocked}. ` +
      (g.droppedWithUnits > 0
        ? `${g.droppedWithUnits} protected spans went with whole examples a lossy strategy removed. `
        : '') +
      (g.verified
        ? 'The output was re-checked against the input: every protected span and negation is intact.'
        : 'The output was not re-checked.'),
    '',
  ];
  const blocked = locateEdits(result).filter((l) => l.status === 'blocked');
  if (blocked.length > 0) {
    lines.push('| strategy | rule | would have changed | protected | why |', '|---|---|---|---|---|');
    for (const b of blocked) {
      lines.push(
        `| ${b.edit.strategy} | ${b.edit.ruleId} | ${cell(b.edit.before)} | ${b.blockedBy!.kind} | ${text(b.blockedBy!.reason)} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

function editRows(edits: readonly Edit[]): string[] {
  return edits.map(
    (e) =>
      `| ${e.strategy} | ${e.ruleId} | ${cell(e.before)} | ${cell(e.after)} | ${e.tokensSaved}${e.tokensExact ? '' : ' ≈'} | ${text(e.reason)} |`,
  );
}

/**
 * A Markdown report of a compression run: totals and costs, savings per strategy and section, the guard
 * report with every blocked edit, and every applied and rejected edit with its reason and token saving.
 * Deterministic for the same input (no timestamp unless given).
 */
export function compressionReport(input: ReportInput): string {
  const { result } = input;
  const located = locateEdits(result);
  const applied = located.filter((l) => l.status === 'applied').map((l) => l.edit);
  const rejected = located.filter((l) => l.status === 'rejected').map((l) => l.edit);
  const header = '| strategy | rule | before | after | tokens saved | why |\n|---|---|---|---|---:|---|';
  const lines = [
    `# Compression report: ${text(input.source)}`,
    '',
    `Pipeline: ${input.pipeline.name ? `${text(input.pipeline.name)} — ` : ''}${input.pipeline.steps.join(' → ') || '(no step enabled)'}.` +
      (input.generatedAt ? ` Generated ${input.generatedAt}.` : ''),
    '',
    ...summary(input),
    '',
    '## Savings by strategy',
    '',
    ...byStrategy(result),
    '',
    ...sections(result),
    ...guards(result),
    `## Edits applied (${applied.length})`,
    '',
    ...(applied.length > 0 ? [header, ...editRows(applied)] : ['None.']),
    '',
  ];
  if (rejected.length > 0) {
    lines.push(`## Edits you rejected (${rejected.length})`, '', header, ...editRows(rejected), '');
  }
  lines.push(
    'Token savings are exact: each edit was measured on a window cut where the tokenizer cannot join the two sides (≈ marks the rare local estimate).',
    '',
  );
  return lines.join('\n');
}
