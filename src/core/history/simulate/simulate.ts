import { AppError } from '../../errors';
import type { CountMethod } from '../../tokens/tokenizer';
import { createPolicyState, runPolicy, type PolicyContext } from '../policy/apply';
import { KEEP_ALL } from '../policy/schema';
import { finalise, providerOf, renameDuplicateToolIds } from '../policy/structure';
import type { SummariseRequest, SummaryResult } from '../policy/summarise';
import type { HistoryMessage } from '../types';
import { promptCacheSplit, type CachedRequest } from './cache';
import { requestPricer } from './price';
import type { SimulationInput, SimulationResult, SimulationSeries, SimulationTotals } from './types';

function series(): SimulationSeries {
  return {
    messages: [],
    inputTokens: [],
    uncachedTokens: [],
    cacheReadTokens: [],
    cacheWriteTokens: [],
    outputTokens: [],
    requestUsd: [],
    costUsd: [],
    cumulativeUsd: [],
  };
}

/** A request as sent on one turn. */
interface SentRequest {
  system: string | undefined;
  messages: readonly HistoryMessage[];
  tokens: number;
  extendsPrevious?: boolean;
}

/** One side's running state: its previous request (for the cache) and its series. */
class Side {
  readonly s = series();
  private prev: CachedRequest | undefined;
  private total = 0;
  private readonly price: ReturnType<typeof requestPricer>;

  constructor(private readonly input: SimulationInput) {
    this.price = requestPricer(input.model, { batch: input.batch === true });
  }

