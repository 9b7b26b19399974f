/**
 * Compression engine: (a) the deterministic strategies together on a ~100k-token prompt built from real
 * corpora text, against a plain tokenizer pass over the same text (target ≤ 150 ms); (b) token reduction per
 * strategy and for the default pipeline over every system prompt in ../shared/corpora (5 agent policies, the
 * GSM8K and 27 BBH few-shot prompts, the first 200 awesome-chatgpt-prompts rows), with guard violations
 * counted by the independent invariant checker (must be 0). Prints Markdown tables.
 */
import {
  DEFAULT_PIPELINE,
  STRATEGY_LIST,
  checkGuardInvariants,
  runPipeline,
  type Pipeline,
  type PipelineContext,
} from '../src/core/compression';
import { bundledRules, countO200k, longPrompt, systemPrompts } from '../test/core/compression/corpora';
import { percentile } from './lib/corpus';

export const name = 'compression';

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

function speed(ctx: PipelineContext): Record<string, unknown> {
  const text = longPrompt(100_000);
  const tokens = countO200k(text);
  const pipelines: Array<[string, Pipeline]> = [
    ['default pipeline (5 lossless strategies)', DEFAULT_PIPELINE],
    [
      'all 6 strategies (with rules.stopwords)',
      { version: 1, steps: STRATEGY_LIST.map((s) => ({ strategy: s.id })) },
    ],
  ];
  for (const [, p] of pipelines) runPipeline(text, p, ctx); // warm-up: JIT and tokenizer caches
  countO200k(text);
  const rows: Array<{ pipeline: string; ms: number; countMs: number; ratio: number; saved: number }> = [];
  for (const [label, p] of pipelines) {
    const ms: number[] = [];
    const countMs: number[] = [];
    let saved = 0;
    // interleaved, so that both figures see the same machine state
    for (let i = 0; i < 9; i++) {
      let t = performance.now();
      countO200k(text);
      countMs.push(performance.now() - t);
      t = performance.now();
      saved = runPipeline(text, p, ctx).totals.saved;
      ms.push(performance.now() - t);
    }
    rows.push({
      pipeline: label,
      ms: median(ms),
      countMs: median(countMs),
      ratio: median(ms) / median(countMs),
      saved,
    });
  }
  console.log(
    `\n  (a) ${(text.length / 1e6).toFixed(2)} MB, ${tokens.toLocaleString('en-US')} o200k tokens of real prompts; median of 9 runs`,
  );
  console.log('\n  | pipeline | ms | plain tokenizer pass, ms | ratio | tokens saved | target ≤ 150 ms |');
  console.log('  | --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    console.log(
      `  | ${r.pipeline} | ${r.ms.toFixed(0)} | ${r.countMs.toFixed(0)} | ×${r.ratio.toFixed(2)} | ${r.saved.toLocaleString('en-US')} | ${r.ms <= 150 ? 'met' : 'missed'} |`,
    );
  }
  return { chars: text.length, tokens, rows };
}

function reduction(ctx: PipelineContext): Record<string, unknown> {
  const prompts = systemPrompts(200);
  const pipelines: Array<[string, Pipeline]> = [
    ...STRATEGY_LIST.map((s): [string, Pipeline] => [s.id, { version: 1, steps: [{ strategy: s.id }] }]),
    ['default pipeline', DEFAULT_PIPELINE],
  ];
  const rows: Array<Record<string, number | string>> = [];
  for (const [label, p] of pipelines) {
    const pct: number[] = [];
    let before = 0;
    let after = 0;
    let violations = 0;
    for (const prompt of prompts) {
      // verify: false, so the independent checker below is what counts violations
      const r = runPipeline(prompt.text, p, { ...ctx, verify: false });
      violations += checkGuardInvariants(prompt.text, r.text).length;
      pct.push(r.totals.tokensBefore ? (100 * r.totals.saved) / r.totals.tokensBefore : 0);
      before += r.totals.tokensBefore;
      after += r.totals.tokensAfter;
    }
    const sorted = [...pct].sort((a, b) => a - b);
    rows.push({
      pipeline: label,
      median: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      max: sorted[sorted.length - 1]!,
      total: (100 * (before - after)) / before,
      violations,
    });
  }
  const lossy = new Set(STRATEGY_LIST.filter((s) => s.lossy).map((s) => s.id));
  console.log(
    `\n  (b) token reduction (o200k_base, exact) over ${prompts.length} system prompts: 5 agent policies, GSM8K 8-shot, 27 BBH 3-shot, ${prompts.length - 33} awesome-chatgpt-prompts`,
  );
  console.log('\n  | strategy | median | p90 | max | whole corpus | guard violations |');
  console.log('  | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const pctCell = (x: number | string) => `${(x as number).toFixed(1)} %`;
    const label = lossy.has(r.pipeline as string) ? `${r.pipeline} (lossy, off by default)` : r.pipeline;
    console.log(
      `  | ${label} | ${pctCell(r.median!)} | ${pctCell(r.p90!)} | ${pctCell(r.max!)} | ${pctCell(r.total!)} | ${r.violations} |`,
    );
  }
  const total = rows.reduce((n, r) => n + (r.violations as number), 0);
  if (total > 0) throw new Error(`${total} guard violations`);
  return { prompts: prompts.length, rows };
}

export async function run(): Promise<Record<string, unknown>> {
  const ctx: PipelineContext = { count: countO200k, rules: bundledRules() };
  const a = speed(ctx);
  const b = reduction(ctx);
  return { speed: a, reduction: b };
}
