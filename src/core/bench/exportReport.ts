import { formatUsd } from '../pricing/cost';
import { paretoFront, type GroupReport, type VariantDelta } from './report';
import type { CellResult } from './types';

/**
 * A benchmark report as the exporters read it: structurally the `BenchReport` of src/shared/bench.ts (core may
 * not import shared), so a BenchReport can be passed as is.
 */
export interface BenchReportData {
  runId?: string;
  /** When the run started, ISO 8601. */
  createdAt?: string;
  config: {
    file: string;
    golden: { file: string; cases: number; format: string };
    variants: readonly string[];
    models: readonly string[];
    repeats: number;
    maxTokens: number;
    temperature?: number | null;
    budgetUsd: number | null;
    baseline: string;
  };
  status: string;
  estimate: { usd: number };
  spentUsd: number;
  providerCalls: number;
  cachedCells: number;
  groups: readonly GroupReport[];
  deltas: readonly VariantDelta[];
  tolerancePts: number;
  cheapest: GroupReport | null;
  cheapestAt: number;
  thresholds: {
    minPassRate: number | null;
    maxQualityDrop: number | null;
    passed: boolean;
    failures: readonly { kind: string; variant: string; model: string; message: string }[];
  };
  cells: readonly CellResult[];
}

// ---- number formats (the CLI's, so the Markdown report reads the same wherever it is written) ----

const int = (n: number): string => n.toLocaleString('en-US');
const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;
function usd(value: number | null): string {
  if (value === null) return 'no price';
  if (value < 0) return `-${usd(-value)}`;
  if (value >= 1)
    return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return formatUsd(value);
}
const ms = (v: number | null) => (v === null ? '-' : `${int(Math.round(v))} ms`);
const cost = (v: number | null) => (v === null ? '-' : usd(v));
const passRateText = (g: GroupReport) =>
  `${percent(g.passRate)} [${percent(g.passRateCi.low)}–${percent(g.passRateCi.high)}]`;

// ---- CSV ----

/** The columns of `reportCsv`, in order (docs/formats/bench-report.md). */
export const REPORT_CSV_COLUMNS = [
  'run_id',
  'variant',
  'model',
  'case_id',
  'repeat',
  'status',
  'pass',
  'score',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'cost_usd',
  'list_cost_usd',
  'latency_ms',
  'cached',
  'error_code',
  'output',
] as const;

/** A number as plain decimal text (never `1e-7`, which some spreadsheets read as text); empty when unknown. */
export function plainNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2]! + (m[3] ?? '');
  const exp = Number(m[4]);
  const body =
    exp < 0
      ? `0.${'0'.repeat(-exp - 1)}${digits}`
      : digits.length > exp + 1
        ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
        : digits.padEnd(exp + 1, '0');
  return m[1] + body;
}

/**
 * Text a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+`, `-`, `@`, or a leading tab or CR) gets a
 * leading apostrophe: model outputs and case ids are untrusted text, and the file is opened in spreadsheets.
 */
const defuse = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The report's cells as CSV (RFC 4180: CRLF line ends, fields with quotes, commas or line breaks quoted), one
 * row per cell with the columns of REPORT_CSV_COLUMNS. Numbers are plain decimals (costs in USD at catalog
 * prices, tokens as the provider reported them); text fields that a spreadsheet would take for a formula
 * start with an apostrophe. `bom` prefixes a UTF-8 byte-order mark, which Excel needs to read UTF-8.
 */
export function reportCsv(report: BenchReportData, options: { bom?: boolean } = {}): string {
  const text = (s: string | undefined) => csvField(defuse(s ?? ''));
  const rows = [REPORT_CSV_COLUMNS.join(',')];
  for (const c of report.cells) {
    rows.push(
      [
        text(report.runId),
        text(c.variant),
        text(c.model),
        text(c.caseId),
        String(c.repeat),
        text(c.status),
        c.score ? String(c.score.pass) : '',
        plainNumber(c.score?.score),
        plainNumber(c.usage?.inputTokens),
        plainNumber(c.usage?.outputTokens),
        plainNumber(c.usage?.cacheRead),
        plainNumber(c.costUsd),
        plainNumber(c.listCostUsd ?? (c.status === 'ok' ? c.costUsd : undefined)),
        plainNumber(c.latencyMs),
        String(c.cached),
        text(c.error?.code),
        text(c.output),
      ].join(','),
    );
  }
  return `${options.bom ? '\uFEFF' : ''}${rows.join('\r\n')}\r\n`;
}

