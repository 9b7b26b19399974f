import { describe, expect, it } from 'vitest';
import {
  conversationStats,
  exportAnthropic,
  exportNotes,
  exportOpenAI,
  importHistory,
} from '../../../../src/core/history/formats';
import type { Conversation } from '../../../../src/core/history/types';
import { failure, readCorpus, TAU_FILE, type TauTrajectory } from './corpora';

describe('OpenAI import of tau-bench trajectories', () => {
  const text = readCorpus(TAU_FILE);
  const raw = JSON.parse(text) as TauTrajectory[];
  const h = importHistory(text, TAU_FILE);

  it('reads all 200 trajectories with their reward and task in metadata', () => {
    expect(h.format).toBe('openai');
    expect(h.conversations).toHaveLength(200);
    const c = h.conversations[0]!;
    expect(c.id).toBe('task-0-trial-0');
    expect(c.title).toBe('Task 0, trial 0 (reward 0)');
    expect(c.system).toMatch(/^# Airline Agent Policy/);
    expect(c.metadata).toMatchObject({
      task_id: 0,
      trial: 0,
      reward: 0,
      info: { task: { user_id: 'mia_li_3668' } },
    });
    expect(c.source).toEqual({ file: TAU_FILE, format: 'openai', index: 0, line: 2 });
    expect(new Set(h.conversations.map((x) => x.id)).size).toBe(200);
    // every trajectory: the system message becomes the system prompt, the rest are messages
    h.conversations.forEach((x, i) => expect(x.messages).toHaveLength(raw[i]!.traj.length - 1));
  });

  it('maps tool_calls to tool_use blocks with parsed arguments, and tool messages to results', () => {
    const c = h.conversations[0]!;
    const k = c.messages.findIndex((m) => m.content.some((b) => b.type === 'tool_use'));
    expect(c.messages[k]).toEqual({
      role: 'assistant',
      content: [
        {
          type: 'tool_use',
          id: 'call_oIHazX6yQrB8hUwl4cRilFKj',
          name: 'get_user_details',
          input: { user_id: 'mia_li_3668' },
        },
      ],
    });
    expect(c.messages[k + 1]).toMatchObject({
      role: 'tool',
      name: 'get_user_details',
      content: [{ type: 'tool_result', toolUseId: 'call_oIHazX6yQrB8hUwl4cRilFKj' }],
    });
  });

  it('says where the corpus reuses tool-call ids (49 trajectories do)', () => {
    const reused = h.warnings.filter((w) => w.message.includes('is also the id of an earlier tool call'));
    expect(new Set(reused.map((w) => w.field!.split('.')[0])).size).toBe(49);
    expect(reused[0]).toEqual({
      file: TAU_FILE,
      line: 187,
      field: '[0].traj[12].tool_calls[0].id',
      message:
        '"call_HGn16KZh9oNCruxsMJ4gYXan" is also the id of an earlier tool call in this conversation: a result answers the nearest call before it.',
    });
  });

  it('exports every trajectory back to exactly its messages (OpenAI → model → OpenAI)', () => {
    h.conversations.forEach((c, i) => {
      const out = exportOpenAI(c);
      expect(JSON.parse(JSON.stringify(out.messages))).toStrictEqual(raw[i]!.traj);
    });
  });

  it('counts turns, tool calls and tokens for the picker', () => {
    const s = conversationStats(h.conversations[0]!, (t) => t.split(/\s+/).filter(Boolean).length);
    expect(s).toMatchObject({ messages: 31, turns: 8, toolCalls: 8 });
    expect(s.tokens).toBeGreaterThan(1000);
    const calls = raw.reduce((n, t) => n + t.traj.filter((m) => m.tool_calls).length, 0);
    expect(h.conversations.reduce((n, c) => n + conversationStats(c, () => 0).toolCalls, 0)).toBe(calls);
  });
});

/** OpenAI → Anthropic → model keeps every call with its result. */
function pairs(c: Conversation): [string, string][] {
  const out: [string, string][] = [];
  let calls: string[] = [];
  for (const m of c.messages)
    for (const b of m.content) {
      if (b.type === 'tool_use') calls.push(b.id);
      if (b.type === 'tool_result') {
        out.push([calls[calls.length - 1] ?? '', b.toolUseId]);
        calls = calls.filter((id) => id !== b.toolUseId);
      }
    }
  return out;
}

describe('OpenAI → Anthropic → model', () => {
  const h = importHistory(readCorpus(TAU_FILE), TAU_FILE);

  it('preserves the tool_use/tool_result pairing of all 200 trajectories', () => {
    for (const c of h.conversations) {
      const body = exportAnthropic(c);
      expect(exportNotes(c, 'anthropic').map((n) => n.code)).toEqual(['metadata']);
      // results follow their calls in the very next (user) message, as the Messages API requires
      body.messages.forEach((m, i) => {
        if (!Array.isArray(m.content)) return;
        const ids = m.content.filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id);
        if (!ids.length) return;
        const prev = body.messages[i - 1]!;
        const called = Array.isArray(prev.content)
          ? prev.content.filter((b) => b.type === 'tool_use').map((b) => b.id)
          : [];
        expect(ids).toEqual(called);
      });
      const back = importHistory(JSON.stringify(body), 'back.json').conversations[0]!;
      expect(back.source.format).toBe('anthropic');
      expect(back.system).toBe(c.system);
      // tool messages lose only their OpenAI `name`, which Anthropic has no field for
      expect(back.messages).toEqual(
        c.messages.map((m) => {
          if (m.role !== 'tool') return m;
          const { name: _name, ...rest } = m;
          return rest;
        }),
      );
      expect(pairs(back)).toEqual(pairs(c));
    }
  });
});

