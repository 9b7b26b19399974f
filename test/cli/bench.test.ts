import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { parseCsvTable } from '../../src/core/golden';
import type { BenchReport } from '../../src/shared/bench';
import { banking77Labels, readGolden } from '../core/scorers/corpora';
import type { ChatScriptRequest } from '../support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-cli-bench-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-cli-bench-0002';
/** Four real BANKING77 test utterances (PolyAI, CC-BY-4.0), one every 300 rows to vary the labels. */
const rows = parseCsvTable(readGolden('banking77/test.csv'), 'banking77/test.csv')
  .rows.map((r) => r.values)
  .filter((_, i) => i % 300 === 0)
  .slice(0, 4);
const labelOf = new Map(rows.map((r) => [r.text!, r.category!]));
/** The compressed variant on gpt-4o-mini answers these two wrong: 2/4 there, 4/4 everywhere else. */
const missed = new Set(rows.slice(0, 2).map((r) => r.text!));

const ORIGINAL = `You are a banking support classifier. Read the customer's message and answer with exactly one intent label from the list of 77 BANKING77 intents, nothing else.\n\nMessage: {{text}}`;

function script(req: ChatScriptRequest): string {
  const content = req.messages.at(-1)!.content;
  const text = content.slice(
    content.startsWith('Classify') ? content.indexOf('Msg: ') + 5 : content.indexOf('Message: ') + 9,
  );
  const label = labelOf.get(text)!;
  if (req.model === 'gpt-4o-mini' && content.startsWith('Classify') && missed.has(text))
    return label === 'card_arrival' ? 'lost_or_stolen_card' : 'card_arrival';
  return req.provider === 'anthropic' ? `Intent: ${label}` : label;
}

let stub: StubLlmServer;
let dir: string;

beforeAll(async () => {
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: script },
    openai: { apiKey: OPENAI_KEY, reply: script },
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'pp-cli-bench-'));
  await writeFile(
    path.join(dir, 'banking.golden.json'),
    JSON.stringify({
      name: 'BANKING77 sample',
      defaultTest: { assert: [{ type: 'classification', labels: banking77Labels() }] },
      cases: rows.map((r, i) => ({ id: `b77-${i + 1}`, vars: { text: r.text }, expected: r.category })),
    }),
  );
  await writeFile(path.join(dir, 'original.md'), ORIGINAL);
  await writeFile(
    path.join(dir, 'bench.yaml'),
    [
      'golden: banking.golden.json',
      'variants:',
      '  - name: original',
      '    file: original.md',
      '  - name: compressed',
      "    template: 'Classify intent (BANKING77 label only).\\nMsg: {{text}}'",
      'models: [claude-sonnet-4-0, gpt-4o-mini]',
      'maxTokens: 20',
      'temperature: 0',
      'concurrency: 4',
      'budget: 1.00',
      'baseline: original',
      '',
    ].join('\n'),
  );
});
afterAll(() => stub.close());

const chatCalls = () =>
  stub.requestsTo('POST /v1/messages').length + stub.requestsTo('POST /v1/chat/completions').length;
let before = 0;
let testNo = 0;
beforeEach(() => {
  before = chatCalls();
  testNo++;
});

/** Each test has a data folder (runs database, response cache) of its own unless it passes one. */
async function cli(argv: string[], dataDir = path.join(dir, `data-${testNo}`)) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: dir,
    env: {
      PROMPTPRESS_DATA_DIR: dataDir,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: stub.url,
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: `${stub.url}/v1`,
    },
  });
  expect(stdout + stderr).not.toContain(ANTHROPIC_KEY);
  expect(stdout + stderr).not.toContain(OPENAI_KEY);
  return { code, stdout, stderr };
}

