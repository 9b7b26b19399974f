import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../src/backend';
import { registerIpc } from '../../src/main/ipc';
import {
  IPC_INVOKE_CHANNEL,
  type RouteInput,
  type RouteName,
  type RouteOutput,
} from '../../src/shared/contract';
import type { ErrorPayload, Result } from '../../src/shared/errors';
import { createFakeSafeStorage } from '../support/fakeSafeStorage';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { modelsRoutes } from '../support/stubModels';
import { FakeIpcMain, FakeWindow } from './fakes';

vi.mock('electron', () => {
  throw new Error('the IPC adapter must not load electron at run time');
});

/**
 * The planted-key test of the desktop host: keys typed in the app (stored with safeStorage) and one from the
 * environment are used for calls that succeed and fail (the stub echoes the key in its errors, as a
 * misbehaving proxy would), a compression is exported, and then every file the app wrote and every IPC
 * answer and event the page received is searched: the keys never appear, only their last 4 characters.
 */
const STORED = 'sk-planted-7Qx9ZrT2mK4vL8pN3sW6yB1cD5fH0jA-1234';
const FROM_ENV = 'sk-planted-env-9Wq2Er5Ty8Ui1Op4As7Df0Gh3Jk6Lz-5678';
const WRONG = 'sk-planted-wrong-3Rt6Yu9Io2Pa5Sd8Fg1Hj4Kl7Zx-9012';
const PLANTED = [STORED, FROM_ENV, WRONG];
const APP_URL = 'file:///opt/promptpress/out/renderer/index.html';
const PROMPT = [
  '# Support agent',
  '',
  'It is really very important that you always answer in a polite and friendly manner.',
  'Refunds are possible within 30 days.',
  '',
].join('\n');

let stub: StubLlmServer;
let dataDir: string;
let backend: Backend;
const answers: unknown[] = [];
const window = new FakeWindow();
const ipc = new FakeIpcMain();

/** What the page gets for `route(input)`, recorded. */
async function invoke<R extends RouteName>(route: R, input: RouteInput<R>): Promise<Result<RouteOutput<R>>> {
  const result = (await ipc.invoke(IPC_INVOKE_CHANNEL, APP_URL, route, input)) as Result<RouteOutput<R>>;
  answers.push(result);
  return result;
}

/** The data of a result that must be ok. */
function data<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

/** The error of a result that must have failed. */
function failure(r: Result<unknown>): ErrorPayload {
  if (r.ok) throw new Error('expected a coded error');
  return r.error;
}

const rewrite = (model: string) => ({
  version: 1,
  steps: [{ strategy: 'llm.rewrite', options: { model } }],
});

/** Every file under `dir`, hidden ones and set-aside ones included. */
async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if ((await stat(file)).isFile()) files.push(file);
  }
  return files;
}

/** The forms a key could be written in: as is, without its last 4, UTF-16, base64. */
const traces = (key: string) => [
  Buffer.from(key),
  Buffer.from(key.slice(0, -4)),
  Buffer.from(key, 'utf16le'),
  Buffer.from(Buffer.from(key).toString('base64')),
];

