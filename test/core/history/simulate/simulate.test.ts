import { describe, expect, it } from 'vitest';
import {
  applyPolicySync,
  countRequest,
  createPolicyState,
  finalise,
  parsePolicy,
  renameDuplicateToolIds,
  type SummariseRequest,
  type SummaryResult,
} from '../../../../src/core/history/policy';
import { breakEven, simulate, simulateSync } from '../../../../src/core/history/simulate';
import { requestPricer } from '../../../../src/core/history/simulate/price';
import type { AppError } from '../../../../src/core/errors';
import type { HistoryMessage } from '../../../../src/core/history/types';
import type { ModelEntry } from '../../../../src/core/pricing/catalog';
import { requestCost } from '../../../../src/core/pricing/requestCost';
import { rng } from '../../../support/random';
import { assistant, catalogModel, charCounter, o200kCounter, user } from '../policy/helpers';
import { importedConversations } from '../policy/tauBench';

const base = {
  source: 'https://example.com/pricing',
  asOf: '2025-01-01',
  contextWindow: 100_000,
  tokenizer: 'o200k_base',
  countWith: 'o200k_base',
  tokenCountMethod: 'exact',
} as const;

/** $1 a token in, $2 out: Anthropic's multipliers make writes $1.25 and reads $0.10 a token. */
const anthropicModel: ModelEntry = {
  ...base,
  id: 'test-claude',
  provider: 'anthropic',
  label: 'Test Claude',
  caching: 'anthropic-explicit',
  minCacheableTokens: 150,
  inputPerMTok: 1_000_000,
  outputPerMTok: 2_000_000,
};
const openAiModel: ModelEntry = {
  ...base,
  id: 'test-gpt',
  provider: 'openai',
  label: 'Test GPT',
  caching: 'openai-auto',
  minCacheableTokens: 1024,
  inputPerMTok: 2.5,
  cacheReadPerMTok: 1.25,
  outputPerMTok: 10,
};

/** Three turns; with the character counter a user message is 3 + 4 + n, an assistant one 3 + 9 + n. */
const conversation = (system: number, u: number, a: number) => ({
  system: 'S'.repeat(system),
  messages: ['a', 'b', 'c', 'd', 'e', 'f'].map((ch, i) =>
    i % 2 === 0 ? user(ch.repeat(u)) : assistant(ch.repeat(a)),
  ),
});
const lastMessage = parsePolicy({
  version: 1,
  name: 'last message',
  steps: [{ type: 'lastN', messages: 1 }],
});

