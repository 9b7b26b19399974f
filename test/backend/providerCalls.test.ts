import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findResourcesDir, loadCatalog } from '../../src/backend';
import { createProviderRegistry, type ProviderRegistryOptions } from '../../src/backend/providers/registry';
import { providerEmbedder } from '../../src/backend/providers/openaiEmbeddings';
import { createEmbeddingsService } from '../../src/backend/services/embeddings';
import { cacheWhatIf } from '../../src/core/pricing/cacheWhatIf';
import { findModel } from '../../src/core/pricing/catalog';
import { breakpointsFromWhatIf } from '../../src/core/providers/cacheBreakpoints';
import type { CompletionRequest } from '../../src/core/providers/types';
import { CORPORA } from '../core/compression/corpora';
import { ANTHROPIC_STUB_FRAMING, stubAnthropicInputTokens } from '../support/stubAnthropic';
import { stubCount, type ChatScriptReply, type ChatScriptRequest } from '../support/stubChat';
import { stubEmbedding } from '../support/stubEmbeddings';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { stubOpenAiPromptTokens } from '../support/stubOpenAi';
import { cachedTokensFor, openAiPromptSequence } from '../support/stubOpenAiCache';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-calls-key-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-calls-key-0002';
const catalog = loadCatalog(findResourcesDir());
/** The tau-bench airline policy (MIT, ../shared/corpora): a real 1,248-token system prompt. */
const POLICY = readFileSync(
  path.join(CORPORA, 'system-prompts/041_sierra-research__tau_bench__envs__airline__wiki.md'),
  'utf8',
);

let stub: StubLlmServer;
let clockMs: number;
let answer: (req: ChatScriptRequest) => ChatScriptReply;

beforeEach(async () => {
  clockMs = Date.now();
  answer = (req) => `echo: ${req.messages.at(-1)?.content ?? ''}`;
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: (r) => answer(r), now: () => clockMs },
    openai: { apiKey: OPENAI_KEY, reply: (r) => answer(r), now: () => clockMs },
  });
});
afterEach(() => stub.close());

const registry = (extra: Partial<ProviderRegistryOptions> = {}) =>
  createProviderRegistry({
    anthropic: { apiKey: ANTHROPIC_KEY, baseURL: stub.url },
    openai: { apiKey: OPENAI_KEY, baseURL: `${stub.url}/v1` },
    endpoints: [{ id: 'local', kind: 'openai', apiKey: OPENAI_KEY, baseURL: `${stub.url}/v1` }],
    getCatalog: () => catalog,
    maxRetries: 0,
    ...extra,
  });

const ask = (content: string, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  model: 'claude-sonnet-4-0',
  system: POLICY,
  messages: [{ role: 'user', content }],
  maxTokens: 100,
  ...extra,
});

