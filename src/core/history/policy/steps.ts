import type { HistoryMessage } from '../types';
import type { RequestCounter } from './count';
import { contentHash } from './hash';
import type { DropRepeatsStep, LastNStep, TokenBudgetStep } from './schema';
import {
  canStartAt,
  derived,
  firstUserIndex,
  merged,
  messageKey,
  unitEnd,
  type RequestProvider,
} from './structure';

/** A request between steps. */
export interface Working {
  system: string | undefined;
  messages: readonly HistoryMessage[];
}

/** What the steps need besides the request. */
export interface StepEnv {
  provider: RequestProvider;
  counter: RequestCounter;
  /** Tokens of tool definitions sent with every request. */
  toolTokens: number;
  contextWindow?: number | undefined;
}

export interface WindowOutcome {
  messages: readonly HistoryMessage[];
  /** True when even the smallest valid request is over the budget. */
  overBudget: boolean;
  /** Input tokens of the request with these messages, when the step counted them. */
  tokens?: number;
}

/** Tokens of the request around the messages: reply priming, system prompt, tool definitions. */
export const baseTokens = (env: StepEnv, system: string | undefined): number =>
  env.counter.perRequest + env.counter.system(system) + env.toolTokens;

/**
 * The kept first user message followed by `messages[c..]`, or just `messages[c..]`. For Anthropic a user
 * message after the kept one is merged into it (two user turns in a row are refused).
 */
function windowFrom(
  messages: readonly HistoryMessage[],
  c: number,
  pin: number,
  provider: RequestProvider,
): HistoryMessage[] {
  if (pin < 0 || pin >= c) return messages.slice(c);
  const first = messages[pin]!;
  if (provider === 'anthropic' && messages[c]!.role === 'user')
    return [merged(first, messages[c]!), ...messages.slice(c + 1)];
  return [first, ...messages.slice(c)];
}

/**
 * Drops the oldest units until the request fits `maxTokens`: the longest valid window (plus the first user
 * message when kept) whose exact count fits. Counts are the counter's cached per-message numbers, summed
 * from the end, so a turn costs the size of the window, not of the history.
 */
export function tokenBudget(w: Working, step: TokenBudgetStep, env: StepEnv): WindowOutcome {
  const msgs = w.messages;
  const { counter, provider } = env;
  const base = baseTokens(env, w.system);
  const pin = step.keepFirstUser ? firstUserIndex(msgs) : -1;
  const pinTokens = pin >= 0 ? counter.message(msgs[pin]!) : 0;
  let acc = 0;
  let best = -1;
  let bestTokens = 0;
  let smallest = -1;
  let smallestTokens = 0;
  for (let c = msgs.length - 1; c >= 0; c--) {
    acc += counter.message(msgs[c]!);
    // no window below can fit: each holds this one's messages (a kept first user message only adds)
    if (base + acc > step.maxTokens && smallest >= 0) break;
    const pinned = pin >= 0 && pin < c;
    if (!canStartAt(msgs, c, provider, pinned)) continue;
    const tokens = base + acc + (pinned ? pinTokens : 0);
    // Anthropic gets the first user message and a user message after it as one message (windowFrom)
    const merge =
      pinned && provider === 'anthropic' && msgs[c]!.role === 'user'
        ? counter.message(merged(msgs[pin]!, msgs[c]!)) - pinTokens - counter.message(msgs[c]!)
        : 0;
    if (smallest < 0) {
      smallest = c;
      smallestTokens = tokens + merge;
    }
    if (tokens + merge <= step.maxTokens) {
      best = c;
      bestTokens = tokens + merge;
    }
  }
  if (best >= 0)
    return {
      messages: best === 0 ? msgs : windowFrom(msgs, best, pin, provider),
      overBudget: false,
      tokens: bestTokens,
    };
  if (smallest < 0) return { messages: msgs, overBudget: base + acc > step.maxTokens };
  return { messages: windowFrom(msgs, smallest, pin, provider), overBudget: true, tokens: smallestTokens };
}

