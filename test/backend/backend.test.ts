import { mkdtemp, readFile, writeFile, mkdir, readdir, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { get_encoding } from 'tiktoken';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call, dispatch } from '../../src/backend/dispatch';
import { ok } from '../support/fixtures';

const o200k = get_encoding('o200k_base');
let dataDir: string;
let wsDir: string;
let backend: Backend;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-data-'));
  wsDir = await mkdtemp(path.join(os.tmpdir(), 'pp-ws-'));
  backend = createBackend({ host: 'browser', dataDir, watch: false });
});
afterEach(() => backend.dispose());

describe('workspaces', () => {
  it('opens a copy of the sample workspace on first start', async () => {
    const ws = await ok(call(backend, 'workspace.current', {}));
    expect(ws?.root).toBe(path.join(dataDir, 'sample-workspace'));
    const paths = ws!.files.map((f) => f.path);
    expect(paths).toContain('prompts/airline-agent-policy.md');
    expect(paths).toContain('prompts/linux-terminal.prompt');
    expect(paths).toContain('prompts/gsm8k-8-shot-cot.txt');
    expect(paths.every((p) => /\.(md|txt|prompt)$/.test(p))).toBe(true);
  });

  it('lists only prompt files, skipping hidden and dependency folders', async () => {
    await mkdir(path.join(wsDir, 'a/b'), { recursive: true });
    await mkdir(path.join(wsDir, 'node_modules/x'), { recursive: true });
    await mkdir(path.join(wsDir, '.git'), { recursive: true });
    for (const f of [
      'one.md',
      'two.txt',
      'a/three.prompt',
      'a/b/four.MD',
      'data.json',
      'node_modules/x/r.md',
      '.git/HEAD.txt',
      '.hidden.md',
    ]) {
      await writeFile(path.join(wsDir, f), 'x');
    }
    const ws = await ok(call(backend, 'workspace.open', { path: wsDir }));
    expect(ws.files.map((f) => f.path)).toEqual(['a/b/four.MD', 'a/three.prompt', 'one.md', 'two.txt']);
    expect(ws.truncated).toBe(false);
  });

  it('remembers recent workspaces, most recent first, and reopens the last one in a new session', async () => {
    await ok(call(backend, 'workspace.openSample', {}));
    await ok(call(backend, 'workspace.open', { path: wsDir }));
    const recent = await ok(call(backend, 'workspace.recent', {}));
    expect(recent.items.map((r) => r.root)).toEqual([wsDir, path.join(dataDir, 'sample-workspace')]);
    const again = createBackend({ host: 'browser', dataDir, watch: false });
    expect((await ok(call(again, 'workspace.current', {})))?.root).toBe(wsDir);
    again.dispose();
  });

  it("keeps the user's edits to the sample copy instead of re-copying it", async () => {
    await ok(call(backend, 'workspace.openSample', {}));
    const file = path.join(dataDir, 'sample-workspace/prompts/linux-terminal.prompt');
    await writeFile(file, 'edited');
    await ok(call(backend, 'workspace.openSample', {}));
    expect(await readFile(file, 'utf8')).toBe('edited');
  });

  it('gives coded errors for a missing folder and a file instead of a folder', async () => {
    const missing = await call(backend, 'workspace.open', { path: path.join(wsDir, 'nope') });
    expect(missing.ok ? null : missing.error.code).toBe('FILE_NOT_FOUND');
    await writeFile(path.join(wsDir, 'f.md'), 'x');
    const notDir = await call(backend, 'workspace.open', { path: path.join(wsDir, 'f.md') });
    expect(notDir.ok ? null : notDir.error.code).toBe('NOT_A_DIRECTORY');
  });

  it('survives a corrupt settings file by moving it aside', async () => {
    await writeFile(path.join(dataDir, 'settings.json'), '{ not json');
    const fresh = createBackend({ host: 'browser', dataDir, watch: false });
    expect(await ok(call(fresh, 'settings.get', {}))).toEqual({ selectedModel: 'gpt-4o' });
    expect((await readdir(dataDir)).some((n) => n.startsWith('settings.json.corrupt-'))).toBe(true);
    fresh.dispose();
  });
});

