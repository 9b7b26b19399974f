import { AppError } from '../../errors';
import type { HistoryMessage } from '../types';
import { countRequest, type HistoryRequest, type RequestCounter } from './count';
import type { Policy, PolicyStepType } from './schema';
import { dropRepeats, lastN, tokenBudget, type StepEnv, type Working } from './steps';
import { toolResults } from './toolResults';
import { finalise, renameDuplicateToolIds, type RequestProvider } from './structure';
import {
  summariseStep,
  type SummariseRequest,
  type SummaryCache,
  type SummaryCall,
  type SummaryResult,
  type SummarisePort,
  type SummaryState,
} from './summarise';

/** Everything a policy needs besides the request: ports and the target's rules. */
export interface PolicyContext {
  /** Whose request rules the result must follow. */
  provider: RequestProvider;
  /** Counts for the target model (createRequestCounter over its encoding). */
  counter: RequestCounter;
  /** Tokens of the tool definitions sent with every request, counted by the caller (default 0). */
  toolTokens?: number;
  /** The target model's context window, for `contextFraction` triggers. */
  contextWindow?: number;
  /** The summariser model call; needed only when a summary is not in the cache. */
  summarise?: SummarisePort;
  summaryCache?: SummaryCache;
  /**
   * The caller already made tool ids unique over the whole conversation (renameDuplicateToolIds), so the
   * per-request pass Anthropic needs is skipped (a simulation does it once, not on every turn).
   */
  uniqueToolIds?: boolean;
}

/** What a policy remembers from one turn to the next (the summaries and what they cover). */
export interface PolicyState {
  readonly summaries: Map<number, SummaryState>;
}

export function createPolicyState(): PolicyState {
  return { summaries: new Map() };
}

export interface StepOutcome {
  /** The step's index in the policy. */
  index: number;
  type: PolicyStepType;
  messagesBefore: number;
  messagesAfter: number;
  /** Input tokens of the request after the step. */
  tokensAfter: number;
}

export interface PolicyResult {
  system: string | undefined;
  messages: HistoryMessage[];
  /** Input tokens of the request that goes out (counter's method; tool definitions included). */
  tokens: number;
  steps: StepOutcome[];
  summaries: SummaryCall[];
  /** True when a token budget could not be met without breaking a unit or the provider's rules. */
  overBudget: boolean;
  /** The repairs that made the request valid for the provider (see structure.ts). */
  repairs: { renamedToolIds: number; droppedLeading: number; merged: number };
}

/** True when the policy has an enabled summarise step (it may need the model: use applyPolicy). */
export function needsSummariser(policy: Policy): boolean {
  return policy.steps.some((s) => s.enabled && s.type === 'summarise');
}

/**
 * The policy as a generator: it yields each summary it needs from the model and takes the answer back, so
 * one implementation serves the async path, the sync path and the simulation.
 */
export function* runPolicy(
  policy: Policy,
  request: HistoryRequest,
  ctx: PolicyContext,
  state: PolicyState,
): Generator<SummariseRequest, PolicyResult, SummaryResult> {
  const env: StepEnv = {
    provider: ctx.provider,
    counter: ctx.counter,
    toolTokens: ctx.toolTokens ?? 0,
    contextWindow: ctx.contextWindow,
  };
  let renamedToolIds = 0;
  let messages = request.messages;
  if (ctx.provider === 'anthropic' && !ctx.uniqueToolIds) {
    const r = renameDuplicateToolIds(messages);
    messages = r.messages;
    renamedToolIds = r.renamed;
  }
  let w: Working = { system: request.system, messages };
  const steps: StepOutcome[] = [];
  const summaries: SummaryCall[] = [];
  let overBudget = false;
  // the input tokens of `w`, when a step has just counted them
  let known: number | undefined;
  for (let index = 0; index < policy.steps.length; index++) {
    const step = policy.steps[index]!;
    if (!step.enabled) continue;
    const before = w.messages.length;
    known = undefined;
    switch (step.type) {
      case 'dropRepeats':
        w = { system: w.system, messages: dropRepeats(w, step, env) };
        break;
      case 'toolResults':
        w = { system: w.system, messages: toolResults(w, step, env) };
        break;
      case 'lastN':
        w = { system: w.system, messages: lastN(w, step, env).messages };
        break;
      case 'tokenBudget': {
        const r = tokenBudget(w, step, env);
        w = { system: w.system, messages: r.messages };
        known = r.tokens;
        overBudget ||= r.overBudget;
        break;
      }
      case 'summarise': {
        const r = yield* summariseStep(w, step, index, env, state.summaries, ctx.summaryCache);
        w = r.working;
        if (r.call) summaries.push(r.call);
        break;
      }
    }
    known ??= countRequest(ctx.counter, w, env.toolTokens);
    steps.push({
      index,
      type: step.type,
      messagesBefore: before,
      messagesAfter: w.messages.length,
      tokensAfter: known,
    });
  }
  const f = finalise(w.messages, ctx.provider);
  const out = { system: w.system, messages: f.messages };
  const unchanged = f.droppedLeading === 0 && f.merges === 0;
  return {
    ...out,
    tokens: unchanged && known !== undefined ? known : countRequest(ctx.counter, out, env.toolTokens),
    steps,
    summaries,
    overBudget,
    repairs: { renamedToolIds, droppedLeading: f.droppedLeading, merged: f.merges },
  };
}

/**
 * Applies a policy to a request (system prompt + history so far). Summaries come from the cache or from
 * `ctx.summarise`; pass the same `state` on every turn of a conversation for rolling summaries. The result
 * keeps tool calls with their results and follows the provider's rules (validateRequest finds nothing).
 */
export async function applyPolicy(
  policy: Policy,
  request: HistoryRequest,
  ctx: PolicyContext,
  state: PolicyState = createPolicyState(),
): Promise<PolicyResult> {
  const it = runPolicy(policy, request, ctx, state);
  let r = it.next();
  while (!r.done) {
    if (!ctx.summarise)
      throw new AppError('INVALID_INPUT', 'This policy summarises: it needs a summariser model.', {
        model: r.value.model,
      });
    r = it.next(await ctx.summarise(r.value));
  }
  return r.value;
}

/**
 * The synchronous path, for policies that never call a model (and summarise steps whose summary is
 * cached): no promise per turn. Fails with UNSUPPORTED when a summary would need the model.
 */
export function applyPolicySync(
  policy: Policy,
  request: HistoryRequest,
  ctx: PolicyContext,
  state: PolicyState = createPolicyState(),
): PolicyResult {
  const r = runPolicy(policy, request, ctx, state).next();
  if (!r.done)
    throw new AppError(
      'UNSUPPORTED',
      `This policy needs a summary from ${r.value.model} that is not cached: use applyPolicy (async).`,
      { model: r.value.model },
    );
  return r.value;
}
