import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { parseCsvTable } from '../../src/core/golden';
import type { BenchProgressEvent, BenchReport } from '../../src/shared/bench';
import { banking77Labels, readGolden } from '../core/scorers/corpora';
import type { ChatScriptRequest } from '../support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-runs-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-runs-0002';
/** Five real BANKING77 test utterances (PolyAI, CC-BY-4.0), one every 300 rows to vary the labels. */
const rows = parseCsvTable(readGolden('banking77/test.csv'), 'banking77/test.csv')
  .rows.map((r) => r.values)
  .filter((_, i) => i % 300 === 0)
  .slice(0, 5);
const labelOf = new Map(rows.map((r) => [r.text!, r.category!]));

function script(req: ChatScriptRequest): string {
  const content = req.messages.at(-1)!.content;
  const text = content.slice(
    content.startsWith('Classify') ? content.indexOf('Msg: ') + 5 : content.indexOf('Message: ') + 9,
  );
  const label = labelOf.get(text) ?? 'unknown';
  // the compressed variant on gpt-4o-mini gets the first case wrong
  if (req.model === 'gpt-4o-mini' && content.startsWith('Classify') && text === rows[0]!.text)
    return 'card_arrival' === label ? 'lost_or_stolen_card' : 'card_arrival';
  return label;
}

let dir: string;
let config: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pp-runs-'));
  await writeFile(
    path.join(dir, 'banking.golden.json'),
    JSON.stringify({
      defaultTest: { assert: [{ type: 'classification', labels: banking77Labels() }] },
      cases: rows.map((r, i) => ({ id: `b77-${i + 1}`, vars: { text: r.text }, expected: r.category })),
    }),
  );
  config = path.join(dir, 'bench.yaml');
  await writeFile(
    config,
    [
      'golden: banking.golden.json',
      'variants:',
      '  - name: original',
      '    template: "You are a banking support classifier. Answer with one BANKING77 intent label.\\n\\nMessage: {{text}}"',
      '  - name: compressed',
      '    template: "Classify intent (BANKING77 label only).\\nMsg: {{text}}"',
      'models: [claude-haiku-4-5, gpt-4o-mini]',
      'maxTokens: 20',
      'concurrency: 3',
      'budget: 1.00',
      '',
    ].join('\n'),
  );
});

let stub: StubLlmServer;
let dataDir: string;
const backends: Backend[] = [];
beforeEach(async () => {
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: script },
    openai: { apiKey: OPENAI_KEY, reply: script },
  });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-runs-data-'));
});
afterEach(async () => {
  for (const b of backends.splice(0)) b.dispose();
  await stub.close();
});

/** A backend on the test's data folder: a second one on the same folder is the app after a restart. */
function backend(batchPollMs = 5): Backend {
  const b = createBackend({
    host: 'browser',
    dataDir,
    watch: false,
    anthropicApiKey: ANTHROPIC_KEY,
    anthropicBaseURL: stub.url,
    openaiApiKey: OPENAI_KEY,
    openaiBaseURL: `${stub.url}/v1`,
    batchPollMs,
  });
  backends.push(b);
  return b;
}

const chatCalls = () =>
  stub.requestsTo('POST /v1/messages').length + stub.requestsTo('POST /v1/chat/completions').length;

