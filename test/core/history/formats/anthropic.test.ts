import { describe, expect, it } from 'vitest';
import {
  exportAnthropic,
  exportNotes,
  exportOpenAI,
  importHistory,
} from '../../../../src/core/history/formats';
import { failure, readFixture } from './corpora';

/** The conversation part of a request body as written (what exportAnthropic gives back). */
const conversationPart = (rec: Record<string, unknown>) => ({
  ...(rec.system !== undefined ? { system: rec.system } : {}),
  messages: rec.messages,
});

describe('Anthropic import', () => {
  const text = readFixture('anthropic-travel-agent.json');
  const h = importHistory(text, 'travel.json');
  const conv = h.conversations[0]!;

  it('is detected and reads every block type', () => {
    expect(h.format).toBe('anthropic');
    expect(h.warnings).toEqual([]);
    expect(conv.system).toBe(
      "You are the travel assistant of Acme Travel. Answer in the traveller's language, briefly.\n\n<policy>\nNever book or cancel anything. Quote weather in the unit the traveller uses. When a tool fails, say so and offer an alternative.\n</policy>",
    );
    expect(conv.messages.map((m) => `${m.role}:${m.content.map((b) => b.type).join('+')}`)).toEqual([
      'user:opaque+text',
      'assistant:thinking+text+tool_use+tool_use',
      'tool:tool_result',
      'tool:tool_result+opaque',
      'user:text',
      'assistant:opaque+tool_use',
      'tool:tool_result',
      'assistant:text',
      'user:opaque+text',
      'assistant:text',
    ]);
  });

  it('keeps cache_control, signatures, is_error and the other blocks', () => {
    const [user, assistant, , timeResult, , second, mapResult] = conv.messages;
    expect(user!.content[1]).toEqual({
      type: 'text',
      text: 'This is my boarding pass. What will the weather be like when I land, and what time is it there now?',
      cacheControl: { type: 'ephemeral' },
    });
    expect(assistant!.content[0]).toMatchObject({
      type: 'thinking',
      signature: expect.stringMatching(/^EqQB/),
    });
    expect(assistant!.content[2]).toEqual({
      type: 'tool_use',
      id: 'toolu_01XJ7y4kB1S5pQ2cG9wVh3aA',
      name: 'get_weather',
      input: { city: 'Lisbon', unit: 'celsius' },
    });
    expect(timeResult!.content).toEqual([
      { type: 'tool_result', toolUseId: 'toolu_01Kd8sN3rT6vM1qW4eZb7cLp', content: '11:02 (WEST, UTC+1)' },
      {
        type: 'opaque',
        provider: 'anthropic',
        value: {
          type: 'image',
          source: { type: 'url', url: 'https://tiles.example.com/lisbon/12/1930/1546.png' },
        },
      },
    ]);
    expect(second!.content[0]).toMatchObject({ type: 'opaque', value: { type: 'redacted_thinking' } });
    expect(second!.content[1]).toMatchObject({ cacheControl: { type: 'ephemeral' } });
    expect(mapResult!.content[0]).toEqual({
      type: 'tool_result',
      toolUseId: 'toolu_01PqR8uV2wX5yZ7aB3cD9eFg',
      content: 'Map service unavailable (HTTP 503)',
      isError: true,
      cacheControl: { type: 'ephemeral' },
    });
  });

  it('keeps the request fields as metadata', () => {
    expect(conv.metadata).toMatchObject({
      model: 'claude-sonnet-4-5',
      max_tokens: 2048,
      thinking: { type: 'enabled' },
    });
    expect((conv.metadata!.tools as unknown[]).length).toBe(3);
  });

  it('round-trips the fixtures exactly', () => {
    expect(exportAnthropic(conv)).toEqual(conversationPart(JSON.parse(text) as Record<string, unknown>));
    const many = readFixture('anthropic-conversations.json');
    const hm = importHistory(many, 'support.json');
    expect(hm.format).toBe('anthropic');
    expect(hm.conversations.map((c) => c.id)).toEqual(['support-0042', 'support-0043']);
    const raw = JSON.parse(many) as Record<string, unknown>[];
    hm.conversations.forEach((c, i) => expect(exportAnthropic(c)).toEqual(conversationPart(raw[i]!)));
  });

  it('splits results out of user messages in order and merges them back', () => {
    const conv2 = importHistory(readFixture('anthropic-conversations.json'), 'support.json')
      .conversations[0]!;
    expect(conv2.messages.slice(3).map((m) => m.role)).toEqual(['assistant', 'tool', 'tool', 'assistant']);
    expect(conv2.messages[4]!.content[0]).toEqual({
      type: 'tool_result',
      toolUseId: 'toolu_01Cd',
      content: 'refunded',
    });
    expect(conv2.messages[5]!.content[0]).toEqual({
      type: 'tool_result',
      toolUseId: 'toolu_01Ef',
      content: '',
    });
    expect(conv2.messages[2]!.content[0]).toMatchObject({ isError: false });
  });

  it('reads the non-canonical spellings to the same model (text blocks for strings, block lists in results)', () => {
    const a = importHistory(
      JSON.stringify({
        system: [{ type: 'text', text: 'Be brief.' }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'ok' }] }],
          },
        ],
      }),
      'a.json',
    ).conversations[0]!;
    expect(exportAnthropic(a)).toEqual({
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
      ],
    });
    const again = importHistory(JSON.stringify(exportAnthropic(a)), 'b.json').conversations[0]!;
    expect(again.messages).toEqual(a.messages);
  });

  it('writes a changed system prompt as one block that keeps the cache marker, and says so', () => {
    const changed = { ...conv, system: 'Shorter policy.' };
    expect(exportAnthropic(changed).system).toEqual([
      { type: 'text', text: 'Shorter policy.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect(exportNotes(changed, 'anthropic').map((n) => n.code)).toContain('system');
  });

  it('says what OpenAI cannot hold instead of dropping it silently', () => {
    const notes = exportNotes(conv, 'openai');
    expect(notes.map((n) => n.code).sort()).toEqual(
      [
        'anthropic:document',
        'anthropic:redacted_thinking',
        'cache_control',
        'is_error',
        'metadata',
        'thinking',
        'tool_result_blocks',
      ].sort(),
    );
    const thinking = notes.find((n) => n.code === 'thinking')!;
    expect(thinking.messages).toEqual([1]);
    expect(thinking.message).toMatch(/thinking blocks: .*not written \(1 in message 2\)\./);
    // the boarding-pass image converts: OpenAI has images
    const out = exportOpenAI(conv);
    expect(out.messages[1]).toEqual({
      role: 'user',
      content: [
        {
          type: 'image_url',
          image_url: { url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) },
        },
        { type: 'text', text: expect.stringContaining('boarding pass') },
      ],
    });
  });
});

