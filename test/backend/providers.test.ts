import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAppError, type AppError } from '../../src/shared/errors';
import { createProviderRegistry, type ProviderRegistryOptions } from '../../src/backend/providers/registry';
import type { CompletionRequest } from '../../src/backend/providers/types';
import { stubAnthropicInputTokens } from '../support/stubAnthropic';
import { stubCount, type ChatScriptRequest } from '../support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { OPENAI_STUB_FRAMING, stubOpenAiPromptTokens } from '../support/stubOpenAi';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-provider-key-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-provider-key-0002';
const LOCAL_KEY = 'local-PLANTED-provider-key-0003';

let stub: StubLlmServer;
let seen: ChatScriptRequest[];

beforeEach(async () => {
  seen = [];
  const reply = (req: ChatScriptRequest) => {
    seen.push(req);
    return `echo: ${req.messages.at(-1)?.content ?? ''}`;
  };
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, echoKeyInErrors: true, reply },
    openai: { apiKey: [OPENAI_KEY, LOCAL_KEY], echoKeyInErrors: true, reply },
  });
});
afterEach(async () => {
  await stub.close();
  vi.unstubAllEnvs();
});

const registry = (extra: Partial<ProviderRegistryOptions> = {}) =>
  createProviderRegistry({
    anthropic: { apiKey: ANTHROPIC_KEY, baseURL: stub.url },
    openai: { apiKey: OPENAI_KEY, baseURL: `${stub.url}/v1` },
    endpoints: [
      { id: 'local', kind: 'openai', label: 'Local server', apiKey: LOCAL_KEY, baseURL: `${stub.url}/v1` },
    ],
    maxRetries: 0,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });

const REQUEST: CompletionRequest = {
  model: 'some-model',
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'Hello there' }],
  maxTokens: 50,
};

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(isAppError(err)).toBe(true);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

/** Everything an error carries that could reach a person or a log. */
const exposed = (e: AppError) => JSON.stringify({ message: e.message, details: e.details, stack: e.stack });

const CASES = [
  {
    id: 'anthropic',
    route: 'POST /v1/messages',
    key: ANTHROPIC_KEY,
    label: 'Anthropic',
    env: 'ANTHROPIC_API_KEY',
  },
  {
    id: 'openai',
    route: 'POST /v1/chat/completions',
    key: OPENAI_KEY,
    label: 'OpenAI',
    env: 'OPENAI_API_KEY',
  },
] as const;