async function ok<T>(
  p: Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string } }>,
) {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

/** Resolves with the run's end event; collects its progress events. */
function watch(b: Backend, runId: () => string | null) {
  const progress: BenchProgressEvent[] = [];
  let resolve!: (status: string) => void;
  const ended = new Promise<string>((r) => (resolve = r));
  const stop = b.events.subscribe((event, payload) => {
    const p = payload as { runId: string; status?: string };
    if (p.runId !== runId()) return;
    if (event === 'bench.progress') progress.push(payload as BenchProgressEvent);
    if (event === 'bench.finished') {
      stop();
      resolve(p.status!);
    }
  });
  return { progress, ended };
}

describe('stored benchmark runs', () => {
  it('starts in the background, streams progress, stores every cell and reports from the database', async () => {
    const b = backend();
    let runId: string | null = null;
    const w = watch(b, () => runId);
    const started = await ok(call(b, 'bench.start', { path: config }));
    runId = started.runId;
    expect(started.total).toBe(2 * 2 * 5);
    expect(started.estimate.usd).toBeGreaterThan(0);
    expect(await w.ended).toBe('completed');
    expect(w.progress.at(-1)).toMatchObject({ done: 20, total: 20, errors: 0 });
    expect(w.progress.some((p) => p.done < p.total)).toBe(true);

    const report = await ok(call(b, 'bench.report', { runId }));
    expect(report.runId).toBe(runId);
    expect(report.cells.filter((c) => c.status === 'ok')).toHaveLength(20);
    const mini = report.groups.find((g) => g.variant === 'compressed' && g.model === 'gpt-4o-mini')!;
    expect(mini.passes).toBe(4);
    expect(report.deltas.find((d) => d.model === 'gpt-4o-mini')!.qualityDeltaPts).toBeCloseTo(-20);

    const runs = await ok(call(b, 'bench.runs', { limit: 10 }));
    expect(runs.runs[0]).toMatchObject({ runId, status: 'completed', done: 20, total: 20, batch: false });
    expect(runs.runs[0]!.passRate).toBeCloseTo(19 / 20);

    // the drill-down: the rendered request, the case, the scores and the baseline's cell
    const cellId = report.cells.find(
      (c) => c.variant === 'compressed' && c.model === 'gpt-4o-mini' && !c.score!.pass,
    )!.cellId;
    const detail = await ok(call(b, 'bench.cell', { runId, cellId }));
    expect(detail.request!.messages.at(-1)!.content).toBe(
      `Classify intent (BANKING77 label only).\nMsg: ${rows[0]!.text}`,
    );
    expect(detail.request).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', maxTokens: 20 });
    expect(detail.vars).toEqual({ text: rows[0]!.text });
    expect(detail.expected).toBe(rows[0]!.category);
    expect(detail.cell.score!.results[0]!.pass).toBe(false);
    expect(detail.baseline).toMatchObject({
      variant: 'original',
      model: 'gpt-4o-mini',
      output: rows[0]!.category,
    });
    expect(JSON.stringify(detail)).not.toContain(OPENAI_KEY);
  });

  it('answers every unchanged cell from the stored response cache after a restart: zero provider calls', async () => {
    const first = await ok(call(backend(), 'bench.run', { path: config }));
    expect(first.providerCalls).toBe(20);
    const calls = chatCalls();
    backends.splice(0).forEach((x) => x.dispose());
    const again = await ok(call(backend(), 'bench.run', { path: config }));
    expect(chatCalls()).toBe(calls);
    expect(again.providerCalls).toBe(0);
    expect(again.cachedCells).toBe(20);
    expect(again.spentUsd).toBe(0);
    expect(again.groups.map((g) => g.passRate)).toEqual(first.groups.map((g) => g.passRate));
  });

  it('compares two runs and exports a report in each format', async () => {
    const b = backend();
    const a = await ok(call(b, 'bench.run', { path: config, models: ['gpt-4o-mini'] }));
    const c = await ok(call(b, 'bench.run', { path: config }));
    const cmp = (await ok(call(b, 'bench.compare', { a: a.runId!, b: c.runId! }))) as {
      rows: Array<{ variant: string; model: string; presence: string }>;
      onlyInB: Array<{ model: string }>;
    };
    expect(cmp.onlyInB.map((g) => g.model)).toEqual(['claude-haiku-4-5', 'claude-haiku-4-5']);
    const ws = await mkdtemp(path.join(os.tmpdir(), 'pp-runs-ws-'));
    await ok(call(b, 'workspace.open', { path: ws }));
    for (const [format, file] of [
      ['html', 'reports/run.html'],
      ['csv', 'reports/run.csv'],
      ['md', 'reports/run.md'],
      ['json', 'reports/run.json'],
    ] as const) {
      expect(await ok(call(b, 'bench.export', { runId: c.runId!, format, path: file }))).toEqual({
        path: file,
      });
    }
    const again = await call(b, 'bench.export', { runId: c.runId!, format: 'csv', path: 'reports/run.csv' });
    expect(again.ok ? null : again.error.code).toBe('FILE_EXISTS');
    const wrongExt = await call(b, 'bench.export', {
      runId: c.runId!,
      format: 'html',
      path: 'reports/run.md',
    });
    expect(wrongExt.ok ? null : wrongExt.error.code).toBe('INVALID_INPUT');
    const { readFile } = await import('node:fs/promises');
    const json = JSON.parse(await readFile(path.join(ws, 'reports/run.json'), 'utf8')) as BenchReport;
    expect(json.cells).toHaveLength(20);
  });

  it('runs in batch mode on both providers at batch prices, and resumes polling after a restart', async () => {
    // the batches never end by themselves: the test ends them after the app "restarted"
    stub.batches.endAfterPolls = undefined;
    const a = backend();
    let runId: string | null = null;
    const started = await ok(call(a, 'bench.start', { path: config, batch: true }));
    runId = started.runId;
    // half the list price: the estimate is at batch prices
    const list = await ok(call(a, 'bench.estimate', { path: config }));
    expect(started.estimate.usd).toBeCloseTo(list.estimate.usd / 2, 10);
    await expect.poll(() => stub.batches.all.length, { timeout: 5000 }).toBe(2);
    expect(new Set(stub.batches.all.map((x) => x.provider))).toEqual(new Set(['anthropic', 'openai']));
    // the app closes while the batches run: the run is interrupted, the batches keep running
    await expect
      .poll(async () => (await ok(call(a, 'bench.runs', { limit: 5 }))).runs[0]!.status)
      .toBe('running');
    backends.splice(0).forEach((x) => x.dispose());
    expect(stub.batches.all.every((x) => x.phase !== 'canceling' && x.ending !== 'canceled')).toBe(true);

    const b = backend();
    const runs = await ok(call(b, 'bench.runs', { limit: 5 }));
    expect(runs.runs[0]).toMatchObject({ runId, status: 'interrupted', batch: true, done: 0 });
    const w = watch(b, () => runId);
    await ok(call(b, 'bench.resume', { runId: runId! }));
    for (const x of stub.batches.all) await stub.batches.complete(x.id);
    expect(await w.ended).toBe('completed');
    // polled again, never submitted twice, and no single calls
    expect(stub.batches.all).toHaveLength(2);
    expect(chatCalls()).toBe(0);
    expect(w.progress.some((p) => p.phase?.includes('batch'))).toBe(true);
    const report = await ok(call(b, 'bench.report', { runId: runId! }));
    expect(report.cells.filter((c) => c.status === 'ok')).toHaveLength(20);
    expect(report.cells.every((c) => c.latencyMs === undefined)).toBe(true);
    // every answer priced at the catalog's batch prices: half the single-call price of the same tokens
    const single = await ok(call(backend(), 'bench.run', { path: config, budgetUsd: 1 }));
    expect(single.providerCalls).toBe(0); // the batch answers filled the response cache
    const paid = report.cells.reduce((n, c) => n + c.costUsd, 0);
    expect(paid).toBeGreaterThan(0);
    expect(report.spentUsd).toBeCloseTo(paid, 10);
  });

  it('cancels a batch run at the provider when the user stops it', async () => {
    stub.batches.endAfterPolls = undefined;
    const b = backend();
    let runId: string | null = null;
    const w = watch(b, () => runId);
    runId = (await ok(call(b, 'bench.start', { path: config, batch: true, models: ['gpt-4o-mini'] }))).runId;
    await expect.poll(() => stub.batches.all.length, { timeout: 5000 }).toBe(1);
    expect(await ok(call(b, 'bench.cancel', { runId }))).toEqual({ cancelled: true });
    expect(await w.ended).toBe('cancelled');
    expect(['canceling', 'ended']).toContain(stub.batches.all[0]!.phase);
    const report = await ok(call(b, 'bench.report', { runId }));
    expect(report.cells.every((c) => c.status === 'skipped' && c.skipReason === 'cancelled')).toBe(true);
  });

  it('refuses a run above the budget before storing or sending anything, with a coded error', async () => {
    const b = backend();
    const r = await call(b, 'bench.start', { path: config, budgetUsd: 0.000001 });
    expect(r.ok ? null : r.error.code).toBe('BUDGET_EXCEEDED');
    expect((await ok(call(b, 'bench.runs', { limit: 5 }))).runs).toEqual([]);
    expect(chatCalls()).toBe(0);
    const missing = await call(b, 'bench.report', { runId: 'run-nope' });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
  });
});