/** Keeps the latest messages or turns (a turn starts at a user message), never splitting a unit. */
export function lastN(w: Working, step: LastNStep, env: StepEnv): WindowOutcome {
  const msgs = w.messages;
  const n = msgs.length;
  const pin = step.keepFirstUser ? firstUserIndex(msgs) : -1;
  const valid = (c: number) => canStartAt(msgs, c, env.provider, pin >= 0 && pin < c);
  let cut = 0;
  if (step.turns !== undefined) {
    let seen = 0;
    cut = 0;
    for (let i = n - 1; i >= 0; i--) {
      if (msgs[i]!.role === 'user' && ++seen === step.turns) {
        cut = i;
        break;
      }
    }
  } else {
    const target = n - step.messages!;
    if (target > 0) {
      cut = -1;
      for (let c = target; c < n && cut < 0; c++) if (valid(c)) cut = c;
      for (let c = target - 1; c >= 0 && cut < 0; c--) if (valid(c)) cut = c;
      if (cut < 0) cut = 0;
    }
  }
  return { messages: cut === 0 ? msgs : windowFrom(msgs, cut, pin, env.provider), overBudget: false };
}

/** The name of the tool whose call `id` is in the assistant message `a`. */
const toolName = (a: HistoryMessage | undefined, id: string) => {
  for (const b of a?.content ?? []) if (b.type === 'tool_use' && b.id === id) return b.name;
  return 'tool';
};

/** A tool message whose results read `text` (cached per message and text). */
export function withResult(m: HistoryMessage, key: string, text: string): HistoryMessage {
  return derived(m, key, () => ({
    ...m,
    content: m.content.map((b) => (b.type === 'tool_result' ? { ...b, content: text } : b)),
  }));
}

const unitHashes = new WeakMap<HistoryMessage, string>();

/** A hash of what a message says, tool ids left out (two identical calls have different ids). */
function contentKey(m: HistoryMessage): string {
  let h = unitHashes.get(m);
  if (h === undefined) {
    const plain =
      m.role === 'assistant' || m.role === 'tool'
        ? JSON.stringify([
            m.role,
            m.content.map((b) =>
              b.type === 'tool_use'
                ? ['use', b.name, b.input]
                : b.type === 'tool_result'
                  ? ['result', b.content, b.isError ?? false]
                  : b,
            ),
          ])
        : messageKey(m);
    unitHashes.set(m, (h = contentHash(plain)));
  }
  return h;
}

/** The text of a tool message's results. */
export const resultText = (m: HistoryMessage): string =>
  m.content.map((b) => (b.type === 'tool_result' ? b.content : '')).join('');

/**
 * Drops a unit (a message, or a tool call with its results) that repeats an earlier one exactly, tool ids
 * aside, when it has at least `minTokens` tokens; the last unit is never dropped (it is what the model
 * answers). With `results`, a tool result that repeats an earlier result becomes a short placeholder. Both
 * depend only on earlier messages, so the request's prefix stays the same from turn to turn.
 */
export function dropRepeats(w: Working, step: DropRepeatsStep, env: StepEnv): readonly HistoryMessage[] {
  const msgs = w.messages;
  const units = new Set<string>();
  const results = new Set<string>();
  const out: HistoryMessage[] = [];
  let changed = false;
  for (let i = 0; i < msgs.length;) {
    const end = unitEnd(msgs, i);
    let key = contentKey(msgs[i]!);
    let tokens = env.counter.message(msgs[i]!);
    for (let j = i + 1; j < end; j++) {
      key += contentKey(msgs[j]!);
      tokens += env.counter.message(msgs[j]!);
    }
    if (end < msgs.length && tokens >= step.minTokens && units.has(key)) {
      changed = true;
      i = end;
      continue;
    }
    units.add(key);
    out.push(msgs[i]!);
    for (let j = i + 1; j < end; j++) {
      const m = msgs[j]!;
      const text = resultText(m);
      if (step.results && text !== '' && env.counter.message(m) >= step.minTokens) {
        const h = contentKey(m);
        if (results.has(h)) {
          const first = m.content.find((b) => b.type === 'tool_result');
          const name = first?.type === 'tool_result' ? toolName(msgs[i], first.toolUseId) : 'tool';
          const placeholder = step.resultPlaceholder.replaceAll('{tool}', () => name);
          out.push(withResult(m, `repeat:${placeholder}`, placeholder));
          changed = true;
          continue;
        }
        results.add(h);
      }
      out.push(m);
    }
    i = end;
  }
  return changed ? out : msgs;
}
