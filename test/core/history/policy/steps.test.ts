import { describe, expect, it } from 'vitest';
import {
  applyPolicySync,
  countRequest,
  parsePolicy,
  truncateMiddle,
  validateRequest,
  type PolicyResult,
  type RequestProvider,
} from '../../../../src/core/history/policy';
import type { HistoryMessage } from '../../../../src/core/history/types';
import { assistant, call, charCounter, o200kCounter, result, texts, user } from './helpers';
import { importedConversations } from './tauBench';

/** Applies a policy of `steps` with the character counter (a test can count by hand). */
function apply(
  steps: unknown[],
  messages: HistoryMessage[],
  provider: RequestProvider = 'openai',
  system?: string,
  toolTokens = 0,
): PolicyResult {
  const counter = charCounter();
  const r = applyPolicySync(
    parsePolicy({ version: 1, steps }),
    { system, messages },
    { provider, counter, toolTokens },
  );
  expect(r.tokens).toBe(countRequest(counter, r, toolTokens));
  expect(validateRequest(r.messages, provider)).toEqual([]);
  return r;
}

const t = (c: string) => c.repeat(10);
// character "tokens": a user message is 3 + 4 + 10 = 17, an assistant message 3 + 9 + 10 = 22, priming 3
const five = [user(t('1')), assistant(t('2')), user(t('3')), assistant(t('4')), user(t('5'))];

describe('tokenBudget', () => {
  it.each([
    [98, 'openai', 5, 98],
    [97, 'openai', 4, 81],
    [97, 'anthropic', 3, 59],
    [59, 'openai', 3, 59],
    [58, 'openai', 2, 42],
    [58, 'anthropic', 1, 20],
  ] as Array<[number, RequestProvider, number, number]>)(
    'with %i tokens on %s keeps the longest window that fits (%i messages, %i tokens)',
    (maxTokens, provider, kept, tokens) => {
      const r = apply([{ type: 'tokenBudget', maxTokens }], five, provider);
      expect(r.messages).toHaveLength(kept);
      expect(r.messages).toEqual(five.slice(5 - kept));
      expect(r.tokens).toBe(tokens);
      expect(r.overBudget).toBe(false);
    },
  );

  it('keeps the smallest valid request and says so when nothing fits', () => {
    const r = apply([{ type: 'tokenBudget', maxTokens: 10 }], five);
    expect(texts(r.messages)).toEqual([t('5')]);
    expect(r.overBudget).toBe(true);
    expect(r.tokens).toBe(20);
  });

  it('counts the system prompt and the tool definitions in the budget', () => {
    // system message: 3 + 6 + 10 = 19; tools: 21
    const r = apply(
      [{ type: 'tokenBudget', maxTokens: 3 + 19 + 21 + 17 + 22 + 17 }],
      five,
      'openai',
      t('s'),
      21,
    );
    expect(r.messages).toEqual(five.slice(2));
    expect(r.tokens).toBe(99);
  });

  it('never cuts a tool call from its result: the window starts after the whole unit', () => {
    const ms = [user(t('1')), call('c1'), result('c1', t('r')), assistant(t('4')), user(t('5'))];
    // [result, a, u] would fit, but a result cannot start a request
    const resultTokens = 3 + 4 + 10 + 2;
    const r = apply([{ type: 'tokenBudget', maxTokens: 3 + resultTokens + 22 + 17 }], ms);
    expect(texts(r.messages)).toEqual([t('4'), t('5')]);
  });

  it('keeps the first user message; Anthropic gets it merged with the next user message', () => {
    // pinned u1 + u3 as one Anthropic message: 3 + 4 + 10 + 10 = 27, plus priming
    const a = apply([{ type: 'tokenBudget', maxTokens: 30, keepFirstUser: true }], five, 'anthropic');
    expect(texts(a.messages)).toEqual([`${t('1')}|${t('5')}`]);
    expect(a.tokens).toBe(30);
    // merged by the step itself, so its own figure is the request's
    expect(a.steps[0]!.tokensAfter).toBe(30);
    expect(a.repairs.merged).toBe(0);
    // OpenAI sends them as two messages: 37 tokens, over the budget
    const o = apply([{ type: 'tokenBudget', maxTokens: 30, keepFirstUser: true }], five, 'openai');
    expect(texts(o.messages)).toEqual([t('1'), t('5')]);
    expect(o).toMatchObject({ tokens: 37, overBudget: true });
    // with room, the pinned message comes before a window that starts with the assistant
    const w = apply(
      [{ type: 'tokenBudget', maxTokens: 3 + 17 + 22 + 17, keepFirstUser: true }],
      five,
      'anthropic',
    );
    expect(texts(w.messages)).toEqual([t('1'), t('4'), t('5')]);
  });

  it('on real conversations: fits, and one more unit would not', () => {
    const counter = o200kCounter();
    for (const convo of importedConversations().slice(0, 30)) {
      for (const maxTokens of [5000, 6500, 9000]) {
        const policy = parsePolicy({ version: 1, steps: [{ type: 'tokenBudget', maxTokens }] });
        const r = applyPolicySync(policy, convo, { provider: 'openai', counter });
        expect(r.tokens).toBe(countRequest(counter, r));
        if (r.overBudget) continue;
        expect(r.tokens).toBeLessThanOrEqual(maxTokens);
        const start = convo.messages.length - r.messages.length;
        if (start === 0) continue;
        // the next longer valid window is over the budget
        let c = start - 1;
        while (c > 0 && convo.messages[c]!.role === 'tool') c--;
        expect(
          countRequest(counter, { system: convo.system, messages: convo.messages.slice(c) }),
        ).toBeGreaterThan(maxTokens);
      }
    }
  });
});