// ---- Markdown (the CLI's --md report) ----

/** The per variant × model table's columns, as the Markdown report and the CLI print them. */
export const REPORT_TABLE_HEADER = [
  'variant',
  'model',
  'pass rate [95% CI]',
  'passed',
  'score',
  'input tok',
  'output tok',
  'cost/case',
  'cost/1k req',
  'p50',
  'p95',
];
export const REPORT_TABLE_ALIGN: Array<'l' | 'r'> = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];

/** The table's rows: one per variant × model. */
export function reportTableRows(groups: readonly GroupReport[]): string[][] {
  return groups.map((g) => [
    g.variant,
    g.model,
    passRateText(g),
    `${g.passes}/${g.n}${g.errors ? ` (${g.errors} err)` : ''}`,
    g.meanScore.toFixed(3),
    int(g.tokens.input),
    int(g.tokens.output),
    cost(g.costPerCase),
    cost(g.costPer1k),
    ms(g.latencyP50Ms),
    ms(g.latencyP95Ms),
  ]);
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown report of a run: the same text as `promptpress bench --md`. */
export function reportMarkdown(r: BenchReportData): string {
  let out = `# Benchmark: ${r.config.file}\n\n`;
  out += `Golden set ${r.config.golden.file} (${r.config.golden.cases} cases), ${r.config.repeats} repeat(s), maxTokens ${r.config.maxTokens}. `;
  out += `${int(r.cells.length)} cells, ${int(r.providerCalls)} model calls, spent ${usd(r.spentUsd)} (worst case ${usd(r.estimate.usd)}). Status: ${r.status}.\n\n`;
  out += `| ${REPORT_TABLE_HEADER.join(' | ')} |\n| ${REPORT_TABLE_ALIGN.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |\n`;
  for (const row of reportTableRows(r.groups)) out += `| ${row.map(mdCell).join(' | ')} |\n`;
  if (r.deltas.length) {
    out += `\n## Against the baseline "${r.config.baseline}"\n\n`;
    for (const d of r.deltas) out += `- **${d.variant}** on ${d.model}: ${d.summary}\n`;
  }
  out += `\n## Cheapest passing\n\n`;
  out += r.cheapest
    ? `${r.cheapest.variant} × ${r.cheapest.model}: ${cost(r.cheapest.costPerCase)} per case, pass rate ${percent(r.cheapest.passRate)} (threshold ${percent(r.cheapestAt)}).\n`
    : `No variant × model reaches a pass rate of ${percent(r.cheapestAt)}.\n`;
  if (r.thresholds.minPassRate !== null || r.thresholds.maxQualityDrop !== null) {
    out += `\n## Thresholds: ${r.thresholds.passed ? 'passed' : 'FAILED'}\n\n`;
    for (const f of r.thresholds.failures) out += `- ${f.message}\n`;
  }
  return out;
}

// ---- JSON ----

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortKeys(o[k])]),
  );
}

/**
 * The whole report as pretty JSON (2 spaces, trailing newline) with object keys sorted at every level, so the
 * same report always gives the same text and two exports diff cleanly.
 */
export function reportJson(report: BenchReportData): string {
  return `${JSON.stringify(sortKeys(report), null, 2)}\n`;
}

// ---- HTML ----

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in HTML content and quoted attributes; control characters HTML cannot show become U+FFFD. */
function escapeHtml(s: string): string {
  return (
    s
      .replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD')
  );
}
const h = escapeHtml;

