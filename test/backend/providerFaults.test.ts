import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderRegistry, type ProviderRegistryOptions } from '../../src/backend/providers/registry';
import type { CompletionRequest } from '../../src/core/providers/types';
import { isAppError, type AppError } from '../../src/shared/errors';
import { startStubLlmServer, type Fault, type StubLlmServer } from '../support/stubLlmServer';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-faults-key-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-faults-key-0002';

let stub: StubLlmServer;
beforeEach(async () => {
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: () => 'ok', contextWindow: 2_000 },
    openai: { apiKey: OPENAI_KEY, reply: () => 'ok', contextWindow: 2_000 },
  });
});
afterEach(() => stub.close());

const registry = (extra: Partial<ProviderRegistryOptions> = {}) =>
  createProviderRegistry({
    anthropic: { apiKey: ANTHROPIC_KEY, baseURL: stub.url },
    openai: { apiKey: OPENAI_KEY, baseURL: `${stub.url}/v1` },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });

const REQUEST: CompletionRequest = {
  model: 'm',
  messages: [{ role: 'user', content: 'Hello' }],
  maxTokens: 20,
};

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isAppError(e)) throw new Error(`expected a coded error, got ${String(e)}`);
  expect(JSON.stringify({ m: e.message, d: e.details })).not.toMatch(/PLANTED/);
  return e;
}

/** Polls until `check` holds (the stub's view of a request arrives a moment after the client's). */
async function until(check: () => boolean, ms = 2_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const CASES = [
  { id: 'anthropic', route: 'POST /v1/messages', filtered: 'Output blocked by content filtering policy' },
  {
    id: 'openai',
    route: 'POST /v1/chat/completions',
    filtered:
      "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
  },
] as const;

describe.each(CASES)('$id: each fault class is retried or surfaced as its coded error', (c) => {
  const call = (extra: Partial<ProviderRegistryOptions> = {}, req = REQUEST) =>
    registry(extra).get(c.id).complete(req);
  const sent = () => stub.requestsTo(c.route);

  it.each<[string, Fault]>([
    ['a 429, after its retry-after', { kind: 'status', status: 429, retryAfter: '0.05' }],
    ['a 529 (overloaded)', { kind: 'status', status: 529 }],
    ['a 500', { kind: 'status', status: 500 }],
    ['a 503', { kind: 'status', status: 503 }],
    ['a connection reset', { kind: 'reset' }],
  ])('retries %s and answers', async (_name, fault) => {
    stub.fail(1, fault, c.route);
    const r = await call();
    expect(r).toMatchObject({ text: 'ok', attempts: 2 });
    expect(sent()).toHaveLength(2);
    if (fault.kind === 'status' && fault.retryAfter)
      expect(sent()[1]!.at! - sent()[0]!.at!).toBeGreaterThanOrEqual(45);
  });

  it.each<[string, Fault, string]>([
    ['429', { kind: 'status', status: 429, retryAfter: '0' }, 'PROVIDER_RATE_LIMIT'],
    ['529', { kind: 'status', status: 529 }, 'PROVIDER_OVERLOADED'],
    ['500', { kind: 'status', status: 500 }, 'PROVIDER_ERROR'],
    ['reset', { kind: 'reset' }, 'PROVIDER_NETWORK'],
  ])('surfaces a persisting %s as %s once the retries are spent', async (_name, fault, code) => {
    stub.fail(3, fault, c.route);
    const e = await failure(call({ maxRetries: 2 }));
    expect(e.code).toBe(code);
    expect(e.message).toContain('(2 retries did not get through)');
    expect(sent()).toHaveLength(3);
  });

  it.each<[string, Fault, string, RegExp]>([
    [
      '401',
      { kind: 'status', status: 401, message: 'invalid x-api-key' },
      'PROVIDER_AUTH',
      /rejected the API key/,
    ],
    [
      '403',
      { kind: 'status', status: 403, message: 'not allowed' },
      'PROVIDER_PERMISSION',
      /not allowed to do this/,
    ],
    ['404', { kind: 'status', status: 404, message: 'model: m' }, 'PROVIDER_INVALID_REQUEST', /model id/],
    ['a 200 that is not JSON', { kind: 'malformed' }, 'PROVIDER_ERROR', /could not read/],
  ])('does not retry %s: %s', async (_name, fault, code, message) => {
    stub.fail(1, fault, c.route);
    const e = await failure(call());
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(sent()).toHaveLength(1);
  });

  it('reports a prompt over the context window as PROVIDER_CONTEXT_TOO_LONG, not retried', async () => {
    const long = { ...REQUEST, messages: [{ role: 'user' as const, content: 'word '.repeat(2_500) }] };
    const e = await failure(call({}, long));
    expect(e.code).toBe('PROVIDER_CONTEXT_TOO_LONG');
    expect(e.message).toMatch(/Shorten the prompt/);
    expect(e.details!.apiMessage).toMatch(/2000/);
    expect(sent()).toHaveLength(1);
  });

  it('reports a content filter refusal as PROVIDER_CONTENT_FILTERED, not retried', async () => {
    stub.fail(1, { kind: 'status', status: 400, message: c.filtered, code: 'content_filter' }, c.route);
    const e = await failure(call());
    expect(e.code).toBe('PROVIDER_CONTENT_FILTERED');
    expect(sent()).toHaveLength(1);
  });

  it('gives up on an attempt past its timeout with PROVIDER_TIMEOUT, and a retry answers', async () => {
    stub.fail(1, { kind: 'slow', ms: 5_000 }, c.route);
    const e = await failure(call({ timeoutMs: 400, maxRetries: 0 }));
    expect(e.code).toBe('PROVIDER_TIMEOUT');
    expect(e.message).toContain('after 0.4 s');
    stub.fail(1, { kind: 'slow', ms: 5_000 }, c.route);
    expect(await call({ timeoutMs: 400, maxRetries: 1 })).toMatchObject({ text: 'ok', attempts: 2 });
  });
});

describe.each(CASES)('$id: cancellation', (c) => {
  it('stops a request in flight: PROVIDER_CANCELLED, and the connection is closed', async () => {
    stub.fail(1, { kind: 'slow', ms: 10_000 }, c.route);
    const controller = new AbortController();
    const call = registry()
      .get(c.id)
      .complete({ ...REQUEST, signal: controller.signal });
    await until(() => stub.requestsTo(c.route).length === 1);
    controller.abort();
    const e = await failure(call);
    expect(e).toMatchObject({ code: 'PROVIDER_CANCELLED', details: { provider: c.id, cancelled: true } });
    await until(() => stub.requestsTo(c.route)[0]!.closedEarly === true);
  });

  it('drops a call queued behind a limit without sending it', async () => {
    stub.fail(1, { kind: 'slow', ms: 1_000 }, c.route);
    const p = registry({ limits: { concurrency: 1 } }).get(c.id);
    const first = p.complete(REQUEST);
    const controller = new AbortController();
    const second = p.complete({ ...REQUEST, signal: controller.signal });
    await until(() => stub.requestsTo(c.route).length === 1);
    controller.abort();
    expect((await failure(second)).code).toBe('PROVIDER_CANCELLED');
    expect((await first).text).toBe('ok');
    expect(stub.requestsTo(c.route)).toHaveLength(1);
  });

  it('stops waiting for a retry at once, with no further attempt', async () => {
    stub.fail(1, { kind: 'status', status: 500 }, c.route);
    const controller = new AbortController();
    const call = registry({ retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } })
      .get(c.id)
      .complete({ ...REQUEST, signal: controller.signal });
    await until(() => stub.requestsTo(c.route).length === 1);
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect((await failure(call)).code).toBe('PROVIDER_CANCELLED');
    expect(stub.requestsTo(c.route)).toHaveLength(1);
  });
});

