import { AppError } from '../../errors';
import type { RequestUsage } from '../../pricing/requestCost';
import type { HistoryMessage } from '../types';
import { countRequest } from './count';
import { contentHash } from './hash';
import type { SummariseStep } from './schema';
import type { StepEnv, Working } from './steps';
import { canStartAt, sameMessage } from './structure';

/** What the summariser model is asked: built entirely by the engine, sent by the host. */
export interface SummariseRequest {
  /** The model the step names (a catalog id or `provider:model`). */
  model: string;
  /** The step's prompt, `{maxTokens}` filled in: the summariser's system prompt. */
  system: string;
  /** The previous summary, if any, and the messages to fold in, as a transcript. */
  user: string;
  maxOutputTokens: number;
  /** Content hash of model, prompt, transcript and limit: the cache key. */
  key: string;
}

/** The summariser's answer, with what it cost as the host measured it (provider-reported usage). */
export interface SummaryResult {
  text: string;
  usage: RequestUsage;
  /** Null when the summariser model has no price: the simulation then refuses to total (never a silent $0). */
  costUsd: number | null;
}

/** The model call, passed in by the host: core never calls a provider. */
export type SummarisePort = (request: SummariseRequest) => Promise<SummaryResult>;

/** Summaries by content hash (a Map will do; the backend may persist them). */
export interface SummaryCache {
  get(key: string): SummaryResult | undefined;
  set(key: string, value: SummaryResult): void;
}

/** One summary a policy application needed. */
export interface SummaryCall {
  /** The step's index in the policy. */
  step: number;
  key: string;
  /** True when the cache had it: no model call, no cost. */
  cached: boolean;
  /** Messages folded into the summary by this call (the previous summary aside). */
  messages: number;
  usage: RequestUsage;
  /** What this call cost (0 when cached; null when the summariser has no price). */
  costUsd: number | null;
  text: string;
}

/** What a summarise step remembers between turns: which leading messages its summary replaces. */
export interface SummaryState {
  covered: readonly HistoryMessage[];
  summary: string;
  message: HistoryMessage;
}

export const SUMMARY_HEADER = 'Summary of the earlier conversation:';

const roleLabel = { user: 'User', assistant: 'Assistant', tool: 'Tool' } as const;

/** A plain-text transcript of messages for the summariser. */
export function transcript(messages: readonly HistoryMessage[]): string {
  const lines: string[] = [];
  const names = new Map<string, string>();
  for (const m of messages) {
    for (const b of m.content) {
      if (b.type === 'text') {
        if (b.text.trim() !== '') lines.push(`${roleLabel[m.role]}: ${b.text}`);
      } else if (b.type === 'tool_use') {
        names.set(b.id, b.name);
        const args = typeof b.input === 'string' ? b.input : JSON.stringify(b.input ?? {});
        lines.push(`Assistant called ${b.name}(${args})`);
      } else if (b.type === 'tool_result') {
        const name = names.get(b.toolUseId) ?? 'a tool';
        lines.push(`Result of ${name}${b.isError ? ' (error)' : ''}: ${b.content}`);
      }
    }
  }
  return lines.join('\n');
}

/** The summariser's user message: the previous summary, then the messages to fold in. */
export function summaryInput(previous: string | undefined, messages: readonly HistoryMessage[]): string {
  const body = transcript(messages);
  return previous === undefined
    ? `Conversation:\n${body}`
    : `Summary so far:\n${previous}\n\nNew messages:\n${body}`;
}

/**
 * Whether `messages` still starts with what a summary covered. Tool results may have changed since (a
 * clearing or truncating step before this one rewrites older results turn by turn): the summary was made
 * from the fuller text, so a result that answers the same call still counts as the same.
 */