/** Bytes of `s` in UTF-8 (core has no TextEncoder). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
function cut(s: string, max: number): { text: string; cut: boolean } {
  if (s.length <= max) return { text: s, cut: false };
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return { text: s.slice(0, Math.max(0, end)), cut: true };
}

const CSS = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#5b6470;--bg:#fff;--panel:#f5f7f9;--line:#d6dbe1;
--pass:#1a7f37;--fail:#c0262d;--warn:#9a6700;--accent:#0b62c4;--front:#8250df}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ed;--muted:#9aa4b0;--bg:#121417;--panel:#1b1f24;
--line:#343a42;--pass:#4ac26b;--fail:#ff7b72;--warn:#d29922;--accent:#58a6ff;--front:#c297ff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:24px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;
color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px}
code,pre{font:12px/1.4 ui-monospace,"SF Mono",Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;margin:0;max-height:16em;overflow:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dt{color:var(--muted)}dd{margin:0}
table{border-collapse:collapse;width:100%;margin:4px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
.note{color:var(--muted);font-size:12px}.pass{color:var(--pass)}.fail{color:var(--fail)}.warn{color:var(--warn)}
.badge{display:inline-block;padding:0 6px;border-radius:8px;border:1px solid currentColor;font-size:12px}
tr.best td{background:var(--panel)}
details{border:1px solid var(--line);border-radius:6px;margin:4px 0;padding:2px 8px}
summary{cursor:pointer}details table{font-size:13px}ul{margin:0;padding-left:16px}
svg{width:100%;max-width:960px;height:auto;color:var(--fg)}
svg .axis{stroke:var(--muted);stroke-width:1}svg .grid{stroke:var(--line);stroke-width:1}
svg text{fill:var(--fg);font-size:11px}svg .tick{fill:var(--muted)}
svg .pt{fill:var(--accent);stroke:var(--bg);stroke-width:1}svg .pt.pareto{fill:var(--front);stroke:var(--fg)}
svg .front{fill:none;stroke:var(--front);stroke-width:2;stroke-dasharray:5 3}
svg .ci{stroke:var(--accent);stroke-width:1;opacity:.6}svg .lead{stroke:var(--muted);stroke-width:.75}
`.trim();

/** Options of reportHtml. */
export interface HtmlReportOptions {
  /** The page title; default "Benchmark: <config file>". */
  title?: string;
}

/** Past this many bytes the per-case list is cut harder (outputs shorter, then failures only). */
const PAGE_BUDGET_BYTES = 1_900_000;

interface CaseLevel {
  /** Characters of each output shown (0: none). */
  output: number;
  /** Characters of each assertion reason shown. */
  reason: number;
  failuresOnly: boolean;
}
const LEVELS: readonly CaseLevel[] = [
  { output: 2000, reason: 400, failuresOnly: false },
  { output: 500, reason: 200, failuresOnly: false },
  { output: 200, reason: 120, failuresOnly: false },
  { output: 80, reason: 80, failuresOnly: false },
  { output: 0, reason: 60, failuresOnly: false },
  { output: 200, reason: 120, failuresOnly: true },
  { output: 0, reason: 60, failuresOnly: true },
];

function header(r: BenchReportData, title: string): string {
  const c = r.config;
  const row = (k: string, v: string) => `<dt>${h(k)}</dt><dd>${v}</dd>`;
  const status =
    r.status === 'completed'
      ? `<span class="pass">completed</span>`
      : `<span class="warn">${h(r.status)}</span>`;
  const budget = c.budgetUsd === null ? 'no cap' : `cap ${h(usd(c.budgetUsd))}`;
  let out = `<header><h1>${h(title)}</h1><dl>`;
  out += row('Config', `<code>${h(c.file)}</code>`);
  out += row(
    'Golden set',
    `<code>${h(c.golden.file)}</code> (${h(int(c.golden.cases))} cases, ${h(c.golden.format)})`,
  );
  out += row('Variants', c.variants.map((v) => (v === c.baseline ? `${h(v)} (baseline)` : h(v))).join(', '));
  out += row('Models', c.models.map(h).join(', '));
  out += row(
    'Requests',
    `${h(int(r.cells.length))} cells (${h(String(c.repeats))} repeat(s), maxTokens ${h(String(c.maxTokens))}${
      c.temperature !== undefined && c.temperature !== null ? `, temperature ${h(String(c.temperature))}` : ''
    }), ${h(int(r.providerCalls))} model calls, ${h(int(r.cachedCells))} from cache`,
  );
  out += row(
    'Spend',
    `${h(usd(r.spentUsd))} spent (worst-case estimate ${h(usd(r.estimate.usd))}, ${budget})`,
  );
  out += row('Status', status);
  if (r.thresholds.minPassRate !== null || r.thresholds.maxQualityDrop !== null)
    out += row(
      'Thresholds',
      r.thresholds.passed ? '<span class="pass">passed</span>' : '<span class="fail">FAILED</span>',
    );
  if (r.runId !== undefined) out += row('Run', `<code>${h(r.runId)}</code>`);
  if (r.createdAt !== undefined) out += row('Started', h(r.createdAt));
  return `${out}</dl></header>\n`;
}

