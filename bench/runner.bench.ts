/**
 * Bench runner speed and scale (issue 6), on real BANKING77 test utterances scored by the classification
 * scorer over the 77 labels, 2 prompt variants × 2 models (Anthropic and OpenAI):
 * (a) the runner's overhead per cell at concurrency 32 against the local stub server at zero latency: the
 * same requests sent as raw provider calls (registry → official SDK → stub) 32 at a time are the peer, and
 * overhead = (runner wall − raw wall) / cells, median of 3 interleaved rounds of 2,000 cells (target ≤ 1 ms);
 * as a cross-check, the runner alone with an in-process provider that answers at once.
 * (b) 20,000 cells at concurrency 32 with peak RSS (and heap used) sampled every 20 ms (target ≤ 200 MB),
 * each row in a fresh Node process of its own (this file run with --scale-child), so a row measures a runner
 * process and not what the other benchmarks loaded: the in-process provider (the runner's own memory); the
 * same with every cell stored in the runs database as it finishes and the response cache there, as the app
 * runs it; and through the stub (which then runs in that process, so its memory and the SDKs' count too; its
 * request log is emptied as cells end). promptfoo is compared in bench/promptfoo.bench.ts. Prints Markdown.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// the catalog and the registry's type only: a scale child that needs no SDK does not load them
import { findResourcesDir } from '../src/backend/paths';
import type { ProviderRegistry } from '../src/backend/providers/registry';
import { CatalogSchema } from '../src/core/pricing/catalog';
import type { LlmProvider } from '../src/backend/providers/types';
import {
  createBenchRunner,
  type BenchRunOptions,
  type ResponseCache,
} from '../src/backend/services/benchRunner';
import { RunStore } from '../src/backend/storage/runStore';
import { expandMatrix, type BenchConfig, type InputCounter } from '../src/core/bench';
import { parseCsvTable, type GoldenSet } from '../src/core/golden';
import type { Completion, CompletionRequest } from '../src/core/providers/types';
import { banking77Labels, readGolden } from '../test/core/scorers/corpora';
import { stubCount, type ChatScriptRequest } from '../test/support/stubChat';
import type { StubLlmServer } from '../test/support/stubLlmServer';
import { percentile } from './lib/corpus';

export const name = 'runner';

const CONCURRENCY = 32;
const OVERHEAD_CELLS = 2_000;
const SCALE_CELLS = 20_000;
const ROUNDS = 3;
const TARGET_OVERHEAD_MS = 1;
const TARGET_RSS_MB = 200;

const ANTHROPIC_KEY = 'sk-ant-PLANTED-bench-key-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-bench-key-0002';
const MODELS = ['claude-sonnet-4-0', 'gpt-4o-mini'];
const ORIGINAL = `You are a banking support classifier. Read the customer's message and answer with exactly one intent label from the list of 77 BANKING77 intents, nothing else.\n\nMessage: {{text}}`;
const COMPRESSED = `Classify intent (BANKING77 label only).\nMsg: {{text}}`;

const catalog = CatalogSchema.parse(
  JSON.parse(readFileSync(path.join(findResourcesDir(), 'models.json'), 'utf8')) as unknown,
);
const labels = banking77Labels();
const rows = parseCsvTable(readGolden('banking77/test.csv'), 'banking77/test.csv').rows.map((r) => r.values);
const labelOf = new Map(rows.map((r) => [r.text!, r.category!]));

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const mb = (bytes: number) => bytes / 2 ** 20;
const met = (ok: boolean) => (ok ? 'met' : '**not met**');

/** The right label for the utterance at the end of the prompt, so every cell passes its scorer. */
function answer(content: string): string {
  const at = content.lastIndexOf('Msg: ');
  const text = at >= 0 ? content.slice(at + 5) : content.slice(content.indexOf('Message: ') + 9);
  return labelOf.get(text) ?? 'unknown';
}

