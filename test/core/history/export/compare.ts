/**
 * The equivalence check of the generated code: random policies, run by the engine (as the app runs it) and
 * by the generated TypeScript and Python, over the tau-bench trajectories.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { policyToPython } from '../../../../src/core/history/export/python';
import { policyToTypeScript } from '../../../../src/core/history/export/typescript';
import {
  createPolicyState,
  createRequestCounter,
  parsePolicy,
  type Policy,
  type PolicyState,
} from '../../../../src/core/history/policy';
import {
  COUNTERS,
  engineRun,
  generatedSummariser,
  importTypeScript,
  readCases,
  runPython,
  scratch,
  TAU_FILE,
  tauText,
  type Case,
  type CounterName,
  type Message,
  type PyJob,
  type RunOptions,
} from './harness';

const TOOLS = [
  'get_user_details',
  'get_reservation_details',
  'search_direct_flight',
  'search_onestop_flight',
  'calculate',
  'think',
];

/**
 * A random policy: a random subset of the steps in random order, with random settings (placeholders and
 * markers with non-ASCII text and their {tool}/{tokens} fields too), one step disabled now and then. Token
 * figures suit tau-bench (a 1,500-token system prompt, requests up to ~14,000 tokens) times `scale`.
 */
export function randomPolicy(
  random: () => number,
  summarise: boolean,
  scale = 1,
): { policy: Policy; contextWindow?: number } {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // token figures scale with the conversations (1 for tau-bench); counts of messages do not
  const tokens = (lo: number, hi: number) => Math.max(1, Math.round(int(lo, hi) * scale));
  const flip = (p = 0.5) => random() < p;
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const steps: Array<Record<string, unknown>> = [];
  let contextWindow: number | undefined;
  if (flip())
    steps.push({
      type: 'dropRepeats',
      minTokens: Math.round(int(0, 60) * scale),
      results: flip(0.7),
      ...(flip(0.3)
        ? { resultPlaceholder: pick(['[same as before: {tool}]', '[{tool} {tool} ↺ 🔁]', 'dup']) }
        : {}),
    });
  if (flip(0.7)) {
    const r = random();
    steps.push({
      type: 'toolResults',
      ...(r < 0.7
        ? {
            truncate: {
              maxTokens: tokens(5, 300),
              ...(flip(0.3)
                ? { marker: pick([' … ', '\n[{tokens} tokens cut — ✂️]\n', '[{tokens}]{tokens}']) }
                : {}),
            },
          }
        : {}),
      ...(r > 0.4
        ? {
            clear: {
              keep: int(0, 6),
              excludeTools: flip() ? [pick(TOOLS)] : [],
              ...(flip(0.3) ? { placeholder: pick(['[cleared]', 'x', '[résultat effacé 🧹]']) } : {}),
            },
          }
        : {}),
    });
  }
  if (summarise) {
    const t = random();
    const trigger: Record<string, number> = {};
    if (t < 0.45 || t > 0.9) trigger.tokens = tokens(2200, 8000);
    if (t >= 0.45 && t < 0.8) trigger.messages = int(3, 30);
    if (t >= 0.8) {
      trigger.contextFraction = int(20, 90) / 100;
      contextWindow = tokens(4000, 16000);
    }
    steps.push({
      type: 'summarise',
      model: pick(['claude-haiku-4-5', 'openai:gpt-4o-mini']),
      trigger,
      keepLast: int(0, 10),
      placement: flip() ? 'message' : 'system',
      maxSummaryTokens: int(64, 2048),
      ...(flip(0.3) ? { prompt: 'Summarise in {maxTokens} tokens ({maxTokens} at most).' } : {}),
    });
  }
  if (flip())
    steps.push({
      type: 'lastN',
      ...(flip() ? { messages: int(1, 30) } : { turns: int(1, 8) }),
      keepFirstUser: flip(),
    });
  if (flip(0.7)) steps.push({ type: 'tokenBudget', maxTokens: tokens(1800, 9000), keepFirstUser: flip() });
  for (let i = steps.length - 1; i > 0 && flip(); i--) {
    const j = int(0, i - 1);
    [steps[i], steps[j]] = [steps[j]!, steps[i]!];
  }
  if (steps.length > 1 && flip(0.15)) steps[int(0, steps.length - 1)]!.enabled = false;
  return {
    policy: parsePolicy({ version: 1, name: 'random', steps }),
    ...(contextWindow ? { contextWindow } : {}),
  };
}

