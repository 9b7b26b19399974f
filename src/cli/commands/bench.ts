import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import { writeFileAtomic } from '../../backend/services/textFiles';
import {
  REPORT_TABLE_ALIGN,
  REPORT_TABLE_HEADER,
  reportCsv,
  reportHtml,
  reportMarkdown,
  reportTableRows,
} from '../../core/bench';
import type {
  BenchEstimateResult,
  BenchFinishedEvent,
  BenchProgressEvent,
  BenchReport,
  BenchRunSummary,
} from '../../shared/bench';
import { isAppError, type ErrorCode } from '../../shared/errors';
import { EXIT, UsageError, fail, printJson, type CliIo } from '../io';
import { int, percent, table, usd } from '../format';

export const BENCH_HELP = `Usage: promptpress bench CONFIG.yaml [--variants A,B] [--models X,Y] [--budget USD] [--estimate]
       [--batch] [--json] [--junit FILE] [--md FILE] [--html FILE] [--csv FILE]
       [--min-pass-rate R] [--max-quality-drop D] [--baseline NAME]
       promptpress bench --resume RUN_ID [--budget USD] [report options]
       promptpress bench --runs

Runs every prompt variant on every model over a golden set (docs/formats/bench-config.md) and reports, per
variant × model, the pass rate with its 95% interval, mean score, tokens, cost per case and per 1k requests
and latency p50/p95; each variant against the baseline; and the cheapest variant × model that passes.
The run is refused (BUDGET_EXCEEDED) when its worst-case cost is above the budget cap. Every finished cell is
stored in the runs database (runs.db in the data folder) as it finishes; a run that was killed or stopped
resumes with --resume RUN_ID without sending its finished cells again, and unchanged cells of any later
run come from the response cache for free. Progress goes to stderr.

Options:
      --variants A,B        run only these variants
      --models X,Y          use these models instead of the config's
      --budget USD          the budget cap (overrides budget: in the config)
      --estimate            print the worst-case cost and exit without calling any model
      --batch               send through the providers' batch APIs at batch (half) prices and poll until
                            they end (minutes to hours)
      --resume RUN_ID       continue a stored run that did not finish
      --runs                list the stored runs
      --baseline NAME       the variant the others are compared to (default: baseline:, else the first)
      --min-pass-rate R     exit 2 unless every variant × model reaches pass rate R (0..1)
      --max-quality-drop D  exit 2 when a variant's pass rate is more than D (0..1, 0.02 = 2 pts) below the
                            baseline's on any model
      --json                print the full report as JSON
      --junit FILE          write JUnit XML: one testcase per variant × model × case (× repeat)
      --md FILE             write a Markdown report
      --html FILE           write a self-contained HTML report (table, verdicts, cost-vs-quality scatter)
      --csv FILE            write one CSV row per cell
      --quiet               no progress on stderr
Keys come from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY, an endpoint's own variable).
`;

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

function fraction(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`${flag} takes a number from 0 to 1.`);
  return n;
}

const cost = (v: number | null) => (v === null ? '-' : usd(v));

function estimateText(e: BenchEstimateResult): string {
  const rows = e.estimate.perModel.map((m) => [
    m.model,
    int(m.cells),
    int(m.inputTokens),
    int(m.outputTokens),
    usd(m.usd),
    m.inputMethod,
  ]);
  let out = `${e.config.file}: ${e.config.variants.length} variant(s) × ${e.config.models.length} model(s) × ${e.config.golden.cases} case(s) × ${e.config.repeats} repeat(s) = ${int(e.estimate.cells)} requests\n\n`;
  out += table(
    ['model', 'requests', 'input tok', 'max output tok', 'worst case', 'input counted with'],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'l'],
  );
  out += `\nWorst case: ${usd(e.estimate.usd)}`;
  if (e.config.budgetUsd !== null)
    out += e.withinBudget
      ? `, within the ${usd(e.config.budgetUsd)} budget.\n`
      : `, ABOVE the ${usd(e.config.budgetUsd)} budget: the run would be refused.\n`;
  else out += ' (no budget cap set).\n';
  return out + `(${e.estimate.method})\n`;
}