function groupTable(r: BenchReportData): string {
  const th = (s: string, n = true) => `<th${n ? ' class="n"' : ''}>${h(s)}</th>`;
  const td = (s: string, n = true) => `<td${n ? ' class="n"' : ''}>${h(s)}</td>`;
  let out = '<section id="groups"><h2>Per variant × model</h2><table><thead><tr>';
  out += th('variant', false) + th('model', false);
  for (const c of [
    'pass rate [95% CI]',
    'passed',
    'mean score',
    'input tok',
    'output tok',
    'cached tok',
    'cost/case',
    'cost/1k req',
    'p50',
    'p95',
  ])
    out += th(c);
  out += '</tr></thead><tbody>';
  for (const g of r.groups) {
    const best = r.cheapest && r.cheapest.variant === g.variant && r.cheapest.model === g.model;
    out += `<tr${best ? ' class="best"' : ''}>`;
    out += `<td>${h(g.variant)}${g.variant === r.config.baseline ? ' <span class="note">(baseline)</span>' : ''}</td>`;
    out += `<td>${h(g.model)}${best ? ' <span class="badge pass">cheapest passing</span>' : ''}</td>`;
    out += td(passRateText(g));
    out += td(
      `${g.passes}/${g.n}${g.errors ? ` (${g.errors} err)` : ''}${g.skipped ? ` (${g.skipped} skipped)` : ''}`,
    );
    out += td(g.meanScore.toFixed(3));
    out += td(int(g.tokens.input)) + td(int(g.tokens.output)) + td(int(g.tokens.cached));
    out += td(cost(g.costPerCase)) + td(cost(g.costPer1k));
    out += td(ms(g.latencyP50Ms)) + td(ms(g.latencyP95Ms));
    out += '</tr>';
  }
  out += '</tbody></table>';
  out +=
    '<p class="note">Pass rate: scored cells that passed, with its 95% Wilson interval (errors and skipped cells ' +
    'are not scored). Tokens: as the providers reported them. Cost per case and per 1,000 requests: catalog ' +
    'prices applied to the reported usage, judge calls included, cached answers at their original cost. ' +
    'Latency: fresh calls only.</p></section>\n';
  return out;
}

function deltasSection(r: BenchReportData): string {
  if (!r.deltas.length) return '';
  let out = `<section id="deltas"><h2>Against the baseline “${h(r.config.baseline)}”</h2>`;
  out +=
    '<table><thead><tr><th>variant</th><th>model</th><th class="n">quality Δ (pts)</th><th class="n">cost Δ</th><th>verdict</th><th>summary</th></tr></thead><tbody>';
  for (const d of r.deltas) {
    const cls = d.verdict === 'kept' ? 'pass' : 'fail';
    out += `<tr><td>${h(d.variant)}</td><td>${h(d.model)}</td>`;
    out += `<td class="n">${h(d.qualityDeltaPts.toFixed(1))}</td>`;
    out += `<td class="n">${d.costDeltaPct === null ? '-' : h(`${d.costDeltaPct.toFixed(0)}%`)}</td>`;
    out += `<td><span class="badge ${cls}">${h(d.verdict)}</span></td><td>${h(d.summary)}</td></tr>`;
  }
  out += `</tbody></table><p class="note">Quality: pass rate; a variant is kept when it loses at most ${h(String(r.tolerancePts))} pts.</p></section>\n`;
  return out;
}

function cheapestSection(r: BenchReportData): string {
  let out = '<section id="cheapest"><h2>Cheapest passing</h2><p>';
  out += r.cheapest
    ? `<strong>${h(r.cheapest.variant)} × ${h(r.cheapest.model)}</strong>: ${h(cost(r.cheapest.costPerCase))} per case, pass rate ${h(percent(r.cheapest.passRate))} (threshold ${h(percent(r.cheapestAt))}).`
    : `No variant × model reaches a pass rate of ${h(percent(r.cheapestAt))}.`;
  out += '</p>';
  if (r.thresholds.failures.length)
    out += `<ul>${r.thresholds.failures.map((f) => `<li class="fail">${h(f.message)}</li>`).join('')}</ul>`;
  return `${out}</section>\n`;
}