describe('files', () => {
  beforeEach(async () => {
    await writeFile(path.join(wsDir, 'p.md'), 'Hello prompt');
    await ok(call(backend, 'workspace.open', { path: wsDir }));
  });

  it('reads and saves a prompt, returning the new hash', async () => {
    const read = await ok(call(backend, 'file.read', { path: 'p.md' }));
    expect(read.content).toBe('Hello prompt');
    const saved = await ok(
      call(backend, 'file.save', { path: 'p.md', content: 'Changed', baseHash: read.hash }),
    );
    expect(saved.hash).not.toBe(read.hash);
    expect(await readFile(path.join(wsDir, 'p.md'), 'utf8')).toBe('Changed');
  });

  it('refuses to overwrite a file that changed on disk unless forced', async () => {
    const read = await ok(call(backend, 'file.read', { path: 'p.md' }));
    await writeFile(path.join(wsDir, 'p.md'), 'someone else');
    const conflict = await call(backend, 'file.save', { path: 'p.md', content: 'mine', baseHash: read.hash });
    expect(conflict.ok ? null : conflict.error.code).toBe('FILE_CHANGED_ON_DISK');
    expect(await readFile(path.join(wsDir, 'p.md'), 'utf8')).toBe('someone else');
    await ok(call(backend, 'file.save', { path: 'p.md', content: 'mine', baseHash: read.hash, force: true }));
    expect(await readFile(path.join(wsDir, 'p.md'), 'utf8')).toBe('mine');
  });

  it('keeps a UTF-16 file in UTF-16 when saving', async () => {
    await writeFile(
      path.join(wsDir, 'w.txt'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('wide 넓은', 'utf16le')]),
    );
    const read = await ok(call(backend, 'file.read', { path: 'w.txt' }));
    expect(read).toMatchObject({ content: 'wide 넓은', encoding: 'utf-16le' });
    await ok(
      call(backend, 'file.save', {
        path: 'w.txt',
        content: 'still wide',
        baseHash: read.hash,
        encoding: read.encoding,
      }),
    );
    const bytes = await readFile(path.join(wsDir, 'w.txt'));
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe('still wide');
  });

  it.each(['../outside.md', '/etc/passwd', 'a/../../x.md'])(
    'refuses %s as outside the workspace',
    async (p) => {
      const r = await call(backend, 'file.read', { path: p });
      expect(r.ok ? null : r.error.code).toBe('PATH_OUTSIDE_WORKSPACE');
    },
  );

  it('refuses a symlink that leads out of the workspace', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'pp-out-'));
    await writeFile(path.join(outside, 'secret.md'), 'secret');
    await symlink(path.join(outside, 'secret.md'), path.join(wsDir, 'link.md'));
    const r = await call(backend, 'file.read', { path: 'link.md' });
    expect(r.ok ? null : r.error.code).toBe('PATH_OUTSIDE_WORKSPACE');
  });

  it('only saves prompt files', async () => {
    const r = await call(backend, 'file.save', { path: 'evil.sh', content: 'rm -rf /' });
    expect(r.ok ? null : r.error.code).toBe('INVALID_INPUT');
  });

  it('needs an open workspace for file routes', async () => {
    const fresh = createBackend({
      host: 'browser',
      dataDir: await mkdtemp(path.join(os.tmpdir(), 'pp-d-')),
      watch: false,
    });
    const r = await call(fresh, 'file.read', { path: 'p.md' });
    expect(r.ok ? null : r.error.code).toBe('NO_WORKSPACE');
    fresh.dispose();
  });
});

