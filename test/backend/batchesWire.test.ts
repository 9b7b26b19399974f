import OpenAI, { toFile } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchClient, type BatchHandle, type BatchRequest } from '../../src/backend/providers/batches';
import type { ProviderEndpoint } from '../../src/backend/providers/types';
import { isAppError, type AppError } from '../../src/shared/errors';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';

/** What each provider's batch client puts on the wire, and the provider-specific ways a batch goes wrong. */

const ANTHROPIC_KEY = 'sk-ant-stub-key';
const OPENAI_KEY = 'sk-openai-stub-key';

let stub: StubLlmServer;
beforeEach(async () => {
  stub = await startStubLlmServer({ openai: { reply: (r) => `ok ${r.model}` } });
});
afterEach(() => stub.close());

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(isAppError(err), String(err)).toBe(true);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

const REQUEST = (model: string, customId = 'a'): BatchRequest => ({
  customId,
  request: {
    model,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Hi' }],
    maxTokens: 20,
    temperature: 0,
  },
});

describe('Anthropic Message Batches on the wire', () => {
  it('sends each request as custom_id + Messages params', async () => {
    // a provider endpoint is a batch endpoint as it is: this stops compiling if the two drift apart
    const endpoint: ProviderEndpoint = {
      id: 'anthropic',
      kind: 'anthropic',
      apiKey: ANTHROPIC_KEY,
      baseURL: stub.url,
    };
    const client = createBatchClient(endpoint);
    await client.submit([REQUEST('claude-haiku-4-5')]);
    const [create] = stub.requestsTo('POST /v1/messages/batches');
    expect(create!.body).toEqual({
      requests: [
        {
          custom_id: 'a',
          params: {
            model: 'claude-haiku-4-5',
            max_tokens: 20,
            system: 'Be brief.',
            messages: [{ role: 'user', content: 'Hi' }],
            temperature: 0,
          },
        },
      ],
    });
    expect(create!.headers['anthropic-version']).toBeTypeOf('string');
  });
});

describe('OpenAI Files + Batches on the wire', () => {
  const client = (id = 'openai', maxRetries = 0) =>
    createBatchClient({ id, kind: 'openai', apiKey: OPENAI_KEY, baseURL: `${stub.url}/v1` }, { maxRetries });

  it('uploads a JSONL file with purpose batch and runs it against /v1/chat/completions', async () => {
    const h = await client().submit([REQUEST('gpt-4o-mini', 'a'), REQUEST('gpt-4o-mini', 'b')]);
    const [upload] = stub.requestsTo('POST /v1/files');
    expect(upload!.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(upload!.raw).toMatch(/name="purpose"\r\n\r\nbatch\r\n/);
    const [create] = stub.requestsTo('POST /v1/batches');
    expect(create!.body).toMatchObject({ endpoint: '/v1/chat/completions', completion_window: '24h' });
    const lines = stub.batches.get(h.id).items;
    expect(lines.map((l) => l.customId)).toEqual(['a', 'b']);
    // OpenAI's own API takes max_completion_tokens, like a single call
    expect(lines[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_completion_tokens: 20,
      temperature: 0,
    });
  });

  it('sends max_tokens to an OpenAI-compatible endpoint', async () => {
    const h = await client('local').submit([REQUEST('llama3.1')]);
    expect(stub.batches.get(h.id).items[0]!.body).toMatchObject({ max_tokens: 20 });
    expect(stub.batches.get(h.id).items[0]!.body).not.toHaveProperty('max_completion_tokens');
  });

  it('refuses a batch of several models before uploading anything', async () => {
    const e = await failure(client().submit([REQUEST('gpt-4o-mini', 'a'), REQUEST('gpt-4o', 'b')]));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('one model per batch');
    expect(stub.requests).toHaveLength(0);
  });

  it('deletes the upload when the batch cannot be created', async () => {
    stub.fail(1, { kind: 'status', status: 500 }, 'POST /v1/batches');
    const e = await failure(client().submit([REQUEST('gpt-4o-mini')]));
    expect(e.code).toBe('PROVIDER_ERROR');
    const deletes = stub.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual([expect.stringMatching(/^\/v1\/files\/file-stub\d+$/)]);
  });

  it('reports a batch whose input failed validation as failed, with the reasons, and no results', async () => {
    // a file this client would never write, uploaded with the SDK itself
    const sdk = new OpenAI({ apiKey: OPENAI_KEY, baseURL: `${stub.url}/v1`, maxRetries: 0 });
    const jsonl = [
      '{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m"}}',
      'not json',
    ];
    const file = await sdk.files.create({
      file: await toFile(Buffer.from(jsonl.join('\n')), 'bad.jsonl'),
      purpose: 'batch',
    });
    const b = await sdk.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const seed: BatchHandle = {
      provider: 'openai',
      id: b.id,
      status: 'validating',
      providerStatus: b.status,
      counts: { total: 0, processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      models: [],
      createdAt: new Date().toISOString(),
    };
    const polled = await client().poll(seed);
    expect(polled.status).toBe('failed');
    expect(polled.errors).toEqual(['line 2: This line is not parseable as valid JSON.']);
    const e = await failure(client().results(polled));
    expect(e.code).toBe('PROVIDER_INVALID_REQUEST');
    expect(e.message).toContain('line 2');
  });
});
