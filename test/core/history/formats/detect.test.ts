import { describe, expect, it } from 'vitest';
import { detectHistoryFormat, importHistory } from '../../../../src/core/history/formats';
import { failure, readFixture } from './corpora';

describe('format detection', () => {
  const openai = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] });
  const anthropic = JSON.stringify({ system: 'S', messages: [{ role: 'user', content: 'hi' }] });

  it('goes by extension, then by content', () => {
    expect(detectHistoryFormat(openai, 'a.json')).toBe('openai');
    expect(detectHistoryFormat(anthropic, 'a.json')).toBe('anthropic');
    expect(detectHistoryFormat(readFixture('anthropic-travel-agent.json'), 'x')).toBe('anthropic');
    expect(detectHistoryFormat(readFixture('sharegpt-tools.json'), 'x.json')).toBe('sharegpt');
    expect(detectHistoryFormat(`${openai}\n${openai}\n`, 'a.jsonl')).toBe('jsonl');
    expect(detectHistoryFormat(`${openai}\n${openai}\n`, 'a.json')).toBe('jsonl');
    expect(detectHistoryFormat(`${openai}\n${openai}\n`, 'export')).toBe('jsonl');
    expect(detectHistoryFormat('User: hi\nAssistant: hello', 'chat.txt')).toBe('transcript');
    expect(detectHistoryFormat('User: hi\nAssistant: hello', 'chat')).toBe('transcript');
    expect(detectHistoryFormat('\uFEFF[{"role": "user", "content": "hi"}]', 'a.json')).toBe('openai');
  });

  it('reads plain user/assistant text as OpenAI unless told otherwise', () => {
    expect(importHistory(openai, 'a.json').format).toBe('openai');
    const forced = importHistory(openai, 'a.json', { format: 'anthropic' });
    expect(forced.format).toBe('anthropic');
    expect(forced.conversations[0]!.source.format).toBe('anthropic');
  });

  it('malformed JSON is a PARSE_ERROR with line and column', () => {
    const f = failure(() =>
      importHistory('{\n  "messages": [\n    {"role": "user" "content": "hi"}\n  ]\n}', 'chat.json'),
    );
    expect(f.code).toBe('PARSE_ERROR');
    expect(f.details).toEqual({ file: 'chat.json', line: 3, column: 21 });
    expect(f.message).toMatch(/^chat\.json is not valid JSON \(line 3, column 21\)/);
  });

  it('an empty file, a binary file and unknown text are refused with their own codes', () => {
    expect(failure(() => importHistory('  \n\n', 'empty.json'))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { file: 'empty.json' },
    });
    const png = '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\b\x06\0\0\0\x1f\x15\xc4\x89';
    expect(failure(() => importHistory(png, 'photo.json')).code).toBe('BINARY_FILE');
    const noisy = Array.from({ length: 400 }, (_, i) =>
      String.fromCharCode(i % 31 === 9 ? 1 : (i % 26) + 1),
    ).join('');
    expect(failure(() => importHistory(noisy, 'x')).code).toBe('BINARY_FILE');
    expect(failure(() => importHistory('hello world', 'notes')).code).toBe('UNSUPPORTED');
    expect(failure(() => importHistory('[]', 'a.json')).message).toBe('a.json: holds no conversations.');
    expect(failure(() => importHistory('"text"', 'a.json')).code).toBe('INVALID_INPUT');
  });

  it('a list element that is no conversation is named', () => {
    const f = failure(() => importHistory(JSON.stringify([{ messages: [] }, { foo: 1 }], null, 2), 'a.json'));
    expect(f.message).toBe(
      'a.json, line 5: [1]: is not a conversation: expected "messages", "conversations", "history" or "traj"',
    );
  });

  it('gives duplicate ids a suffix and says so', () => {
    const rec = { id: 'x', messages: [{ role: 'user', content: 'a' }] };
    const h = importHistory(JSON.stringify([rec, rec, { ...rec, id: 'x#2' }], null, 2), 'd.json');
    expect(h.conversations.map((c) => c.id)).toEqual(['x', 'x#3', 'x#2']);
    expect(h.warnings[0]!.message).toBe('the id "x" is used more than once; this conversation is "x#3".');
  });
});
