import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ANTHROPIC_TEST_MODEL,
  listModels,
  testConnection,
  type ProbeTarget,
} from '../../src/backend/services/providerProbe';
import { isAppError, type AppError } from '../../src/shared/errors';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { modelsRoutes, STUB_ANTHROPIC_MODELS } from '../support/stubModels';

const OPENAI_KEY = 'sk-probe-openai-0000000000000000-aaaa';
const ANTHROPIC_KEY = 'sk-ant-probe-00000000000000000-bbbb';
const WRONG = 'sk-wrong-but-planted-000000000000-cccc';

let stub: StubLlmServer;
let withModels = true;

beforeEach(async () => {
  stub = await startStubLlmServer({
    openai: { apiKey: OPENAI_KEY, echoKeyInErrors: true },
    anthropic: { apiKey: ANTHROPIC_KEY, echoKeyInErrors: true },
    routes: withModels ? modelsRoutes({ keys: [OPENAI_KEY, ANTHROPIC_KEY], echoKeyInErrors: true }) : {},
  });
});
afterEach(async () => {
  await stub.close();
  withModels = true;
});

const openai = (apiKey: string | undefined = OPENAI_KEY): ProbeTarget => ({
  id: 'local',
  kind: 'openai',
  label: 'Local',
  baseURL: `${stub.url}/v1`,
  apiKey,
  keyHint: 'LOCAL_API_KEY',
});
const anthropic = (apiKey: string | undefined = ANTHROPIC_KEY): ProbeTarget => ({
  id: 'anthropic',
  kind: 'anthropic',
  label: 'Anthropic',
  baseURL: stub.url,
  apiKey,
  keyHint: 'ANTHROPIC_API_KEY',
});

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(err)) throw new Error(`expected a coded error, got ${String(err)}`);
  return err;
}

describe('testConnection', () => {
  it('lists the models of an OpenAI-compatible endpoint and an Anthropic one (the free call)', async () => {
    const o = await testConnection(openai(), undefined);
    expect(o).toMatchObject({ id: 'local', method: 'models', modelCount: 4, model: null });
    const a = await testConnection(anthropic(), undefined);
    expect(a).toMatchObject({ method: 'models', modelCount: STUB_ANTHROPIC_MODELS.length });
    const [req] = stub.requestsTo('GET /v1/models').slice(-1);
    expect(req!.headers['x-api-key'] ?? req!.headers.authorization).toContain(ANTHROPIC_KEY);
    expect(stub.requestsTo('POST /v1/chat/completions')).toHaveLength(0);
  });

  it('reports a rejected key as PROVIDER_AUTH, with the key scrubbed from what the server echoed', async () => {
    for (const target of [openai(WRONG), anthropic(WRONG)]) {
      const err = await failure(testConnection(target, undefined));
      expect(err.code).toBe('PROVIDER_AUTH');
      expect(err.message).toContain('HTTP 401');
      expect(err.message).toContain(target.keyHint);
      expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(WRONG);
      expect(err.message).toContain('[redacted key]');
    }
  });

  it('says which key is missing, network failures are PROVIDER_NETWORK, and no call is made without a key', async () => {
    expect((await failure(testConnection({ ...openai(), apiKey: undefined }, undefined))).code).toBe(
      'PROVIDER_NOT_CONFIGURED',
    );
    const gone = { ...openai(), baseURL: 'http://127.0.0.1:9/v1' };
    expect((await failure(testConnection(gone, undefined))).code).toBe('PROVIDER_NETWORK');
    stub.fail(1, { kind: 'status', status: 500 }, 'GET /v1/models');
    expect((await failure(testConnection(openai(), undefined))).code).toBe('PROVIDER_ERROR');
  });

  describe('on an endpoint without a model list', () => {
    beforeEach(async () => {
      await stub.close();
      withModels = false;
      stub = await startStubLlmServer({
        openai: { apiKey: OPENAI_KEY },
        anthropic: { apiKey: ANTHROPIC_KEY },
      });
    });

    it('falls back to a 1-token completion of the named model, or says to name one', async () => {
      const err = await failure(testConnection(openai(), undefined));
      expect(err.code).toBe('PROVIDER_ERROR');
      expect(err.message).toContain('--model');
      const r = await testConnection(openai(), 'llama3.1');
      expect(r).toMatchObject({ method: 'completion', model: 'llama3.1', modelCount: null });
      const sent = stub.requestsTo('POST /v1/chat/completions').at(-1)!.body as Record<string, unknown>;
      expect(sent).toMatchObject({ model: 'llama3.1', max_tokens: 1 });
      expect((await failure(listModels(openai()))).message).toContain('does not list its models');
    });

    it('falls back to a free token count on Anthropic', async () => {
      const r = await testConnection(anthropic(), undefined);
      expect(r).toMatchObject({ method: 'count_tokens', model: ANTHROPIC_TEST_MODEL });
      expect(stub.requestsTo('POST /v1/messages/count_tokens')).toHaveLength(1);
      expect(stub.requestsTo('POST /v1/messages')).toHaveLength(0);
    });
  });
});
