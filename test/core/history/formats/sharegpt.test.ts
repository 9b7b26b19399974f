import { describe, expect, it } from 'vitest';
import { exportAnthropic, exportOpenAI, importHistory } from '../../../../src/core/history/formats';
import { failure, MTBENCH_FILE, readCorpus, readFixture } from './corpora';

describe('ShareGPT', () => {
  const h = importHistory(readFixture('sharegpt-tools.json'), 'glaive.json');

  it('reads turns, tool calls and observations, and keeps the id and tools', () => {
    expect(h.format).toBe('sharegpt');
    expect(h.warnings).toEqual([]);
    const [a, b] = h.conversations;
    expect(a!.id).toBe('glaive-1187');
    expect(a!.system).toBe('You are a helpful assistant with access to functions.');
    expect(a!.metadata).toEqual({ tools: expect.stringContaining('convert_currency') });
    expect(a!.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'How much is 250 euros in yen?' }] },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool_use',
            id: 'call_1',
            name: 'convert_currency',
            input: { amount: 250, from: 'EUR', to: 'JPY' },
          },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool_result',
            toolUseId: 'call_1',
            content: '{"converted_amount": 40612.5, "rate": 162.45}',
          },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'text', text: "250 euros is about 40,613 yen at today's rate of 162.45." }],
      },
    ]);
    expect(b!.id).toBe('2');
    expect(b!.system).toBe('Answer like a pirate.');
    expect(b!.source).toEqual({ file: 'glaive.json', format: 'sharegpt', index: 1, line: 13 });
  });

  it('exports to both providers with the call and its result paired', () => {
    const c = h.conversations[0]!;
    expect(exportOpenAI(c).messages.slice(2, 4)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'convert_currency', arguments: '{"amount":250,"from":"EUR","to":"JPY"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"converted_amount": 40612.5, "rate": 162.45}' },
    ]);
    expect(exportAnthropic(c).messages[2]).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'call_1',
          content: '{"converted_amount": 40612.5, "rate": 162.45}',
        },
      ],
    });
  });

  it('reads JSON Lines of ShareGPT records', () => {
    const jsonl = (JSON.parse(readFixture('sharegpt-tools.json')) as unknown[])
      .map((r) => JSON.stringify(r))
      .join('\n');
    const j = importHistory(jsonl, 'glaive.jsonl');
    expect(j.format).toBe('jsonl');
    expect(j.conversations.map((c) => [c.id, c.source.line, c.messages.length])).toEqual([
      ['glaive-1187', 1, 4],
      ['2', 2, 2],
    ]);
  });

  it('names the line and field of an unknown speaker', () => {
    const f = failure(() =>
      importHistory(
        JSON.stringify(
          {
            conversations: [
              { from: 'human', value: 'hi' },
              { from: 'robot', value: 'beep' },
            ],
          },
          null,
          2,
        ),
        's.json',
      ),
    );
    expect(f.message).toBe(
      's.json, line 8: conversations[1].from: must be human, gpt, system, function_call or observation (got "robot")',
    );
  });

  it('keeps a function_call that is not JSON as assistant text, with a warning', () => {
    const j = importHistory(
      JSON.stringify({
        conversations: [
          { from: 'human', value: 'x' },
          { from: 'function_call', value: 'search(x)' },
        ],
      }),
      's.json',
    );
    expect(j.conversations[0]!.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'search(x)' }],
    });
    expect(j.warnings[0]).toMatchObject({ field: 'conversations[1].value' });
  });
});

describe('MT-Bench-101 pairs (JSON Lines)', () => {
  const text = readCorpus(MTBENCH_FILE);
  const h = importHistory(text, 'mtbench101.jsonl');
  const lines = text.split('\n').filter((l) => l.trim() !== '');

  it('reads all 1,388 dialogues as user/assistant pairs with their task', () => {
    expect(h.format).toBe('jsonl');
    expect(h.warnings).toEqual([]);
    expect(h.conversations).toHaveLength(1388);
    h.conversations.forEach((c, i) => {
      const rec = JSON.parse(lines[i]!) as {
        id: number;
        task: string;
        history: { user: string; bot: string }[];
      };
      expect(c.id).toBe(String(rec.id));
      expect(c.metadata).toEqual({ task: rec.task });
      expect(c.source.line).toBe(i + 1);
      expect(c.messages.map((m) => m.content[0]!.type === 'text' && m.content[0]!.text)).toEqual(
        rec.history.flatMap((p) => [p.user, p.bot]),
      );
    });
    expect(h.conversations[0]!.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
  });

  it('exports a dialogue to both providers', () => {
    const c = h.conversations[0]!;
    expect(exportOpenAI(c).messages[0]).toEqual({
      role: 'user',
      content:
        'Now there are three people A, B and C. I currently know that A is taller than B and B is taller than C. Who is the tallest currently?',
    });
    expect(exportAnthropic(c).messages).toHaveLength(6);
  });

  it('reads the same records in a JSON list, as ShareGPT kin', () => {
    const list = `[${lines.slice(0, 3).join(',\n')}]`;
    const j = importHistory(list, 'mt.json');
    expect(j.format).toBe('sharegpt');
    expect(j.conversations.map((c) => [c.id, c.source.line])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 3],
    ]);
  });

  it('a pair without its user message names the line and field', () => {
    const bad = [lines[0], lines[1]!.replace('"user": "', '"usr": "')].join('\n');
    const f = failure(() => importHistory(bad, 'mt.jsonl'));
    expect(f.message).toMatch(/^mt\.jsonl, line 2: history\[0\]\.user: is required/);
    expect(f.details).toEqual({ file: 'mt.jsonl', line: 2, field: 'history[0].user' });
  });
});