  record(r: SentRequest, outputTokens: number, extraUsd: number): void {
    const { model, counter } = this.input;
    const head = (this.input.toolTokens ?? 0) + counter.system(r.system);
    const cur: CachedRequest = {
      system: r.system,
      messages: r.messages,
      headTokens: head,
      prefixTokens: r.tokens - counter.perRequest,
      extendsPrevious: r.extendsPrevious === true,
    };
    const split =
      this.input.caching === false ? { read: 0, write: 0 } : promptCacheSplit(model, this.prev, cur, counter);
    this.prev = cur;
    const ttlKey = this.input.cacheTtl === '1h' ? 'cacheWrite1hTokens' : 'cacheWrite5mTokens';
    const cost = this.price({
      inputTokens: r.tokens - split.read - split.write,
      cacheReadTokens: split.read,
      [ttlKey]: split.write,
      outputTokens,
    });
    if (cost.totalUsd === null)
      throw new AppError(
        'NO_PRICE',
        `${model.label} has no price for ${cost.unpriced.join(', ')}: the simulation cannot total its cost.`,
        { model: model.id, unpriced: cost.unpriced },
      );
    const s = this.s;
    s.messages.push(r.messages.length);
    s.inputTokens.push(r.tokens);
    s.uncachedTokens.push(r.tokens - split.read - split.write);
    s.cacheReadTokens.push(split.read);
    s.cacheWriteTokens.push(split.write);
    s.outputTokens.push(outputTokens);
    s.requestUsd.push(cost.totalUsd);
    s.costUsd.push(cost.totalUsd + extraUsd);
    this.total += cost.totalUsd + extraUsd;
    s.cumulativeUsd.push(this.total);
  }
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function totals(s: SimulationSeries): SimulationTotals {
  return {
    inputTokens: sum(s.inputTokens),
    cacheReadTokens: sum(s.cacheReadTokens),
    cacheWriteTokens: sum(s.cacheWriteTokens),
    outputTokens: sum(s.outputTokens),
    costUsd: s.cumulativeUsd[s.cumulativeUsd.length - 1] ?? 0,
    peakInputTokens: s.inputTokens.reduce((a, b) => Math.max(a, b), 0),
  };
}

/** The first turn (1-based) from which `policy` stays strictly below `original`; null when the last is not. */
export function breakEven(original: readonly number[], policy: readonly number[]): number | null {
  let t = original.length;
  while (t > 0 && policy[t - 1]! < original[t - 1]!) t--;
  return t === original.length ? null : t + 1;
}

function* simulation(input: SimulationInput): Generator<SummariseRequest, SimulationResult, SummaryResult> {
  const { conversation, policy, model, counter } = input;
  const provider = input.provider ?? providerOf(model);
  const ctx: PolicyContext = {
    provider,
    counter,
    toolTokens: input.toolTokens ?? 0,
    contextWindow: model.contextWindow,
    uniqueToolIds: true,
    ...(input.summaryCache ? { summaryCache: input.summaryCache } : {}),
  };
  const state = createPolicyState();
  const original = new Side(input);
  const managed = new Side(input);
  const turn: number[] = [];
  const messageIndex: number[] = [];
  const calls: number[] = [];
  const cachedCalls: number[] = [];
  const summariserUsd: number[] = [];
  const overBudget: boolean[] = [];
  let estimated = false;
  let opaque = false;
  const msgs = conversation.messages;
  // Anthropic's unique tool ids, made once for the whole conversation (a renaming depends only on earlier
  // messages, so each turn's history is a prefix of this)
  const prepared = provider === 'anthropic' ? renameDuplicateToolIds(msgs).messages : msgs;
  // when the conversation needs no other repair, the original request at turn i is exactly its first i
  // messages, and its count a running sum
  const check = finalise(prepared, provider);
  const direct = check.droppedLeading === 0 && check.merges === 0;
  let running = counter.perRequest + counter.system(conversation.system) + (input.toolTokens ?? 0);
  // the history so far, grown in place: a policy never keeps its input array (its result is a new one)
  const history: HistoryMessage[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const m = prepared[i]!;
    estimated ||= counter.estimated(m);
    opaque ||= m.content.some((b) => b.type === 'opaque');
    // a model call produced each assistant message; with nothing before it there is no request to manage
    if (m.role === 'assistant' && i > 0) {
      const request = { system: conversation.system, messages: history };
      const out = counter.output(m);
      // (direct: the original request is `history` itself, known to extend the previous one)
      const plain: SentRequest = direct
        ? { ...request, tokens: running, extendsPrevious: true }
        : yield* runPolicy(KEEP_ALL, request, ctx, createPolicyState());
      const r = yield* runPolicy(policy, request, ctx, state);
      let usd = 0;
      for (const c of r.summaries) {
        if (c.costUsd === null)
          throw new AppError(
            'NO_PRICE',
            `The summariser of step ${c.step + 1} reported no cost: the simulation cannot total the policy's cost.`,
            { step: c.step },
          );
        usd += c.costUsd;
      }
      original.record(plain, out, 0);
      managed.record(r, out, usd);
      turn.push(turn.length + 1);
      messageIndex.push(i);
      calls.push(r.summaries.filter((c) => !c.cached).length);
      cachedCalls.push(r.summaries.filter((c) => c.cached).length);
      summariserUsd.push(usd);
      overBudget.push(r.overBudget);
    }
    running += counter.message(m);
    history.push(m);
  }
  const breakEvenTurn = breakEven(original.s.cumulativeUsd, managed.s.cumulativeUsd);
  const o = totals(original.s);
  const p = totals(managed.s);
  const method: CountMethod = model.tokenCountMethod === 'exact' && !estimated ? 'exact' : 'estimate';
  const notes: string[] = [];
  if (model.tokenCountMethod !== 'exact')
    notes.push(`${model.label} has no public tokenizer: counted with ${model.countWith} as a stand-in.`);
  if (estimated)
    notes.push('tool calls counted by their name and arguments (OpenAI does not document their framing)');
  if (opaque) notes.push('images, documents and other non-text blocks not counted');
  notes.push(
    input.caching === false
      ? 'prompt caching off: every input token priced as uncached'
      : `prompt caching modelled (${model.caching}): the prefix shared with the previous turn's request, at message granularity, every turn within the cache lifetime`,
  );
  if (calls.some((n) => n > 0))
    notes.push('summariser costs as the host reported them, on the turn they happen');
  return {
    model: model.id,
    policyName: policy.name,
    provider,
    caching: input.caching === false ? 'off' : model.caching,
    turn,
    messageIndex,
    original: original.s,
    policy: {
      ...managed.s,
      summariserCalls: calls,
      summariserCached: cachedCalls,
      summariserUsd,
      overBudget,
    },
    breakEvenTurn,
    summary: {
      turns: turn.length,
      original: o,
      policy: {
        ...p,
        summariserCalls: sum(calls),
        summariserCached: sum(cachedCalls),
        summariserUsd: sum(summariserUsd),
      },
      savedUsd: o.costUsd - p.costUsd,
      savedFraction: o.costUsd > 0 ? (o.costUsd - p.costUsd) / o.costUsd : 0,
      savedInputTokens: o.inputTokens - p.inputTokens,
      breakEvenTurn,
      overBudgetTurns: overBudget.filter(Boolean).length,
      method,
      notes,
    },
  };
}

/**
 * Replays a conversation as an app sends it: at each assistant message the request is the system prompt and
 * the history so far, once as is and once managed by the policy (its state carried from turn to turn), and
 * each is priced with the model's prompt caching and the real output of that turn. Summaries the policy
 * needs come from the cache or `input.summarise`, their cost added on the turn they are made.
 */
export async function simulate(input: SimulationInput): Promise<SimulationResult> {
  const it = simulation(input);
  let r = it.next();
  while (!r.done) {
    if (!input.summarise)
      throw new AppError(
        'INVALID_INPUT',
        'This policy summarises: the simulation needs a summariser model.',
        {
          model: r.value.model,
        },
      );
    r = it.next(await input.summarise(r.value));
  }
  return r.value;
}

/** The synchronous simulation, for policies that never need a model call (UNSUPPORTED otherwise). */
export function simulateSync(input: SimulationInput): SimulationResult {
  const r = simulation(input).next();
  if (!r.done)
    throw new AppError(
      'UNSUPPORTED',
      `This policy needs a summary from ${r.value.model} that is not cached: use simulate (async).`,
      { model: r.value.model },
    );
  return r.value;
}
