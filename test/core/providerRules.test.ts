import { describe, expect, it } from 'vitest';
import { get_encoding } from 'tiktoken';
import type { ModelEntry } from '../../src/core/pricing/catalog';
import { cacheWhatIf } from '../../src/core/pricing/cacheWhatIf';
import { anthropicContent, breakpointsFromWhatIf } from '../../src/core/providers/cacheBreakpoints';
import { captureFetch, redactHeaders } from '../../src/core/providers/capture';
import { callCost } from '../../src/core/providers/cost';
import { httpError, retryAfterMs, type ErrorContext } from '../../src/core/providers/errors';
import { parseJsonAnswer } from '../../src/core/providers/jsonAnswer';
import type { HttpFetch } from '../../src/core/providers/ports';
import { createFakeClock } from '../support/fakeClock';

const KEY = 'sk-PLANTED-core-key-1234';
const ctx: ErrorContext = {
  provider: 'p',
  label: 'Prov',
  keyHint: 'PROV_API_KEY',
  what: 'Calling m',
  apiKey: KEY,
  retries: 0,
};

describe('HTTP errors become coded errors a person can act on', () => {
  it.each([
    [{ status: 401 }, 'PROVIDER_AUTH', /rejected the API key.*Check PROV_API_KEY/],
    [
      { status: 403, apiMessage: 'no access to model' },
      'PROVIDER_PERMISSION',
      /not allowed.*model access|access to this model/,
    ],
    [{ status: 429, retryAfterMs: 7_000 }, 'PROVIDER_RATE_LIMIT', /Try again in 7 s/],
    [{ status: 529 }, 'PROVIDER_OVERLOADED', /overloaded/],
    [{ status: 503 }, 'PROVIDER_OVERLOADED', /overloaded/],
    [{ status: 504 }, 'PROVIDER_TIMEOUT', /timed out/],
    [{ status: 500, apiMessage: 'boom' }, 'PROVIDER_ERROR', /internal error \(HTTP 500: boom\)/],
    [
      { status: 400, apiMessage: 'prompt is too long: 250000 tokens > 200000 maximum' },
      'PROVIDER_CONTEXT_TOO_LONG',
      /Shorten the prompt/,
    ],
    [
      { status: 400, apiCode: 'context_length_exceeded', apiMessage: 'x' },
      'PROVIDER_CONTEXT_TOO_LONG',
      /longer context/,
    ],
    [{ status: 413 }, 'PROVIDER_CONTEXT_TOO_LONG', /HTTP 413/],
    [
      { status: 400, apiCode: 'content_filter', apiMessage: 'filtered by the content management policy' },
      'PROVIDER_CONTENT_FILTERED',
      /Rephrase/,
    ],
    [{ status: 404, apiMessage: 'model: nope' }, 'PROVIDER_INVALID_REQUEST', /model id.*base URL/],
    [
      { status: 400, apiMessage: 'temperature: out of range' },
      'PROVIDER_INVALID_REQUEST',
      /temperature: out of range/,
    ],
  ] as const)('%j → %s', (facts, code, message) => {
    const e = httpError(facts, ctx);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.details).toMatchObject({ provider: 'p', status: facts.status });
  });

  it('never lets the key out, even when the server echoes it', () => {
    const e = httpError({ status: 401, apiMessage: `invalid x-api-key: ${KEY}` }, ctx);
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(KEY);
    expect(e.message).toContain('[redacted key]');
  });

  it('says how many retries were made', () => {
    expect(httpError({ status: 500 }, { ...ctx, retries: 2 }).message).toContain(
      '(2 retries did not get through)',
    );
  });

  it('reads retry-after-ms, retry-after in seconds and as an HTTP date', () => {
    const h = (v: Record<string, string>) => (name: string) => v[name] ?? null;
    expect(retryAfterMs(h({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(retryAfterMs(h({ 'retry-after': '0.02' }))).toBe(20);
    expect(
      retryAfterMs(
        h({ 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }),
        Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'),
      ),
    ).toBe(10_000);
    expect(retryAfterMs(h({}))).toBeUndefined();
  });
});

describe('the request as sent, captured', () => {
  it('keeps headers and body, with credentials and the key removed wherever they are', () => {
    const headers = new Headers({
      'X-Api-Key': KEY,
      'anthropic-version': '2023-06-01',
      'x-custom': `Bearer ${KEY}`,
    });
    expect(redactHeaders(headers, [KEY])).toEqual({
      'x-api-key': '[redacted]',
      'anthropic-version': '2023-06-01',
      'x-custom': '[redacted]',
    });
    expect(redactHeaders({ Authorization: 'Bearer abc', Accept: 'application/json' }, [])).toEqual({
      authorization: '[redacted]',
      accept: 'application/json',
    });
  });

  it('records url, method, body and the time to the first byte on the given clock', async () => {
    const clock = createFakeClock(1_000);
    const fake: HttpFetch = async () => {
      await clock.sleep(250);
      return { status: 200, headers: { get: (n: string) => (n === 'request-id' ? 'req_1' : null) } };
    };
    const c = captureFetch(fake, { clock, secrets: [KEY] });
    const done = c.fetch(`https://api.example/v1/x?key=${KEY}`, {
      method: 'post',
      headers: [['authorization', `Bearer ${KEY}`]],
      body: JSON.stringify({ model: 'm', note: KEY }),
    });
    await clock.advance(250);
    await done;
    expect(c.exchanges).toEqual([
      {
        request: {
          method: 'POST',
          url: 'https://api.example/v1/x?key=[redacted]',
          headers: { authorization: '[redacted]' },
          body: { model: 'm', note: '[redacted]' },
        },
        sentAt: 1_000,
        firstByteAt: 1_250,
        status: 200,
        requestId: 'req_1',
      },
    ]);
  });
});

const enc = get_encoding('o200k_base');
const count = (t: string) => enc.encode(t, [], []).length;
const sonnet: ModelEntry = {
  id: 'claude-sonnet-4-5',
  provider: 'anthropic',
  label: 'Sonnet',
  source: 'https://example.com',
  asOf: '2025-09-29',
  contextWindow: 200_000,
  countWith: 'o200k_base',
  tokenizer: 'claude',
  tokenCountMethod: 'estimate',
  inputPerMTok: 3,
  outputPerMTok: 15,
  caching: 'anthropic-explicit',
  minCacheableTokens: 1024,
};

describe('Anthropic cache breakpoints', () => {
  it('put cache_control on the system prompt, or split it at an offset into a cached and an uncached block', () => {
    expect(anthropicContent('Be brief.', [{ role: 'user', content: 'Hi' }], [{ at: 'system' }])).toEqual({
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const split = anthropicContent(
      'static part|dynamic',
      [{ role: 'user', content: 'Hi' }],
      [{ at: 'system', offset: 12, ttl: '1h' }],
    );
    expect(split.system).toEqual([
      { type: 'text', text: 'static part|', cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'text', text: 'dynamic' },
    ]);
    expect(anthropicContent(undefined, [{ role: 'user', content: 'Hi' }]).system).toBeUndefined();
  });

  it('mark a message or the tools, and refuse what the API would refuse', () => {
    const msgs = [
      { role: 'user' as const, content: 'a' },
      { role: 'assistant' as const, content: 'b' },
    ];
    const c = anthropicContent('s', msgs, [{ at: 'message', index: 1 }, { at: 'tools' }], true);
    expect(c.messages[1]!.content).toEqual([
      { type: 'text', text: 'b', cache_control: { type: 'ephemeral' } },
    ]);
    expect(c.toolsCacheControl).toEqual({ type: 'ephemeral' });
    const bad = (fn: () => unknown) => expect(fn).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    bad(() =>
      anthropicContent(
        's',
        msgs,
        Array.from({ length: 5 }, () => ({ at: 'system' as const })),
      ),
    );
    bad(() => anthropicContent('s', msgs, [{ at: 'message', index: 2 }]));
    bad(() => anthropicContent(undefined, msgs, [{ at: 'system' }]));
    bad(() => anthropicContent('s', msgs, [{ at: 'tools' }]));
    bad(() => anthropicContent('s', msgs, [{ at: 'system', offset: 5 }]));
    bad(() => anthropicContent('s', msgs, [{ at: 'system' }, { at: 'message', index: 0, ttl: '1h' }]));
  });

  it('go where the cache what-if says the cacheable prefix ends', () => {
    const policy = 'You help travellers change bookings.\n\n'.concat(
      'Rule: check the fare class first.\n\n'.repeat(160),
    );
    const text = `${policy}The current date is 2024-05-15.`;
    const analysis = cacheWhatIf({ text, model: sonnet, count, hitRate: 0.9, outputTokens: 100 });
    const bps = breakpointsFromWhatIf(analysis);
    expect(bps).toEqual([{ at: 'system', offset: policy.length }]);
    const content = anthropicContent(text, [{ role: 'user', content: 'Hi' }], bps);
    expect(content.system).toEqual([
      { type: 'text', text: policy, cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'The current date is 2024-05-15.' },
    ]);
    const short = cacheWhatIf({
      text: 'Too short to cache.',
      model: sonnet,
      count,
      hitRate: 1,
      outputTokens: 1,
    });
    expect(breakpointsFromWhatIf(short)).toEqual([]);
    expect(breakpointsFromWhatIf(analysis, { message: 0, ttl: '1h' })).toEqual([
      { at: 'message', index: 0, offset: policy.length, ttl: '1h' },
    ]);
  });
});

describe('call cost and JSON answers', () => {
  it('prices cache writes by lifetime, reads at 0.1×, from the usage the provider reported', () => {
    const c = callCost(sonnet, {
      inputTokens: 100,
      cacheWrite: 3_000,
      cacheWrite1h: 1_000,
      cacheRead: 5_000,
      outputTokens: 200,
    });
    expect(c.catalogId).toBe('claude-sonnet-4-5');
    expect(c.breakdown!.cacheWrite5m).toMatchObject({ tokens: 2_000, perMTok: 3.75 });
    expect(c.breakdown!.cacheWrite1h).toMatchObject({ tokens: 1_000, perMTok: 6 });
    expect(c.usd).toBeCloseTo((100 * 3 + 2_000 * 3.75 + 1_000 * 6 + 5_000 * 0.3 + 200 * 15) / 1e6, 12);
    expect(callCost(null, { inputTokens: 1, outputTokens: 1 })).toEqual({
      usd: null,
      catalogId: null,
      breakdown: null,
    });
  });

  it('parses JSON, fenced or bare, and says where and why an answer is not JSON', () => {
    expect(parseJsonAnswer('{"a":1}', 'M')).toEqual({ a: 1 });
    expect(parseJsonAnswer('```json\n{"a":[1,2]}\n```', 'M')).toEqual({ a: [1, 2] });
    try {
      parseJsonAnswer('{\n  "a": 1,\n  "b": ', 'OpenAI (gpt-4o)', { truncated: true, extra: { usd: 0.01 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'PARSE_ERROR', details: { line: 3, usd: 0.01 } });
      expect((e as Error).message).toMatch(/OpenAI \(gpt-4o\).*line 3.*cut at the output limit/);
    }
  });
});