describe('OpenAI shapes', () => {
  it('reads a bare message list, developer messages, parts, refusals, reasoning and legacy function calls', () => {
    const messages = [
      { role: 'developer', content: [{ type: 'text', text: 'Be terse.' }] },
      { role: 'system', content: 'Use metric units.' },
      {
        role: 'user',
        name: 'ana',
        content: [
          { type: 'text', text: 'What is in this photo?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
        ],
      },
      { role: 'assistant', content: null, refusal: 'I cannot identify people.' },
      {
        role: 'assistant',
        content: 'Let me check.',
        reasoning_content: 'Need the weather.',
        function_call: { name: 'weather', arguments: '{"city": "Oslo"}' },
      },
      { role: 'function', name: 'weather', content: '-3°C' },
      { role: 'assistant', content: 'It is -3°C.' },
    ];
    const h = importHistory(JSON.stringify(messages, null, 2), 'chat.json');
    expect(h.format).toBe('openai');
    const c = h.conversations[0]!;
    expect(c.id).toBe('conversation-1');
    expect(c.system).toBe('Be terse.\n\nUse metric units.');
    expect(c.messages[0]).toEqual({
      role: 'user',
      name: 'ana',
      content: [
        { type: 'text', text: 'What is in this photo?' },
        { type: 'opaque', provider: 'openai', value: messages[2]!.content![1] },
      ],
    });
    expect(c.messages[1]!.content).toEqual([
      {
        type: 'opaque',
        provider: 'openai',
        value: { type: 'refusal', refusal: 'I cannot identify people.' },
      },
    ]);
    expect(c.messages[2]!.content).toEqual([
      { type: 'thinking', thinking: 'Need the weather.' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'function_call_1', name: 'weather', input: { city: 'Oslo' } },
    ]);
    expect(c.messages[3]).toEqual({
      role: 'tool',
      name: 'weather',
      content: [{ type: 'tool_result', toolUseId: 'function_call_1', content: '-3°C' }],
    });
    expect(h.warnings.map((w) => [w.line, w.field])).toEqual([[41, '[4].function_call']]);
    // the system messages come back as written; the legacy call comes back as a tool call
    const out = exportOpenAI(c);
    expect(out.messages.slice(0, 2)).toEqual(messages.slice(0, 2));
    expect(out.messages[4]).toEqual({
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [
        {
          id: 'function_call_1',
          type: 'function',
          function: { name: 'weather', arguments: '{"city": "Oslo"}' },
        },
      ],
    });
    expect(out.messages[5]).toEqual({
      role: 'tool',
      tool_call_id: 'function_call_1',
      name: 'weather',
      content: '-3°C',
    });
    expect(exportNotes(c, 'openai').map((n) => n.code)).toEqual(['thinking']);
  });

  it('reads {messages} objects and keeps their other fields as metadata', () => {
    const body = {
      id: 'req-7',
      model: 'gpt-4o',
      tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: 'not json' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'done' }] },
      ],
    };
    const h = importHistory(JSON.stringify([body, { ...body, id: 'req-8' }]), 'reqs.json');
    expect(h.conversations.map((c) => c.id)).toEqual(['req-7', 'req-8']);
    const c = h.conversations[0]!;
    expect(c.metadata).toEqual({ model: 'gpt-4o', tools: body.tools });
    expect(c.messages[1]!.content[1]).toEqual({ type: 'tool_use', id: 'c1', name: 'f', input: 'not json' });
    expect(h.warnings[0]).toMatchObject({
      field: '[0].messages[1].tool_calls[0].function.arguments',
      message: 'is not valid JSON; kept as text.',
    });
    expect(exportOpenAI(c).messages[1]).toEqual(body.messages[1]);
    // Anthropic needs an object: the text is written as is, and said
    expect(exportNotes(c, 'anthropic').map((n) => n.code)).toEqual(['input', 'metadata']);
  });

  it('writes changed arguments as JSON, and as written while they still parse to the same value', () => {
    const text = JSON.stringify({
      messages: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"x": 1}' } }],
        },
        { role: 'tool', tool_call_id: 'a', content: 'ok' },
      ],
    });
    const c = importHistory(text, 'a.json').conversations[0]!;
    expect(exportOpenAI(c).messages[0]!.tool_calls![0]!.function.arguments).toBe('{"x": 1}');
    const edited: Conversation = {
      ...c,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'f', input: { x: 2 } }] },
        c.messages[1]!,
      ],
    };
    expect(exportOpenAI(edited).messages[0]!.tool_calls![0]!.function.arguments).toBe('{"x":2}');
  });
});

