import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { runCli } from '../../src/cli/main';
import { ok } from '../support/fixtures';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { modelsRoutes, STUB_OPENAI_MODELS } from '../support/stubModels';

const OPENAI_KEY = 'sk-cli-openai-000000000000000000-0a0a';
const GROQ_KEY = 'gsk-cli-groq-0000000000000000000-0b0b';
const WRONG = 'gsk-cli-wrong-000000000000000000-0c0c';

let stub: StubLlmServer;
let dir: string;

beforeEach(async () => {
  stub = await startStubLlmServer({
    routes: modelsRoutes({ keys: [OPENAI_KEY, GROQ_KEY], echoKeyInErrors: true }),
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'pp-cli-providers-'));
  // the endpoint a user added in the app, saved in the shared data folder
  const b = createBackend({ host: 'cli', dataDir: dir, watch: false });
  await ok(
    call(b, 'providers.save', {
      create: true,
      endpoint: {
        id: 'groq',
        label: 'Groq',
        baseURL: `${stub.url}/v1`,
        keyEnvVar: 'GROQ_API_KEY',
        limits: { rpm: 30 },
      },
    }),
  );
  b.dispose();
});
afterEach(async () => {
  await stub.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: dir,
    env: { PROMPTPRESS_DATA_DIR: dir, ...env },
  });
  return { code, stdout, stderr, all: stdout + stderr };
}

const keys = (groq: string) => ({
  OPENAI_API_KEY: OPENAI_KEY,
  OPENAI_BASE_URL: `${stub.url}/v1`,
  GROQ_API_KEY: groq,
});

describe('promptpress providers', () => {
  it('lists every provider with where its key comes from (last 4 only) and its limits', async () => {
    const r = await cli(['providers', 'list'], keys(GROQ_KEY));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^provider\s+protocol\s+base URL\s+key\s+limits$/);
    expect(lines.find((l) => l.startsWith('anthropic'))).toMatch(/none \(set ANTHROPIC_API_KEY\)\s+-$/);
    expect(lines.find((l) => l.startsWith('openai'))).toContain('…0a0a from OPENAI_API_KEY');
    expect(lines.find((l) => l.startsWith('groq'))).toMatch(/…0b0b from GROQ_API_KEY\s+30 req\/min$/);
    expect(r.all).not.toContain(GROQ_KEY);
    expect(r.all).not.toContain(OPENAI_KEY);

    const json = await cli(['providers', 'list', '--json'], keys(GROQ_KEY));
    const parsed = JSON.parse(json.stdout) as { providers: Array<{ id: string; last4: string | null }> };
    expect(parsed.providers.map((p) => [p.id, p.last4])).toEqual([
      ['anthropic', null],
      ['openai', '0a0a'],
      ['groq', '0b0b'],
    ]);
  });

  it('tests every provider with a key: 0 when all pass, 2 when one fails, and never prints a key', async () => {
    const good = await cli(['providers', 'test', '--json'], keys(GROQ_KEY));
    expect(good.code).toBe(0);
    const report = JSON.parse(good.stdout) as { ok: boolean; results: Array<Record<string, unknown>> };
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['openai', 'ok'],
      ['groq', 'ok'],
      ['anthropic', 'skipped'],
    ]);
    expect(report.results[1]).toMatchObject({
      result: { method: 'models', modelCount: STUB_OPENAI_MODELS.length },
    });

    const bad = await cli(['providers', 'test'], keys(WRONG));
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/^openai\s+ok\s+\d[\d,]* ms\s+4\s+…0a0a from OPENAI_API_KEY$/m);
    expect(bad.stdout).toMatch(/^groq\s+PROVIDER_AUTH\s+-\s+-\s+…0c0c from GROQ_API_KEY$/m);
    expect(bad.stdout).toContain('groq: Groq rejected the API key (HTTP 401');
    expect(bad.stdout).toContain('Check GROQ_API_KEY.');
    expect(bad.stdout).toContain('skipped anthropic: no key (set ANTHROPIC_API_KEY)');
    // the stub echoed the wrong key back: the CLI shows it redacted
    expect(bad.all).not.toContain(WRONG);
    expect(bad.all).not.toContain(OPENAI_KEY);
  });

  it('exits 2 when no provider has a key, or a named one has none; 64 on bad usage', async () => {
    const none = await cli(['providers', 'test']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no provider has a key to check');

    const named = await cli(['providers', 'test', 'groq', '--json']);
    expect(named.code).toBe(2);
    const parsed = JSON.parse(named.stdout) as { results: Array<{ error?: { code: string } }> };
    expect(parsed.results[0]!.error?.code).toBe('PROVIDER_NOT_CONFIGURED');

    expect((await cli(['providers', 'test', 'nope'])).code).toBe(64);
    expect((await cli(['providers', 'frobnicate'])).code).toBe(64);
    expect((await cli(['providers'])).code).toBe(64);
    expect((await cli(['providers', '--help'])).stdout).toContain('promptpress providers test');
  });
});
