import { describe, expect, it } from 'vitest';
import {
  SUMMARY_HEADER,
  applyPolicy,
  applyPolicySync,
  createPolicyState,
  needsSummariser,
  parsePolicy,
  validateRequest,
  type PolicyContext,
  type SummariseRequest,
  type SummaryResult,
} from '../../../../src/core/history/policy';
import type { AppError } from '../../../../src/core/errors';
import type { HistoryMessage } from '../../../../src/core/history/types';
import { assistant, call, charCounter, result, texts, user } from './helpers';

/** Ten alternating messages u0, a1, u2, … */
const history = (n: number): HistoryMessage[] =>
  Array.from({ length: n }, (_, i) => (i % 2 === 0 ? user(`u${i}`) : assistant(`a${i}`)));

/** A summariser that answers S1, S2, … and records what it was asked. */
function fakeSummariser() {
  const asked: SummariseRequest[] = [];
  const port = async (r: SummariseRequest): Promise<SummaryResult> => {
    asked.push(r);
    const text = `S${asked.length}`;
    return {
      text,
      usage: { inputTokens: r.system.length + r.user.length, outputTokens: text.length },
      costUsd: 0.01,
    };
  };
  return { asked, port };
}

const policy = (step: Record<string, unknown>) =>
  parsePolicy({ version: 1, steps: [{ type: 'summarise', model: 'claude-haiku-4-5', ...step }] });

const summaryText = (s: string) => `${SUMMARY_HEADER}\n${s}`;