describe.each(CASES)('the $id provider against the stub, through the official SDK', (c) => {
  it('returns the text, the usage the provider reported and the stop reason', async () => {
    const r = await registry().get(c.id).complete(REQUEST);
    expect(r).toMatchObject({
      text: 'echo: Hello there',
      stopReason: 'end',
      model: 'some-model',
      provider: c.id,
    });
    const [req] = stub.requestsTo(c.route);
    const input =
      c.id === 'anthropic' ? stubAnthropicInputTokens(req!.body) : stubOpenAiPromptTokens(req!.body);
    expect(r.usage).toEqual({ inputTokens: input, outputTokens: stubCount('echo: Hello there') });
    expect(seen[0]).toMatchObject({
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
  });

  it('reports a reply cut at the output limit as max_tokens', async () => {
    const long = {
      ...REQUEST,
      messages: [{ role: 'user' as const, content: 'word '.repeat(200) }],
      maxTokens: 5,
    };
    const r = await registry().get(c.id).complete(long);
    expect(r.stopReason).toBe('max_tokens');
    expect(r.usage.outputTokens).toBe(5);
  });

  it('fails with PROVIDER_AUTH on a rejected key, without the key, even when the server echoes it', async () => {
    const wrong = `${c.key}-WRONG`;
    const reg = registry({
      [c.id]: { apiKey: wrong, baseURL: c.id === 'openai' ? `${stub.url}/v1` : stub.url },
    });
    const e = await failure(reg.get(c.id).complete(REQUEST));
    expect(e.code).toBe('PROVIDER_AUTH');
    expect(e.message).toContain(`${c.label} rejected the API key (HTTP 401`);
    expect(e.message).toContain('[redacted key]');
    expect(exposed(e)).not.toContain(wrong);
    expect(exposed(e)).not.toContain(c.key);
  });

  it('retries a 429 after the retry-after the server asked for, then succeeds', async () => {
    stub.fail(1, { kind: 'status', status: 429, retryAfter: '0' }, c.route);
    const r = await registry({ maxRetries: 2 }).get(c.id).complete(REQUEST);
    expect(r.text).toBe('echo: Hello there');
    expect(stub.requestsTo(c.route)).toHaveLength(2);
  });

  it('fails with PROVIDER_RATE_LIMIT saying when to try again once retries are spent', async () => {
    stub.fail(1, { kind: 'status', status: 429, retryAfter: '7' }, c.route);
    const e = await failure(registry().get(c.id).complete(REQUEST));
    expect(e.code).toBe('PROVIDER_RATE_LIMIT');
    expect(e.message).toContain('Try again in 7 s');
    expect(e.details).toMatchObject({ provider: c.id, status: 429, retryAfterSeconds: 7 });
  });

  it('fails with PROVIDER_ERROR on a 500 after its retries', async () => {
    stub.fail(2, { kind: 'status', status: 500, message: 'boom' }, c.route);
    const e = await failure(registry({ maxRetries: 1 }).get(c.id).complete(REQUEST));
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(e.message).toMatch(/internal error \(HTTP 500: boom\) \(1 retries did not get through\)/);
    expect(stub.requestsTo(c.route)).toHaveLength(2);
  });

  it('fails with PROVIDER_ERROR on a reply that is not JSON', async () => {
    stub.fail(1, { kind: 'malformed' }, c.route);
    const e = await failure(registry().get(c.id).complete(REQUEST));
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(e.message).toContain(`${c.label} sent an answer PromptPress could not read`);
  });

  it('fails with PROVIDER_NETWORK when nothing listens', async () => {
    const url = stub.url;
    await stub.close();
    const reg = registry({ [c.id]: { apiKey: c.key, baseURL: c.id === 'openai' ? `${url}/v1` : url } });
    const e = await failure(reg.get(c.id).complete(REQUEST));
    expect(e.code).toBe('PROVIDER_NETWORK');
    stub = await startStubLlmServer(); // afterEach closes it
  });

  it('without a key fails with PROVIDER_NOT_CONFIGURED naming where a key goes, and never calls out', async () => {
    vi.stubEnv(c.env, 'sk-from-env-must-not-be-used');
    const reg = createProviderRegistry({
      anthropic: { baseURL: stub.url },
      openai: { baseURL: `${stub.url}/v1` },
    });
    expect(reg.get(c.id).configured).toBe(false);
    const e = await failure(reg.get(c.id).complete(REQUEST));
    expect(e.code).toBe('PROVIDER_NOT_CONFIGURED');
    expect(e.message).toContain(c.env);
    expect(stub.requests).toHaveLength(0);
  });
});

describe('the provider registry', () => {
  it('serves an OpenAI-compatible endpoint under its own id and key, with max_tokens', async () => {
    const r = await registry()
      .get('local')
      .complete({ ...REQUEST, temperature: 0 });
    expect(r.provider).toBe('local');
    const [req] = stub.requestsTo('POST /v1/chat/completions');
    expect(req!.headers.authorization).toBe(`Bearer ${LOCAL_KEY}`);
    expect(req!.body).toMatchObject({ max_tokens: 50, temperature: 0 });
    expect(req!.body).not.toHaveProperty('max_completion_tokens');
    expect(stubOpenAiPromptTokens(req!.body)).toBe(
      OPENAI_STUB_FRAMING.perReply +
        2 * OPENAI_STUB_FRAMING.perMessage +
        stubCount('system') +
        stubCount('Be brief.') +
        stubCount('user') +
        stubCount('Hello there'),
    );
  });

  it("sends OpenAI's own API max_completion_tokens and no temperature unless asked", async () => {
    await registry().get('openai').complete(REQUEST);
    const [req] = stub.requestsTo('POST /v1/chat/completions');
    expect(req!.body).toMatchObject({ max_completion_tokens: 50 });
    expect(req!.body).not.toHaveProperty('temperature');
  });

  it('lists providers without their keys and refuses an unknown id with the known ones', async () => {
    const reg = registry();
    expect(reg.list()).toEqual([
      { id: 'anthropic', label: 'Anthropic', kind: 'anthropic', configured: true },
      { id: 'openai', label: 'OpenAI', kind: 'openai', configured: true },
      { id: 'local', label: 'Local server', kind: 'openai', configured: true },
    ]);
    expect(JSON.stringify(reg.list())).not.toMatch(/PLANTED/);
    const e = await failure(Promise.resolve().then(() => reg.get('nope')));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toContain('anthropic, openai, local');
    expect(() => reg.set({ id: 'Bad Id', kind: 'openai' })).toThrow(/provider id/);
  });

  it('never writes a key to the console, even with the SDKs asked to log everything', async () => {
    vi.stubEnv('ANTHROPIC_LOG', 'debug');
    vi.stubEnv('OPENAI_LOG', 'debug');
    const printed: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))),
    );
    try {
      const reg = registry({ maxRetries: 1 });
      for (const c of CASES) {
        await reg.get(c.id).complete(REQUEST);
        stub.fail(2, { kind: 'status', status: 500 }, c.route);
        await reg
          .get(c.id)
          .complete(REQUEST)
          .catch(() => undefined);
      }
      const bad = registry({ anthropic: { apiKey: `${ANTHROPIC_KEY}x`, baseURL: stub.url } });
      await bad
        .get('anthropic')
        .complete(REQUEST)
        .catch(() => undefined);
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(printed.join('\n')).not.toMatch(/PLANTED/);
  });
});
