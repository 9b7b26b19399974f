import { describe, expect, it } from 'vitest';
import {
  applyPolicy,
  countRequest,
  createPolicyState,
  parsePolicy,
  validateRequest,
  type Policy,
  type RequestProvider,
  type SummariseRequest,
  type SummaryResult,
} from '../../../../src/core/history/policy';
import type { HistoryMessage } from '../../../../src/core/history/types';
import { rng } from '../../../support/random';
import { o200kCounter } from './helpers';
import { importedConversations } from './tauBench';

/** A random policy: a random subset of the steps, in random order, with random settings. */
function randomPolicy(random: () => number): Policy {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const flip = () => random() < 0.5;
  const steps: Array<Record<string, unknown>> = [];
  if (flip()) steps.push({ type: 'dropRepeats', minTokens: int(0, 50), results: flip() });
  if (flip()) {
    const r = random();
    steps.push({
      type: 'toolResults',
      ...(r < 0.7 ? { truncate: { maxTokens: int(20, 500) } } : {}),
      ...(r > 0.4 ? { clear: { keep: int(0, 5), excludeTools: flip() ? ['get_user_details'] : [] } } : {}),
    });
  }
  if (flip())
    steps.push({
      type: 'summarise',
      model: 'claude-haiku-4-5',
      trigger: flip() ? { messages: int(4, 30) } : { tokens: int(4500, 15000) },
      keepLast: int(0, 10),
      placement: flip() ? 'message' : 'system',
    });
  if (flip())
    steps.push({
      type: 'lastN',
      ...(flip() ? { messages: int(1, 30) } : { turns: int(1, 8) }),
      keepFirstUser: flip(),
    });
  // the budget goes last half of the time (so its figure is the request's), elsewhere a quarter of the time
  const budget = { type: 'tokenBudget', maxTokens: int(3000, 20000), keepFirstUser: flip() };
  const place = random();
  if (place < 0.5) steps.push(budget);
  else if (place < 0.75) steps.splice(int(0, steps.length), 0, budget);
  for (let i = steps.length - 1; i > 0 && flip(); i--) {
    const j = int(0, i - 1);
    if (steps[i]!.type !== 'tokenBudget' && steps[j]!.type !== 'tokenBudget')
      [steps[i], steps[j]] = [steps[j]!, steps[i]!];
  }
  return parsePolicy({ version: 1, steps });
}

const summariser = async (r: SummariseRequest): Promise<SummaryResult> => {
  // a deterministic "summary": the first words of the transcript
  const text = r.user.split(/\s+/).slice(0, 40).join(' ');
  return { text, usage: { inputTokens: r.user.length, outputTokens: text.length }, costUsd: 0.001 };
};

const results = (m: HistoryMessage) => m.content.filter((b) => b.type === 'tool_result');

describe('policies on all 200 tau-bench trajectories, random settings, every turn', () => {
  for (const provider of ['openai', 'anthropic'] as RequestProvider[]) {
    it(`keep every request valid for ${provider} and every count exact`, async () => {
      const counter = o200kCounter();
      const convos = importedConversations();
      let turns = 0;
      let budgeted = 0;
      for (const [k, convo] of convos.entries()) {
        const seed = k * 2 + (provider === 'anthropic' ? 1 : 0);
        const policy = randomPolicy(rng(seed));
        const state = createPolicyState();
        const toolTokens = seed % 3 === 0 ? 600 : 0;
        const ctx = {
          provider,
          counter,
          toolTokens,
          contextWindow: 128_000,
          summarise: summariser,
          summaryCache: new Map(),
        };
        const where = `seed ${seed}, policy ${JSON.stringify(policy.steps.map((s) => s.type))}`;
        for (let i = 1; i < convo.messages.length; i++) {
          if (convo.messages[i]!.role !== 'assistant') continue;
          const history = convo.messages.slice(0, i);
          const r = await applyPolicy(policy, { system: convo.system, messages: history }, ctx, state);
          turns++;
          expect(validateRequest(r.messages, provider), where).toEqual([]);
          expect(r.tokens, where).toBe(countRequest(counter, r, toolTokens));
          // the turn's input is never lost: the request ends with what the history ends with
          const last = history[history.length - 1]!;
          const out = r.messages[r.messages.length - 1]!;
          expect(out.role, where).toBe(last.role);
          if (last.role === 'user')
            expect(out.content[out.content.length - 1], where).toEqual(last.content[last.content.length - 1]);
          // a kept result is its own call's result, whole or its head and tail, or a placeholder
          const byId = new Map<string, string[]>();
          for (const m of history)
            for (const b of results(m))
              if (b.type === 'tool_result')
                byId.set(b.toolUseId, [...(byId.get(b.toolUseId) ?? []), b.content]);
          for (const m of r.messages)
            for (const b of results(m)) {
              if (b.type !== 'tool_result' || /^\[(tool result cleared|identical to)/.test(b.content))
                continue;
              // Anthropic's renamed ids end in _2, _3, …
              const candidates = byId.get(b.toolUseId) ?? byId.get(b.toolUseId.replace(/_\d+$/, '')) ?? [];
              const [head, tail] = b.content.split(/\n\[… [\d,]+ tokens truncated …\]\n/);
              const ok = candidates.some((c) =>
                tail === undefined
                  ? c === head
                  : c.startsWith(head!) && c.endsWith(tail) && c.length > b.content.length - 60,
              );
              expect(ok, `${where}: result of ${b.toolUseId}`).toBe(true);
            }
          const budget = policy.steps.findIndex((s) => s.type === 'tokenBudget');
          if (budget >= 0 && !r.overBudget) {
            const step = r.steps.find((s) => s.index === budget)!;
            const maxTokens = (policy.steps[budget] as { maxTokens: number }).maxTokens;
            expect(step.tokensAfter, where).toBeLessThanOrEqual(maxTokens);
            if (budget === policy.steps.length - 1) {
              expect(r.tokens, where).toBeLessThanOrEqual(maxTokens);
              budgeted++;
            }
          }
        }
      }
      expect(turns).toBe(2454);
      expect(budgeted).toBeGreaterThan(200);
    });
  }
});