/** "Nice" tick values (1, 2, 5 × 10^k) from 0 to past `max`. */
function linearTicks(max: number): number[] {
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * The cost-vs-quality scatter: x = cost per case (log scale when costs span more than 20×), y = pass rate
 * with its 95% interval; one dot per variant × model, the Pareto front drawn as a line through its dots.
 */
function scatterSvg(groups: readonly GroupReport[]): string {
  const pts = groups.filter((g) => g.n > 0 && g.costPerCase !== null);
  if (!pts.length) return '<p class="note">No variant × model has both a cost and a scored cell to plot.</p>';
  const front = paretoFront(groups);
  const onFront = new Set(front);
  const W = 720;
  const H = 380;
  const L = 64;
  const R = 24;
  const T = 16;
  const B = 48;
  const costs = pts.map((g) => g.costPerCase!);
  const lo = Math.min(...costs);
  const hi = Math.max(...costs);
  const log = lo > 0 && hi / lo > 20;
  let ticks: number[];
  let xOf: (c: number) => number;
  if (log) {
    const a = Math.floor(Math.log10(lo));
    const b = Math.ceil(Math.log10(hi));
    ticks = [];
    for (let k = a; k <= b; k++) ticks.push(10 ** k);
    xOf = (c) => L + ((Math.log10(c) - a) / Math.max(1, b - a)) * (W - L - R);
  } else {
    ticks = linearTicks(hi > 0 ? hi : 1);
    const top = ticks[ticks.length - 1]!;
    xOf = (c) => L + (c / top) * (W - L - R);
  }
  const yOf = (p: number) => T + (1 - p) * (H - T - B);
  const f = (n: number) => n.toFixed(1);
  let out = `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="chart-title">`;
  out += '<title id="chart-title">Pass rate against cost per case, per variant × model</title>';
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    out += `<line class="grid" x1="${L}" x2="${W - R}" y1="${f(yOf(p))}" y2="${f(yOf(p))}"/>`;
    out += `<text class="tick" x="${L - 6}" y="${f(yOf(p) + 4)}" text-anchor="end">${p * 100}%</text>`;
  }
  for (const t of ticks) {
    const x = f(xOf(t));
    out += `<line class="grid" x1="${x}" x2="${x}" y1="${T}" y2="${H - B}"/>`;
    out += `<text class="tick" x="${x}" y="${H - B + 16}" text-anchor="middle">$${plainNumber(Number(t.toPrecision(12)))}</text>`;
  }
  out += `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>`;
  out += `<line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}"/>`;
  out += `<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">cost per case (USD, list price${log ? ', log scale' : ''})</text>`;
  out += `<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">pass rate</text>`;
  if (front.length > 1)
    out += `<polyline class="front" points="${front.map((g) => `${f(xOf(g.costPerCase!))},${f(yOf(g.passRate))}`).join(' ')}"/>`;
  const placed: { x1: number; x2: number; y: number }[] = [];
  for (const g of pts) {
    const x = xOf(g.costPerCase!);
    const y = yOf(g.passRate);
    const pareto = onFront.has(g);
    const label = `${g.variant} × ${g.model}`;
    const tip = `${label}: pass rate ${passRateText(g)}, ${cost(g.costPerCase)} per case${pareto ? ', on the Pareto front' : ''}`;
    out += `<line class="ci" x1="${f(x)}" x2="${f(x)}" y1="${f(yOf(g.passRateCi.low))}" y2="${f(yOf(g.passRateCi.high))}"/>`;
    out += `<circle class="pt${pareto ? ' pareto' : ''}" cx="${f(x)}" cy="${f(y)}" r="${pareto ? 6 : 4.5}"><title>${h(tip)}</title></circle>`;
    // A label goes beside its dot where it overlaps no label already placed: right, left, then a row or
    // more above or below (with a leader line back to the dot).
    const width = Math.min(label.length, 40) * 6.2;
    let spot = { left: false, dy: 0 };
    for (const dy of [0, 12, -12, 24, -24, 36, -36]) {
      const free = [false, true].find((left) => {
        const x1 = left ? x - 8 - width : x + 8;
        const ly = y + 4 + dy;
        return (
          x1 >= 0 &&
          x1 + width <= W &&
          ly >= T + 8 &&
          ly <= H - B &&
          !placed.some((p) => Math.abs(p.y - ly) < 12 && x1 < p.x2 && p.x1 < x1 + width)
        );
      });
      if (free !== undefined) {
        spot = { left: free, dy };
        break;
      }
    }
    const x1 = spot.left ? x - 8 - width : x + 8;
    const ly = y + 4 + spot.dy;
    placed.push({ x1, x2: x1 + width, y: ly });
    if (spot.dy !== 0)
      out += `<line class="lead" x1="${f(x)}" y1="${f(y)}" x2="${f(spot.left ? x - 6 : x + 6)}" y2="${f(ly - 4)}"/>`;
    const shown = label.length > 40 ? `${label.slice(0, 39)}…` : label;
    out += `<text x="${f(spot.left ? x - 8 : x + 8)}" y="${f(ly)}"${spot.left ? ' text-anchor="end"' : ''}>${h(shown)}</text>`;
  }
  out += '</svg>';
  const missing = groups.filter((g) => !pts.includes(g));
  out += `<p class="note"><span class="front-key">Dashed line and larger dots: the Pareto front (${front.length} of ${pts.length}): no other variant × model is both cheaper and at least as good. Whiskers: 95% interval of the pass rate.</span>`;
  if (missing.length)
    out += ` Not plotted (no cost or no scored cell): ${missing.map((g) => h(`${g.variant} × ${g.model}`)).join(', ')}.`;
  return `${out}</p>`;
}