function humanReport(r: BenchReport): string {
  let out = `${r.config.file}: ${int(r.cells.length)} cells, ${int(r.providerCalls)} model calls, ${int(r.cachedCells)} from cache, spent ${usd(r.spentUsd)} (worst case ${usd(r.estimate.usd)})${r.status === 'completed' ? '' : ` — ${r.status}`}\n\n`;
  out += table(REPORT_TABLE_HEADER, reportTableRows(r.groups), REPORT_TABLE_ALIGN);
  if (r.deltas.length) {
    out += `\nAgainst the baseline "${r.config.baseline}":\n`;
    for (const d of r.deltas) out += `  ${d.variant} on ${d.model}: ${d.summary}\n`;
  }
  out += r.cheapest
    ? `\nCheapest passing (pass rate ≥ ${percent(r.cheapestAt)}): ${r.cheapest.variant} × ${r.cheapest.model}, ${cost(r.cheapest.costPerCase)} per case\n`
    : `\nNo variant × model reaches a pass rate of ${percent(r.cheapestAt)}.\n`;
  const errors = r.cells.filter((c) => c.status === 'error');
  for (const c of errors.slice(0, 5)) out += `  ✗ ${c.cellId}: ${c.error!.code}: ${c.error!.message}\n`;
  if (errors.length > 5) out += `  … and ${errors.length - 5} more errors (use --json)\n`;
  return out;
}

const xml = (s: string) =>
  s
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    // characters XML 1.0 cannot carry
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: a suite per variant × model, a testcase per case and repeat. */
export function junitXml(r: BenchReport): string {
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  const fails = r.cells.filter((c) => c.status === 'ok' && c.score && !c.score.pass).length;
  const errs = r.cells.filter((c) => c.status === 'error').length;
  out += `<testsuites name="promptpress bench ${xml(r.config.file)}" tests="${r.cells.length}" failures="${fails}" errors="${errs}">\n`;
  for (const g of r.groups) {
    const cells = r.cells.filter((c) => c.variant === g.variant && c.model === g.model);
    const f = cells.filter((c) => c.status === 'ok' && c.score && !c.score.pass).length;
    out += `  <testsuite name="${xml(`${g.variant} × ${g.model}`)}" tests="${cells.length}" failures="${f}" errors="${g.errors}" skipped="${g.skipped}">\n`;
    for (const c of cells) {
      const name = r.config.repeats > 1 ? `${c.caseId}#${c.repeat}` : c.caseId;
      const time = c.latencyMs !== undefined ? ` time="${(c.latencyMs / 1000).toFixed(3)}"` : '';
      out += `    <testcase classname="${xml(`${c.variant}.${c.model}`)}" name="${xml(name)}"${time}>`;
      if (c.status === 'error')
        out += `<error type="${xml(c.error!.code)}" message="${xml(c.error!.message)}"/>`;
      else if (c.status === 'skipped') out += `<skipped message="${xml(c.skipReason ?? 'skipped')}"/>`;
      else if (c.score && !c.score.pass)
        out += `<failure message="${xml(c.score.reason)}">${xml(`score ${c.score.score.toFixed(3)}\noutput: ${c.output ?? ''}\n${c.score.results.map((a) => `${a.name ?? a.type}: ${a.pass ? 'pass' : 'FAIL'} (${a.score}) ${a.reason}`).join('\n')}`)}</failure>`;
      out += '</testcase>\n';
    }
    out += '  </testsuite>\n';
  }
  return out + '</testsuites>\n';
}

/** A Markdown report of a run (the same as the app's export). */
export const markdownReport = (r: BenchReport): string => reportMarkdown(r);

function runsText(runs: readonly BenchRunSummary[]): string {
  if (runs.length === 0) return 'No stored runs.\n';
  return table(
    ['run', 'started', 'config', 'status', 'cells', 'pass rate', 'spent'],
    runs.map((r) => [
      r.runId,
      r.createdAt.replace('T', ' ').slice(0, 19),
      r.file,
      r.batch ? `${r.status} (batch)` : r.status,
      `${int(r.done)}/${int(r.total)}`,
      r.passRate === null ? '-' : percent(r.passRate),
      usd(r.spentUsd),
    ]),
    ['l', 'l', 'l', 'l', 'r', 'r', 'r'],
  );
}

