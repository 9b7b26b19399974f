import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { get_encoding } from 'tiktoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { PROJECTION_KEYS } from '../../src/cli/projection';

const run = promisify(execFile);
const AIRLINE = path.resolve(
  '../shared/corpora/system-prompts/041_sierra-research__tau_bench__envs__airline__wiki.md',
);
const o200k = get_encoding('o200k_base');
let tmp: string;
let dataDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pp-cli-'));
  dataDir = path.join(tmp, 'data');
});

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: tmp,
    env: { PROMPTPRESS_DATA_DIR: dataDir },
  });
  return { code, stdout, stderr };
}

describe('promptpress count', () => {
  it('prints tokens and cost as JSON, equal to tiktoken', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(AIRLINE, 'utf8');
    const r = await cli(['count', AIRLINE, '--model', 'gpt-4o', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      model: 'gpt-4o',
      encoding: 'o200k_base',
      method: 'exact',
      tokens: o200k.encode(text, [], []).length,
    });
    expect(out.cost.inputUsd).toBeCloseTo((out.tokens * 2.5) / 1e6, 12);
    expect(out.cost.currency).toBe('USD');
  });

  it('prints a human summary by default', async () => {
    await writeFile(path.join(tmp, 'p.md'), 'Answer in one word.');
    const r = await cli(['count', 'p.md', '-m', 'gpt-4o-mini']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tokens\s+\d+ \(o200k_base, exact\)/);
    expect(r.stdout).toContain('gpt-4o-mini ($0.15/1M)');
  });

  it.each([
    ['a missing file', 'missing.md', 'FILE_NOT_FOUND'],
    ['a directory', 'dir', 'IS_A_DIRECTORY'],
    ['a binary file', 'bin.txt', 'BINARY_FILE'],
    ['invalid UTF-8', 'latin1.txt', 'ENCODING_INVALID'],
  ])('fails on %s with a coded message on stderr and exit 1', async (_n, file, code) => {
    await mkdir(path.join(tmp, 'dir'), { recursive: true });
    await writeFile(path.join(tmp, 'bin.txt'), Buffer.from([1, 2, 0, 3]));
    await writeFile(path.join(tmp, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const r = await cli(['count', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`promptpress: ${code}:`);
    expect(r.stdout).toBe('');
  });

  it('reports an unknown model as a coded error, also in JSON mode', async () => {
    const r = await cli(['count', AIRLINE, '--model', 'gpt-99', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_MODEL' } });
    expect(r.stderr).toContain('UNKNOWN_MODEL');
  });

  it('exits 64 on bad usage', async () => {
    expect((await cli(['count'])).code).toBe(64);
    expect((await cli(['count', 'a', 'b'])).code).toBe(64);
    expect((await cli(['count', 'a', '--bogus'])).code).toBe(64);
    expect((await cli(['frobnicate'])).code).toBe(64);
  });
});

describe('promptpress models', () => {
  it('lists the catalog', async () => {
    const r = await cli(['models', '--json']);
    expect(r.code).toBe(0);
    const models = JSON.parse(r.stdout) as Array<{ id: string }>;
    expect(models.map((m) => m.id)).toContain('gpt-4o');
  });
});

describe('help', () => {
  it('lists every command and option, and exits 64 without a command', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const text of [
      'count FILE [--model ID]',
      '--models A,B,C',
      '--projection KEY=VALUE',
      '--compressed FILE2',
      'count --messages REQUEST.json',
      'models [--provider P] [--search TEXT]',
      'models import-litellm FILE',
      '--json',
      'Exit codes: 0 ok, 1 error',
      '64 bad usage',
    ]) {
      expect(r.stdout).toContain(text);
    }
    const none = await cli([]);
    expect(none.code).toBe(64);
    expect(none.stdout).toBe(r.stdout);
  });

  it('documents every --projection key in `count --help`', async () => {
    const r = await cli(['count', '--help']);
    expect(r.code).toBe(0);
    for (const key of Object.keys(PROJECTION_KEYS))
      expect(r.stdout).toMatch(new RegExp(`\\n {26}${key} +\\S`));
    for (const flag of [
      '--model ID',
      '--models A,B,C',
      '--projection SPEC',
      '--compressed FILE2',
      '--messages FILE',
      '--json',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('documents the models filters and import-litellm in `models --help`', async () => {
    const r = await cli(['models', '--help']);
    expect(r.code).toBe(0);
    for (const text of [
      '--provider P',
      '--search TEXT',
      'import-litellm FILE',
      '--json',
      'as of',
      'no price',
    ]) {
      expect(r.stdout).toContain(text);
    }
  });
});

describe('the installed command', () => {
  it('runs `node bin/promptpress.js count FILE --models gpt-4o,claude-sonnet-4-5 --json`', async () => {
    const { stdout } = await run(
      process.execPath,
      ['bin/promptpress.js', 'count', AIRLINE, '--models', 'gpt-4o,claude-sonnet-4-5', '--json'],
      { env: { ...process.env, PROMPTPRESS_DATA_DIR: dataDir } },
    );
    const out = JSON.parse(stdout);
    const { readFile } = await import('node:fs/promises');
    const tokens = o200k.encode(await readFile(AIRLINE, 'utf8'), [], []).length;
    expect(out.file).toBe(AIRLINE);
    expect(out.rows).toMatchObject([
      { model: 'gpt-4o', tokens, method: 'exact' },
      { model: 'claude-sonnet-4-5', method: 'estimate' },
    ]);
    expect(out.rows[0].perMonthUsd).toBeCloseTo(1000 * 30 * out.rows[0].perRequestUsd, 6);
    expect(out.warnings.join(' ')).toContain('≈');
  });

  it('exits 64 from the real bin on a bad --projection key', async () => {
    await expect(
      run(process.execPath, ['bin/promptpress.js', 'count', AIRLINE, '--projection', 'speed=3'], {
        env: { ...process.env, PROMPTPRESS_DATA_DIR: dataDir },
      }),
    ).rejects.toMatchObject({ code: 64, stderr: expect.stringContaining('unknown key "speed"') });
  });

  it('runs as `npx promptpress count … --json` from the clone', async () => {
    const { stdout } = await run(
      'npx',
      ['--no-install', 'promptpress', 'count', AIRLINE, '--model', 'gpt-4o', '--json'],
      {
        env: { ...process.env, PROMPTPRESS_DATA_DIR: dataDir },
      },
    );
    const out = JSON.parse(stdout);
    expect(out.tokens).toBeGreaterThan(1000);
    expect(out.cost.inputUsd).toBeGreaterThan(0);
  });

  it('sets a non-zero exit code on error', async () => {
    await expect(
      run(process.execPath, ['bin/promptpress.js', 'count', path.join(tmp, 'nope.md')]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('FILE_NOT_FOUND'),
    });
  });
});