function cellVerdict(c: CellResult): { cls: string; text: string } {
  if (c.status === 'error') return { cls: 'fail', text: `error ${c.error?.code ?? ''}`.trim() };
  if (c.status === 'skipped')
    return { cls: 'warn', text: `skipped${c.skipReason ? ` (${c.skipReason})` : ''}` };
  if (!c.score) return { cls: 'warn', text: 'unscored' };
  return c.score.pass ? { cls: 'pass', text: 'pass' } : { cls: 'fail', text: 'fail' };
}
const isFailure = (c: CellResult) =>
  c.status === 'error' || (c.status === 'ok' && !!c.score && !c.score.pass);

interface CasesRender {
  html: string;
  bytes: number;
}

/** The per-case list at one level of detail; `maxRows` caps the rows listed. */
function casesSection(cells: readonly CellResult[], level: CaseLevel, maxRows = Infinity): CasesRender {
  const byCase = new Map<string, CellResult[]>();
  for (const c of cells) {
    const list = byCase.get(c.caseId);
    if (list) list.push(c);
    else byCase.set(c.caseId, [c]);
  }
  let cutOutputs = 0;
  let rows = 0;
  let hidden = 0;
  const body: string[] = [];
  for (const [caseId, list] of byCase) {
    const scored = list.filter((c) => c.status === 'ok' && c.score);
    const passed = scored.filter((c) => c.score!.pass).length;
    const failed = list.filter(isFailure).length;
    const shown = list.filter((c) => !level.failuresOnly || isFailure(c));
    if (level.failuresOnly && !shown.length) continue;
    if (rows >= maxRows) {
      hidden += shown.length;
      continue;
    }
    let part = `<details><summary><code>${h(caseId)}</code> — ${passed}/${scored.length} passed${failed ? ` <span class="fail">(${failed} failed)</span>` : ''}</summary>`;
    if (shown.length) {
      part +=
        '<table><thead><tr><th>variant</th><th>model</th><th class="n">#</th><th>result</th><th class="n">score</th>' +
        `${level.output > 0 ? '<th>output</th>' : ''}<th>assertions</th></tr></thead><tbody>`;
      for (const c of shown) {
        if (rows >= maxRows) {
          hidden++;
          continue;
        }
        rows++;
        const v = cellVerdict(c);
        part += `<tr><td>${h(c.variant)}</td><td>${h(c.model)}</td><td class="n">${c.repeat}</td>`;
        part += `<td class="${v.cls}">${h(v.text)}</td><td class="n">${c.score ? h(c.score.score.toFixed(3)) : '-'}</td>`;
        if (level.output > 0) {
          const o = cut(c.output ?? '', level.output);
          if (o.cut) cutOutputs++;
          part += `<td><pre>${h(o.text)}${o.cut ? '<span class="note"> … (cut)</span>' : ''}</pre></td>`;
        }
        const items: string[] = [];
        if (c.error)
          items.push(
            `<li class="fail">${h(cut(`${c.error.code}: ${c.error.message}`, level.reason).text)}</li>`,
          );
        for (const a of c.score?.results ?? []) {
          const reason = cut(a.reason, level.reason);
          items.push(
            `<li class="${a.pass ? 'pass' : 'fail'}">${h(a.name ?? a.type)}: ${a.pass ? 'pass' : 'fail'} (${h(String(Math.round(a.score * 1000) / 1000))}${a.weight !== 1 ? `, weight ${h(String(a.weight))}` : ''}) ${h(reason.text)}${reason.cut ? '…' : ''}</li>`,
          );
        }
        part += `<td>${items.length ? `<ul>${items.join('')}</ul>` : ''}</td></tr>`;
      }
      part += '</tbody></table>';
    }
    body.push(`${part}</details>`);
  }
  const notes: string[] = [];
  if (level.output === 0) notes.push('Outputs are left out to keep this page small.');
  else if (cutOutputs)
    notes.push(
      `${int(cutOutputs)} output(s) are cut to ${int(level.output)} characters to keep this page small.`,
    );
  if (level.failuresOnly) notes.push('Only failed and errored cells are listed.');
  if (hidden) notes.push(`${int(hidden)} more cell(s) are not listed.`);
  if (notes.length) notes.push('The CSV and JSON exports have every cell and output in full.');
  const html =
    `<section id="cases"><h2>Per case</h2>${notes.length ? `<p class="note" id="truncation">${h(notes.join(' '))}</p>` : ''}` +
    `${body.join('\n')}</section>\n`;
  return { html, bytes: utf8Length(html) };
}