const duration = (ms: number) =>
  ms >= 3_600_000
    ? `${(ms / 3_600_000).toFixed(1)} h`
    : ms >= 60_000
      ? `${Math.round(ms / 60_000)} min`
      : `${Math.max(1, Math.round(ms / 1000))} s`;

/** One progress line: cells, cached, errors, spend, ETA (and the batches' phase). */
export function progressLine(p: BenchProgressEvent): string {
  const pct = p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total);
  let line = `${int(p.done)}/${int(p.total)} cells (${pct}%)`;
  if (p.cached) line += `, ${int(p.cached)} cached`;
  if (p.errors) line += `, ${int(p.errors)} errors`;
  line += `, spent ${usd(p.spentUsd)}`;
  if (p.etaMs !== null && p.done < p.total) line += `, about ${duration(p.etaMs)} left`;
  if (p.phase) line += ` — ${p.phase}`;
  return line;
}

/**
 * Starts (or resumes) a run, prints its progress on stderr (a line rewritten in place on a terminal, else a
 * line every 10 % or 5 s) and waits for bench.finished; then reads the stored report.
 */
async function runAndWait(
  backend: Backend,
  io: CliIo,
  quiet: boolean,
  start: () => ReturnType<typeof call<'bench.start'>>,
): ReturnType<typeof call<'bench.report'>> {
  let runId: string | null = null;
  const early: Array<[string, unknown]> = [];
  let resolveEnd!: (e: BenchFinishedEvent) => void;
  const ended = new Promise<BenchFinishedEvent>((r) => (resolveEnd = r));
  let lastPct = -1;
  let lastAt = 0;
  const tty = io.stderrIsTTY === true;
  const onEvent = (event: string, payload: unknown) => {
    if (runId === null) {
      early.push([event, payload]);
      return;
    }
    const p = payload as { runId: string };
    if (p.runId !== runId) return;
    if (event === 'bench.finished') resolveEnd(payload as BenchFinishedEvent);
    else if (event === 'bench.progress' && !quiet) {
      const e = payload as BenchProgressEvent;
      const pct = e.total === 0 ? 100 : Math.floor((100 * e.done) / e.total);
      const now = Date.now();
      if (tty) io.stderr(`\r\x1b[2K${progressLine(e)}`);
      else if (Math.floor(pct / 10) > Math.floor(lastPct / 10) || now - lastAt > 5000 || e.done === e.total) {
        io.stderr(`${progressLine(e)}\n`);
        lastAt = now;
      }
      lastPct = pct;
    }
  };
  const unsubscribe = backend.events.subscribe(onEvent);
  try {
    const started = await start();
    if (!started.ok) return started;
    runId = started.data.runId;
    if (!quiet)
      io.stderr(
        `Run ${runId}: ${int(started.data.total)} cells, worst case ${usd(started.data.estimate.usd)}\n`,
      );
    for (const [event, payload] of early.splice(0)) onEvent(event, payload);
    const end = await ended;
    if (tty && !quiet) io.stderr('\n');
    if (end.status === 'failed')
      return {
        ok: false,
        error: {
          code: (end.error?.code ?? 'INTERNAL') as ErrorCode,
          message: end.error?.message ?? 'The run failed.',
        },
      };
    return await call(backend, 'bench.report', { runId });
  } finally {
    unsubscribe();
  }
}

async function write(io: CliIo, file: string, text: string): Promise<void> {
  const abs = path.resolve(io.cwd, file);
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFileAtomic(abs, new TextEncoder().encode(text), file);
}