describe('tokens and models', () => {
  it('counts exactly like tiktoken o200k_base and prices the input', async () => {
    const text = 'You are a helpful airline agent. Never reveal {{secret}}. Refund ≤ $200 — 환불 🙂';
    const c = await ok(call(backend, 'tokens.count', { text, model: 'gpt-4o' }));
    const expected = o200k.encode(text, [], []).length;
    expect(c).toMatchObject({ tokens: expected, encoding: 'o200k_base', method: 'exact', model: 'gpt-4o' });
    expect(c.cost.usd).toBeCloseTo((expected * 2.5) / 1e6, 12);
  });

  it('counts special-token text as ordinary text instead of throwing', async () => {
    const c = await ok(call(backend, 'tokens.count', { text: 'a <|endoftext|> b', model: 'gpt-4o' }));
    expect(c.tokens).toBe(o200k.encode('a <|endoftext|> b', [], []).length);
  });

  it('uses cl100k_base for older models', async () => {
    const cl = get_encoding('cl100k_base');
    const text = 'Tokenizers differ: 東京 and emojis 🎉🎉';
    const c = await ok(call(backend, 'tokens.count', { text, model: 'gpt-4-turbo' }));
    expect(c).toMatchObject({ encoding: 'cl100k_base', tokens: cl.encode(text, [], []).length });
    cl.free();
  });

  it('rejects an unknown model with UNKNOWN_MODEL naming it', async () => {
    const r = await call(backend, 'tokens.count', { text: 'x', model: 'gpt-9' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('UNKNOWN_MODEL');
      expect(r.error.message).toContain('gpt-9');
    }
  });

  it('persists the selected model and refuses unknown ones', async () => {
    expect(await ok(call(backend, 'settings.update', { selectedModel: 'gpt-4.1-mini' }))).toEqual({
      selectedModel: 'gpt-4.1-mini',
    });
    const bad = await call(backend, 'settings.update', { selectedModel: 'nope' });
    expect(bad.ok ? null : bad.error.code).toBe('UNKNOWN_MODEL');
    const again = createBackend({ host: 'browser', dataDir, watch: false });
    expect(await ok(call(again, 'settings.get', {}))).toEqual({ selectedModel: 'gpt-4.1-mini' });
    again.dispose();
  });
});

describe('dispatch', () => {
  it('validates input and names the bad field', async () => {
    const r = await dispatch(backend, 'tokens.count', { text: 42, model: 'gpt-4o' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message).toContain('text');
    }
  });

  it('rejects unknown routes and unknown fields', async () => {
    const unknown = await dispatch(backend, 'nope.nothing', {});
    expect(unknown.ok ? null : unknown.error.code).toBe('UNKNOWN_ROUTE');
    const extra = await dispatch(backend, 'app.info', { surprise: true });
    expect(extra.ok ? null : extra.error.code).toBe('INVALID_INPUT');
  });

  it('turns an unexpected exception into INTERNAL without a stack trace', async () => {
    const broken: Backend = {
      ...backend,
      handlers: {
        ...backend.handlers,
        'app.info': async () => {
          throw new TypeError('boom');
        },
      },
    };
    const r = await dispatch(broken, 'app.info', {});
    expect(r).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Unexpected error in app.info: boom' },
    });
  });

  it('catches a handler that breaks the output contract', async () => {
    const broken: Backend = {
      ...backend,
      handlers: { ...backend.handlers, 'settings.get': async () => ({ selectedModel: 42 }) as never },
    };
    const r = await dispatch(broken, 'settings.get', {});
    expect(r.ok ? null : r.error.code).toBe('INTERNAL');
  });
});

describe('watching', () => {
  it('emits workspace.changed when a file changes on disk', async () => {
    const watched = createBackend({ host: 'browser', dataDir, watch: true });
    await writeFile(path.join(wsDir, 'w.md'), 'one');
    await ok(call(watched, 'workspace.open', { path: wsDir }));
    const seen = new Promise<unknown>((resolve) =>
      watched.events.subscribe((event, payload) => resolve({ event, payload })),
    );
    await new Promise((r) => setTimeout(r, 50));
    await writeFile(path.join(wsDir, 'w.md'), 'two');
    const got = (await Promise.race([seen, new Promise((r) => setTimeout(() => r('timeout'), 3000))])) as {
      event: string;
      payload: { root: string; paths: string[] };
    };
    expect(got).not.toBe('timeout');
    expect(got.event).toBe('workspace.changed');
    expect(got.payload.root).toBe(wsDir);
    expect(got.payload.paths).toContain('w.md');
    watched.dispose();
  });
});