export interface Planned {
  policy: Policy;
  opts: RunOptions;
  summarise: boolean;
  cuts: number[][];
}

/**
 * Runs every planned policy on the three sides and compares, request by request: the engine's result
 * exported to OpenAI messages must deep-equal what the generated TypeScript and Python return. Python runs
 * in its own process while the engine and TypeScript run here.
 */
export async function compare(
  plans: Planned[],
  corpus: { text: string; fileName: string } = { text: tauText(), fileName: path.basename(TAU_FILE) },
): Promise<{ requests: number; changed: number; summaries: number }> {
  const { dir, done } = scratch();
  try {
    // one copy of the corpus per counter: the engine's derived-message cache does not key on the counter
    const cases: Record<CounterName, Case[]> = {
      estimate: readCases(corpus.text, corpus.fileName),
      bytes3: readCases(corpus.text, corpus.fileName),
    };
    const counters = {
      estimate: createRequestCounter(COUNTERS.estimate),
      bytes3: createRequestCounter(COUNTERS.bytes3),
    };
    const conversations = cases.estimate.map((c) => c.messages);
    const jobs: PyJob[] = plans.map((plan, k) => {
      const file = path.join(dir, `policy_${k}.py`);
      writeFileSync(file, policyToPython(plan.policy));
      return {
        module: file,
        counter: plan.opts.counter,
        toolTokens: plan.opts.toolTokens,
        ...(plan.opts.contextWindow ? { contextWindow: plan.opts.contextWindow } : {}),
        summarise: plan.summarise,
        cases: plan.cuts.flatMap((cs, i): Array<[number, number[]]> => (cs.length ? [[i, cs]] : [])),
      };
    });
    const python = runPython(conversations, jobs, dir);
    // keep a rejection for the await below (it is not unhandled while the engine runs)
    python.catch(() => undefined);

    const expected: Message[][][] = [];
    const fromTs: Message[][][] = [];
    let changed = 0;
    let summaries = 0;
    for (const [k, plan] of plans.entries()) {
      const mod = await importTypeScript(policyToTypeScript(plan.policy), dir, `policy_${k}`);
      const want: Message[][] = [];
      const got: Message[][] = [];
      for (const [i, cs] of plan.cuts.entries()) {
        const c = cases[plan.opts.counter][i]!;
        const engineState: PolicyState = createPolicyState();
        const tsState = mod.createPolicyState?.();
        for (const cut of cs) {
          const prefix = c.messages.slice(0, cut);
          const e = await engineRun(plan.policy, c, cut, plan.opts, counters[plan.opts.counter], engineState);
          want.push(e);
          if (!isDeepStrictEqual(e, prefix)) changed++;
          if (e.some((m) => typeof m.content === 'string' && m.content.includes('Summary of the earlier')))
            summaries++;
          got.push(
            await mod.applyPolicy(prefix, {
              ...(plan.opts.counter === 'bytes3' ? { countTokens: COUNTERS.bytes3 } : {}),
              toolTokens: plan.opts.toolTokens,
              ...(plan.opts.contextWindow ? { contextWindow: plan.opts.contextWindow } : {}),
              ...(plan.summarise ? { summarise: generatedSummariser, state: tsState } : {}),
            }),
          );
        }
      }
      expected.push(want);
      fromTs.push(got);
    }
    const fromPy = await python;

    const mismatches: string[] = [];
    let requests = 0;
    for (const [k, plan] of plans.entries()) {
      let r = 0;
      for (const [i, cs] of plan.cuts.entries())
        for (const cut of cs) {
          const want = expected[k]![r]!;
          const sides = [
            ['TypeScript', fromTs[k]![r]!],
            ['Python', fromPy[k]![r]!],
          ] as const;
          for (const [side, got] of sides)
            if (!isDeepStrictEqual(got, want)) {
              if (mismatches.length === 0)
                expect(got, `${side}: policy ${k}, conversation ${i}, cut ${cut}`).toEqual(want);
              mismatches.push(
                `${side}: policy ${k} ${JSON.stringify(plan.policy.steps)}, conversation ${i}, cut ${cut}`,
              );
            }
          r++;
          requests++;
        }
    }
    expect(mismatches).toEqual([]);
    return { requests, changed, summaries };
  } finally {
    done();
  }
}
