import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend, type BackendOptions } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { KEYS_FILE } from '../../src/backend/secrets/secretStore';
import { PROVIDERS_FILE } from '../../src/backend/storage/providerSettings';
import type { ProviderStatus } from '../../src/shared/providers';
import { createFakeSafeStorage, type FakeSafeStorage } from '../support/fakeSafeStorage';
import { ok } from '../support/fixtures';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { modelsRoutes, STUB_OPENAI_MODELS } from '../support/stubModels';

const GROQ_KEY = 'gsk-test-groq-key-000000000000-9f3a';
const TYPED_KEY = 'sk-typed-in-the-app-000000000000-7c1e';
const OPENAI_ENV_KEY = 'sk-proj-from-the-env-0000000000-5d2b';

let stub: StubLlmServer;
let dataDir: string;
const backends: Backend[] = [];

beforeEach(async () => {
  stub = await startStubLlmServer({
    openai: { apiKey: [GROQ_KEY, TYPED_KEY, OPENAI_ENV_KEY], echoKeyInErrors: true },
    routes: modelsRoutes({ keys: [GROQ_KEY, TYPED_KEY, OPENAI_ENV_KEY], echoKeyInErrors: true }),
  });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-providers-'));
});
afterEach(async () => {
  for (const b of backends.splice(0)) b.dispose();
  await stub.close();
  await rm(dataDir, { recursive: true, force: true });
});

function start(extra: Partial<BackendOptions> = {}): Backend {
  const b = createBackend({ host: 'browser', dataDir, watch: false, ...extra });
  backends.push(b);
  return b;
}

const groq = () => ({
  label: 'Groq (stub)',
  baseURL: `${stub.url}/v1`,
  keyEnvVar: 'GROQ_API_KEY',
});
const byId = (list: ProviderStatus[], id: string) => list.find((p) => p.id === id)!;
const list = async (b: Backend) => (await ok(call(b, 'providers.list', {}))).providers;