describe('lastN', () => {
  const ms = [
    user('u0'),
    assistant('a1'),
    user('u2'),
    call('c3'),
    result('c3', 'r'),
    assistant('a5'),
    user('u6'),
  ];

  it('keeps at most N messages, moving the cut off a tool result', () => {
    expect(texts(apply([{ type: 'lastN', messages: 3 }], ms).messages)).toEqual(['a5', 'u6']);
    expect(texts(apply([{ type: 'lastN', messages: 4 }], ms).messages)).toEqual([
      'call:c3',
      'result:c3:r',
      'a5',
      'u6',
    ]);
    // Anthropic starts at a user message
    expect(texts(apply([{ type: 'lastN', messages: 3 }], ms, 'anthropic').messages)).toEqual(['u6']);
    expect(apply([{ type: 'lastN', messages: 30 }], ms).messages).toEqual(ms);
  });

  it('keeps the last N turns (a turn starts at a user message)', () => {
    expect(texts(apply([{ type: 'lastN', turns: 2 }], ms).messages)).toEqual([
      'u2',
      'call:c3',
      'result:c3:r',
      'a5',
      'u6',
    ]);
    expect(apply([{ type: 'lastN', turns: 5 }], ms).messages).toEqual(ms);
  });

  it('keeps the first user message when asked', () => {
    expect(texts(apply([{ type: 'lastN', turns: 1, keepFirstUser: true }], ms).messages)).toEqual([
      'u0',
      'u6',
    ]);
    expect(
      texts(apply([{ type: 'lastN', turns: 1, keepFirstUser: true }], ms, 'anthropic').messages),
    ).toEqual(['u0|u6']);
    expect(
      texts(apply([{ type: 'lastN', messages: 2, keepFirstUser: true }], ms, 'anthropic').messages),
    ).toEqual(['u0', 'a5', 'u6']);
  });
});

describe('dropRepeats', () => {
  const long = 'Please check reservation ABC123 for me, I need the details again.';

  it('drops a long message that repeats an earlier one, never a short one or the last', () => {
    const ms = [
      user(long),
      assistant('x'),
      user(long),
      assistant('y'),
      user('yes'),
      assistant('z'),
      user('yes'),
      assistant('w'),
      user(long),
    ];
    const o = apply([{ type: 'dropRepeats' }], ms);
    expect(texts(o.messages)).toEqual([long, 'x', 'y', 'yes', 'z', 'yes', 'w', long]);
    // Anthropic: the two assistant messages the drop brought together become one
    const a = apply([{ type: 'dropRepeats' }], ms, 'anthropic');
    expect(texts(a.messages)).toEqual([long, 'x|y', 'yes', 'z', 'yes', 'w', long]);
    // with minTokens 0 the second "yes" goes too
    expect(texts(apply([{ type: 'dropRepeats', minTokens: 0 }], ms).messages)).toEqual([
      long,
      'x',
      'y',
      'yes',
      'z',
      'w',
      long,
    ]);
  });

  it('drops a repeated tool call with its result (ids aside), and replaces a repeated result', () => {
    const r = 'R'.repeat(60);
    const ms = [
      user('u'),
      call('c1', 'get', { id: 1 }),
      result('c1', r),
      assistant('a'),
      user('again'),
      call('c2', 'get', { id: 1 }),
      result('c2', r),
      call('c3', 'get', { id: 2 }),
      result('c3', r),
      assistant('b'),
      user('v'),
    ];
    const out = apply([{ type: 'dropRepeats' }], ms);
    expect(texts(out.messages)).toEqual([
      'u',
      'call:c1',
      `result:c1:${r}`,
      'a',
      'again',
      'call:c3',
      'result:c3:[identical to an earlier get result]',
      'b',
      'v',
    ]);
  });
});