describe('limits against the stub', () => {
  it('keeps the requests in flight at the concurrency limit (and the stub would see more without it)', async () => {
    stub.latencyMs = 40;
    const limited = registry({
      anthropic: { apiKey: ANTHROPIC_KEY, baseURL: stub.url, limits: { concurrency: 2 } },
    });
    await Promise.all(Array.from({ length: 6 }, () => limited.get('anthropic').complete(REQUEST)));
    expect(stub.maxInFlight).toBe(2);
    await Promise.all(Array.from({ length: 6 }, () => registry().get('openai').complete(REQUEST)));
    expect(stub.maxInFlight).toBeGreaterThan(2);
  });

  it('starts no more than rpm requests in any window (a 400 ms window here)', async () => {
    const p = registry({ limits: { rpm: 2 }, limitWindowMs: 400 }).get('openai');
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => p.complete(REQUEST)));
    const at = stub.requestsTo('POST /v1/chat/completions').map((r) => r.at! - t0);
    expect(at).toHaveLength(5);
    // two may start at once; the third only when the first leaves the window, the fifth a window later. Delays
    // on the way only make arrivals later, so these lower bounds hold however busy the machine is (without the
    // limiter all five arrive within a few ms of t0).
    expect(at.map((ms, i) => ms >= Math.floor(i / 2) * 400)).toEqual([true, true, true, true, true]);
  });
});