describe('summarise', () => {
  it('replaces the older part when the trigger is reached and keeps the last K verbatim', async () => {
    const { asked, port } = fakeSummariser();
    const ctx: PolicyContext = { provider: 'openai', counter: charCounter(), summarise: port };
    const r = await applyPolicy(
      policy({ trigger: { messages: 6 }, keepLast: 2 }),
      { messages: history(10) },
      ctx,
    );
    expect(texts(r.messages)).toEqual([summaryText('S1'), 'u8', 'a9']);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.model).toBe('claude-haiku-4-5');
    expect(asked[0]!.maxOutputTokens).toBe(1024);
    expect(asked[0]!.system).toContain('at most 1024 tokens');
    expect(asked[0]!.user).toBe(
      'Conversation:\n' +
        [
          'User: u0',
          'Assistant: a1',
          'User: u2',
          'Assistant: a3',
          'User: u4',
          'Assistant: a5',
          'User: u6',
          'Assistant: a7',
        ].join('\n'),
    );
    expect(r.summaries).toEqual([
      expect.objectContaining({ step: 0, cached: false, messages: 8, costUsd: 0.01, text: 'S1' }),
    ]);
  });

  it('does nothing below the trigger', async () => {
    const { asked, port } = fakeSummariser();
    const r = await applyPolicy(
      policy({ trigger: { messages: 11 } }),
      { messages: history(10) },
      {
        provider: 'openai',
        counter: charCounter(),
        summarise: port,
      },
    );
    expect(r.messages).toEqual(history(10));
    expect(asked).toHaveLength(0);
  });

  it('rolls: keeps the summary between triggers, then folds it with the newer messages', async () => {
    const { asked, port } = fakeSummariser();
    const ctx: PolicyContext = { provider: 'openai', counter: charCounter(), summarise: port };
    const state = createPolicyState();
    const p = policy({ trigger: { messages: 6 }, keepLast: 2 });
    const all = history(14);
    const first = await applyPolicy(p, { messages: all.slice(0, 10) }, ctx, state);
    // two turns later: summary + 4 messages is under the trigger, so the prefix stays
    const second = await applyPolicy(p, { messages: all.slice(0, 12) }, ctx, state);
    expect(texts(second.messages)).toEqual([summaryText('S1'), 'u8', 'a9', 'u10', 'a11']);
    expect(second.messages[0]).toBe(first.messages[0]);
    expect(second.summaries).toEqual([]);
    const third = await applyPolicy(p, { messages: all }, ctx, state);
    expect(texts(third.messages)).toEqual([summaryText('S2'), 'u12', 'a13']);
    expect(asked[1]!.user).toBe(
      'Summary so far:\nS1\n\nNew messages:\nUser: u8\nAssistant: a9\nUser: u10\nAssistant: a11',
    );
    expect(third.summaries[0]!.messages).toBe(4);
  });

  it('caches summaries by content hash: the same content is not asked twice', async () => {
    const { asked, port } = fakeSummariser();
    const cache = new Map<string, SummaryResult>();
    const ctx: PolicyContext = {
      provider: 'openai',
      counter: charCounter(),
      summarise: port,
      summaryCache: cache,
    };
    const p = policy({ trigger: { messages: 6 }, keepLast: 2 });
    const a = await applyPolicy(p, { messages: history(10) }, ctx);
    const b = await applyPolicy(p, { messages: history(10) }, ctx);
    expect(asked).toHaveLength(1);
    expect(b.messages.map((m) => m.content)).toEqual(a.messages.map((m) => m.content));
    expect(b.summaries[0]).toMatchObject({
      cached: true,
      costUsd: 0,
      usage: { inputTokens: 0, outputTokens: 0 },
    });
    expect(cache.size).toBe(1);
    // another prompt is another key
    await applyPolicy(
      policy({ trigger: { messages: 6 }, keepLast: 2, prompt: 'Be brief ({maxTokens}).' }),
      { messages: history(10) },
      ctx,
    );
    expect(asked).toHaveLength(2);
    expect(asked[1]!.system).toBe('Be brief (1024).');
  });

  it('has a sync path: it serves cached summaries and refuses to call the model', async () => {
    const p = policy({ trigger: { messages: 6 }, keepLast: 2 });
    const cache = new Map<string, SummaryResult>();
    const ctx: PolicyContext = { provider: 'openai', counter: charCounter(), summaryCache: cache };
    expect(needsSummariser(p)).toBe(true);
    try {
      applyPolicySync(p, { messages: history(10) }, ctx);
      throw new Error('expected UNSUPPORTED');
    } catch (err) {
      expect((err as AppError).code).toBe('UNSUPPORTED');
    }
    await applyPolicy(p, { messages: history(10) }, { ...ctx, summarise: fakeSummariser().port });
    const r = applyPolicySync(p, { messages: history(10) }, ctx);
    expect(texts(r.messages)[0]).toBe(summaryText('S1'));
    // without a port and without the summary in the cache, the async path says what is missing
    await expect(
      applyPolicy(p, { messages: history(12) }, { provider: 'openai', counter: charCounter() }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('can put the summary at the end of the system prompt', async () => {
    const r = await applyPolicy(
      policy({ trigger: { messages: 6 }, keepLast: 2, placement: 'system' }),
      { system: 'You help.', messages: history(10) },
      { provider: 'openai', counter: charCounter(), summarise: fakeSummariser().port },
    );
    expect(r.system).toBe(`You help.\n\n${summaryText('S1')}`);
    expect(texts(r.messages)).toEqual(['u8', 'a9']);
  });

  it('keeps tool calls with their results and Anthropic turns alternating', async () => {
    const ms = [
      user('u0'),
      assistant('a1'),
      user('u2'),
      call('c3'),
      result('c3', 'r'),
      call('c5'),
      result('c5', 's'),
      assistant('a7'),
      user('u8'),
    ];
    for (const keepLast of [1, 2, 3, 4, 5]) {
      for (const provider of ['openai', 'anthropic'] as const) {
        const r = await applyPolicy(
          policy({ trigger: { messages: 2 }, keepLast }),
          { messages: ms },
          {
            provider,
            counter: charCounter(),
            summarise: fakeSummariser().port,
          },
        );
        expect(validateRequest(r.messages, provider)).toEqual([]);
        expect(r.summaries).toHaveLength(1);
      }
    }
    // keepLast 3 would start at a tool result: the cut moves back to the call
    const r = await applyPolicy(
      policy({ trigger: { messages: 2 }, keepLast: 3 }),
      { messages: ms },
      {
        provider: 'openai',
        counter: charCounter(),
        summarise: fakeSummariser().port,
      },
    );
    expect(texts(r.messages)).toEqual([summaryText('S1'), 'call:c5', 'result:c5:s', 'a7', 'u8']);
    // Anthropic: the summary (a user message) and the kept user message become one
    const a = await applyPolicy(
      policy({ trigger: { messages: 2 }, keepLast: 1 }),
      { messages: ms },
      {
        provider: 'anthropic',
        counter: charCounter(),
        summarise: fakeSummariser().port,
      },
    );
    expect(texts(a.messages)).toEqual([`${summaryText('S1')}|u8`]);
  });

  it('triggers on tokens and on a share of the context window', async () => {
    // 10 messages: 3 + 5 × (3 + 4 + 2) + 5 × (3 + 9 + 2) = 118 character tokens
    const run = (trigger: Record<string, number>, contextWindow?: number) =>
      applyPolicy(
        policy({ trigger, keepLast: 2 }),
        { messages: history(10) },
        {
          provider: 'openai',
          counter: charCounter(),
          summarise: fakeSummariser().port,
          ...(contextWindow ? { contextWindow } : {}),
        },
      );
    expect((await run({ tokens: 118 })).summaries).toHaveLength(1);
    expect((await run({ tokens: 119 })).summaries).toHaveLength(0);
    expect((await run({ contextFraction: 0.5 }, 236)).summaries).toHaveLength(1);
    expect((await run({ contextFraction: 0.5 }, 238)).summaries).toHaveLength(0);
    await expect(run({ contextFraction: 0.5 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('starts again when the history no longer begins with what the summary covered', async () => {
    const { asked, port } = fakeSummariser();
    const ctx: PolicyContext = { provider: 'openai', counter: charCounter(), summarise: port };
    const state = createPolicyState();
    const p = policy({ trigger: { messages: 6 }, keepLast: 2 });
    await applyPolicy(p, { messages: history(10) }, ctx, state);
    const other = history(10).map((m, i) => (i === 0 ? user('changed') : m));
    const r = await applyPolicy(p, { messages: other }, ctx, state);
    expect(asked).toHaveLength(2);
    expect(asked[1]!.user.startsWith('Conversation:\nUser: changed')).toBe(true);
    expect(r.summaries[0]!.messages).toBe(8);
  });
});
