import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call, dispatch } from '../../src/backend/dispatch';
import { classifyImport } from '../../src/backend/services/importFile';
import { ok } from '../support/fixtures';

const SAMPLE = path.resolve(import.meta.dirname, '../../resources/sample-workspace');

let dataDir: string;
let root: string;
let backend: Backend;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-import-'));
  root = path.join(dataDir, 'ws');
  await mkdir(root);
  await writeFile(path.join(root, 'a.md'), 'hello');
  backend = createBackend({ host: 'cli', dataDir, watch: false });
  await ok(call(backend, 'workspace.open', { path: root }));
});
afterEach(async () => {
  backend.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const drop = (name: string, bytes: Uint8Array | string) =>
  dispatch(backend, 'workspace.importFile', { name, data: b64(bytes) });

describe('workspace.importFile (drag and drop)', () => {
  it('puts each real sample file into the folder of its kind, byte for byte', async () => {
    const cases: Array<[string, string]> = [
      ['prompts/airline-agent-policy.md', 'prompts/airline-agent-policy.md'],
      ['prompts/linux-terminal.prompt', 'prompts/linux-terminal.prompt'],
      ['histories/tau-bench-airline-sample.json', 'histories/tau-bench-airline-sample.json'],
      ['golden/banking77-intent.csv', 'golden/banking77-intent.csv'],
      ['benchmarks/banking77-intent.bench.yaml', 'benchmarks/banking77-intent.bench.yaml'],
      ['policies/token-budget.policy.json', 'policies/token-budget.policy.json'],
    ];
    for (const [source, expected] of cases) {
      const bytes = await readFile(path.join(SAMPLE, source));
      const r = await ok(
        call(backend, 'workspace.importFile', { name: path.basename(source), data: b64(bytes) }),
      );
      expect(r.path).toBe(expected);
      expect(r.renamed).toBe(false);
      expect(Buffer.compare(await readFile(path.join(root, expected)), bytes)).toBe(0);
    }
    // the lists the sidebar shows now include them
    const history = await ok(call(backend, 'history.listFiles', {}));
    expect(history.histories).toContain('histories/tau-bench-airline-sample.json');
    const bench = await ok(call(backend, 'bench.listFiles', {}));
    expect(bench.configs).toContain('benchmarks/banking77-intent.bench.yaml');
    expect(bench.goldenSets).toContain('golden/banking77-intent.csv');
  });

  it('tells a JSONL conversation from a JSONL golden set by content', () => {
    const chat = '{"role":"user","content":"hi"}\n{"role":"assistant","content":"hello"}\n';
    const golden = '{"id":"c1","vars":{"q":"2+2"},"expected":"4"}\n';
    expect(classifyImport('chat.jsonl', chat)).toBe('history');
    expect(classifyImport('cases.jsonl', golden)).toBe('golden');
    expect(classifyImport('notes.pdf', 'x')).toBeNull();
  });

  it('never overwrites: a second drop of the same name becomes a numbered copy', async () => {
    const first = await ok(call(backend, 'workspace.importFile', { name: 'x.md', data: b64('one') }));
    const second = await ok(call(backend, 'workspace.importFile', { name: 'x.md', data: b64('two') }));
    const third = await ok(
      call(backend, 'workspace.importFile', { name: 'cases.golden.yaml', data: b64('cases: []\n') }),
    );
    const fourth = await ok(
      call(backend, 'workspace.importFile', { name: 'cases.golden.yaml', data: b64('cases: []\n') }),
    );
    expect([first.path, second.path]).toEqual(['prompts/x.md', 'prompts/x (2).md']);
    expect(second.renamed).toBe(true);
    expect(fourth.path).toBe('golden/cases (2).golden.yaml');
    expect(third.path).toBe('golden/cases.golden.yaml');
    expect(await readFile(path.join(root, 'prompts/x.md'), 'utf8')).toBe('one');
  });

  it('refuses a binary file, invalid UTF-8, an unknown kind and a path-like name with codes, writing nothing', async () => {
    const cases: Array<[string, Uint8Array | string, string]> = [
      ['image.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), 'BINARY_FILE'],
      ['latin1.md', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]), 'ENCODING_INVALID'],
      ['report.pdf', 'plain text', 'UNSUPPORTED'],
      ['../escape.md', 'x', 'INVALID_INPUT'],
      ['.hidden.md', 'x', 'INVALID_INPUT'],
    ];
    for (const [name, bytes, code] of cases) {
      const r = await drop(name, bytes);
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.error.code, name).toBe(code);
    }
    const ws = await ok(call(backend, 'workspace.refresh', {}));
    expect(ws.files.map((f) => f.path)).toEqual(['a.md']);
  });

  it('refuses a file over the size limit with FILE_TOO_LARGE', async () => {
    const big = new Uint8Array(33 * 1024 * 1024).fill(0x61);
    const r = await drop('big.md', big);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('FILE_TOO_LARGE');
  });
});
