import { describe, expect, it } from 'vitest';
import { exportOpenAI, importHistory } from '../../../../src/core/history/formats';
import { failure, readCorpus, readFixture, TAU_FILE, type TauTrajectory } from './corpora';

describe('JSON Lines', () => {
  it('reads a message per line as one conversation', () => {
    const text = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
    ]
      .map((m) => JSON.stringify(m))
      .join('\n');
    const h = importHistory(`${text}\n`, 'chat.jsonl');
    expect(h.format).toBe('jsonl');
    expect(h.conversations).toHaveLength(1);
    const c = h.conversations[0]!;
    expect(c.system).toBe('Be brief.');
    expect(c.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(c.source).toEqual({ file: 'chat.jsonl', format: 'jsonl', index: 0, line: 1 });
  });

  it('reads Anthropic messages one per line, splitting tool results', () => {
    const text = [
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 't1', name: 'weather', input: { city: 'Oslo' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: '-3°C' }] },
    ]
      .map((m) => JSON.stringify(m))
      .join('\n');
    const c = importHistory(text, 'a.jsonl').conversations[0]!;
    expect(c.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
  });

  it('a bad message names its line (and the field inside it)', () => {
    const text = [
      '{"role": "user", "content": "a"}',
      '{"role": "assistant", "content": "b"}',
      '{"role": "narrator", "content": "c"}',
    ].join('\n');
    const f = failure(() => importHistory(text, 'chat.jsonl'));
    expect(f.message).toBe(
      'chat.jsonl, line 3: role: must be system, developer, user, assistant or tool (got "narrator")',
    );
    expect(f.details).toEqual({ file: 'chat.jsonl', line: 3, field: 'role' });
  });

  it('a field inside a conversation line is named from the line’s record', () => {
    const text = [
      JSON.stringify({ messages: [{ role: 'user', content: 'a' }] }),
      JSON.stringify({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
          { role: 'user', content: 'c' },
          { role: 'x', content: 'd' },
        ],
      }),
    ].join('\n');
    const f = failure(() => importHistory(text, 'chat.jsonl'));
    expect(f.message).toMatch(/^chat\.jsonl, line 2: messages\[3\]\.role: /);
  });

  it('refuses a conversation among single messages', () => {
    const text = ['{"role": "user", "content": "a"}', '{"messages": []}'].join('\n');
    const f = failure(() => importHistory(text, 'chat.jsonl'));
    expect(f.code).toBe('INVALID_INPUT');
    expect(f.details).toMatchObject({ line: 2 });
    expect(f.message).toMatch(/line 1 began a file of one message per line/);
  });

  it('malformed JSON is a PARSE_ERROR with line and column', () => {
    const text = ['{"messages": []}', '', '{"messages": [{"role": "user", "content": "a"},]}'].join('\n');
    const f = failure(() => importHistory(text, 'chat.jsonl'));
    expect(f.code).toBe('PARSE_ERROR');
    expect(f.details).toEqual({ file: 'chat.jsonl', line: 3, column: 48 });
  });

  it('reads Anthropic conversations on lines and keeps ids', () => {
    const list = JSON.parse(readFixture('anthropic-conversations.json')) as unknown[];
    const h = importHistory(list.map((r) => JSON.stringify(r)).join('\n'), 'support.jsonl');
    expect(h.conversations.map((c) => c.id)).toEqual(['support-0042', 'support-0043']);
    expect(h.conversations[0]!.messages.filter((m) => m.role === 'tool')).toHaveLength(3);
  });

  it('reads 5 MB of tau-bench trajectories written one per line', () => {
    const raw = JSON.parse(readCorpus(TAU_FILE)) as TauTrajectory[];
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 5_000_000; i++) {
      const t = raw[i % raw.length]!;
      const line = JSON.stringify({ ...t, task_id: `${t.task_id}.${Math.floor(i / raw.length)}` });
      lines.push(line);
      size += line.length + 1;
    }
    const h = importHistory(lines.join('\n'), 'big.jsonl');
    expect(h.conversations).toHaveLength(lines.length);
    expect(h.conversations[lines.length - 1]!.source.line).toBe(lines.length);
    const last = raw[(lines.length - 1) % raw.length]!;
    expect(exportOpenAI(h.conversations[lines.length - 1]!).messages).toEqual(last.traj);
  });

  it('caps the warnings of a big file, with a count of the rest', () => {
    const text = Array.from({ length: 500 }, (_, i) =>
      JSON.stringify({ role: 'tool', tool_call_id: `c${i}`, content: 'x' }),
    ).join('\n');
    const h = importHistory(text, 'tools.jsonl');
    expect(h.warnings).toHaveLength(201);
    expect(h.warnings[0]).toEqual({
      file: 'tools.jsonl',
      line: 1,
      field: 'tool_call_id',
      message: 'answers no earlier tool call ("c0").',
    });
    expect(h.warnings[200]).toEqual({ file: 'tools.jsonl', message: '300 more warnings were not listed.' });
  });
});
