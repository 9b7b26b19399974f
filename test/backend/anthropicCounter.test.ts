import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../src/shared/errors';
import {
  ANTHROPIC_COUNTS_FILE,
  createAnthropicCounter,
  type AnthropicCounterOptions,
} from '../../src/backend/services/anthropicCounter';
import { ESTIMATE_ERROR_FILE, EstimateErrorStore } from '../../src/backend/storage/estimateErrorStore';
import { ANTHROPIC_STUB_FRAMING, stubAnthropicInputTokens } from '../support/stubAnthropic';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';

const KEY = 'sk-ant-test-PLANTED-KEY-1234';
const ROUTE = 'POST /v1/messages/count_tokens';
const MODEL = 'claude-sonnet-4-5';
const o200k = (t: string) => countTokens(t);

let stub: StubLlmServer;
let dataDir: string;

beforeEach(async () => {
  stub = await startStubLlmServer({ anthropic: { apiKey: KEY } });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-anthropic-'));
});
afterEach(async () => {
  await stub.close();
});

const counter = (extra: Partial<AnthropicCounterOptions> = {}) =>
  createAnthropicCounter({ apiKey: KEY, baseURL: stub.url, dataDir, maxRetries: 2, ...extra });

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(isAppError(err)).toBe(true);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

/** Every file under `dir`, recursively, with its contents. */
async function filesUnder(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file, text: await readFile(file, 'latin1') });
  }
  return out;
}

