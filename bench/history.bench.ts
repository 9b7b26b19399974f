/**
 * History simulation (issue 7): a 700-turn conversation, made by concatenating real tau-bench airline
 * trajectories (GPT-4o with tool calls; MIT, ../shared/corpora/conversations), replayed turn by turn with a
 * token-budget policy: at each of the 700 model calls the original request and the managed one are built,
 * counted exactly, split into cache reads and writes and priced. Target: ≤ 200 ms (no model calls: this
 * policy needs none). Two figures: cold (a counter that has counted nothing: every message is encoded during
 * the run) and as in the app (the messages were counted when the conversation was opened). The peer is
 * recounting every request in full, measured on a sample of turns, whose counts must equal the simulation's.
 */
import {
  countRequest,
  createRequestCounter,
  parsePolicy,
  renameDuplicateToolIds,
  applyPolicySync,
  createPolicyState,
  providerOf,
  type RequestCounter,
} from '../src/core/history/policy';
import { simulateSync, type SimulationResult } from '../src/core/history/simulate';
import { CatalogSchema, findModel } from '../src/core/pricing/catalog';
import { createGptTokenizer } from '../src/core/tokens/gptTokenizer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { longConversation } from '../test/core/history/policy/tauBench';
import { percentile, realText } from './lib/corpus';

export const name = 'history';

const TARGET_MS = 200;
const TURNS = 700;
const BUDGET = 16_000;

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

export async function run(): Promise<Record<string, unknown>> {
  const tokenizer = createGptTokenizer();
  const count = (t: string) => tokenizer.count(t, 'o200k_base');
  // the tokenizer's own start-up (loading its ranks) is not the simulation's: pay it on other text first
  count(realText(200_000));
  const catalog = CatalogSchema.parse(
    JSON.parse(readFileSync(path.join(import.meta.dirname, '../resources/models.json'), 'utf8')),
  );
  const conversation = longConversation(TURNS);
  const policy = parsePolicy({
    version: 1,
    name: `token budget ${BUDGET.toLocaleString('en-US')}`,
    steps: [{ type: 'tokenBudget', maxTokens: BUDGET }],
  });
  const chars = conversation.messages.reduce(
    (n, m) => n + m.content.reduce((k, b) => k + JSON.stringify(b).length, 0),
    0,
  );
  const rows: Array<Record<string, unknown>> = [];
  let headline: SimulationResult | undefined;
  for (const id of ['gpt-4o', 'claude-sonnet-4-5']) {
    const model = findModel(catalog, id);
    const sim = (counter: RequestCounter) => simulateSync({ conversation, policy, model, counter });
    // first contact (first model only: both count with o200k_base, so the second model's text is not new):
    // text the tokenizer has never seen (its merge cache is cold for it), counted, then simulated
    let counter = createRequestCounter(count);
    let t = performance.now();
    for (const m of conversation.messages) counter.message(m);
    const firstCountMs = rows.length === 0 ? performance.now() - t : null;
    t = performance.now();
    let result = sim(counter);
    const firstSimMs = rows.length === 0 ? performance.now() - t : null;
    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      const fresh = createRequestCounter(count);
      t = performance.now();
      result = sim(fresh);
      cold.push(performance.now() - t);
    }
    counter = createRequestCounter(count);
    for (const m of conversation.messages) counter.message(m);
    sim(counter);
    const app: number[] = [];
    for (let i = 0; i < 9; i++) {
      t = performance.now();
      sim(counter);
      app.push(performance.now() - t);
    }
    // the peer: every request of a sample of turns recounted in full, which must give the same numbers
    const provider = providerOf(model);
    const prepared =
      provider === 'anthropic'
        ? renameDuplicateToolIds(conversation.messages).messages
        : conversation.messages;
    const state = createPolicyState();
    const peerCounter = () => createRequestCounter(count);
    let peerMs = 0;
    let sampled = 0;
    result.messageIndex.forEach((i, turn) => {
      const request = { system: conversation.system, messages: prepared.slice(0, i) };
      // the policy's state must see every turn (it has none for a budget, but keep the replay honest)
      const managed = applyPolicySync(policy, request, { provider, counter, uniqueToolIds: true }, state);
      if (turn % 35 !== 0) return;
      const start = performance.now();
      const original = countRequest(peerCounter(), request);
      const policyTokens = countRequest(peerCounter(), managed);
      peerMs += performance.now() - start;
      sampled++;
      if (original !== result.original.inputTokens[turn] || policyTokens !== result.policy.inputTokens[turn])
        throw new Error(`turn ${turn + 1}: the simulation's counts differ from a full recount`);
    });
    const peerPerTurn = peerMs / sampled;
    rows.push({
      model: id,
      firstCountMs,
      firstSimMs,
      coldMs: median(cold),
      appMs: median(app),
      recountMsPerTurn: peerPerTurn,
      recountAllTurnsMs: peerPerTurn * TURNS,
      sampledTurns: sampled,
    });
    if (id === 'gpt-4o') headline = result;
  }
  const s = headline!.summary;
  console.log(
    `  conversation: ${TURNS} assistant turns (${conversation.messages.length.toLocaleString('en-US')} messages, ${(chars / 1e6).toFixed(2)} MB of content) from ${'tau-bench'} airline trajectories; policy: ${policy.name}`,
  );
  console.log(
    `\n  | model | first contact: counting never-seen text + simulating, ms | fresh counter (no message count kept), ms | in the app (messages counted when opened), ms | full recount of every request (peer) | target ≤ ${TARGET_MS} ms (simulation: fresh / in the app) |`,
  );
  console.log('  | --- | ---: | ---: | ---: | ---: | --- |');
  const verdict = (x: number) => (x <= TARGET_MS ? 'met' : 'missed');
  for (const r of rows) {
    const c = r.coldMs as number;
    const a = r.appMs as number;
    console.log(
      `  | ${String(r.model)} | ${r.firstCountMs === null ? '—' : `${(r.firstCountMs as number).toFixed(0)} + ${(r.firstSimMs as number).toFixed(0)}`} | ${c.toFixed(0)} | ${a.toFixed(0)} | ≈ ${((r.recountAllTurnsMs as number) / 1000).toFixed(1)} s (${(r.recountMsPerTurn as number).toFixed(1)} ms a turn, ${String(r.sampledTurns)} sampled turns) | ${verdict(c)} / ${verdict(a)} |`,
    );
  }
  console.log(
    `\n  medians of 5 fresh-counter and 9 in-app runs (a fresh counter still finds the tokenizer's own merge cache warm); the sampled turns' counts equal a full recount (checked). gpt-4o: original $${s.original.costUsd.toFixed(2)}, policy $${s.policy.costUsd.toFixed(2)} (saved ${(100 * s.savedFraction).toFixed(1)} %), break-even at turn ${s.breakEvenTurn ?? 'never'}, peak input ${s.original.peakInputTokens.toLocaleString('en-US')} → ${s.policy.peakInputTokens.toLocaleString('en-US')} tokens, cache reads ${s.original.cacheReadTokens.toLocaleString('en-US')} → ${s.policy.cacheReadTokens.toLocaleString('en-US')}`,
  );
  const gpt = rows[0]!;
  return {
    turns: TURNS,
    messages: conversation.messages.length,
    budget: BUDGET,
    rows,
    ms: gpt.coldMs,
    appMs: gpt.appMs,
    targetMs: TARGET_MS,
    targetMet: (gpt.coldMs as number) <= TARGET_MS,
    summary: s,
  };
}