describe('OpenAI errors', () => {
  const file = (messages: unknown[]) => JSON.stringify({ messages }, null, 2);

  it('a wrong role names the line and field', () => {
    const f = failure(() =>
      importHistory(
        file([
          { role: 'user', content: 'a' },
          { role: 'bot', content: 'b' },
        ]),
        'chat.json',
      ),
    );
    expect(f.code).toBe('INVALID_INPUT');
    expect(f.message).toBe(
      'chat.json, line 8: messages[1].role: must be system, developer, user, assistant or tool (got "bot")',
    );
    expect(f.details).toEqual({ file: 'chat.json', line: 8, field: 'messages[1].role' });
  });

  it('a tool message needs tool_call_id', () => {
    const f = failure(() =>
      importHistory(
        file([
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', content: 'x' },
        ]),
        'chat.json',
      ),
    );
    expect(f.message).toMatch(/^chat\.json, line 17: messages\[1\]\.tool_call_id: is required/);
    expect(f.details).toMatchObject({ line: 17, field: 'messages[1].tool_call_id' });
  });

  it('a result for no call is a warning; a tool call without id is an error', () => {
    const h = importHistory(file([{ role: 'tool', tool_call_id: 'zz', content: 'x' }]), 'chat.json');
    expect(h.warnings[0]).toMatchObject({
      line: 5,
      field: 'messages[0].tool_call_id',
      message: 'answers no earlier tool call ("zz").',
    });
    const f = failure(() =>
      importHistory(
        file([{ role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f' } }] }]),
        'chat.json',
      ),
    );
    expect(f.details).toMatchObject({ field: 'messages[0].tool_calls[0].id' });
  });

  it('Anthropic blocks in a file named OpenAI are refused with the reason', () => {
    const f = failure(() =>
      importHistory(
        file([{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x' }] }]),
        'chat.json',
        {
          format: 'openai',
        },
      ),
    );
    expect(f.message).toMatch(/"tool_result" is an Anthropic block, not an OpenAI content part/);
  });
});