describe('simulation, by hand: Anthropic caching', () => {
  // system message 3 + 6 + 200 = 209, user 47, assistant 32 (output 20)
  const r = simulateSync({
    conversation: conversation(200, 40, 20),
    policy: lastMessage,
    model: anthropicModel,
    counter: charCounter(),
  });

  it('replays every assistant turn with the original history', () => {
    expect(r.turn).toEqual([1, 2, 3]);
    expect(r.messageIndex).toEqual([1, 3, 5]);
    expect(r.original.messages).toEqual([1, 3, 5]);
    expect(r.original.inputTokens).toEqual([259, 338, 417]);
    expect(r.original.outputTokens).toEqual([20, 20, 20]);
  });

  it('reads the previous request from the cache and writes the new part', () => {
    expect(r.original.cacheReadTokens).toEqual([0, 256, 335]);
    expect(r.original.cacheWriteTokens).toEqual([256, 79, 79]);
    expect(r.original.uncachedTokens).toEqual([3, 3, 3]);
    expect(r.original.costUsd[0]).toBeCloseTo(3 + 256 * 1.25 + 40, 9);
    expect(r.original.costUsd[1]).toBeCloseTo(3 + 79 * 1.25 + 256 * 0.1 + 40, 9);
    expect(r.original.costUsd[2]).toBeCloseTo(3 + 79 * 1.25 + 335 * 0.1 + 40, 9);
  });

  it('with a sliding window only the system prompt is read back', () => {
    expect(r.policy.messages).toEqual([1, 1, 1]);
    expect(r.policy.inputTokens).toEqual([259, 259, 259]);
    expect(r.policy.cacheReadTokens).toEqual([0, 209, 209]);
    expect(r.policy.cacheWriteTokens).toEqual([256, 47, 47]);
    expect(r.policy.costUsd[1]).toBeCloseTo(3 + 47 * 1.25 + 209 * 0.1 + 40, 9);
  });

  it('totals and the break-even turn', () => {
    expect(r.original.cumulativeUsd[2]).toBeCloseTo(363 + 167.35 + 175.25, 9);
    expect(r.policy.cumulativeUsd[2]).toBeCloseTo(363 + 122.65 * 2, 9);
    expect(r.breakEvenTurn).toBe(2);
    expect(r.summary).toMatchObject({ turns: 3, breakEvenTurn: 2, method: 'exact' });
    expect(r.summary.savedUsd).toBeCloseTo(705.6 - 608.3, 9);
    expect(r.summary.savedInputTokens).toBe(259 + 338 + 417 - 3 * 259);
  });

  it('a system prompt under the minimum is not cached on its own, so the window never reads', () => {
    // system 3 + 6 + 100 = 109 < 150: a sliding window gets no read at all
    const s = simulateSync({
      conversation: conversation(100, 40, 20),
      policy: lastMessage,
      model: anthropicModel,
      counter: charCounter(),
    });
    expect(s.policy.cacheReadTokens).toEqual([0, 0, 0]);
    expect(s.original.cacheReadTokens).toEqual([0, 156, 235]);
    expect(s.breakEvenTurn).toBeNull();
  });
});

describe('simulation, by hand: OpenAI and automatic caching', () => {
  // system 1,109; user 3 + 4 + 200 = 207; assistant 3 + 9 + 100 = 112; output 100
  const convo = conversation(1100, 200, 100);

  it('reads 1,024 tokens plus whole 128-token steps of the shared prefix', () => {
    const r = simulateSync({
      conversation: convo,
      policy: lastMessage,
      model: openAiModel,
      counter: charCounter(),
    });
    expect(r.original.inputTokens).toEqual([1319, 1638, 1957]);
    // shared: 1,316 then 1,635 (the previous request without its reply priming)
    expect(r.original.cacheReadTokens).toEqual([0, 1280, 1536]);
    expect(r.original.cacheWriteTokens).toEqual([0, 0, 0]);
    expect(r.policy.inputTokens).toEqual([1319, 1319, 1319]);
    // shared: the system message only, 1,109 → 1,024
    expect(r.policy.cacheReadTokens).toEqual([0, 1024, 1024]);
    const usd = (uncached: number, read: number) => (uncached * 2.5 + read * 1.25 + 100 * 10) / 1e6;
    expect(r.original.costUsd[1]).toBeCloseTo(usd(358, 1280), 12);
    expect(r.original.costUsd[2]).toBeCloseTo(usd(421, 1536), 12);
    expect(r.policy.costUsd[2]).toBeCloseTo(usd(295, 1024), 12);
  });

  it('automatic caching without a minimum reads the whole shared prefix; no caching reads nothing', () => {
    const auto = {
      ...openAiModel,
      caching: 'auto' as const,
      minCacheableTokens: undefined,
      provider: 'deepseek',
    };
    const r = simulateSync({ conversation: convo, policy: lastMessage, model: auto, counter: charCounter() });
    expect(r.original.cacheReadTokens).toEqual([0, 1316, 1635]);
    expect(r.policy.cacheReadTokens).toEqual([0, 1109, 1109]);
    const none = simulateSync({
      conversation: convo,
      policy: lastMessage,
      model: { ...openAiModel, caching: 'none' },
      counter: charCounter(),
    });
    expect(none.original.cacheReadTokens).toEqual([0, 0, 0]);
    const off = simulateSync({
      conversation: convo,
      policy: lastMessage,
      model: openAiModel,
      counter: charCounter(),
      caching: false,
    });
    expect(off.original.cacheReadTokens).toEqual([0, 0, 0]);
    expect(off.caching).toBe('off');
    expect(off.original.costUsd[2]).toBeCloseTo((1957 * 2.5 + 1000) / 1e6, 12);
  });

  it('puts tool definitions in the shared prefix', () => {
    const r = simulateSync({
      conversation: convo,
      policy: lastMessage,
      model: openAiModel,
      counter: charCounter(),
      toolTokens: 300,
    });
    expect(r.original.inputTokens).toEqual([1619, 1938, 2257]);
    // the policy now shares 1,409: 1,024 + 3 × 128
    expect(r.policy.cacheReadTokens).toEqual([0, 1408, 1408]);
  });
});

