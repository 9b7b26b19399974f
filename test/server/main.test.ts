import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PORT, portFromEnv } from '../../src/server/env';

const repo = path.resolve(import.meta.dirname, '..', '..');
const LINE = /^PromptPress is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/m;

interface Launched {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

function launch(env: Record<string, string>): Launched {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pp-web-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: repo,
    env: { ...process.env, PROMPTPRESS_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitForLine(p: Launched): Promise<RegExpMatchArray> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const m = p.stdout().match(LINE);
    if (m) return m;
    if (p.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no URL line; stdout: ${p.stdout()} stderr: ${p.stderr()}`);
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('npm run web entry (src/server/main.ts)', () => {
  it('prints one ready-to-open URL, guards it with the token and stops cleanly on SIGTERM', async () => {
    const p = launch({ PROMPTPRESS_PORT: '0' });
    const [, url, port, token] = await waitForLine(p);
    expect(
      p
        .stdout()
        .split('\n')
        .filter((l) => l.includes('http://')).length,
    ).toBe(1);

    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    const info = await fetch(`${base}/api/rpc/app.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-PromptPress-Token': token! },
      body: '{}',
    });
    expect(await info.json()).toMatchObject({ ok: true, data: { host: 'browser', name: 'PromptPress' } });
    const page = await fetch(url!, { redirect: 'manual' });
    expect(page.status).toBe(302);

    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  }, 30_000);

  it('falls back to a free port when PROMPTPRESS_PORT is busy', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      const p = launch({ PROMPTPRESS_PORT: String(busy) });
      const [, , port] = await waitForLine(p);
      expect(Number(port)).not.toBe(busy);
      expect(p.stderr()).toContain(`Port ${busy} is busy`);
      p.child.kill('SIGINT');
      expect(await p.exit).toBe(0);
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('exits with a message when PROMPTPRESS_PORT is not a port', async () => {
    const p = launch({ PROMPTPRESS_PORT: 'eighty' });
    expect(await p.exit).toBe(1);
    expect(p.stderr()).toContain('PROMPTPRESS_PORT');
  }, 30_000);
});

describe('portFromEnv', () => {
  it('defaults to 5178 and validates the value', () => {
    expect(DEFAULT_PORT).toBe(5178);
    expect(portFromEnv(undefined)).toBe(5178);
    expect(portFromEnv('')).toBe(5178);
    expect(portFromEnv('0')).toBe(0);
    expect(portFromEnv('8080')).toBe(8080);
    expect(portFromEnv('65536')).toHaveProperty('error');
    expect(portFromEnv('-1')).toHaveProperty('error');
    expect(portFromEnv('1.5')).toHaveProperty('error');
    expect(portFromEnv('abc')).toHaveProperty('error');
  });
});
