import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { stubAnthropicInputTokens } from '../support/stubAnthropic';
import { ok } from '../support/fixtures';

const KEY = 'sk-ant-test-PLANTED-KEY-9876';
const TEXT = 'You are a careful support agent. Never promise refunds above $200. Answer in two sentences.';
let stub: StubLlmServer;

beforeAll(async () => {
  stub = await startStubLlmServer({ anthropic: { apiKey: KEY } });
});
afterAll(() => stub.close());

describe('provider-reported counts wired into the cost routes', () => {
  it('counts Anthropic models exactly through count_tokens when a key is configured, and measures the estimate', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-prov-'));
    const backend = createBackend({
      host: 'cli',
      dataDir,
      watch: false,
      anthropicApiKey: KEY,
      anthropicBaseURL: stub.url,
    });
    const r = await ok(
      call(backend, 'cost.estimate', {
        text: TEXT,
        models: ['claude-sonnet-4-5', 'gemini-2.5-flash', 'gpt-4o'],
      }),
    );
    const expected = stubAnthropicInputTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: TEXT }],
    });
    const claude = r.rows.find((row) => row.model === 'claude-sonnet-4-5')!;
    expect(claude).toMatchObject({
      tokens: expected,
      method: 'provider-reported',
      counter: 'anthropic count_tokens',
    });
    // Gemini has no exact counter here: it stays an estimate, and OpenAI stays exact locally.
    expect(r.rows.find((row) => row.model === 'gemini-2.5-flash')!.method).toBe('estimate');
    expect(r.rows.find((row) => row.model === 'gpt-4o')!.method).toBe('exact');

    // The exact count measured the offline estimate's error, which the next estimate of a claude-family model reports.
    const estimate = (await ok(call(backend, 'tokens.count', { text: TEXT, model: 'gpt-4o' }))).tokens;
    const noKey = createBackend({ host: 'cli', dataDir, watch: false });
    const later = await ok(call(noKey, 'cost.estimate', { text: TEXT, models: ['claude-haiku-4-5'] }));
    const pct = ((estimate - expected) / expected) * 100;
    expect(later.rows[0]!.method).toBe('estimate');
    expect(later.rows[0]!.estimateError).toMatchObject({ samples: 1 });
    expect(later.rows[0]!.estimateError!.meanSignedPctError).toBeCloseTo(pct, 6);
    expect(later.warnings.join(' ')).toMatch(
      /measured error against provider counts: mean ±\d+\.\d%.*over 1 request/,
    );

    // tokens.count (the status bar) uses the exact count too, from the cache: no second request.
    const before = stub.requestsTo('POST /v1/messages/count_tokens').length;
    const one = await ok(call(backend, 'tokens.count', { text: TEXT, model: 'claude-sonnet-4-5' }));
    expect(one).toMatchObject({ tokens: expected, method: 'provider-reported' });
    expect(stub.requestsTo('POST /v1/messages/count_tokens').length).toBe(before);
    backend.dispose();
    noKey.dispose();

    // The key is in no file the app wrote.
    for (const name of await readdir(dataDir, { recursive: true })) {
      const file = path.join(dataDir, name);
      const content = await readFile(file, 'utf8').catch(() => '');
      expect(content, name).not.toContain(KEY);
    }
  });

  it('falls back to the ≈ estimate with a warning when the provider fails', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-prov-'));
    const backend = createBackend({
      host: 'cli',
      dataDir,
      watch: false,
      anthropicApiKey: 'sk-ant-wrong-key-0000',
      anthropicBaseURL: stub.url,
    });
    const r = await ok(
      call(backend, 'cost.estimate', { text: TEXT + ' (fail)', models: ['claude-sonnet-4-5'] }),
    );
    expect(r.rows[0]!.method).toBe('estimate');
    expect(r.warnings.join(' ')).toMatch(/exact count unavailable/);
    expect(r.warnings.join(' ')).not.toContain('sk-ant-wrong-key-0000');
    backend.dispose();
  });

  it('leaves estimates alone without a key: no provider call at all', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-prov-'));
    const backend = createBackend({ host: 'cli', dataDir, watch: false, anthropicBaseURL: stub.url });
    const before = stub.requests.length;
    const r = await ok(
      call(backend, 'cost.estimate', { text: TEXT + ' (nokey)', models: ['claude-sonnet-4-5'] }),
    );
    expect(r.rows[0]!.method).toBe('estimate');
    expect(r.warnings.join(' ')).toContain('error not yet measured');
    expect(stub.requests.length).toBe(before);
    backend.dispose();
  });
});
