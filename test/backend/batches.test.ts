import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogSchema, type Catalog } from '../../src/core/pricing/catalog';
import { requestCost } from '../../src/core/pricing/requestCost';
import {
  createBatchClient,
  waitForBatch,
  type BatchClientOptions,
  type BatchClock,
  type BatchItemResult,
  type BatchRequest,
} from '../../src/backend/providers/batches';
import { isAppError, type AppError } from '../../src/shared/errors';
import { ANTHROPIC_STUB_FRAMING } from '../support/stubAnthropic';
import { stubCount, type ChatScriptRequest } from '../support/stubChat';
import { StubHttpError, startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { OPENAI_STUB_FRAMING } from '../support/stubOpenAi';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-batch-key-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-batch-key-0002';
const SYSTEM = 'Answer in one line.';
const catalog: Catalog = CatalogSchema.parse(
  JSON.parse(readFileSync(path.resolve('resources/models.json'), 'utf8')),
);

/** Replies `echo: <question>`; a question naming a failure makes that one request fail, as a live call would. */
function reply(req: ChatScriptRequest): string {
  const q = req.messages.at(-1)?.content ?? '';
  if (q.startsWith('TOO LONG'))
    throw new StubHttpError(400, 'prompt is too long: 210000 tokens > 200000 maximum');
  if (q.startsWith('BAD')) throw new StubHttpError(400, 'temperature: must be between 0 and 1');
  return `echo: ${q}`;
}

let stub: StubLlmServer;
beforeEach(async () => {
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply },
    openai: { apiKey: OPENAI_KEY, reply },
  });
});
afterEach(() => stub.close());

/** A clock whose sleeps return at once and are recorded; `onSleep` lets a test act at that moment. */
function fakeClock(onSleep?: (ms: number) => void): BatchClock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      onSleep?.(ms);
      signal?.throwIfAborted();
      t += ms;
    },
  };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(isAppError(err), String(err)).toBe(true);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

const byId = (items: BatchItemResult[]) => Object.fromEntries(items.map((i) => [i.customId, i]));

const CASES = [
  {
    id: 'anthropic',
    model: 'claude-haiku-4-5',
    key: ANTHROPIC_KEY,
    baseURL: () => stub.url,
    pollRoute: (id: string) => `GET /v1/messages/batches/${id}`,
    /** What the stub counts for one request: its framing plus every text, with the real tokenizer. */
    inputTokens: (q: string) => {
      const F = ANTHROPIC_STUB_FRAMING;
      return F.perRequest + F.perSystem + stubCount(SYSTEM) + F.perMessage + stubCount(q);
    },
  },
  {
    id: 'openai',
    model: 'gpt-4o-mini',
    key: OPENAI_KEY,
    baseURL: () => `${stub.url}/v1`,
    pollRoute: (id: string) => `GET /v1/batches/${id}`,
    inputTokens: (q: string) => {
      const F = OPENAI_STUB_FRAMING;
      return (
        F.perReply +
        2 * F.perMessage +
        stubCount('system') +
        stubCount(SYSTEM) +
        stubCount('user') +
        stubCount(q)
      );
    },
  },
] as const;

