import { describe, expect, it } from 'vitest';
import { createGptTokenizer } from '../../../../src/core/tokens/gptTokenizer';
import {
  conversationStats,
  exportAnthropic,
  exportNotes,
  exportOpenAI,
  HISTORY_EXPORTERS,
  HISTORY_FORMATS,
  importHistory,
} from '../../../../src/core/history/formats';
import type { Conversation } from '../../../../src/core/history/types';

const source = { file: 'x.json', format: 'openai' as const, index: 0 };

describe('cross-provider export', () => {
  const fromOpenAI = importHistory(
    JSON.stringify({
      messages: [
        { role: 'system', content: 'Describe images.' },
        {
          role: 'user',
          name: 'ana',
          content: [
            { type: 'text', text: 'Compare these two.' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/b.png' } },
            { type: 'input_audio', input_audio: { data: 'UklGR', format: 'wav' } },
          ],
        },
        { role: 'assistant', content: 'The first is darker.', reasoning_content: 'Look at brightness.' },
      ],
    }),
    'o.json',
  ).conversations[0]!;

  it('converts images to Anthropic image blocks and notes what it cannot write', () => {
    expect(exportAnthropic(fromOpenAI)).toEqual({
      system: 'Describe images.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these two.' },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/b.png' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Look at brightness.' },
            { type: 'text', text: 'The first is darker.' },
          ],
        },
      ],
    });
    expect(exportNotes(fromOpenAI, 'anthropic').map((n) => [n.code, n.messages])).toEqual([
      ['name', [0]],
      ['detail', [0]],
      ['openai:input_audio', [0]],
      ['unsigned', [1]],
    ]);
    expect(exportNotes(fromOpenAI, 'anthropic')[2]!.message).toBe(
      'OpenAI "input_audio" content parts: Anthropic has no equivalent; not written (1 in message 1).',
    );
  });

  it('moves text written after a tool call before it for OpenAI, and says so', () => {
    const conv: Conversation = {
      id: 'c',
      source,
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 't', name: 'f', input: { a: 1 } },
            { type: 'text', text: 'Calling f.' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool_result', toolUseId: 't', content: 'ok', isError: true }] },
        { role: 'user', content: [{ type: 'text', text: 'and?' }] },
      ],
    };
    expect(exportOpenAI(conv).messages).toEqual([
      {
        role: 'assistant',
        content: 'Calling f.',
        tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      },
      { role: 'tool', tool_call_id: 't', content: 'ok' },
      { role: 'user', content: 'and?' },
    ]);
    expect(exportNotes(conv, 'openai').map((n) => n.code)).toEqual(['order', 'is_error']);
    // Anthropic: the result and the user text after it are one user message
    expect(exportAnthropic(conv).messages[1]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't', content: 'ok', is_error: true },
        { type: 'text', text: 'and?' },
      ],
    });
    expect(exportNotes(conv, 'anthropic')).toEqual([]);
  });

  it('has a registry entry per target and per import format', () => {
    expect(Object.keys(HISTORY_EXPORTERS)).toEqual(['openai', 'anthropic']);
    expect(HISTORY_EXPORTERS.anthropic.export(fromOpenAI)).toEqual(exportAnthropic(fromOpenAI));
    expect(Object.keys(HISTORY_FORMATS).sort()).toEqual([
      'anthropic',
      'jsonl',
      'openai',
      'sharegpt',
      'transcript',
    ]);
  });
});

describe('conversationStats', () => {
  it('counts the system prompt and each message’s text with the caller’s tokenizer', () => {
    const tok = createGptTokenizer();
    const count = (t: string) => tok.count(t, 'o200k_base');
    const conv: Conversation = {
      id: 'c',
      source,
      system: 'You are terse.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't', name: 'weather', input: { city: 'Oslo' } }],
        },
        { role: 'tool', content: [{ type: 'tool_result', toolUseId: 't', content: '-3°C' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'It is -3°C.' }] },
      ],
    };
    expect(conversationStats(conv, count)).toEqual({
      messages: 4,
      turns: 1,
      toolCalls: 1,
      tokens:
        count('You are terse.') +
        count('Weather in Oslo?') +
        count('weather({"city":"Oslo"})') +
        count('-3°C') +
        count('It is -3°C.'),
    });
  });
});