describe('toolResults', () => {
  it('truncates a long result to its head and tail around a marker', () => {
    const body = 'A'.repeat(50) + 'B'.repeat(50);
    const ms = [user('u'), call('c1'), result('c1', body), user('v')];
    const r = apply([{ type: 'toolResults', truncate: { maxTokens: 20 } }], ms);
    expect(texts(r.messages)[2]).toBe(
      `result:c1:${'A'.repeat(10)}\n[… 80 tokens truncated …]\n${'B'.repeat(10)}`,
    );
    // the same truncation on the next turn, with the same counter, is the same object (a stable prefix
    // for the prompt cache)
    const policy = parsePolicy({ version: 1, steps: [{ type: 'toolResults', truncate: { maxTokens: 20 } }] });
    const counter = charCounter();
    const first = applyPolicySync(policy, { messages: ms }, { provider: 'openai', counter });
    const again = applyPolicySync(policy, { messages: [...ms, call('c2')] }, { provider: 'openai', counter });
    expect(again.messages[2]).toBe(first.messages[2]);
  });

  it('truncates real results with o200k_base: head and tail within budget, ends kept', () => {
    const count = o200kCounter().text;
    const results = importedConversations()
      .flatMap((c) => c.messages)
      .flatMap((m) => m.content)
      .filter((b) => b.type === 'tool_result')
      .map((b) => (b.type === 'tool_result' ? b.content : ''))
      .filter((s) => count(s) > 300)
      .slice(0, 40);
    expect(results.length).toBe(40);
    for (const text of results) {
      const marker = '\n[…]\n';
      const cut = truncateMiddle(text, 200, marker, count);
      const [head, tail] = cut.split(marker) as [string, string];
      expect(text.startsWith(head)).toBe(true);
      expect(text.endsWith(tail)).toBe(true);
      expect(count(head)).toBeLessThanOrEqual(100);
      expect(count(tail)).toBeLessThanOrEqual(100);
      // as long as possible: one more character would not fit
      expect(count(text.slice(0, head.length + 1))).toBeGreaterThan(100);
    }
  });

  it('clears the results of all but the last K tool uses, excluded tools aside', () => {
    const big = (s: string) => s.repeat(80);
    const ms = [
      user('u'),
      call('c1', 'search'),
      result('c1', big('1')),
      call('c2', 'policy'),
      result('c2', big('2')),
      call('c3', 'search'),
      result('c3', big('3')),
      call('c4', 'search'),
      result('c4', 'ok'),
      user('v'),
    ];
    const cleared = '[tool result cleared to save context]';
    const r = apply([{ type: 'toolResults', clear: { keep: 1 } }], ms);
    expect(texts(r.messages).filter((x) => x.startsWith('result'))).toEqual([
      `result:c1:${cleared}`,
      `result:c2:${cleared}`,
      `result:c3:${cleared}`,
      // kept: the last tool use
      'result:c4:ok',
    ]);
    const ex = apply(
      [{ type: 'toolResults', clear: { keep: 2, excludeTools: ['policy'], placeholder: '[gone]' } }],
      ms,
    );
    expect(texts(ex.messages).filter((x) => x.startsWith('result'))).toEqual([
      'result:c1:[gone]',
      `result:c2:${big('2')}`,
      `result:c3:${big('3')}`,
      'result:c4:ok',
    ]);
    // a result shorter than the placeholder stays as it is
    const short = apply([{ type: 'toolResults', clear: { keep: 0 } }], ms);
    expect(texts(short.messages)[8]).toBe('result:c4:ok');
  });
});

describe('composition', () => {
  it('runs steps in order and reports each', () => {
    const ms = [user(t('1')), call('c1'), result('c1', 'R'.repeat(200)), assistant(t('2')), user(t('3'))];
    const r = apply(
      [
        { type: 'toolResults', truncate: { maxTokens: 20, marker: '…' } },
        // after truncation: 3 + 17 + call 28 + result (3 + 4 + 21 + 2) + 22 + 17 = 117
        { type: 'tokenBudget', maxTokens: 100 },
        { type: 'lastN', messages: 2, enabled: false },
      ],
      ms,
    );
    expect(r.steps.map((s) => [s.type, s.messagesBefore, s.messagesAfter])).toEqual([
      ['toolResults', 5, 5],
      ['tokenBudget', 5, 4],
    ]);
    expect(r.steps[0]!.tokensAfter).toBe(117);
    expect(r.tokens).toBe(100);
    expect(r.steps[1]!.tokensAfter).toBe(100);
  });
});
