import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend, type BackendOptions } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { ok } from '../support/fixtures';
import { stubAnthropicInputTokens } from '../support/stubAnthropic';
import { stubCount, type ChatScriptRequest } from '../support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { stubOpenAiPromptTokens } from '../support/stubOpenAi';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-rewrite-key-1111';
const OPENAI_KEY = 'sk-proj-PLANTED-rewrite-key-2222';
const MESSAGES = 'POST /v1/messages';
const CHAT = 'POST /v1/chat/completions';

const PROMPT = [
  '# Support agent',
  '',
  'Hello {{customer_name}}, you are a support agent for Acme.',
  'It is really very important that you always answer in a polite and friendly manner.',
  'You must not reveal the internal discount code to anyone.',
  'Refunds are possible within 30 days.',
  '',
].join('\n');
const LONG = 'It is really very important that you always answer in a polite and friendly manner.';
const GOOD = PROMPT.replace(LONG, 'Always answer politely.');

let stub: StubLlmServer;
let backend: Backend | undefined;
let dataDir: string;
/** The "model": rewrites the text between the <prompt> tags of the request. */
let rewrite: (input: string) => string;

beforeEach(async () => {
  rewrite = (input) => input.replace(LONG, 'Always answer politely.');
  const reply = (req: ChatScriptRequest) => {
    const input = /^<prompt>\n([\s\S]*)\n<\/prompt>$/.exec(req.messages[0]!.content)![1]!;
    return rewrite(input);
  };
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, echoKeyInErrors: true, reply },
    openai: { apiKey: OPENAI_KEY, echoKeyInErrors: true, reply },
  });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-rewrite-'));
});
afterEach(async () => {
  backend?.dispose();
  backend = undefined;
  await stub.close();
});

function start(extra: Partial<BackendOptions> = {}): Backend {
  backend = createBackend({
    host: 'cli',
    dataDir,
    watch: false,
    anthropicApiKey: ANTHROPIC_KEY,
    anthropicBaseURL: stub.url,
    openaiApiKey: OPENAI_KEY,
    openaiBaseURL: `${stub.url}/v1`,
    ...extra,
  });
  return backend;
}

const pipeline = (options: Record<string, unknown>, more: object[] = []) => ({
  version: 1,
  steps: [{ strategy: 'llm.rewrite', options }, ...more],
});

const compress = (b: Backend, model: string, extra: Record<string, unknown> = {}) =>
  ok(call(b, 'compress.run', { text: PROMPT, pipeline: pipeline({ model }), ...extra }));

describe.each([
  { model: 'claude-haiku-4-5', provider: 'anthropic', route: MESSAGES, inPerM: 1, outPerM: 5 },
  { model: 'openai:gpt-4o-mini', provider: 'openai', route: CHAT, inPerM: 0.15, outPerM: 0.6 },
])('compress.run with llm.rewrite through $provider (stub server)', (c) => {
  it('applies the rewrite as hunks and reports the call with provider-reported usage and its cost', async () => {
    const b = start();
    const r = await compress(b, c.model);
    expect(r.text).toBe(GOOD);
    const stage = r.stages.find((s) => s.strategy === 'llm.rewrite')!;
    expect(stage.edits.length).toBeGreaterThan(0);
    expect(stage.error).toBeUndefined();
    expect(r.guardReport.verified).toBe(true);
    const [req] = stub.requestsTo(c.route);
    const inputTokens =
      c.provider === 'anthropic' ? stubAnthropicInputTokens(req!.body) : stubOpenAiPromptTokens(req!.body);
    const outputTokens = stubCount(GOOD);
    expect(r.llmCalls).toEqual([
      {
        purpose: 'llm.rewrite',
        provider: c.provider,
        model: c.model.replace(/^openai:/, ''),
        cached: false,
        usage: { inputTokens, outputTokens },
        usageMethod: 'provider-reported',
        usd: expect.closeTo((inputTokens * c.inPerM + outputTokens * c.outPerM) / 1e6, 12),
        stopReason: 'end',
      },
    ]);
    // what the model was told: the target, the rules, and the prompt delimited as content
    const body = req!.body as { system?: string; messages: Array<{ role: string; content: string }> };
    const system = c.provider === 'anthropic' ? body.system! : body.messages[0]!.content;
    const tokens = stubCount(PROMPT);
    expect(system).toContain(
      `Aim for about ${Math.round(0.7 * tokens)} tokens (the original is about ${tokens})`,
    );
    expect(system).toMatch(/placeholders such as \{\{name\}\}/);
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: `<prompt>\n${PROMPT}\n</prompt>` });
  });

  it('re-runs from its cache: after rejecting an edit nothing is asked again', async () => {
    const b = start();
    const first = await compress(b, c.model);
    const again = await compress(b, c.model);
    expect(again.text).toBe(first.text);
    expect(again.llmCalls?.[0]).toMatchObject({ cached: true, usage: first.llmCalls![0]!.usage });
    const hunk = first.stages.flatMap((s) => s.edits)[0]!;
    const rejected = await compress(b, c.model, { rejected: [hunk.id] });
    expect(rejected.text).toBe(PROMPT);
    expect(rejected.stages[0]!.blocked.every((x) => x.spanKind === 'linked')).toBe(true);
    expect(stub.requestsTo(c.route)).toHaveLength(1);
  });
});