describe('promptpress bench', () => {
  it('--estimate prints the worst-case cost and calls no model', async () => {
    const r = await cli(['bench', 'bench.yaml', '--estimate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 variant(s) × 2 model(s) × 4 case(s) × 1 repeat(s) = 16 requests');
    expect(r.stdout).toMatch(/Worst case: \$0\.\d+, within the \$1\.00 budget\./);
    const json = await cli(['bench', 'bench.yaml', '--estimate', '--json', '--models', 'gpt-4o-mini']);
    expect(json.code).toBe(0);
    const e = JSON.parse(json.stdout);
    expect(e.estimate.cells).toBe(8);
    expect(e.estimate.outputTokens).toBe(8 * 20);
    expect(e.estimate.perModel).toHaveLength(1);
    expect(e.estimate.perModel[0].inputMethod).toBe('o200k_base (exact)');
    expect(e.withinBudget).toBe(true);
    expect(chatCalls()).toBe(before);
  });

  it('runs 2 variants × 2 models × 4 BANKING77 cases and prints the table, deltas and cheapest', async () => {
    const r = await cli(['bench', 'bench.yaml']);
    expect(r.code).toBe(0);
    expect(chatCalls() - before).toBe(16);
    expect(r.stdout).toMatch(/compressed\s+gpt-4o-mini\s+50% \[15%–85%\]\s+2\/4/);
    expect(r.stdout).toMatch(/original\s+claude-sonnet-4-0\s+100% \[51%–100%\]\s+4\/4/);
    expect(r.stdout).toContain('compressed on gpt-4o-mini: quality dropped: −50.0 pts, beyond 2 pts');
    expect(r.stdout).toContain('compressed on claude-sonnet-4-0: quality kept: ±0.0 pts, within 2 pts');
    expect(r.stdout).toMatch(/Cheapest passing \(pass rate ≥ 95%\): \w+ × gpt-4o-mini/);
  });

  it('--json prints the full report; --junit and --md write files', async () => {
    const r = await cli([
      'bench',
      'bench.yaml',
      '--json',
      '--junit',
      'out/junit.xml',
      '--md',
      'report.md',
      '--variants',
      'original,compressed',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as BenchReport;
    expect(report.config).toMatchObject({
      variants: ['original', 'compressed'],
      models: ['claude-sonnet-4-0', 'gpt-4o-mini'],
      baseline: 'original',
      golden: { file: 'banking.golden.json', cases: 4, format: 'golden' },
      budgetUsd: 1,
    });
    expect(report.status).toBe('completed');
    expect(report.cells).toHaveLength(16);
    expect(report.groups).toHaveLength(4);
    const lossy = report.groups.find((g) => g.variant === 'compressed' && g.model === 'gpt-4o-mini')!;
    expect(lossy).toMatchObject({ n: 4, passes: 2, passRate: 0.5 });
    expect(lossy.costPer1k).toBeGreaterThan(0);
    expect(report.deltas).toHaveLength(2);
    expect(report.cheapest).not.toBeNull();
    expect(report.thresholds).toEqual({
      minPassRate: null,
      maxQualityDrop: null,
      passed: true,
      failures: [],
    });
    expect(report.spentUsd).toBeGreaterThan(0);
    expect(report.spentUsd).toBeLessThanOrEqual(report.estimate.usd);

    const junit = await readFile(path.join(dir, 'out/junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(16);
    expect(junit.match(/<failure /g)).toHaveLength(2);
    expect(junit).toContain('<testsuites name="promptpress bench');
    expect(junit).toContain('tests="16" failures="2" errors="0"');
    expect(junit).toContain('classname="compressed.gpt-4o-mini" name="b77-1"');

    const md = await readFile(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain('# Benchmark: ');
    expect(md).toMatch(/\| compressed \| gpt-4o-mini \| 50% \[15%–85%\] \| 2\/4 \|/);
    expect(md).toContain('## Against the baseline "original"');
  });

  it('exits 2 when a threshold fails and says which', async () => {
    const pass = await cli(['bench', 'bench.yaml', '--min-pass-rate', '0.5', '--max-quality-drop', '0.5']);
    expect(pass.code).toBe(0);
    const rate = await cli(['bench', 'bench.yaml', '--min-pass-rate', '0.95']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain(
      'promptpress: CHECK_FAILED: compressed × gpt-4o-mini: pass rate 50.0% (2/4) is below 95.0%',
    );
    expect(rate.stderr.match(/CHECK_FAILED/g)).toHaveLength(1);
    const drop = await cli(['bench', 'bench.yaml', '--max-quality-drop', '0.02', '--json']);
    expect(drop.code).toBe(2);
    const report = JSON.parse(drop.stdout) as BenchReport;
    expect(report.thresholds.passed).toBe(false);
    expect(report.thresholds.failures).toEqual([
      expect.objectContaining({ kind: 'maxQualityDrop', variant: 'compressed', model: 'gpt-4o-mini' }),
    ]);
    // the same run with only the claude model keeps quality
    const claude = await cli([
      'bench',
      'bench.yaml',
      '--max-quality-drop',
      '0.02',
      '--models',
      'claude-sonnet-4-0',
    ]);
    expect(claude.code).toBe(0);
  });

  it('refuses a run above the budget with BUDGET_EXCEEDED (exit 1) before calling any model', async () => {
    const r = await cli(['bench', 'bench.yaml', '--budget', '0.0001']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^promptpress: BUDGET_EXCEEDED: This run may cost up to \$0\.\d+ \(16 requests\)/,
    );
    const json = await cli(['bench', 'bench.yaml', '--budget', '0.0001', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error.code).toBe('BUDGET_EXCEEDED');
    expect(chatCalls()).toBe(before);
  });

  it('names the file and field of a bad config, and exits 64 on bad usage', async () => {
    await writeFile(
      path.join(dir, 'bad.yaml'),
      'golden: banking.golden.json\nvariants:\n  - name: a\n    fil: a.md\nmodels: [gpt-4o-mini]\n',
    );
    const bad = await cli(['bench', 'bad.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^promptpress: INVALID_INPUT: bad\.yaml, line \d+: variants\[0\]/);
    await writeFile(
      path.join(dir, 'nogold.yaml'),
      'golden: missing.csv\nvariants: [{name: a, template: x}]\nmodels: [gpt-4o-mini]\nbudget: 1\n',
    );
    const missing = await cli(['bench', 'nogold.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('FILE_NOT_FOUND: nogold.yaml: golden:');
    const unknown = await cli(['bench', 'bench.yaml', '--variants', 'nope', '--estimate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('INVALID_INPUT: bench.yaml has no variant "nope"');
    expect((await cli(['bench', 'bench.yaml', '--min-pass-rate', '2'])).code).toBe(64);
    expect((await cli(['bench'])).code).toBe(64);
    expect((await cli(['bench', 'bench.yaml', '--bogus'])).code).toBe(64);
    expect(chatCalls()).toBe(before);
  });
});