describe('exact counts through the stub with the real SDK', () => {
  it("returns the provider's count of the whole request, with the headers and body Anthropic expects", async () => {
    const c = counter();
    expect(c.configured).toBe(true);
    const r = await c.countExact(MODEL, 'Be brief.', 'Hello, world', 3);
    const F = ANTHROPIC_STUB_FRAMING;
    const byHand = F.perRequest + F.perSystem + o200k('Be brief.') + F.perMessage + o200k('Hello, world');
    expect(r).toEqual({ tokens: byHand, method: 'provider-reported', cached: false });
    const [req] = stub.requestsTo(ROUTE);
    expect(req?.headers['x-api-key'] ?? req?.headers.authorization).toMatch(new RegExp(`^(Bearer )?${KEY}$`));
    expect(req?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(req?.body).toEqual({
      model: MODEL,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello, world' }],
    });
    expect(stubAnthropicInputTokens(req?.body)).toBe(byHand);
  });

  it('omits an absent or empty system prompt', async () => {
    const c = counter();
    const r = await c.countExact(MODEL, undefined, 'Hi there', 2);
    expect(r?.tokens).toBe(
      ANTHROPIC_STUB_FRAMING.perRequest + ANTHROPIC_STUB_FRAMING.perMessage + o200k('Hi there'),
    );
    await c.countExact(MODEL, '', 'Hi again', 2);
    expect(stub.requests.map((q) => 'system' in (q.body as object))).toEqual([false, false]);
  });

  it('serves a second identical request from the cache, and tells model, system and text apart', async () => {
    const c = counter();
    const first = await c.countExact(MODEL, 'S', 'same text', 1);
    const second = await c.countExact(MODEL, 'S', 'same text', 1);
    expect(second).toEqual({ ...first, cached: true });
    expect(stub.requestsTo(ROUTE)).toHaveLength(1);
    await c.countExact('claude-haiku-4-5', 'S', 'same text', 1);
    await c.countExact(MODEL, 'S2', 'same text', 1);
    await c.countExact(MODEL, 'S', 'other text', 1);
    expect(stub.requestsTo(ROUTE)).toHaveLength(4);
  });

  it('makes one call for identical requests in flight together', async () => {
    stub.latencyMs = 30;
    const c = counter();
    const all = await Promise.all([1, 2, 3].map(() => c.countExact(MODEL, undefined, 'together', 1)));
    expect(new Set(all.map((r) => r?.tokens)).size).toBe(1);
    expect(all.filter((r) => !r?.cached)).toHaveLength(1);
    expect(stub.requestsTo(ROUTE)).toHaveLength(1);
  });

  it('keeps the cache across instances on the same data folder, storing hashes, not prompts', async () => {
    const first = await counter().countExact(MODEL, 'System words', 'A secret prompt about zebras', 5);
    const again = await counter().countExact(MODEL, 'System words', 'A secret prompt about zebras', 5);
    expect(again).toEqual({ ...first, cached: true });
    expect(stub.requestsTo(ROUTE)).toHaveLength(1);
    const raw = await readFile(path.join(dataDir, ANTHROPIC_COUNTS_FILE), 'utf8');
    expect(raw).not.toContain('zebras');
    expect(raw).not.toContain('System words');
    expect(JSON.parse(raw)).toMatchObject({
      version: 1,
      counts: [[expect.stringMatching(/^[0-9a-f]{64}$/), first?.tokens]],
    });
  });

  it('bounds the cache, dropping the least recently used count first', async () => {
    const c = counter({ maxEntries: 2 });
    await c.countExact(MODEL, undefined, 'one', 1);
    await c.countExact(MODEL, undefined, 'two', 1);
    await c.countExact(MODEL, undefined, 'one', 1); // touch: "two" is now the oldest
    await c.countExact(MODEL, undefined, 'three', 1);
    const file = JSON.parse(await readFile(path.join(dataDir, ANTHROPIC_COUNTS_FILE), 'utf8')) as {
      counts: unknown[];
    };
    expect(file.counts).toHaveLength(2);
    const reopened = counter({ maxEntries: 2 });
    expect((await reopened.countExact(MODEL, undefined, 'one', 1))?.cached).toBe(true);
    expect((await reopened.countExact(MODEL, undefined, 'three', 1))?.cached).toBe(true);
    expect((await reopened.countExact(MODEL, undefined, 'two', 1))?.cached).toBe(false);
    expect(stub.requestsTo(ROUTE)).toHaveLength(4);
  });

  it('sets a corrupt cache file aside and starts empty', async () => {
    await writeFile(path.join(dataDir, ANTHROPIC_COUNTS_FILE), '{ not json');
    const r = await counter().countExact(MODEL, undefined, 'fresh', 1);
    expect(r?.cached).toBe(false);
    const names = await readdir(dataDir);
    expect(names.some((n) => n.startsWith(`${ANTHROPIC_COUNTS_FILE}.corrupt-`))).toBe(true);
  });

  it('still counts when the cache file cannot be read, and leaves that path alone', async () => {
    await mkdir(path.join(dataDir, ANTHROPIC_COUNTS_FILE));
    const c = counter();
    expect((await c.countExact(MODEL, undefined, 'no cache', 1))?.cached).toBe(false);
    expect((await c.countExact(MODEL, undefined, 'no cache', 1))?.cached).toBe(true); // in memory
    expect((await stat(path.join(dataDir, ANTHROPIC_COUNTS_FILE))).isDirectory()).toBe(true);
  });

  it('keeps at most the configured number of calls in flight', async () => {
    stub.latencyMs = 40;
    const c = counter({ maxConcurrent: 3 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => c.countExact(MODEL, undefined, `text ${i}`, 1)));
    expect(stub.requestsTo(ROUTE)).toHaveLength(10);
    expect(stub.maxInFlight).toBe(3);
  });
});

describe('measured error of the offline estimate', () => {
  it('records each fresh exact count against its estimate, and the summary matches a hand computation', async () => {
    const c = counter();
    expect(await c.errorSummary('claude')).toBeNull();
    const texts = ['The quick brown fox.', 'Jumps over the lazy dog, twice.', 'Zebras!'];
    const exact: number[] = [];
    const estimates: number[] = [];
    for (const t of texts) {
      const estimate = o200k(t); // the bare text: low by the request framing
      const r = await c.countExact(MODEL, undefined, t, estimate);
      exact.push(r!.tokens);
      estimates.push(estimate);
    }
    await c.countExact(MODEL, undefined, texts[0]!, 999); // a cache hit records nothing
    const pct = estimates.map((e, i) => ((e - exact[i]!) / exact[i]!) * 100);
    const summary = await c.errorSummary();
    expect(summary?.samples).toBe(3);
    expect(summary?.meanSignedPctError).toBeCloseTo((pct[0]! + pct[1]! + pct[2]!) / 3, 10);
    expect(summary?.meanAbsPctError).toBeCloseTo(
      (Math.abs(pct[0]!) + Math.abs(pct[1]!) + Math.abs(pct[2]!)) / 3,
      10,
    );
    expect(summary?.maxAbsPctError).toBeCloseTo(Math.max(...pct.map(Math.abs)), 10);
    expect(summary!.meanSignedPctError).toBeLessThan(0);
    // persisted: a new instance on the same folder reports the same
    expect(await counter().errorSummary('claude')).toEqual(summary);
    expect(await c.errorSummary('gemini')).toBeNull();
  });

  it('records under the family a model maps to, in a store shared with other counters', async () => {
    const store = new EstimateErrorStore(dataDir);
    const c = counter({
      errorStore: store,
      familyOf: (m) => (m.startsWith('claude-opus-4-7') ? 'claude-2026' : 'claude'),
    });
    const r = await c.countExact('claude-opus-4-7', undefined, 'ten tokens or so, roughly', 10);
    expect((await store.summary('claude-2026'))?.samples).toBe(1);
    expect(await store.summary('claude')).toBeNull();
    const file = JSON.parse(await readFile(path.join(dataDir, ESTIMATE_ERROR_FILE), 'utf8')) as {
      families: Record<string, { samples: number }>;
    };
    expect(file.families['claude-2026']?.samples).toBe(1);
    expect(r?.tokens).toBeGreaterThan(0);
  });
});

describe('without a key', () => {
  it('is not configured, returns null and never calls out', async () => {
    for (const apiKey of [undefined, '', '   ']) {
      const c = createAnthropicCounter({ apiKey, baseURL: stub.url, dataDir });
      expect(c.configured).toBe(false);
      await expect(c.countExact(MODEL, 'S', 'text', 1)).resolves.toBeNull();
      await expect(c.errorSummary()).resolves.toBeNull();
    }
    expect(stub.requests).toHaveLength(0);
  });

  it('returns null for an empty text without a call (the API refuses empty content)', async () => {
    await expect(counter().countExact(MODEL, 'S', '', 0)).resolves.toBeNull();
    expect(stub.requests).toHaveLength(0);
  });
});

describe('provider errors become coded errors', () => {
  it('401 → PROVIDER_AUTH, not retried', async () => {
    const err = await failure(counter({ apiKey: 'sk-ant-wrong' }).countExact(MODEL, undefined, 'x', 1));
    expect(err.code).toBe('PROVIDER_AUTH');
    expect(err.message).toMatch(/rejected the API key.*ANTHROPIC_API_KEY/);
    expect(err.details).toMatchObject({ provider: 'anthropic', status: 401, type: 'authentication_error' });
    expect(err.details?.requestId).toMatch(/^req_stub_/);
    expect(stub.requests).toHaveLength(1);
  });

  it('429 then success is retried after retry-after', async () => {
    stub.fail(1, { kind: 'status', status: 429, retryAfter: '0.01' });
    const r = await counter().countExact(MODEL, undefined, 'retry me', 1);
    expect(r?.cached).toBe(false);
    expect(stub.requestsTo(ROUTE)).toHaveLength(2);
    expect(stub.requests[1]?.headers['x-stainless-retry-count']).toBe('1');
  });

  it('429 past the retries → PROVIDER_RATE_LIMIT with retry-after in the details', async () => {
    stub.fail(3, { kind: 'status', status: 429, retryAfter: '0.02' });
    const err = await failure(counter({ maxRetries: 2 }).countExact(MODEL, undefined, 'x', 1));
    expect(err.code).toBe('PROVIDER_RATE_LIMIT');
    expect(err.details).toMatchObject({ status: 429, retryAfterSeconds: 0.02, retries: 2 });
    expect(err.message).toMatch(/rate limit.*Try again in 0.02 s/);
    expect(stub.requests).toHaveLength(3);
  });

  it('529 → PROVIDER_OVERLOADED, 500 → PROVIDER_ERROR, 400 → PROVIDER_INVALID_REQUEST with the API message', async () => {
    stub.fail(1, { kind: 'status', status: 529, retryAfter: '0' });
    const overloaded = await failure(counter({ maxRetries: 0 }).countExact(MODEL, undefined, 'a', 1));
    expect(overloaded.code).toBe('PROVIDER_OVERLOADED');
    stub.fail(1, { kind: 'status', status: 500 });
    const internal = await failure(counter({ maxRetries: 0 }).countExact(MODEL, undefined, 'b', 1));
    expect(internal.code).toBe('PROVIDER_ERROR');
    expect(internal.details).toMatchObject({ status: 500 });
    const bad = await failure(counter().countExact('', undefined, 'c', 1));
    expect(bad.code).toBe('PROVIDER_INVALID_REQUEST');
    expect(bad.message).toContain('model: Field required');
  });

  it('a connection reset is retried, and past the retries → PROVIDER_NETWORK', async () => {
    stub.fail(1, { kind: 'reset' });
    expect(
      (await counter({ maxRetries: 1 }).countExact(MODEL, undefined, 'reset once', 1))?.tokens,
    ).toBeGreaterThan(0);
    stub.fail(1, { kind: 'reset' });
    const err = await failure(counter({ maxRetries: 0 }).countExact(MODEL, undefined, 'reset again', 1));
    expect(err.code).toBe('PROVIDER_NETWORK');
    expect(err.details).toMatchObject({ provider: 'anthropic', timeout: false });
  });

  it('an unreachable server → PROVIDER_NETWORK', async () => {
    await stub.close();
    const err = await failure(counter({ maxRetries: 0 }).countExact(MODEL, undefined, 'x', 1));
    expect(err.code).toBe('PROVIDER_NETWORK');
    expect(err.details?.cause).toBe('ECONNREFUSED');
    stub = await startStubLlmServer();
  });

  it('a malformed answer → PROVIDER_ERROR, and nothing is cached', async () => {
    stub.fail(1, { kind: 'malformed' });
    const err = await failure(counter({ maxRetries: 0 }).countExact(MODEL, undefined, 'x', 1));
    expect(err.code).toBe('PROVIDER_ERROR');
    expect((await counter().countExact(MODEL, undefined, 'x', 1))?.cached).toBe(false);
  });
});

describe('the planted key', () => {
  it('appears in no file under the data folder and in no error, even when a server echoes it', async () => {
    const c = counter();
    await c.countExact(MODEL, 'sys', 'a successful count', 4);
    stub.fail(3, { kind: 'status', status: 429, retryAfter: '0.01', message: 'slow down' });
    const errors: AppError[] = [await failure(c.countExact(MODEL, 'sys', 'rate limited', 4))];
    stub.fail(1, { kind: 'status', status: 500 });
    errors.push(await failure(counter({ maxRetries: 0 }).countExact(MODEL, 'sys', 'internal', 4)));

    // a server that rejects the planted key and echoes it back in its message
    const echo = await startStubLlmServer({ anthropic: { apiKey: 'sk-ant-other', echoKeyInErrors: true } });
    try {
      const viaEcho = createAnthropicCounter({ apiKey: KEY, baseURL: echo.url, dataDir, maxRetries: 0 });
      const rejected = await failure(viaEcho.countExact(MODEL, 'sys', 'echoed', 4));
      expect(rejected.code).toBe('PROVIDER_AUTH');
      expect(rejected.message).toContain('[redacted key]');
      errors.push(rejected);
    } finally {
      await echo.close();
    }
    await c.flush();

    for (const e of errors) {
      expect(e.message).not.toContain(KEY);
      expect(JSON.stringify(e.details)).not.toContain(KEY);
      expect(JSON.stringify(e)).not.toContain(KEY);
    }
    const files = await filesUnder(dataDir);
    expect(files.map((f) => path.basename(f.file)).sort()).toEqual(
      [ANTHROPIC_COUNTS_FILE, ESTIMATE_ERROR_FILE].sort(),
    );
    for (const f of files) expect(f.text, f.file).not.toContain(KEY);
    expect(String(Object.keys(c))).not.toContain('apiKey');
    expect(JSON.stringify(c)).not.toContain(KEY);
  });
});