/** The most detailed per-case list that fits `budget` bytes. */
function fittedCases(cells: readonly CellResult[], budget: number): string {
  let last: CasesRender | undefined;
  for (const level of LEVELS) {
    // the outputs alone are a lower bound on the size: skip a level they already overflow without rendering it
    let floor = 0;
    for (const c of cells)
      if (!level.failuresOnly || isFailure(c)) floor += Math.min(c.output?.length ?? 0, level.output);
    if (floor > budget) continue;
    last = casesSection(cells, level);
    if (last.bytes <= budget) return last.html;
  }
  // Even failures alone are too many: list as many as fit.
  const level = LEVELS[LEVELS.length - 1]!;
  last ??= casesSection(cells, level);
  const total = cells.filter(isFailure).length;
  let maxRows = Math.floor(total * (budget / last.bytes) * 0.9);
  for (;;) {
    const r = casesSection(cells, level, maxRows);
    if (r.bytes <= budget || maxRows === 0) return r.html;
    maxRows = Math.floor(maxRows * 0.8);
  }
}

/**
 * The report as one self-contained HTML page: inline CSS (light and dark by the reader's colour scheme), no
 * script, no external reference, readable offline. It has the config summary, the per variant × model table,
 * the deltas against the baseline, the cheapest passing variant × model, an inline SVG scatter of pass rate
 * against cost per case with the Pareto front marked, and each case's cells (output, score, every assertion)
 * in <details>. Every string from the report is escaped. The per-case list is cut (shorter outputs, then
 * failures only) to keep the page under about 2 MB, and the page says so.
 */
export function reportHtml(report: BenchReportData, options: HtmlReportOptions = {}): string {
  const title = options.title ?? `Benchmark: ${report.config.file}`;
  const head =
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    // No network, no script, even if a string slipped through unescaped.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="color-scheme" content="light dark">\n' +
    `<meta name="generator" content="PromptPress">\n<title>${h(title)}</title>\n<style>\n${CSS}\n</style>\n</head>\n<body>\n`;
  const top =
    head +
    header(report, title) +
    groupTable(report) +
    deltasSection(report) +
    cheapestSection(report) +
    `<section id="chart"><h2>Cost vs quality</h2>${scatterSvg(report.groups)}</section>\n`;
  const tail = '</body>\n</html>\n';
  const budget = PAGE_BUDGET_BYTES - utf8Length(top) - utf8Length(tail);
  return top + fittedCases(report.cells, Math.max(0, budget)) + tail;
}