function stillCovers(messages: readonly HistoryMessage[], covered: readonly HistoryMessage[]): boolean {
  if (messages.length < covered.length) return false;
  for (let i = 0; i < covered.length; i++) {
    const a = messages[i]!;
    const b = covered[i]!;
    if (a === b) continue;
    if (a.role === 'tool' && b.role === 'tool') {
      const ids = (m: HistoryMessage) =>
        m.content.map((x) => (x.type === 'tool_result' ? x.toolUseId : '')).join();
      if (ids(a) === ids(b)) continue;
    }
    if (!sameMessage(a, b)) return false;
  }
  return true;
}

function placed(w: Working, step: SummariseStep, s: SummaryState | undefined, from: number): Working {
  if (!s) return w;
  const tail = w.messages.slice(from);
  if (step.placement === 'system') {
    const text = `${SUMMARY_HEADER}\n${s.summary}`;
    return { system: w.system ? `${w.system}\n\n${text}` : text, messages: tail };
  }
  return { system: w.system, messages: [s.message, ...tail] };
}

function triggered(w: Working, step: SummariseStep, env: StepEnv): boolean {
  const t = step.trigger;
  if (t.messages !== undefined && w.messages.length >= t.messages) return true;
  if (t.tokens === undefined && t.contextFraction === undefined) return false;
  const tokens = countRequest(env.counter, w, env.toolTokens);
  if (t.tokens !== undefined && tokens >= t.tokens) return true;
  if (t.contextFraction !== undefined) {
    if (!env.contextWindow)
      throw new AppError(
        'INVALID_INPUT',
        "A summarise step with `contextFraction` needs the target model's context window.",
        { field: 'trigger.contextFraction' },
      );
    if (tokens >= t.contextFraction * env.contextWindow) return true;
  }
  return false;
}

/**
 * The summarise step. Between triggers the request is the summary followed by every message after the part
 * it covers, so the prefix stays stable for the prompt cache. When the request reaches the trigger, the part
 * before the last `keepLast` messages (cut where a request may start, never inside a tool call's unit) is
 * folded into the summary together with the previous one (rolling re-summarisation). A summary is looked up
 * by content hash first; only a miss is yielded, for the caller to ask the model.
 */
export function* summariseStep(
  w: Working,
  step: SummariseStep,
  index: number,
  env: StepEnv,
  states: Map<number, SummaryState>,
  cache: SummaryCache | undefined,
): Generator<SummariseRequest, { working: Working; call?: SummaryCall }, SummaryResult> {
  const msgs = w.messages;
  let state = states.get(index);
  if (state && !stillCovers(msgs, state.covered)) {
    states.delete(index);
    state = undefined;
  }
  const from = state?.covered.length ?? 0;
  const current = placed(w, step, state, from);
  if (!triggered(current, step, env)) return { working: current };
  // the summary message is a user message, so after it a request may go on with the assistant
  const afterUser = step.placement === 'message';
  let cut = -1;
  for (let c = Math.min(msgs.length - step.keepLast, msgs.length - 1); c > from; c--) {
    if (canStartAt(msgs, c, env.provider, afterUser)) {
      cut = c;
      break;
    }
  }
  if (cut < 0) return { working: current };
  const fresh = msgs.slice(from, cut);
  const system = step.prompt.replaceAll('{maxTokens}', String(step.maxSummaryTokens));
  const user = summaryInput(state?.summary, fresh);
  const key = contentHash(JSON.stringify([step.model, system, user, step.maxSummaryTokens]));
  let result = cache?.get(key);
  const cached = result !== undefined;
  if (!result) {
    result = yield { model: step.model, system, user, maxOutputTokens: step.maxSummaryTokens, key };
    cache?.set(key, result);
  }
  const next: SummaryState = {
    covered: msgs.slice(0, cut),
    summary: result.text,
    message: { role: 'user', content: [{ type: 'text', text: `${SUMMARY_HEADER}\n${result.text}` }] },
  };
  states.set(index, next);
  return {
    working: placed(w, step, next, cut),
    call: {
      step: index,
      key,
      cached,
      messages: fresh.length,
      usage: cached ? { inputTokens: 0, outputTokens: 0 } : result.usage,
      costUsd: cached ? 0 : result.costUsd,
      text: result.text,
    },
  };
}
