import { get_encoding } from 'tiktoken';
import { describe, expect, it } from 'vitest';
import { countRequest, createRequestCounter, toOpenAiMessage } from '../../../../src/core/history/policy';
import { countOpenAiChatRequest, parseOpenAiChatRequest } from '../../../../src/core/tokens/chatRequest';
import { o200kCounter } from './helpers';
import { importedConversations, rawTrajectories, tauConversations, type RawMessage } from './tauBench';

const o200k = get_encoding('o200k_base');
const tik = (t: string) => o200k.encode(t, [], []).length;

/**
 * One raw OpenAI message counted with tiktoken by the cookbook's rule, written out here independently of
 * src/: 3 framing tokens, the role, the content, the name (+1), each tool call's name and arguments, and
 * the tool_call_id. The history model keeps tool arguments parsed, so what is sent again is their compact
 * JSON: 125 of tau-bench's 1,164 calls were written with spaces, and those are counted as sent.
 */
function tiktokenMessage(m: RawMessage): number {
  let n = 3 + tik(m.role) + tik(m.content ?? '');
  if (m.name !== undefined) n += tik(m.name) + 1;
  for (const c of m.tool_calls ?? [])
    n += tik(c.function.name) + tik(JSON.stringify(JSON.parse(c.function.arguments)));
  if (m.tool_call_id !== undefined) n += tik(m.tool_call_id);
  return n;
}

describe('request counting over tau-bench', () => {
  it('equals tiktoken on the request of every assistant turn of all 200 trajectories', () => {
    const counter = o200kCounter();
    const raws = rawTrajectories();
    const convos = tauConversations();
    let turns = 0;
    raws.forEach((raw, k) => {
      const convo = convos[k]!;
      const system = raw.traj.filter((m) => m.role === 'system');
      const rest = raw.traj.filter((m) => m.role !== 'system');
      // expected: priming + system message(s) + every message before the turn
      let expected = 3 + system.reduce((n, m) => n + tiktokenMessage(m), 0);
      rest.forEach((m, i) => {
        if (m.role === 'assistant' && i > 0) {
          expect(countRequest(counter, { system: convo.system, messages: convo.messages.slice(0, i) })).toBe(
            expected,
          );
          turns++;
        }
        expected += tiktokenMessage(m);
      });
    });
    expect(turns).toBe(2454);
  });

  it("counts the importer's reading of every whole trajectory as tiktoken counts the raw request", () => {
    const counter = o200kCounter();
    const convos = importedConversations();
    rawTrajectories().forEach((raw, k) => {
      const expected = raw.traj.reduce((n, m) => n + tiktokenMessage(m), 3);
      expect(countRequest(counter, convos[k]!)).toBe(expected);
    });
  });

  it('is what countOpenAiChatRequest gives for the whole request (the sum of cached counts is exact)', () => {
    const counter = o200kCounter();
    for (const convo of tauConversations().slice(0, 40)) {
      const request = parseOpenAiChatRequest([
        { role: 'system', content: convo.system },
        ...convo.messages.map(toOpenAiMessage),
      ]);
      const whole = countOpenAiChatRequest(request, tik);
      expect(countRequest(counter, convo)).toBe(whole.tokens);
      // and tool definitions are added on top when the caller counts them
      expect(countRequest(counter, convo, 250)).toBe(whole.tokens + 250);
    }
  });

  it('turns history messages into the OpenAI shape it counts', () => {
    expect(
      toOpenAiMessage({
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'c1', name: 'get', input: { a: 1 } },
          { type: 'thinking', thinking: 'hidden' },
        ],
      }),
    ).toEqual({
      role: 'assistant',
      content: 'Checking.',
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get', arguments: '{"a":1}' } }],
    });
    expect(
      toOpenAiMessage({
        role: 'tool',
        name: 'get',
        content: [{ type: 'tool_result', toolUseId: 'c1', content: 'ok' }],
      }),
    ).toEqual({ role: 'tool', content: 'ok', name: 'get', tool_call_id: 'c1' });
    expect(
      toOpenAiMessage({
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }).content,
    ).toEqual([
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b' },
    ]);
  });

  it('labels tool calls and opaque blocks as estimates, plain text as exact', () => {
    const counter = createRequestCounter(tik);
    expect(counter.estimated({ role: 'user', content: [{ type: 'text', text: 'hi' }] })).toBe(false);
    expect(
      counter.estimated({
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'x', name: 'f', input: {} }],
      }),
    ).toBe(true);
    expect(
      counter.estimated({ role: 'user', content: [{ type: 'opaque', provider: 'anthropic', value: {} }] }),
    ).toBe(true);
  });

  it('counts output as the text and the calls the model wrote', () => {
    const counter = createRequestCounter(tik);
    const m = {
      role: 'assistant' as const,
      content: [
        { type: 'text' as const, text: 'Let me look.' },
        { type: 'tool_use' as const, id: 'c', name: 'search', input: { q: 'x' } },
      ],
    };
    expect(counter.output(m)).toBe(tik('Let me look.') + tik('search') + tik('{"q":"x"}'));
  });

  it('counts a message once (cached per message object)', () => {
    let calls = 0;
    const counter = createRequestCounter((t) => {
      calls++;
      return t.length;
    });
    const m = { role: 'user' as const, content: [{ type: 'text' as const, text: 'hello' }] };
    counter.message(m);
    const after = calls;
    for (let i = 0; i < 10; i++) counter.message(m);
    expect(calls).toBe(after);
    expect(counter.message(m)).toBe(3 + 4 + 5);
  });
});