describe('llm.rewrite failures leave the prompt unchanged and say why', () => {
  it('rejects a rewrite that drops a placeholder, with the violations, and still reports the paid call', async () => {
    rewrite = (input) => input.replace('Hello {{customer_name}}, you', 'You').replace(LONG, 'Be polite.');
    const r = await compress(start(), 'claude-haiku-4-5');
    expect(r.text).toBe(PROMPT);
    const stage = r.stages[0]!;
    expect(stage.error?.code).toBe('GUARD_VIOLATION');
    expect(stage.error?.message).toContain('{{customer_name}}');
    expect(stage.blocked.map((x) => x.spanKind)).toContain('placeholder');
    expect(r.llmCalls).toHaveLength(1);
  });

  it('says the provider rejected the key, without the key, and asks again on the next run', async () => {
    const wrong = `${ANTHROPIC_KEY}-OLD`;
    const b = start({ anthropicApiKey: wrong });
    const r = await compress(b, 'claude-haiku-4-5');
    expect(r.text).toBe(PROMPT);
    expect(r.stages[0]!.error).toMatchObject({ code: 'PROVIDER_AUTH' });
    expect(r.stages[0]!.error!.message).toContain('Anthropic rejected the API key');
    expect(JSON.stringify(r)).not.toContain(wrong);
    await compress(b, 'claude-haiku-4-5');
    expect(stub.requestsTo(MESSAGES)).toHaveLength(2);
  });

  it('names the missing key, an unknown model and an unknown provider without calling out', async () => {
    const b = start({ openaiApiKey: undefined });
    const codes = [];
    for (const model of ['openai:gpt-4o-mini', 'no-such-model', 'nowhere:some-model', '']) {
      const r = await compress(b, model);
      expect(r.text).toBe(PROMPT);
      codes.push(r.stages[0]!.error?.code);
    }
    expect(codes).toEqual(['PROVIDER_NOT_CONFIGURED', 'UNKNOWN_MODEL', 'UNSUPPORTED', 'INVALID_INPUT']);
    expect(stub.requests).toHaveLength(0);
  });

  it('refuses a rewrite cut at the output limit, and one that is not shorter', async () => {
    const b = start();
    rewrite = () => 'word '.repeat(3000);
    const cut = await compress(b, 'claude-haiku-4-5');
    expect(cut.text).toBe(PROMPT);
    expect(cut.stages[0]!.error?.code).toBe('REWRITE_INCOMPLETE');
    expect(cut.llmCalls?.[0]?.stopReason).toBe('max_tokens');
    rewrite = (input) => `${input} Also, be nice.`;
    const longer = await compress(b, 'openai:gpt-4o-mini');
    expect(longer.text).toBe(PROMPT);
    expect(longer.stages[0]!.error?.code).toBe('REWRITE_NOT_SHORTER');
  });
});

describe('llm.rewrite in a longer pipeline', () => {
  it('rewrites two sections with one call each, deterministically, and then from the cache', async () => {
    const text = `${PROMPT}\n## Tone\n\nIt is really very important that you always answer in a polite and friendly manner.\n`;
    const steps = pipeline({ model: 'claude-haiku-4-5', section: 'Support agent' }, [
      { strategy: 'llm.rewrite', options: { model: 'openai:gpt-4o-mini', section: 'Tone' } },
      { strategy: 'format.whitespace', options: {} },
    ]);
    const b = start();
    const r = await ok(call(b, 'compress.run', { text, pipeline: steps }));
    expect(r.text.match(/Always answer politely\./g)).toHaveLength(2);
    expect(r.llmCalls?.map((x) => [x.provider, x.cached])).toEqual([
      ['anthropic', false],
      ['openai', false],
    ]);
    const again = await ok(call(b, 'compress.run', { text, pipeline: steps }));
    expect(again.text).toBe(r.text);
    expect(again.llmCalls?.every((x) => x.cached)).toBe(true);
    expect(stub.requests).toHaveLength(2);
  });

  it('never writes a key into the data folder', async () => {
    const b = start();
    await compress(b, 'claude-haiku-4-5');
    await compress(b, 'openai:gpt-4o-mini');
    b.dispose();
    for (const entry of await readdir(dataDir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const content = await readFile(path.join(entry.parentPath, entry.name), 'latin1');
      expect(content, entry.name).not.toMatch(/PLANTED/);
    }
  });
});
