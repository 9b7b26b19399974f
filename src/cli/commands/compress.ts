import { parseArgs } from 'node:util';
import path from 'node:path';
import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import { writeFileAtomic } from '../../backend/services/textFiles';
import { DEFAULT_PIPELINE, compressionReport, parsePipeline } from '../../core/compression';
import { parseJson } from '../../core/json';
import { isAppError } from '../../shared/errors';
import { readInputFile } from '../files';
import { EXIT, UsageError, fail, printJson, type CliIo } from '../io';
import { int, table } from '../format';
import { formatUsd } from '../../core/pricing/cost';

export const COMPRESS_HELP = `Usage: promptpress compress FILE [--pipeline P.pipeline.json] [--out OUT] [--report R.md] [--model ID] [--strict] [--json]

Runs a compression pipeline over a prompt and prints the tokens before and after, the saving per strategy and
what the guards blocked (edits that would have touched code, numbers, placeholders, quotes, URLs, negations…).
Without --pipeline, the default pipeline runs (every lossless strategy). Token counts are exact (o200k_base,
or the --model's own encoding).

Options:
      --pipeline FILE   a .pipeline.json file (docs/formats/pipeline.md)
  -o, --out FILE        write the compressed prompt there (atomically)
      --report FILE     write a Markdown report: savings per strategy and section, every edit with its
                        reason, the guard report
  -m, --model ID        count with this model's encoding and price the saving for it
      --strict          exit 2 when the guards blocked any edit the pipeline wanted to make
      --json            print one JSON object for machines
`;

/** The input cost of one request before and after, for the report (null when the model has no price). */
async function inputCosts(backend: Backend, model: string, before: string, after: string) {
  const workload = { outputTokens: 0 };
  const ask = async (text: string) => {
    const r = await call(backend, 'cost.estimate', { text, models: [model], workload });
    return r.ok ? (r.data.rows[0] ?? null) : null;
  };
  const [b, a] = [await ask(before), await ask(after)];
  return [
    { model: b?.label ?? model, beforeUsd: b?.perRequestUsd ?? null, afterUsd: a?.perRequestUsd ?? null },
  ];
}