describe('simulation with a summariser', () => {
  const policy = parsePolicy({
    version: 1,
    steps: [{ type: 'summarise', model: 'cheap', trigger: { messages: 3 }, keepLast: 1 }],
  });
  const asked: SummariseRequest[] = [];
  const summarise = async (r: SummariseRequest): Promise<SummaryResult> => {
    asked.push(r);
    return { text: `summary ${asked.length}`, usage: { inputTokens: 100, outputTokens: 10 }, costUsd: 0.5 };
  };

  it('adds each summary call to the turn it happens on', async () => {
    const cache = new Map<string, SummaryResult>();
    const r = await simulate({
      conversation: conversation(200, 40, 20),
      policy,
      model: anthropicModel,
      counter: charCounter(),
      summarise,
      summaryCache: cache,
    });
    expect(r.policy.summariserCalls).toEqual([0, 1, 1]);
    expect(r.policy.summariserUsd).toEqual([0, 0.5, 0.5]);
    for (let t = 0; t < 3; t++)
      expect(r.policy.costUsd[t]).toBeCloseTo(r.policy.requestUsd[t]! + r.policy.summariserUsd[t]!, 12);
    expect(r.summary.policy).toMatchObject({ summariserCalls: 2, summariserUsd: 1 });
    expect(asked[1]!.user).toContain('Summary so far:\nsummary 1');
    // the sync path serves them from the cache, at no cost
    const again = simulateSync({
      conversation: conversation(200, 40, 20),
      policy,
      model: anthropicModel,
      counter: charCounter(),
      summaryCache: cache,
    });
    expect(again.policy.summariserCached).toEqual([0, 1, 1]);
    expect(again.policy.summariserUsd).toEqual([0, 0, 0]);
    expect(again.policy.inputTokens).toEqual(r.policy.inputTokens);
  });

  it('refuses to run a summarising policy synchronously without the summaries, or to total without a price', async () => {
    const e = (() => {
      try {
        simulateSync({
          conversation: conversation(200, 40, 20),
          policy,
          model: anthropicModel,
          counter: charCounter(),
        });
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(e?.code).toBe('UNSUPPORTED');
    await expect(
      simulate({
        conversation: conversation(200, 40, 20),
        policy,
        model: anthropicModel,
        counter: charCounter(),
        summarise: async (r) => ({ ...(await summarise(r)), costUsd: null }),
      }),
    ).rejects.toMatchObject({ code: 'NO_PRICE' });
    expect(() =>
      simulateSync({
        conversation: conversation(200, 40, 20),
        policy: lastMessage,
        model: { ...anthropicModel, outputPerMTok: null },
        counter: charCounter(),
      }),
    ).toThrow(expect.objectContaining({ code: 'NO_PRICE' }));
  });
});

describe('breakEven', () => {
  it.each([
    [[1, 2, 3], [1, 1.5, 2], 2],
    [[1, 2, 3], [0.5, 2.5, 2.9], 3],
    [[1, 2, 3], [0.5, 1, 3], null],
    [[1, 2, 3], [0.5, 1, 2], 1],
    [[], [], null],
  ])('%j vs %j → %s', (original, policy, turn) => {
    expect(breakEven(original, policy)).toBe(turn);
  });
});

describe('requestPricer', () => {
  it('prices exactly as requestCost, bit for bit, over random usages, tiers and batch', () => {
    const random = rng(7);
    for (const id of [
      'claude-sonnet-4-5',
      'claude-haiku-4-5',
      'gpt-4o',
      'gpt-4.1',
      'gemini-2.5-pro',
      'deepseek-chat',
    ]) {
      const model = catalogModel(id);
      for (const batch of [false, true]) {
        const price = requestPricer(model, { batch });
        for (let i = 0; i < 200; i++) {
          const n = () => (random() < 0.3 ? 0 : Math.floor(random() * 300_000));
          const usage = {
            inputTokens: n(),
            cacheReadTokens: n(),
            cacheWrite5mTokens: n(),
            cacheWrite1hTokens: n(),
            outputTokens: n(),
          };
          const expected = requestCost(model, usage, { batch });
          expect(price(usage).totalUsd).toBe(expected.totalUsd);
        }
      }
    }
  });
});

describe('simulation on real conversations', () => {
  const convos = importedConversations().slice(0, 25);

  for (const id of ['gpt-4o', 'claude-sonnet-4-5']) {
    it(`agrees turn by turn with the policy applied on its own, and adds up (${id})`, () => {
      const model = catalogModel(id);
      const provider = model.provider === 'anthropic' ? 'anthropic' : 'openai';
      const counter = o200kCounter();
      const policy = parsePolicy({
        version: 1,
        steps: [
          { type: 'toolResults', clear: { keep: 2 } },
          { type: 'tokenBudget', maxTokens: 6000, keepFirstUser: true },
        ],
      });
      for (const convo of convos) {
        const r = simulateSync({ conversation: convo, policy, model, counter, toolTokens: 500 });
        const prepared =
          provider === 'anthropic' ? renameDuplicateToolIds(convo.messages).messages : convo.messages;
        const state = createPolicyState();
        r.messageIndex.forEach((i, t) => {
          const history = { system: convo.system, messages: prepared.slice(0, i) };
          expect(r.original.inputTokens[t]).toBe(countRequest(counter, history, 500));
          const p = applyPolicySync(
            policy,
            history,
            { provider, counter, toolTokens: 500, uniqueToolIds: true },
            state,
          );
          expect(r.policy.inputTokens[t]).toBe(p.tokens);
          for (const side of [r.original, r.policy]) {
            expect(side.uncachedTokens[t]! + side.cacheReadTokens[t]! + side.cacheWriteTokens[t]!).toBe(
              side.inputTokens[t],
            );
            expect(side.cumulativeUsd[t]).toBeCloseTo(
              (side.cumulativeUsd[t - 1] ?? 0) + side.costUsd[t]!,
              12,
            );
          }
        });
        expect(r.summary.original.inputTokens).toBe(r.original.inputTokens.reduce((a, b) => a + b, 0));
        // tool calls are counted by the cookbook's undocumented rule, and Claude has no public tokenizer
        const calls = convo.messages.some((m) => m.content.some((b) => b.type === 'tool_use'));
        expect(r.summary.method).toBe(calls || provider === 'anthropic' ? 'estimate' : 'exact');
      }
    });
  }

  it('takes the slow path, with the same figures, when the history itself needs repairs', () => {
    // two user messages in a row: Anthropic gets them merged, so the original request is not just a prefix
    const messages: HistoryMessage[] = [
      user('hello there'),
      user('are you there?'),
      assistant('yes'),
      user('good'),
      assistant('ok'),
    ];
    const counter = charCounter();
    const r = simulateSync({
      conversation: { messages },
      policy: lastMessage,
      model: anthropicModel,
      counter,
    });
    expect(r.original.inputTokens).toEqual(
      [2, 4].map((i) =>
        countRequest(counter, { messages: finalise(messages.slice(0, i), 'anthropic').messages }),
      ),
    );
    expect(r.original.inputTokens[0]).toBe(3 + 3 + 4 + 11 + 14);
  });
});