describe.each(CASES)('$id batches through the official SDK against the stub', (c) => {
  const client = (options: BatchClientOptions = {}) =>
    createBatchClient(
      { id: c.id, kind: c.id, apiKey: c.key, baseURL: c.baseURL() },
      { maxRetries: 0, catalog: () => catalog, ...options },
    );
  const requests = (...questions: string[]): BatchRequest[] =>
    questions.map((q, i) => ({
      customId: `q${i + 1}`,
      request: { model: c.model, system: SYSTEM, messages: [{ role: 'user', content: q }], maxTokens: 100 },
    }));

  it('submits, polls from in progress to ended, and collects exact usage at batch prices', async () => {
    stub.batches.endAfterPolls = 2;
    const questions = ['What is a token?', 'Name three prime numbers, please.'];
    const submitted = await client().submit(requests(...questions));
    expect(submitted).toMatchObject({ provider: c.id, id: stub.batches.all[0]!.id, models: [c.model] });
    expect(submitted.status).toBe(c.id === 'openai' ? 'validating' : 'in_progress');

    const clock = fakeClock();
    const seen: string[] = [];
    const ended = await waitForBatch(client(), submitted, {
      pollMs: 60_000,
      clock,
      onProgress: (p) => seen.push(`${p.polls}:${p.handle.status}@${p.elapsedMs}`),
    });
    expect(seen).toEqual(['1:in_progress@0', '2:ended@60000']);
    expect(clock.sleeps).toEqual([60_000]);
    expect(ended.counts).toEqual({
      total: 2,
      processing: 0,
      succeeded: 2,
      errored: 0,
      canceled: 0,
      expired: 0,
    });

    const results = await client().results(ended);
    const entry = catalog.models.find((m) => m.id === c.model)!;
    // the catalog's batch prices are half the standard ones for both providers
    expect(entry.batchInputPerMTok).toBe(entry.inputPerMTok! / 2);
    expect(entry.batchOutputPerMTok).toBe(entry.outputPerMTok! / 2);
    const items = byId(results.items);
    let total = 0;
    questions.forEach((q, i) => {
      const usage = { inputTokens: c.inputTokens(q), outputTokens: stubCount(`echo: ${q}`) };
      const usd =
        (usage.inputTokens * entry.batchInputPerMTok! + usage.outputTokens * entry.batchOutputPerMTok!) / 1e6;
      expect(items[`q${i + 1}`]).toEqual(
        expect.objectContaining({
          ok: true,
          text: `echo: ${q}`,
          usage,
          usageMethod: 'provider-reported',
          model: c.model,
        }),
      );
      const item = items[`q${i + 1}`] as Extract<BatchItemResult, { ok: true }>;
      expect(item.usd).toBeCloseTo(usd, 15);
      expect(item.usd).toBeCloseTo(requestCost(entry, usage).totalUsd! / 2, 15);
      expect(item.stopReason).toBe('end');
      total += usd;
    });
    expect(results.usd).toBeCloseTo(total, 15);
    expect(results.usage.inputTokens).toBe(c.inputTokens(questions[0]!) + c.inputTokens(questions[1]!));
  });

  it('reports a failed request as its own coded error while the others succeed', async () => {
    const h = await client().submit(requests('Fine question', 'TOO LONG ' + 'x', 'BAD options'));
    await stub.batches.complete(h.id);
    const ended = await client().poll(h);
    expect(ended.counts).toMatchObject({ total: 3, succeeded: 1, errored: 2 });
    const r = await client().results(ended);
    const items = byId(r.items);
    expect(items.q1).toMatchObject({ ok: true, text: 'echo: Fine question' });
    expect(items.q2).toMatchObject({
      ok: false,
      outcome: 'errored',
      error: { code: 'PROVIDER_CONTEXT_TOO_LONG' },
    });
    expect(items.q3).toMatchObject({
      ok: false,
      outcome: 'errored',
      error: { code: 'PROVIDER_INVALID_REQUEST' },
    });
    const q3 = items.q3 as Extract<BatchItemResult, { ok: false }>;
    expect(q3.error.message).toContain('Request "q3" of the batch failed');
    expect(q3.error.message).toContain('temperature: must be between 0 and 1');
    expect(q3.error.details).toMatchObject({ provider: c.id, customId: 'q3', status: 400 });
    expect(r.usage).toEqual({
      inputTokens: c.inputTokens('Fine question'),
      outputTokens: stubCount('echo: Fine question'),
    });
  });

  it('cancels: what ran before the cancel keeps its answer, the rest comes back canceled', async () => {
    const h = await client().submit(requests('first', 'second', 'third'));
    await stub.batches.process(h.id, ['q1']);
    const canceling = await client().cancel(h);
    expect(canceling.status).toBe('canceling');
    expect(stub.requestsTo(`POST ${c.pollRoute(h.id).slice(4)}/cancel`)).toHaveLength(1);
    const done = await waitForBatch(client(), canceling, { clock: fakeClock() });
    expect(done.status).toBe('canceled');
    expect(done.counts).toMatchObject({ total: 3, succeeded: 1, canceled: 2, processing: 0 });
    const items = byId((await client().results(done)).items);
    expect(items.q1).toMatchObject({ ok: true, text: 'echo: first' });
    expect(items.q2).toMatchObject({ ok: false, outcome: 'canceled', error: { code: 'PROVIDER_ERROR' } });
    expect(items.q3).toMatchObject({ ok: false, outcome: 'canceled' });
  });

  it('reports an expired batch and the requests it never reached', async () => {
    const h = await client().submit(requests('one', 'two'));
    await stub.batches.process(h.id, ['q2']);
    stub.batches.expire(h.id);
    const done = await client().poll(h);
    expect(done.status).toBe('expired');
    const items = byId((await client().results(done)).items);
    expect(items.q1).toMatchObject({ ok: false, outcome: 'expired' });
    expect(items.q2).toMatchObject({ ok: true, text: 'echo: two' });
  });

  it('refuses results before the batch ends with BATCH_NOT_ENDED', async () => {
    const h = await client().submit(requests('soon'));
    const e = await failure(client().results(h));
    expect(e.code).toBe('BATCH_NOT_ENDED');
    expect(e.details).toMatchObject({ provider: c.id, batchId: h.id, status: 'in_progress' });
  });

  it('retries a 429 on a poll after the retry-after the server asked for', async () => {
    const h = await client().submit(requests('hi'));
    stub.fail(1, { kind: 'status', status: 429, retryAfter: '0' }, c.pollRoute(h.id));
    expect((await client({ maxRetries: 2 }).poll(h)).status).toBe('in_progress');
    expect(stub.requestsTo(c.pollRoute(h.id))).toHaveLength(2);
  });

  it('keeps waiting through passing poll faults, honouring retry-after, then surfaces a lasting one', async () => {
    stub.batches.endAfterPolls = 1;
    const h = await client().submit(requests('hi'));
    stub.fail(1, { kind: 'status', status: 500 }, c.pollRoute(h.id));
    stub.fail(1, { kind: 'status', status: 429, retryAfter: '90' }, c.pollRoute(h.id));
    const clock = fakeClock();
    expect((await waitForBatch(client(), h, { pollMs: 1000, clock })).status).toBe('ended');
    expect(clock.sleeps).toEqual([1000, 90_000]);

    const h2 = await client().submit(requests('again'));
    stub.fail(3, { kind: 'status', status: 500, message: 'down' }, c.pollRoute(h2.id));
    const e = await failure(waitForBatch(client(), h2, { clock: fakeClock(), maxPollFailures: 2 }));
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(e.details).toMatchObject({ provider: c.id, status: 500 });
    expect(stub.requestsTo(c.pollRoute(h2.id))).toHaveLength(3);
  });

  it('stops waiting on abort, between polls and during one, and leaves the batch running', async () => {
    const h = await client().submit(requests('slow'));
    const ac = new AbortController();
    const e = await failure(
      waitForBatch(client(), h, { signal: ac.signal, clock: fakeClock(() => ac.abort()) }),
    );
    expect(e.code).toBe('PROVIDER_CANCELLED');
    expect(e.details).toMatchObject({ provider: c.id, batchId: h.id, cancelled: true });
    expect(stub.requestsTo(c.pollRoute(h.id))).toHaveLength(1);
    expect(stub.batches.get(h.id).phase).toBe('in_progress');

    stub.fail(1, { kind: 'slow', ms: 5_000 }, c.pollRoute(h.id));
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 50);
    const started = Date.now();
    expect((await failure(waitForBatch(client(), h, { signal: ac2.signal }))).code).toBe(
      'PROVIDER_CANCELLED',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('checks the request list before sending anything, and never calls out without a key', async () => {
    const dup = [...requests('a'), ...requests('b')];
    expect((await failure(client().submit(dup))).code).toBe('INVALID_INPUT');
    expect((await failure(client().submit([]))).code).toBe('INVALID_INPUT');
    const bad = [{ ...requests('a')[0]!, customId: 'has space' }];
    expect((await failure(client().submit(bad))).message).toContain('"has space"');
    const keyless = createBatchClient({ id: c.id, kind: c.id, baseURL: c.baseURL() });
    expect(keyless.configured).toBe(false);
    expect((await failure(keyless.submit(requests('a')))).code).toBe('PROVIDER_NOT_CONFIGURED');
    expect(stub.requests).toHaveLength(0);
  });

  it('fails with PROVIDER_AUTH on a rejected key, without the key', async () => {
    const wrong = `${c.key}-WRONG`;
    const e = await failure(
      createBatchClient(
        { id: c.id, kind: c.id, apiKey: wrong, baseURL: c.baseURL() },
        { maxRetries: 0 },
      ).submit(requests('a')),
    );
    expect(e.code).toBe('PROVIDER_AUTH');
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(wrong);
  });
});