describe('Anthropic errors', () => {
  const one = (messages: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ system: 'S', ...extra, messages }, null, 2);

  it('names the line and field of a wrong role', () => {
    const f = failure(() =>
      importHistory(
        one([
          { role: 'user', content: 'a' },
          { role: 'tool', content: 'b' },
        ]),
        'c.json',
        {
          format: 'anthropic',
        },
      ),
    );
    expect(f.code).toBe('INVALID_INPUT');
    expect(f.message).toMatch(
      /^c\.json, line 9: messages\[1\]\.role: must be user or assistant \(got "tool"\)/,
    );
    expect(f.details).toEqual({ file: 'c.json', line: 9, field: 'messages[1].role' });
  });

  it('refuses a tool_result without tool_use_id and tool_use in a user message', () => {
    const noId = failure(() =>
      importHistory(one([{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }]), 'c.json'),
    );
    expect(noId.details).toMatchObject({ field: 'messages[0].content[0].tool_use_id' });
    expect(noId.message).toMatch(/is required/);
    const misplaced = failure(() =>
      importHistory(
        one([{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'f', input: {} }] }]),
        'c.json',
      ),
    );
    expect(misplaced.message).toMatch(/tool_use blocks belong in assistant messages/);
  });

  it('warns about fields it has no place for, once per field', () => {
    const h = importHistory(
      one([
        { role: 'user', content: [{ type: 'text', text: 'a', citations: [{ cited_text: 'x' }] }] },
        { role: 'assistant', content: 'b', stop_reason: 'end_turn' },
        { role: 'assistant', content: 'c', stop_reason: 'end_turn' },
      ]),
      'w.json',
    );
    expect(h.warnings.map((w) => [w.line, w.field, w.message])).toEqual([
      [
        10,
        'messages[0].content[0].citations',
        '"citations" has no place in a conversation and was not imported.',
      ],
      [
        21,
        'messages[1].stop_reason',
        '"stop_reason" has no place in a conversation and was not imported (on 2 messages or blocks).',
      ],
    ]);
  });
});