/** A golden set of `cases` utterances (the test split has 3,080) and a 2 × 2 matrix over it. */
function config(cases: number, repeats: number): BenchConfig {
  const golden: GoldenSet = {
    defaultTest: { vars: {}, assert: [{ type: 'classification', weight: 1, options: { labels } }] },
    cases: rows.slice(0, cases).map((r, i) => ({
      id: `b77-${i + 1}`,
      vars: { text: r.text },
      expected: r.category!,
      assert: [],
    })),
    source: { file: 'banking77.csv', format: 'csv' },
    warnings: [],
  };
  return {
    golden,
    variants: [
      { name: 'original', template: ORIGINAL },
      { name: 'compressed', template: COMPRESSED },
    ],
    models: MODELS,
    repeats,
    maxTokens: 20,
    temperature: 0,
    concurrency: CONCURRENCY,
    budgetUsd: 1_000,
  };
}

const counter: InputCounter = {
  count: (_ref, p) => stubCount((p.system ?? '') + p.messages.map((m) => m.content).join('')),
  method: () => 'o200k_base (stub)',
};

const stubRegistry = async (stub: StubLlmServer) =>
  (await import('../src/backend/providers/registry')).createProviderRegistry({
    anthropic: { apiKey: ANTHROPIC_KEY, baseURL: stub.url },
    openai: { apiKey: OPENAI_KEY, baseURL: `${stub.url}/v1` },
    getCatalog: () => catalog,
    maxRetries: 0,
  });

/** A registry whose providers answer at once, in process: what is left of a run is the runner itself. */
function instantRegistry(): ProviderRegistry {
  const provider = (id: 'anthropic' | 'openai'): LlmProvider => ({
    id,
    label: id,
    kind: id,
    configured: true,
    complete: (req: CompletionRequest): Promise<Completion> =>
      Promise.resolve({
        text: answer(req.messages.at(-1)!.content),
        usage: { inputTokens: 40, outputTokens: 4 },
        providerUsage: null,
        cost: { usd: 0.0001, catalogId: null, breakdown: null },
        latency: { firstByteMs: 0, totalMs: 0, elapsedMs: 0 },
        attempts: 1,
        stopReason: 'end',
        providerStopReason: 'stop',
        model: req.model,
        provider: id,
        request: { method: 'POST', url: 'memory:', headers: {}, body: null },
      }),
  });
  const providers = { anthropic: provider('anthropic'), openai: provider('openai') };
  return {
    get: (id) => providers[id as keyof typeof providers],
    has: (id) => id in providers,
    list: () => [],
    set: () => undefined,
    remove: () => undefined,
    batches: () => {
      throw new Error('this benchmark does not use batch mode');
    },
  };
}

/** The runner's whole run on a fresh cache; wall time in ms. Fails unless every cell passed. */
async function timeRunner(
  registry: ProviderRegistry,
  cfg: BenchConfig,
  onCell?: () => void,
  stored?: { cache: ResponseCache; onCell: BenchRunOptions['onCell'] },
): Promise<number> {
  const runner = createBenchRunner({
    providers: registry,
    catalog,
    counter,
    ...(stored ? { cache: stored.cache } : {}),
  });
  const t = performance.now();
  const r = await runner.run(cfg, {
    ...(onCell ? { onProgress: onCell } : {}),
    ...(stored?.onCell ? { onCell: stored.onCell } : {}),
  });
  const ms = performance.now() - t;
  const passed = r.cells.filter((c) => c.status === 'ok' && c.score?.pass).length;
  if (r.status !== 'completed' || passed !== r.cells.length)
    throw new Error(`runner: ${r.status}, ${passed}/${r.cells.length} cells passed`);
  return ms;
}

/** The peer: the runner's requests sent straight to the providers, `concurrency` at a time; wall time in ms. */
async function timeRaw(registry: ProviderRegistry, cfg: BenchConfig): Promise<number> {
  const cells = expandMatrix(cfg, catalog);
  const requests = cells.map((cell) => ({
    provider: cell.ref.provider,
    request: {
      model: cell.ref.model,
      ...(cell.prompt.system !== undefined ? { system: cell.prompt.system } : {}),
      messages: cell.prompt.messages.map((m) => ({
        role: m.role === 'assistant' ? ('assistant' as const) : ('user' as const),
        content: m.content,
      })),
      maxTokens: cfg.maxTokens,
      ...(cfg.temperature !== undefined ? { temperature: cfg.temperature } : {}),
    } satisfies CompletionRequest,
  }));
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: cfg.concurrency }, async () => {
      while (next < requests.length) {
        const { provider, request } = requests[next++]!;
        await registry.get(provider).complete(request);
      }
    }),
  );
  return performance.now() - t;
}