describe('provider settings', () => {
  it('lists the built-ins with where their keys come from, and never the key', async () => {
    const b = start({ openaiApiKey: OPENAI_ENV_KEY });
    const r = await ok(call(b, 'providers.list', {}));
    expect(r.keyStorage).toBe('session');
    expect(byId(r.providers, 'openai')).toMatchObject({
      builtIn: true,
      configured: true,
      last4: '5d2b',
      keySource: 'env',
      keyEnvVar: 'OPENAI_API_KEY',
      baseURL: 'https://api.openai.com/v1',
    });
    expect(byId(r.providers, 'anthropic')).toMatchObject({
      configured: false,
      last4: null,
      keySource: 'none',
    });
    expect(JSON.stringify(r)).not.toContain(OPENAI_ENV_KEY.slice(0, -4));
  });

  it('adds an endpoint whose key comes from its env variable, saved without the key, and calls it', async () => {
    const b = start({ env: { GROQ_API_KEY: GROQ_KEY } });
    const saved = await ok(call(b, 'providers.save', { create: true, endpoint: groq() }));
    expect(saved).toMatchObject({
      id: 'groq-stub',
      kind: 'openai',
      configured: true,
      last4: '9f3a',
      keySource: 'env',
    });
    const file = await readFile(path.join(dataDir, PROVIDERS_FILE), 'utf8');
    expect(JSON.parse(file).endpoints).toEqual([
      {
        id: 'groq-stub',
        kind: 'openai',
        label: 'Groq (stub)',
        baseURL: `${stub.url}/v1`,
        keyEnvVar: 'GROQ_API_KEY',
      },
    ]);
    expect(file).not.toContain(GROQ_KEY);

    const test = await ok(call(b, 'providers.test', { id: 'groq-stub' }));
    expect(test).toMatchObject({ id: 'groq-stub', method: 'models', modelCount: STUB_OPENAI_MODELS.length });
    expect(test.latencyMs).toBeGreaterThan(0);
    expect(stub.requestsTo('GET /v1/models').at(-1)!.headers.authorization).toBe(`Bearer ${GROQ_KEY}`);
    const models = await ok(call(b, 'providers.models', { id: 'groq-stub' }));
    expect(models.models.map((m) => m.id)).toEqual([...STUB_OPENAI_MODELS].sort());

    // the registry has it: a rewrite through groq-stub:MODEL reaches the stub with the endpoint's key
    const run = await ok(
      call(b, 'compress.run', {
        text: 'Please note that it is really very important that you always answer politely.',
        pipeline: {
          version: 1,
          steps: [{ strategy: 'llm.rewrite', options: { model: 'groq-stub:gpt-4o-mini' } }],
        },
      }),
    );
    expect(run.llmCalls?.[0]).toMatchObject({ provider: 'groq-stub', model: 'gpt-4o-mini' });
    expect(stub.requestsTo('POST /v1/chat/completions').at(-1)!.headers.authorization).toBe(
      `Bearer ${GROQ_KEY}`,
    );

    // another start on the same data folder finds the endpoint again
    const again = start({ env: { GROQ_API_KEY: GROQ_KEY } });
    expect(byId(await list(again), 'groq-stub')).toMatchObject({ configured: true, keySource: 'env' });
  });

  it('keeps a key typed in the browser host for the session only; a typed key wins over the env', async () => {
    const b = start({ openaiApiKey: OPENAI_ENV_KEY, openaiBaseURL: `${stub.url}/v1` });
    const typed = await ok(call(b, 'providers.setKey', { id: 'openai', key: `  ${TYPED_KEY}\n` }));
    expect(typed).toMatchObject({ configured: true, last4: '7c1e', keySource: 'session' });
    await ok(call(b, 'providers.test', { id: 'openai' }));
    expect(stub.requestsTo('GET /v1/models').at(-1)!.headers.authorization).toBe(`Bearer ${TYPED_KEY}`);
    for (const name of await readdir(dataDir, { recursive: true })) {
      const file = path.join(dataDir, name);
      if ((await stat(file)).isFile()) expect(await readFile(file, 'utf8')).not.toContain(TYPED_KEY);
    }
    const cleared = await ok(call(b, 'providers.setKey', { id: 'openai', key: '' }));
    expect(cleared).toMatchObject({ keySource: 'env', last4: '5d2b' });
    await ok(call(b, 'providers.setKey', { id: 'openai', key: TYPED_KEY }));
    expect(byId(await list(start({ openaiApiKey: OPENAI_ENV_KEY })), 'openai').keySource).toBe('env');
  });

  it('gives a typed Anthropic key to exact token counting at once', async () => {
    const b = start({ anthropicBaseURL: stub.url });
    const text = 'Count these words exactly, please.';
    expect(await ok(call(b, 'tokens.count', { text, model: 'claude-haiku-4-5' }))).toMatchObject({
      method: 'estimate',
    });
    await ok(call(b, 'providers.setKey', { id: 'anthropic', key: 'sk-ant-stub-key' }));
    expect(await ok(call(b, 'tokens.count', { text, model: 'claude-haiku-4-5' }))).toMatchObject({
      method: 'provider-reported',
    });
    const sent = stub.requestsTo('POST /v1/messages/count_tokens').at(-1)!.headers;
    expect(String(sent['x-api-key'] ?? sent.authorization)).toContain('sk-ant-stub-key');
  });

  describe('with the desktop safeStorage', () => {
    let safe: FakeSafeStorage;
    beforeEach(() => {
      safe = createFakeSafeStorage();
    });

    it('stores the key encrypted, owner-only, and reads it back on the next start', async () => {
      const b = start({ safeStorage: safe, env: {} });
      expect((await ok(call(b, 'providers.list', {}))).keyStorage).toBe('encrypted');
      await ok(call(b, 'providers.save', { create: true, endpoint: { ...groq(), keyEnvVar: null } }));
      const set = await ok(call(b, 'providers.setKey', { id: 'groq-stub', key: GROQ_KEY }));
      expect(set).toMatchObject({ configured: true, keySource: 'stored', last4: '9f3a', keyEnvVar: null });
      expect(safe.encrypted).toBe(1);
      const file = path.join(dataDir, KEYS_FILE);
      const raw = await readFile(file, 'utf8');
      expect(raw).not.toContain(GROQ_KEY);
      expect(raw).not.toContain('9f3a');
      expect(Buffer.from(JSON.parse(raw).keys['groq-stub'], 'base64').includes(GROQ_KEY)).toBe(false);
      if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);

      const again = start({ safeStorage: safe });
      expect(byId(await list(again), 'groq-stub')).toMatchObject({ keySource: 'stored', last4: '9f3a' });
      await ok(call(again, 'providers.test', { id: 'groq-stub' }));

      // another keyring cannot decrypt it: no key, not a crash
      safe.broken = true;
      expect(byId(await list(start({ safeStorage: safe })), 'groq-stub')).toMatchObject({
        keySource: 'none',
      });
    });

    it('keeps the key for the session where the OS offers no encryption', async () => {
      safe.available = false;
      const b = start({ safeStorage: safe });
      expect((await ok(call(b, 'providers.list', {}))).keyStorage).toBe('session');
      expect(await ok(call(b, 'providers.setKey', { id: 'anthropic', key: TYPED_KEY }))).toMatchObject({
        keySource: 'session',
      });
      expect(safe.encrypted).toBe(0);
      await expect(stat(path.join(dataDir, KEYS_FILE))).rejects.toThrow();
    });
  });

  it('removes an endpoint with its key: calls through it fail as an unknown provider', async () => {
    const b = start();
    await ok(call(b, 'providers.save', { create: true, endpoint: { ...groq(), id: 'groq' } }));
    await ok(call(b, 'providers.setKey', { id: 'groq', key: GROQ_KEY }));
    expect(await ok(call(b, 'providers.remove', { id: 'groq' }))).toEqual({ id: 'groq' });
    expect((await list(b)).map((p) => p.id)).toEqual(['anthropic', 'openai']);
    expect(await call(b, 'providers.test', { id: 'groq' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: 'id' } },
    });
    const run = await ok(
      call(b, 'compress.run', {
        text: 'Some prompt text that is long enough to rewrite.',
        pipeline: { version: 1, steps: [{ strategy: 'llm.rewrite', options: { model: 'groq:llama' } }] },
      }),
    );
    expect(run.stages[0]!.error).toMatchObject({ code: 'UNSUPPORTED' });
    expect(run.stages[0]!.error!.message).toContain('no provider "groq"');
  });

  it('puts the limits saved for an endpoint on its calls: concurrency 1 keeps them one at a time', async () => {
    const b = start({ env: { GROQ_API_KEY: GROQ_KEY } });
    const limited = { ...groq(), id: 'groq', limits: { concurrency: 1 } };
    await ok(call(b, 'providers.save', { create: true, endpoint: limited }));
    let n = 0;
    const rewrites = () =>
      Promise.all(
        [1, 2, 3].map(() =>
          ok(
            call(b, 'compress.run', {
              text: `Prompt number ${++n} to rewrite, long enough to send.`,
              pipeline: {
                version: 1,
                steps: [{ strategy: 'llm.rewrite', options: { model: 'groq:gpt-4o-mini' } }],
              },
            }),
          ),
        ),
      );
    stub.latencyMs = 40;
    await rewrites();
    expect(stub.requestsTo('POST /v1/chat/completions')).toHaveLength(3);
    expect(stub.maxInFlight).toBe(1);

    // limits lifted in the settings: the same calls go out side by side
    await ok(call(b, 'providers.save', { endpoint: { id: 'groq', limits: {} } }));
    await rewrites();
    expect(stub.maxInFlight).toBeGreaterThan(1);
  });

  it('saves limits for a built-in and an endpoint, and refuses what would be unsafe or wrong', async () => {
    const b = start();
    const limits = { concurrency: 4, rpm: 60, tpm: 100_000 };
    expect(await ok(call(b, 'providers.save', { endpoint: { id: 'anthropic', limits } }))).toMatchObject({
      limits,
    });
    expect(byId(await list(start()), 'anthropic').limits).toEqual(limits);

    const refused = async (input: unknown, field: string) =>
      expect(await call(b, 'providers.save', input)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', details: { field } },
      });
    await refused({ endpoint: { id: 'openai', baseURL: 'https://evil.example/v1' } }, 'baseURL');
    await refused(
      { create: true, endpoint: { id: 'openai', label: 'x', baseURL: 'https://x.example' } },
      'id',
    );
    await refused(
      { create: true, endpoint: { ...groq(), baseURL: 'https://h.example/v1?api_key=sk-123' } },
      'baseURL',
    );
    await refused(
      { create: true, endpoint: { ...groq(), baseURL: 'https://user:sk-1@h.example/v1' } },
      'baseURL',
    );
    await refused({ create: true, endpoint: { ...groq(), baseURL: 'file:///etc/passwd' } }, 'baseURL');
    await refused({ create: true, endpoint: { ...groq(), keyEnvVar: 'AWS_SECRET_ACCESS_KEY' } }, 'keyEnvVar');
    await refused({ create: true, endpoint: { label: 'No URL' } }, 'baseURL');
    await refused({ endpoint: { id: 'nope', label: 'x' } }, 'id');
    await ok(call(b, 'providers.save', { create: true, endpoint: { ...groq(), id: 'groq' } }));
    await refused({ create: true, endpoint: { ...groq(), id: 'groq' } }, 'id');
    // the same label again gets an id of its own
    expect(await ok(call(b, 'providers.save', { create: true, endpoint: groq() }))).toMatchObject({
      id: 'groq-stub',
    });
    expect(await ok(call(b, 'providers.save', { create: true, endpoint: groq() }))).toMatchObject({
      id: 'groq-stub-2',
    });

    expect(await call(b, 'providers.remove', { id: 'openai' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await call(b, 'providers.setKey', { id: 'groq', key: 'sk-abc def' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: 'key' } },
    });
    expect(
      await call(b, 'providers.save', { endpoint: { id: 'anthropic', limits: { rpm: 0 } } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