describe('a plain call reports everything about itself', () => {
  it.each([
    ['anthropic', 'claude-sonnet-4-0', 'POST /v1/messages'],
    ['openai', 'gpt-4o-mini', 'POST /v1/chat/completions'],
  ] as const)(
    '%s: exact usage, catalog cost, latency, request id and the request as sent',
    async (id, model, route) => {
      const r = await registry().get(id).complete(ask('Can I change my flight?', { model }));
      const [sent] = stub.requestsTo(route);
      const input =
        id === 'anthropic' ? stubAnthropicInputTokens(sent!.body) : stubOpenAiPromptTokens(sent!.body);
      const output = stubCount('echo: Can I change my flight?');
      expect(r.text).toBe('echo: Can I change my flight?');
      expect(r.usage).toEqual({ inputTokens: input, outputTokens: output });
      const entry = findModel(catalog, model);
      expect(r.cost.catalogId).toBe(model);
      expect(r.cost.usd).toBeCloseTo((input * entry.inputPerMTok! + output * entry.outputPerMTok!) / 1e6, 12);
      expect(r.attempts).toBe(1);
      expect(r.latency.firstByteMs).toBeGreaterThan(0);
      expect(r.latency.firstByteMs).toBeLessThanOrEqual(r.latency.totalMs);
      expect(r.latency.totalMs).toBeLessThanOrEqual(r.latency.elapsedMs);
      expect(r.requestId).toMatch(/^req_stub_/);
      expect(r.request.url).toBe(`${stub.url}${sent!.path}`);
      expect(r.request.body).toEqual(sent!.body);
      expect(Object.values(r.request.headers)).toContain('[redacted]');
      expect(JSON.stringify(r)).not.toMatch(/PLANTED/);
    },
  );

  it('passes stop sequences, temperature and tools through, and reports where the text stopped', async () => {
    answer = () => 'First line.\nEND\nnever shown';
    const tools = [
      { name: 'lookup', description: 'Find a booking', input_schema: { type: 'object', properties: {} } },
    ];
    const a = await registry()
      .get('anthropic')
      .complete(ask('hi', { stopSequences: ['END'], temperature: 0, tools }));
    expect(a).toMatchObject({
      text: 'First line.\n',
      stopReason: 'end',
      providerStopReason: 'stop_sequence',
    });
    expect(stub.requestsTo('POST /v1/messages')[0]!.body).toMatchObject({
      stop_sequences: ['END'],
      temperature: 0,
      tools,
    });
    expect(a.usage.inputTokens).toBe(stubAnthropicInputTokens(stub.requestsTo('POST /v1/messages')[0]!.body));
    const o = await registry()
      .get('openai')
      .complete(ask('hi', { model: 'gpt-4o', stopSequences: ['END'], tools }));
    expect(o).toMatchObject({ text: 'First line.\n', stopReason: 'end' });
    expect(stub.requestsTo('POST /v1/chat/completions')[0]!.body).toMatchObject({
      stop: ['END'],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: tools[0]!.input_schema } }],
    });
  });
});

