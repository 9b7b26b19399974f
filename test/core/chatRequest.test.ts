import { get_encoding } from 'tiktoken';
import { describe, expect, it } from 'vitest';
import { countOpenAiChatRequest, parseOpenAiChatRequest } from '../../src/core/tokens/chatRequest';
import type { AppError } from '../../src/core/errors';
import { COOKBOOK_MESSAGES } from '../support/fixtures';

const cl100k = get_encoding('cl100k_base');
const o200k = get_encoding('o200k_base');

const cookbook = COOKBOOK_MESSAGES;

describe('OpenAI chat request counting', () => {
  it('matches the cookbook example: 129 prompt tokens on cl100k_base (gpt-3.5-turbo / gpt-4)', () => {
    const r = countOpenAiChatRequest(
      parseOpenAiChatRequest(cookbook),
      (t) => cl100k.encode(t, [], []).length,
    );
    expect(r.tokens).toBe(129);
    expect(r.method).toBe('exact');
    expect(r.parts.overhead).toBe(6 * 3 + 4 + 3);
  });

  it('matches the cookbook example on o200k_base (gpt-4o family): 124 prompt tokens', () => {
    const r = countOpenAiChatRequest(
      parseOpenAiChatRequest({ messages: cookbook }),
      (t) => o200k.encode(t, [], []).length,
    );
    expect(r.tokens).toBe(124);
  });

  it('counts content parts and labels images and tool calls as estimates', () => {
    const r = countOpenAiChatRequest(
      parseOpenAiChatRequest([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: 'https://x/y.png' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"ok":true}' },
      ]),
      (t) => o200k.encode(t, [], []).length,
    );
    expect(r.method).toBe('estimate');
    expect(r.notes.join(' ')).toContain('image_url');
    expect(r.messageCount).toBe(3);
  });

  it('adds tool definitions with the cookbook approximation', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the weather.',
          parameters: {
            type: 'object',
            properties: {
              city: { type: 'string', description: 'City name.' },
              unit: { type: 'string', description: 'Unit', enum: ['c', 'f'] },
            },
          },
        },
      },
    ];
    const count = (t: string) => o200k.encode(t, [], []).length;
    const r = countOpenAiChatRequest(
      parseOpenAiChatRequest({ messages: [{ role: 'user', content: 'hi' }], tools }),
      count,
    );
    const expectedTools =
      7 +
      count('get_weather:Get the weather') +
      3 +
      3 +
      count('city:string:City name') +
      3 -
      3 +
      (3 + count('c')) +
      (3 + count('f')) +
      count('unit:string:Unit') +
      12;
    expect(r.parts.tools).toBe(expectedTools);
    expect(r.method).toBe('estimate');
  });

  it.each([
    [{ messages: [] }, 'messages'],
    [{ messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    [[{ role: 'user', content: 42 }], 'messages[0].content'],
    ['not json at all', '(root)'],
  ])('rejects an invalid request naming the field (%#)', (input, field) => {
    try {
      parseOpenAiChatRequest(input);
      throw new Error('expected INVALID_INPUT');
    } catch (err) {
      expect((err as AppError).code).toBe('INVALID_INPUT');
      expect((err as AppError).message).toContain(field);
    }
  });
});
