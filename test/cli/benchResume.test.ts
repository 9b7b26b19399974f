import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvTable } from '../../src/core/golden';
import type { BenchReport, BenchRunSummary } from '../../src/shared/bench';
import { banking77Labels, readGolden } from '../core/scorers/corpora';
import type { ChatScriptRequest } from '../support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { sandbox, type CliRun } from './support';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-resume-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-resume-0002';
/** Ten real BANKING77 test utterances (PolyAI, CC-BY-4.0). */
const rows = parseCsvTable(readGolden('banking77/test.csv'), 'banking77/test.csv')
  .rows.map((r) => r.values)
  .filter((_, i) => i % 300 === 0)
  .slice(0, 10);
const labelOf = new Map(rows.map((r) => [r.text!, r.category!]));
const script = (req: ChatScriptRequest) => {
  const content = req.messages.at(-1)!.content;
  return labelOf.get(content.slice(content.indexOf(': ') + 2)) ?? 'unknown';
};

let stub: StubLlmServer;
let dir: string;
let env: Record<string, string>;
let cli: (argv: string[]) => Promise<CliRun>;
beforeAll(async () => {
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: script },
    openai: { apiKey: OPENAI_KEY, reply: script },
  });
  env = {
    PATH: process.env.PATH ?? '',
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: stub.url,
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: `${stub.url}/v1`,
  };
  let dataDir: string;
  ({ dir, dataDir, cli } = await sandbox(env));
  // the spawned CLI shares the sandbox's data folder (its runs database)
  env.PROMPTPRESS_DATA_DIR = dataDir;
  await writeFile(
    path.join(dir, 'banking.golden.json'),
    JSON.stringify({
      defaultTest: { assert: [{ type: 'classification', labels: banking77Labels() }] },
      cases: rows.map((r, i) => ({ id: `b77-${i + 1}`, vars: { text: r.text }, expected: r.category })),
    }),
  );
  await writeFile(
    path.join(dir, 'bench.yaml'),
    [
      'golden: banking.golden.json',
      'variants:',
      "  - { name: original, template: 'Message: {{text}}' }",
      "  - { name: compressed, template: 'Msg: {{text}}' }",
      'models: [claude-haiku-4-5, gpt-4o-mini]',
      'maxTokens: 20',
      'concurrency: 2',
      'budget: 1.00',
      '',
    ].join('\n'),
  );
});
afterAll(() => stub.close());

const chatRequests = () => [
  ...stub.requestsTo('POST /v1/messages'),
  ...stub.requestsTo('POST /v1/chat/completions'),
];

describe('promptpress bench --resume', () => {
  it('resumes a run killed with SIGKILL mid-way without re-sending a finished cell', async () => {
    // slow answers, so the kill lands mid-run
    stub.latencyMs = 60;
    const child = spawn(process.execPath, [path.resolve('bin/promptpress.js'), 'bench', 'bench.yaml'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    await expect
      .poll(() => chatRequests().length, { timeout: 20_000, interval: 20 })
      .toBeGreaterThanOrEqual(12);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(stderr).toMatch(/Run run-\S+: 40 cells/);
    stub.latencyMs = 0;
    const sentBeforeResume = chatRequests().length;

    const listed = await cli(['bench', '--runs', '--json']);
    const runs = (JSON.parse(listed.stdout) as { runs: BenchRunSummary[] }).runs;
    expect(runs).toHaveLength(1);
    const killed = runs[0]!;
    expect(killed.status).toBe('interrupted');
    expect(killed.done).toBeGreaterThan(0);
    expect(killed.done).toBeLessThan(40);
    // everything stored was answered; at most the two cells in flight were sent and lost with the process
    expect(sentBeforeResume - killed.done).toBeLessThanOrEqual(2);

    const resumed = await cli(['bench', '--resume', killed.runId, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as BenchReport;
    expect(report.runId).toBe(killed.runId);
    expect(report.cells.filter((c) => c.status === 'ok')).toHaveLength(40);
    expect(report.groups.every((g) => g.passRate === 1)).toBe(true);
    // only the cells that had not finished were sent: the stored ones were not paid for twice
    expect(chatRequests().length - sentBeforeResume).toBe(40 - killed.done);
    const after = (
      JSON.parse((await cli(['bench', '--runs', '--json'])).stdout) as { runs: BenchRunSummary[] }
    ).runs[0]!;
    expect(after).toMatchObject({ runId: killed.runId, status: 'completed', done: 40 });
  }, 60_000);

  it('says clearly when there is nothing to resume', async () => {
    const r = await cli(['bench', '--resume', 'run-does-not-exist']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NOT_FOUND');
  });
});
