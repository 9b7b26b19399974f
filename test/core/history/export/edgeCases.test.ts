import { describe, expect, it } from 'vitest';
import { exportOpenAI, importHistory } from '../../../../src/core/history/formats';
import { parsePolicy } from '../../../../src/core/history/policy';
import { rng } from '../../../support/random';
import { compare, randomPolicy, type Planned } from './compare';
import { requestPoints } from './harness';
import { normalisedCorpus } from './synthetic';

const corpus = normalisedCorpus();

/** Every request point of every synthetic conversation. */
const allPoints = () => corpus.conversations.map((m) => requestPoints(m));

describe('generated code on conversations made to differ between JavaScript and Python', () => {
  it('the synthetic conversations are what an export writes (a fixed point of import and export)', () => {
    const again = importHistory(corpus.text, corpus.fileName).conversations.map(
      (c) => exportOpenAI(c).messages,
    );
    expect(again).toEqual(corpus.conversations);
    // what they are meant to hold survived the normalisation
    const text = JSON.stringify(corpus.conversations);
    expect(text).toContain('1e21');
    expect(text).toContain('\\ud800');
    expect(corpus.conversations[1]![0]!.role).toBe('developer');
  });

  it(
    'hand-set policies that truncate, clear, drop repeats, window and summarise on every request',
    { timeout: 120_000 },
    async () => {
      const fixed = [
        { type: 'dropRepeats', minTokens: 0, resultPlaceholder: '[{tool} again ↺ {tool}]' },
        { type: 'toolResults', truncate: { maxTokens: 3, marker: '[✂ {tokens} ✂]' } },
        { type: 'toolResults', truncate: { maxTokens: 7 }, clear: { keep: 1, excludeTools: ['clock'] } },
        { type: 'toolResults', truncate: { maxTokens: 40 } },
        { type: 'toolResults', clear: { keep: 0, placeholder: '…' } },
        { type: 'lastN', messages: 3, keepFirstUser: true },
        { type: 'lastN', turns: 1 },
        { type: 'tokenBudget', maxTokens: 60, keepFirstUser: true },
        { type: 'tokenBudget', maxTokens: 250 },
        { type: 'summarise', model: 'm', trigger: { messages: 2 }, keepLast: 1, placement: 'system' },
        { type: 'summarise', model: 'm', trigger: { tokens: 80 }, keepLast: 3 },
        { type: 'summarise', model: 'm', trigger: { contextFraction: 0.5 }, keepLast: 0 },
      ];
      const plans: Planned[] = [];
      for (const [k, step] of fixed.entries())
        for (const counter of ['estimate', 'bytes3'] as const)
          plans.push({
            policy: parsePolicy({ version: 1, steps: [step] }),
            opts: { counter, toolTokens: k % 2 ? 7 : 0, contextWindow: 300 },
            summarise: step.type === 'summarise',
            cuts: allPoints(),
          });
      const { requests, changed } = await compare(plans, corpus);
      expect(requests).toBeGreaterThan(fixed.length * 2 * 20);
      expect(changed).toBeGreaterThan(requests / 2);
    },
  );

  it('60 random policies at this scale, with and without summaries', { timeout: 120_000 }, async () => {
    const plans: Planned[] = [];
    for (let k = 0; k < 60; k++) {
      const summarise = k % 3 === 0;
      const { policy, contextWindow } = randomPolicy(rng(11_000 + k), summarise, 0.03);
      plans.push({
        policy,
        opts: {
          counter: k % 2 ? 'bytes3' : 'estimate',
          toolTokens: k % 5 === 0 ? 11 : 0,
          ...(contextWindow ? { contextWindow } : {}),
        },
        summarise,
        cuts: allPoints(),
      });
    }
    const { requests, changed } = await compare(plans, corpus);
    expect(changed).toBeGreaterThan(requests / 2);
  });
});
