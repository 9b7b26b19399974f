import { describe, expect, it } from 'vitest';
import { exportOpenAI, importHistory } from '../../../../src/core/history/formats';
import { failure, readFixture } from './corpora';

describe('plain transcripts', () => {
  it('reads labelled, multi-line turns and conversations split by ---', () => {
    const h = importHistory(readFixture('transcript.txt'), 'support.txt');
    expect(h.format).toBe('transcript');
    expect(h.warnings).toEqual([]);
    const [a, b] = h.conversations;
    expect(a!.title).toBe('Refund request');
    expect(a!.system).toBe('You are a support agent for Ledgerly.');
    expect(a!.source).toEqual({ file: 'support.txt', format: 'transcript', index: 0, line: 2 });
    expect(exportOpenAI(a!).messages).toEqual([
      { role: 'system', content: 'You are a support agent for Ledgerly.' },
      { role: 'user', content: 'Hi, I was charged twice.' },
      {
        role: 'assistant',
        content:
          'Sorry about that! Could you tell me the date of the charges?\n\nI can look them up once I have it.',
      },
      { role: 'user', content: 'March 1st.' },
      {
        role: 'assistant',
        content: 'Thanks. I see two charges of $29 on 1 March; I have refunded the second one.',
      },
    ]);
    expect(b!.id).toBe('conversation-2');
    expect(b!.source.line).toBe(12);
    expect(exportOpenAI(b!).messages).toEqual([
      { role: 'user', content: 'Can I export invoices as CSV?' },
      { role: 'assistant', content: 'Yes:\n1. Open Invoices.\n2. Choose Export → CSV.' },
    ]);
  });

  it('reads Q:/A: files, and keeps Q:/A: lines as text when there are real labels', () => {
    const qa = importHistory('Q: 2+2?\nA: 4\nQ: and 3+3?\nA: 6\n', 'quiz.txt').conversations[0]!;
    expect(qa.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    const mixed = importHistory(
      'User: Format?\nAssistant: Like this:\nQ: a question\nA: an answer\n',
      'x.txt',
    );
    expect(mixed.conversations[0]!.messages).toHaveLength(2);
  });

  it('warns about text before the first label and a late system turn', () => {
    const h = importHistory(
      'Exported from somewhere\nUser: hi\nAssistant: hello\nSystem: be nice\n',
      'x.txt',
    );
    expect(h.warnings).toEqual([
      { file: 'x.txt', line: 1, message: 'text before the first role label was not imported.' },
      {
        file: 'x.txt',
        line: 4,
        field: 'System',
        message: 'a system turn after the conversation started was moved into the system prompt.',
      },
    ]);
    expect(h.conversations[0]!.system).toBe('be nice');
  });

  it('a --- inside an answer stays in the answer', () => {
    const c = importHistory('User: rule?\nAssistant: above\n---\nbelow\nUser: ok\n', 'x.txt').conversations;
    expect(c).toHaveLength(1);
    expect(exportOpenAI(c[0]!).messages[1]!.content).toBe('above\n---\nbelow');
  });

  it('text without any label is refused', () => {
    const f = failure(() => importHistory('just some notes\nabout nothing\n', 'notes.txt'));
    expect(f.code).toBe('INVALID_INPUT');
    expect(f.details).toEqual({ file: 'notes.txt', line: 1 });
  });
});