interface ScaleRow {
  provider: string;
  cells: number;
  ms: number;
  cellsPerS: number;
  rssBeforeMb: number;
  peakRssMb: number;
  peakHeapMb: number;
  met: boolean;
}

/** 20,000 cells (2 variants × 2 models × 2,500 cases × 2 repeats) with RSS and heap sampled every 20 ms. */
async function scaleRow(
  label: string,
  registry: ProviderRegistry,
  stub: StubLlmServer | null,
  stored?: { cache: ResponseCache; onCell: BenchRunOptions['onCell'] },
): Promise<ScaleRow> {
  const cfg = config(2_500, 2);
  const before = process.memoryUsage().rss;
  let peak = before;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak) peak = m.rss;
    if (m.heapUsed > heap) heap = m.heapUsed;
  };
  const timer = setInterval(sample, 20);
  let ended = 0;
  let ms: number;
  try {
    ms = await timeRunner(
      registry,
      cfg,
      () => {
        // the stub logs every request for tests to inspect; that log is not the runner's memory
        if (++ended % 500 === 0) {
          if (stub) stub.requests.length = 0;
          sample();
        }
      },
      stored,
    );
  } finally {
    clearInterval(timer);
  }
  sample();
  if (stub) stub.requests.length = 0;
  return {
    provider: label,
    cells: SCALE_CELLS,
    ms,
    cellsPerS: SCALE_CELLS / (ms / 1000),
    rssBeforeMb: mb(before),
    peakRssMb: mb(peak),
    peakHeapMb: mb(heap),
    met: mb(peak) <= TARGET_RSS_MB,
  };
}

type ScaleKind = 'instant' | 'instant-db' | 'stub';
const SCALE_LABELS: Record<ScaleKind, string> = {
  instant: 'in-process provider answering at once',
  'instant-db': 'the same, every cell stored in the runs database (as the app runs it)',
  stub: 'stub server (same process) via registry → SDK',
};