/** `promptpress compress`: the CLI face of the compress.run route. */
export async function compressCommand(backend: Backend, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      pipeline: { type: 'string' },
      out: { type: 'string', short: 'o' },
      report: { type: 'string' },
      model: { type: 'string', short: 'm' },
      strict: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(COMPRESS_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('compress takes exactly one FILE.');
  const input = await readInputFile(io, positionals[0]!);
  if (!input.ok) return fail(io, input.error, values.json);
  let pipeline: unknown;
  if (values.pipeline !== undefined) {
    const p = await readInputFile(io, values.pipeline);
    if (!p.ok) return fail(io, p.error, values.json);
    try {
      pipeline = parseJson(p.file.text, values.pipeline);
    } catch (err) {
      if (isAppError(err))
        return fail(io, { code: err.code, message: err.message, details: err.details }, values.json);
      throw err;
    }
  }
  const result = await call(backend, 'compress.run', {
    text: input.file.text,
    ...(pipeline !== undefined ? { pipeline } : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
  });
  if (!result.ok) return fail(io, result.error, values.json);
  const r = result.data;
  if (values.out !== undefined) {
    const out = path.resolve(io.cwd, values.out);
    try {
      await writeFileAtomic(out, new TextEncoder().encode(r.text), values.out);
    } catch (err) {
      if (isAppError(err))
        return fail(io, { code: err.code, message: err.message, details: err.details }, values.json);
      throw err;
    }
  }
  if (values.report !== undefined) {
    const parsed = parsePipeline(pipeline ?? DEFAULT_PIPELINE);
    const markdown = compressionReport({
      source: input.file.name,
      result: r,
      encoding: r.encoding,
      pipeline: { name: parsed.name, steps: parsed.steps.filter((s) => s.enabled).map((s) => s.strategy.id) },
      costs: r.model ? await inputCosts(backend, r.model, input.file.text, r.text) : undefined,
    });
    try {
      await writeFileAtomic(
        path.resolve(io.cwd, values.report),
        new TextEncoder().encode(markdown),
        values.report,
      );
    } catch (err) {
      if (isAppError(err))
        return fail(io, { code: err.code, message: err.message, details: err.details }, values.json);
      throw err;
    }
  }
  const blocked = r.stages.flatMap((s) => s.blocked);
  const strictFailed = values.strict && blocked.length > 0;
  if (values.json) {
    printJson(io, {
      file: input.file.name,
      out: values.out ?? null,
      report: values.report ?? null,
      encoding: r.encoding,
      model: r.model,
      totals: r.totals,
      savedUsdPerRequest: r.savedUsdPerRequest,
      stages: r.stages.map((s) => ({
        strategy: s.strategy,
        round: s.round,
        edits: s.edits.length,
        saved: s.saved,
        blocked: s.blocked.length,
        ...(s.error ? { error: s.error } : {}),
      })),
      guardReport: r.guardReport,
      llmCalls: r.llmCalls ?? [],
      blocked: blocked.map((b) => ({
        strategy: b.edit.strategy,
        ruleId: b.edit.ruleId,
        kind: b.spanKind,
        reason: b.reason,
        before: b.edit.before,
      })),
      strictFailed,
    });
  } else {
    const { tokensBefore, tokensAfter, saved } = r.totals;
    const pct = tokensBefore === 0 ? 0 : (saved / tokensBefore) * 100;
    io.stdout(
      `${input.file.name}: ${int(tokensBefore)} → ${int(tokensAfter)} tokens (${r.encoding}, exact), ` +
        `saved ${int(saved)} (${pct.toFixed(1)}%)` +
        (r.model && r.savedUsdPerRequest !== null
          ? `, ${formatUsd(r.savedUsdPerRequest)} per request on ${r.model}`
          : '') +
        '\n\n',
    );
    const stageRows = r.stages
      .filter((s) => s.edits.length > 0 || s.blocked.length > 0)
      .map((s) => [
        s.round > 1 ? `${s.strategy} (round ${s.round})` : s.strategy,
        int(s.edits.length),
        int(s.saved),
        int(s.blocked.length),
      ]);
    io.stdout(
      stageRows.length
        ? table(['strategy', 'edits', 'tokens saved', 'blocked'], stageRows) + '\n'
        : 'No edits: the prompt is already compact for this pipeline.\n\n',
    );
    io.stdout(
      `Guards: ${int(r.guardReport.protectedSpans)} protected spans, ${int(blocked.length)} edits blocked` +
        (r.guardReport.verified ? ', output verified intact.\n' : '.\n'),
    );
    for (const b of blocked.slice(0, 10)) io.stdout(`  ! ${b.edit.strategy}/${b.edit.ruleId}: ${b.reason}\n`);
    if (blocked.length > 10) io.stdout(`  … and ${blocked.length - 10} more (use --json for all)\n`);
    // a stage that changed nothing although enabled (a model call failed, a rewrite was rejected) says why
    for (const s of r.stages)
      if (s.error) io.stdout(`  ✗ ${s.strategy}: ${s.error.code}: ${s.error.message}\n`);
    for (const c of r.llmCalls ?? []) {
      io.stdout(
        `Model call (${c.purpose}): ${c.provider}:${c.model}, ${int(c.usage.inputTokens)} input + ` +
          `${int(c.usage.outputTokens)} output tokens (provider-reported), ${formatUsd(c.usd)}` +
          `${c.cached ? ' (from cache, no new call)' : ''}\n`,
      );
    }
    if (values.out !== undefined) io.stdout(`\nWrote ${values.out}.\n`);
    if (values.report !== undefined) io.stdout(`Wrote the report to ${values.report}.\n`);
  }
  if (strictFailed) {
    io.stderr(
      `promptpress: CHECK_FAILED: --strict: the guards blocked ${blocked.length} edit(s) the pipeline wanted to make.\n`,
    );
    return EXIT.checkFailed;
  }
  return EXIT.ok;
}