describe('Anthropic prompt caching, simulated by the published rules', () => {
  const prefix = ANTHROPIC_STUB_FRAMING.perRequest + ANTHROPIC_STUB_FRAMING.perSystem + stubCount(POLICY);
  const rest = (q: string) => ANTHROPIC_STUB_FRAMING.perMessage + stubCount(q);

  it('writes the cache on the first call, reads it on the next, and prices each part', async () => {
    const p = registry().get('anthropic');
    const first = await p.complete(ask('Can I change my flight?', { cache: [{ at: 'system' }] }));
    expect(first.usage).toMatchObject({ inputTokens: rest('Can I change my flight?'), cacheWrite: prefix });
    expect(first.usage.cacheRead).toBeUndefined();
    expect(stub.requestsTo('POST /v1/messages')[0]!.body).toMatchObject({
      system: [{ type: 'text', text: POLICY, cache_control: { type: 'ephemeral' } }],
    });
    const second = await p.complete(ask('What about baggage?', { cache: [{ at: 'system' }] }));
    expect(second.usage).toMatchObject({ inputTokens: rest('What about baggage?'), cacheRead: prefix });
    expect(second.usage.cacheWrite).toBeUndefined();
    // Sonnet 4: $3 input, $3.75 cache write (5 min), $0.30 cache read, $15 output per million
    const out = (r: typeof first) => r.usage.outputTokens * 15;
    expect(first.cost.usd).toBeCloseTo(
      (rest('Can I change my flight?') * 3 + prefix * 3.75 + out(first)) / 1e6,
      12,
    );
    expect(second.cost.usd).toBeCloseTo(
      (rest('What about baggage?') * 3 + prefix * 0.3 + out(second)) / 1e6,
      12,
    );
    expect(second.cost.breakdown!.cacheRead.tokens).toBe(prefix);
  });

  it('writes again once the entry expired (5 minutes), and keeps a 1-hour entry, billed at 2×', async () => {
    const p = registry().get('anthropic');
    await p.complete(ask('a', { cache: [{ at: 'system' }] }));
    clockMs += 5 * 60_000 + 1;
    expect((await p.complete(ask('b', { cache: [{ at: 'system' }] }))).usage.cacheWrite).toBe(prefix);
    const long = await p.complete(ask('c', { cache: [{ at: 'system', ttl: '1h' }], system: `${POLICY}\n` }));
    expect(long.usage).toMatchObject({ cacheWrite: long.usage.cacheWrite1h });
    expect(long.cost.breakdown!.cacheWrite1h).toMatchObject({ tokens: long.usage.cacheWrite, perMTok: 6 });
    clockMs += 30 * 60_000;
    expect(
      (await p.complete(ask('d', { cache: [{ at: 'system', ttl: '1h' }], system: `${POLICY}\n` }))).usage
        .cacheRead,
    ).toBe(long.usage.cacheWrite);
  });

  it("caches nothing below the model's minimum (Haiku 4.5: 4,096 tokens), even when asked", async () => {
    const p = registry().get('anthropic');
    for (const q of ['a', 'b']) {
      const r = await p.complete(ask(q, { model: 'claude-haiku-4-5', cache: [{ at: 'system' }] }));
      expect(r.usage).toEqual({ inputTokens: prefix + rest(q), outputTokens: r.usage.outputTokens });
    }
  });

  it('reads the cache across a changing tail with the breakpoint the what-if placed', async () => {
    const lines = POLICY.split('\n');
    const dated = lines.findIndex((l) => l.includes('2024-05-15 15:00:00'));
    // the policy states the time near its top; moved to the end, the rest becomes a cacheable prefix
    const staticPart = lines
      .filter((_, i) => i !== dated)
      .join('\n')
      .trim();
    const prompt = (time: string) => `${staticPart}\n\n${lines[dated]!.replace('2024-05-15 15:00:00', time)}`;
    const sonnet = findModel(catalog, 'claude-sonnet-4-0');
    const analysis = cacheWhatIf({
      text: prompt('2024-05-15 15:00:00'),
      model: sonnet,
      count: stubCount,
      hitRate: 1,
      outputTokens: 50,
    });
    const cache = breakpointsFromWhatIf(analysis);
    expect(cache).toEqual([{ at: 'system', offset: staticPart.length + 2 }]);
    const p = registry().get('anthropic');
    const first = await p.complete(ask('hi', { system: prompt('2024-05-15 15:00:00'), cache }));
    const second = await p.complete(ask('hi', { system: prompt('2024-05-16 09:30:00'), cache }));
    expect(first.usage.cacheWrite).toBeGreaterThan(1024);
    expect(second.usage.cacheRead).toBe(first.usage.cacheWrite);
    expect(second.usage.inputTokens).toBe(first.usage.inputTokens);
  });
});

describe('OpenAI automatic prompt caching', () => {
  it('reports cached_tokens in 128-token steps of the shared prefix, for prompts of 1,024 tokens or more', async () => {
    const p = registry().get('openai');
    const req = (q: string) => ask(q, { model: 'gpt-4o-mini' });
    const first = await p.complete(req('Can I change my flight?'));
    expect(first.usage.cacheRead).toBeUndefined();
    const second = await p.complete(req('What about baggage?'));
    const seq = (q: string) =>
      openAiPromptSequence([
        { role: 'system', content: POLICY },
        { role: 'user', content: q },
      ]);
    const a = seq('Can I change my flight?');
    const b = seq('What about baggage?');
    let shared = 0;
    while (a[shared] === b[shared]) shared++;
    const cached = cachedTokensFor(shared);
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect(cached % 128).toBe(0);
    expect(second.usage).toMatchObject({ inputTokens: b.length - cached, cacheRead: cached });
    expect((second.providerUsage as { prompt_tokens: number }).prompt_tokens).toBe(b.length);
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million
    expect(second.cost.usd).toBeCloseTo(
      ((b.length - cached) * 0.15 + cached * 0.075 + second.usage.outputTokens * 0.6) / 1e6,
      12,
    );
  });

  it('caches nothing for a prompt under 1,024 tokens', async () => {
    const p = registry().get('openai');
    for (const q of ['a', 'b']) {
      const r = await p.complete(ask(q, { model: 'gpt-4o-mini', system: 'Be brief.' }));
      expect(r.usage.cacheRead).toBeUndefined();
    }
  });
});