/** `promptpress bench`: the CLI face of the bench.estimate and bench.run routes. */
export async function benchCommand(backend: Backend, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      variants: { type: 'string' },
      models: { type: 'string' },
      budget: { type: 'string' },
      estimate: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      'min-pass-rate': { type: 'string' },
      'max-quality-drop': { type: 'string' },
      json: { type: 'boolean', default: false },
      junit: { type: 'string' },
      md: { type: 'string' },
      html: { type: 'string' },
      csv: { type: 'string' },
      batch: { type: 'boolean', default: false },
      resume: { type: 'string' },
      runs: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(BENCH_HELP);
    return EXIT.ok;
  }
  if (values.runs) {
    const res = await call(backend, 'bench.runs', { limit: 100 });
    if (!res.ok) return fail(io, res.error, values.json);
    if (values.json) printJson(io, res.data);
    else io.stdout(runsText(res.data.runs));
    return EXIT.ok;
  }
  if (values.resume !== undefined ? positionals.length !== 0 : positionals.length !== 1)
    throw new UsageError(
      values.resume !== undefined
        ? '--resume takes a run id and no CONFIG file.'
        : 'bench takes exactly one CONFIG file.',
    );
  let budgetUsd: number | undefined;
  if (values.budget !== undefined) {
    budgetUsd = Number(values.budget.replace(/^\$/, ''));
    if (values.budget.trim() === '' || !Number.isFinite(budgetUsd) || budgetUsd < 0)
      throw new UsageError('--budget takes an amount in USD ≥ 0, e.g. 5.00.');
  }
  const variants = list(values.variants);
  const models = list(values.models);
  if (variants?.length === 0) throw new UsageError('--variants needs at least one name.');
  if (models?.length === 0) throw new UsageError('--models needs at least one model.');
  const minPassRate = fraction(values['min-pass-rate'], '--min-pass-rate');
  const maxQualityDrop = fraction(values['max-quality-drop'], '--max-quality-drop');
  const input = {
    path: path.resolve(io.cwd, positionals[0] ?? '.'),
    ...(variants ? { variants } : {}),
    ...(models ? { models } : {}),
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
    ...(minPassRate !== undefined ? { minPassRate } : {}),
    ...(maxQualityDrop !== undefined ? { maxQualityDrop } : {}),
  };

  if (values.estimate) {
    const e = await call(backend, 'bench.estimate', input);
    if (!e.ok) return fail(io, e.error, values.json);
    if (values.json) printJson(io, e.data);
    else io.stdout(estimateText(e.data));
    return EXIT.ok;
  }

  const res = await runAndWait(
    backend,
    io,
    values.quiet,
    values.resume !== undefined
      ? () =>
          call(backend, 'bench.resume', {
            runId: values.resume!,
            ...(budgetUsd !== undefined ? { budgetUsd } : {}),
          })
      : () => call(backend, 'bench.start', { ...input, ...(values.batch ? { batch: true } : {}) }),
  );
  if (!res.ok) return fail(io, res.error, values.json);
  const r = res.data;
  try {
    if (values.junit !== undefined) await write(io, values.junit, junitXml(r));
    if (values.md !== undefined) await write(io, values.md, markdownReport(r));
    if (values.html !== undefined) await write(io, values.html, reportHtml(r));
    if (values.csv !== undefined) await write(io, values.csv, reportCsv(r));
  } catch (err) {
    if (isAppError(err))
      return fail(io, { code: err.code, message: err.message, details: err.details }, values.json);
    throw err;
  }
  if (values.json) printJson(io, r);
  else {
    io.stdout(humanReport(r));
    if (values.junit !== undefined) io.stdout(`Wrote JUnit XML to ${values.junit}.\n`);
    if (values.md !== undefined) io.stdout(`Wrote the Markdown report to ${values.md}.\n`);
    if (values.html !== undefined) io.stdout(`Wrote the HTML report to ${values.html}.\n`);
    if (values.csv !== undefined) io.stdout(`Wrote the CSV to ${values.csv}.\n`);
  }
  if (!r.thresholds.passed) {
    for (const f of r.thresholds.failures) io.stderr(`promptpress: CHECK_FAILED: ${f.message}\n`);
    return EXIT.checkFailed;
  }
  if (r.status === 'budget-stopped') {
    io.stderr(
      'promptpress: BUDGET_EXCEEDED: the run stopped before exceeding the budget cap; some cells were skipped.\n',
    );
    return EXIT.error;
  }
  return EXIT.ok;
}