/** One scale row in this process (the child's side of --scale-child). */
async function scaleHere(kind: ScaleKind): Promise<ScaleRow> {
  if (kind === 'stub') {
    const script = (req: ChatScriptRequest) => answer(req.messages.at(-1)!.content);
    const { startStubLlmServer } = await import('../test/support/stubLlmServer');
    const stub = await startStubLlmServer({
      anthropic: { apiKey: ANTHROPIC_KEY, reply: script },
      openai: { apiKey: OPENAI_KEY, reply: script },
    });
    try {
      return await scaleRow(SCALE_LABELS[kind], await stubRegistry(stub), stub);
    } finally {
      await stub.close();
    }
  }
  if (kind === 'instant') return scaleRow(SCALE_LABELS[kind], instantRegistry(), null);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pp-bench-runs-'));
  const store = new RunStore(path.join(dir, 'runs.db'));
  try {
    store.createRun({
      runId: 'bench',
      createdAt: new Date().toISOString(),
      request: { path: 'bench.yaml' },
      summary: {
        file: 'bench.yaml',
        golden: { file: 'banking77.csv', cases: 2_500, format: 'csv' },
        variants: ['original', 'compressed'],
        models: MODELS,
        repeats: 2,
        maxTokens: 20,
        temperature: 0,
        concurrency: CONCURRENCY,
        budgetUsd: 1_000,
        baseline: 'original',
      },
      status: 'running',
      total: SCALE_CELLS,
      spentUsd: 0,
      batch: false,
      batches: [],
      estimate: { cells: 0, inputTokens: 0, outputTokens: 0, usd: 0, perModel: [], method: '' },
      cases: {},
    });
    return await scaleRow(SCALE_LABELS[kind], instantRegistry(), null, {
      cache: store.responses(),
      onCell: (seq, result, key, request) => store.saveCell('bench', seq, { result, key, request }),
    });
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one scale row in a fresh Node process and reads its result from the child's stdout. */
function scaleInChild(kind: ScaleKind): Promise<ScaleRow> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--scale-child', kind], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`scale child (${kind}) exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ScaleRow);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

async function scale(): Promise<Record<string, unknown>> {
  const rows: ScaleRow[] = [];
  for (const kind of ['instant', 'instant-db', 'stub'] as const) rows.push(await scaleInChild(kind));
  console.log(
    `\n  (b) ${SCALE_CELLS.toLocaleString('en')} cells (2 variants × 2 models × 2,500 cases × 2 repeats), concurrency ${CONCURRENCY}; RSS and heap sampled every 20 ms; each row in a fresh Node process (node --import tsx)\n`,
  );
  console.log(
    '  | provider | wall | cells/s | RSS before | peak RSS | peak heap used | target ≤ 200 MB peak RSS |',
  );
  console.log('  | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows)
    console.log(
      `  | ${r.provider} | ${(r.ms / 1000).toFixed(1)} s | ${r.cellsPerS.toFixed(0)} | ${r.rssBeforeMb.toFixed(0)} MB | ${r.peakRssMb.toFixed(0)} MB | ${r.peakHeapMb.toFixed(0)} MB | ${met(r.met)} |`,
    );
  return { rows };
}

async function overhead(stub: StubLlmServer): Promise<Record<string, unknown>> {
  const cfg = config(OVERHEAD_CELLS / 4, 1);
  const registry = await stubRegistry(stub);
  const instant = instantRegistry();
  // warm-up: JIT, SDK clients, keep-alive sockets
  const warm = config(100, 1);
  await timeRunner(registry, warm);
  await timeRaw(registry, warm);
  await timeRunner(instant, warm);
  const runnerMs: number[] = [];
  const rawMs: number[] = [];
  const instantMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    rawMs.push(await timeRaw(registry, cfg));
    stub.requests.length = 0;
    runnerMs.push(await timeRunner(registry, cfg));
    stub.requests.length = 0;
    instantMs.push(await timeRunner(instant, cfg));
  }
  const runner = median(runnerMs);
  const raw = median(rawMs);
  const perCell = (runner - raw) / OVERHEAD_CELLS;
  const alone = median(instantMs) / OVERHEAD_CELLS;
  const cps = (ms: number) => OVERHEAD_CELLS / (ms / 1000);
  console.log(
    `\n  (a) ${OVERHEAD_CELLS.toLocaleString('en')} cells (2 variants × 2 models × ${OVERHEAD_CELLS / 4} BANKING77 cases), concurrency ${CONCURRENCY}, stub at zero latency; medians of ${ROUNDS} interleaved rounds\n`,
  );
  console.log('  | what | wall | ms/cell | cells/s |');
  console.log('  | --- | ---: | ---: | ---: |');
  const line = (label: string, ms: number) =>
    console.log(
      `  | ${label} | ${ms.toFixed(0)} ms | ${(ms / OVERHEAD_CELLS).toFixed(3)} | ${cps(ms).toFixed(0)} |`,
    );
  line('raw provider calls (registry → SDK → stub)', raw);
  line('bench runner (same calls, + estimate, cache, budget, scoring)', runner);
  line('bench runner, in-process provider answering at once', median(instantMs));
  console.log(
    `\n  Runner overhead: ${perCell.toFixed(3)} ms per cell (runner − raw) at concurrency ${CONCURRENCY}; target ≤ ${TARGET_OVERHEAD_MS} ms: ${met(perCell <= TARGET_OVERHEAD_MS)}.` +
      ` Runner alone (instant provider): ${alone.toFixed(3)} ms per cell.`,
  );
  return {
    cells: OVERHEAD_CELLS,
    concurrency: CONCURRENCY,
    rawMs,
    runnerMs,
    instantMs,
    overheadMsPerCell: perCell,
    runnerAloneMsPerCell: alone,
    runnerCellsPerS: cps(runner),
    rawCellsPerS: cps(raw),
    met: perCell <= TARGET_OVERHEAD_MS,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const script = (req: ChatScriptRequest) => answer(req.messages.at(-1)!.content);
  const { startStubLlmServer } = await import('../test/support/stubLlmServer');
  const stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: script },
    openai: { apiKey: OPENAI_KEY, reply: script },
  });
  try {
    const b = await scale();
    const a = await overhead(stub);
    return { overhead: a, scale: b };
  } finally {
    await stub.close();
  }
}

// the child side of scale(): `node --import tsx bench/runner.bench.ts --scale-child <kind>`
if (process.argv[2] === '--scale-child') {
  const row = await scaleHere(process.argv[3] as ScaleKind);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