describe('JSON answers', () => {
  const schema = {
    type: 'object',
    properties: { verdict: { type: 'string' }, score: { type: 'number' } },
    required: ['verdict', 'score'],
    additionalProperties: false,
  };

  it('sends json_schema to OpenAI and returns the parsed answer', async () => {
    answer = (req) => ({ json: { verdict: 'pass', score: (req.body as { model: string }).model.length } });
    const r = await registry()
      .get('openai')
      .complete(
        ask('Grade this.', {
          model: 'gpt-4o',
          responseFormat: { type: 'json_schema', name: 'grade', schema },
        }),
      );
    expect(r.json).toEqual({ verdict: 'pass', score: 6 });
    expect(stub.requestsTo('POST /v1/chat/completions')[0]!.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'grade', schema, strict: true } },
    });
  });

  it('fails with PARSE_ERROR (usage and cost in the details) when the answer is not JSON', async () => {
    answer = () => 'Sure! The verdict is pass.';
    const e = await registry()
      .get('openai')
      .complete(ask('Grade this as json.', { model: 'gpt-4o', responseFormat: { type: 'json_object' } }))
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'PARSE_ERROR', details: { line: 1, column: 1, provider: 'openai' } });
    expect((e as { details: { usd: number } }).details.usd).toBeGreaterThan(0);
  });

  it('refuses json_object without the word JSON in the prompt, as OpenAI does', async () => {
    const e = await registry()
      .get('openai')
      .complete(
        ask('Grade this.', { model: 'gpt-4o', system: 'Be brief.', responseFormat: { type: 'json_object' } }),
      )
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'PROVIDER_INVALID_REQUEST' });
  });

  it('parses a fenced JSON answer from Anthropic, which has no response_format', async () => {
    answer = () => '```json\n{"verdict":"fail","score":0}\n```';
    const r = await registry()
      .get('anthropic')
      .complete(
        ask('Grade this; answer in JSON.', { responseFormat: { type: 'json_schema', name: 'g', schema } }),
      );
    expect(r.json).toEqual({ verdict: 'fail', score: 0 });
    expect(stub.requestsTo('POST /v1/messages')[0]!.body).not.toHaveProperty('response_format');
  });
});

describe('embeddings', () => {
  it('returns vectors with usage and the request, through the same interface as the offline model', async () => {
    const openai = registry().get('openai');
    const r = await openai.embed!({
      model: 'text-embedding-3-small',
      input: ['refund policy', 'baggage rules'],
    });
    expect(r.vectors).toHaveLength(2);
    expect(r.vectors[0]).toHaveLength(1536);
    expect(r.vectors[0]![7]).toBeCloseTo(stubEmbedding('refund policy', 1536)[7]!, 6);
    expect(r.usage).toEqual({
      inputTokens: stubCount('refund policy') + stubCount('baggage rules'),
      outputTokens: 0,
    });
    expect(r.request.body).toMatchObject({ encoding_format: 'base64' });
    const local = await registry().get('local').embed!({
      model: 'text-embedding-3-small',
      input: ['x'],
      dimensions: 8,
    });
    expect(local.vectors[0]).toHaveLength(8);
    expect(local.request.body).toMatchObject({ encoding_format: 'float', dimensions: 8 });

    const service = createEmbeddingsService({
      loader: async () => providerEmbedder(openai, 'text-embedding-3-small'),
    });
    expect(await service.similarity('refund policy', 'refund policy')).toBeCloseTo(1, 6);
    expect(() => providerEmbedder(registry().get('anthropic'), 'x')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED' }),
    );
  });
});