beforeAll(async () => {
  stub = await startStubLlmServer({
    openai: {
      apiKey: [STORED, FROM_ENV],
      echoKeyInErrors: true,
      reply: (req) =>
        req.messages[0]!.content.replace(/^<prompt>\n|\n<\/prompt>$/g, '').replace(/really very /, ''),
    },
    routes: modelsRoutes({ keys: [STORED, FROM_ENV], echoKeyInErrors: true }),
  });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-planted-'));
  backend = createBackend({
    host: 'electron',
    dataDir,
    safeStorage: createFakeSafeStorage(),
    env: { LOCAL_API_KEY: FROM_ENV },
  });
  registerIpc(ipc, backend, () => [window], { isAppUrl: (url) => url === APP_URL });
});
afterAll(async () => {
  backend.dispose();
  await stub.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a planted key', () => {
  it('is used for calls but never written to a file or sent to the page', async () => {
    const ws = data(await invoke('workspace.current', {}))!;
    const url = `${stub.url}/v1`;
    for (const [id, keyEnvVar] of [
      ['typed', null],
      ['envy', 'LOCAL_API_KEY'],
      ['wrong', null],
    ] as const) {
      data(
        await invoke('providers.save', {
          create: true,
          endpoint: { id, label: id, baseURL: url, keyEnvVar },
        }),
      );
    }
    expect(data(await invoke('providers.setKey', { id: 'typed', key: STORED }))).toMatchObject({
      keySource: 'stored',
      last4: '1234',
    });
    data(await invoke('providers.setKey', { id: 'wrong', key: WRONG }));

    // calls that succeed
    expect(data(await invoke('providers.test', { id: 'typed' }))).toMatchObject({ method: 'models' });
    data(await invoke('providers.test', { id: 'envy' }));
    data(await invoke('providers.models', { id: 'typed' }));
    const run = data(await invoke('compress.run', { text: PROMPT, pipeline: rewrite('typed:gpt-4o-mini') }));
    expect(run.llmCalls).toHaveLength(1);

    // calls that fail, with the key echoed back by the server
    const wrong = failure(await invoke('providers.test', { id: 'wrong' }));
    expect(wrong.code).toBe('PROVIDER_AUTH');
    expect(wrong.message).toContain('[redacted key]');
    stub.fail(
      1,
      { kind: 'status', status: 401, message: `Incorrect API key provided: ${STORED}` },
      'GET /v1/models',
    );
    expect(failure(await invoke('providers.test', { id: 'typed' })).code).toBe('PROVIDER_AUTH');
    stub.fail(
      1,
      { kind: 'status', status: 400, message: `Bad request from key ${FROM_ENV}` },
      'POST /v1/chat/completions',
    );
    const failed = data(
      await invoke('compress.run', { text: `${PROMPT}\nAgain.`, pipeline: rewrite('envy:gpt-4o-mini') }),
    );
    expect(failed.stages[0]!.error).toBeTruthy();
    const failedRewrite = data(
      await invoke('compress.run', { text: `${PROMPT}\nOnce more.`, pipeline: rewrite('wrong:gpt-4o-mini') }),
    );
    expect(failedRewrite.stages[0]!.error?.code).toBe('PROVIDER_AUTH');

    // an export of a run that called the model
    const exported = data(
      await invoke('compress.export', {
        source: 'support.md',
        text: PROMPT,
        pipeline: rewrite('typed:gpt-4o-mini'),
        models: ['gpt-4o-mini'],
        outputs: {
          compressed: 'out/support.min.md',
          pipeline: 'out/rewrite.pipeline.json',
          report: 'out/report.md',
        },
      }),
    );
    expect(exported.written).toHaveLength(3);
    await invoke('providers.list', {});
    backend.dispose();

    // the keys did go out, to the stub only
    const sent = stub.requests.map((r) => String(r.headers.authorization));
    for (const key of PLANTED) expect(sent).toContain(`Bearer ${key}`);

    // ...and appear nowhere the app wrote: data folder (settings, keys, caches) and workspace (exports)
    const files = [...(await filesUnder(dataDir)), ...(await filesUnder(ws.root))];
    expect(files.some((f) => f.endsWith('providers.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('provider-keys.json'))).toBe(true);
    expect(files.some((f) => f.endsWith(path.join('out', 'report.md')))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const key of PLANTED) {
        for (const trace of traces(key)) expect(bytes.includes(trace), `${file} holds a key`).toBe(false);
        expect(file).not.toContain(key.slice(0, -4));
      }
    }

    // ...nor in any IPC answer or event the page received, which show the last 4 only
    const page = JSON.stringify([answers, window.sent]);
    for (const key of PLANTED) {
      expect(page).not.toContain(key.slice(0, -4));
      expect(page).toContain(`"last4":"${key.slice(-4)}"`);
    }
  });
});
