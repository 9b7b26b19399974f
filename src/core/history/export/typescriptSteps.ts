import type { PolicyStepType } from '../policy';
import type { TsCorePiece, TsPiece } from './typescriptRuntime';

/**
 * The step functions of the generated TypeScript module (see typescriptRuntime.ts): the engine's steps
 * (src/core/history/policy/steps.ts, summarise.ts) restated over OpenAI chat messages for OpenAI's request
 * rules. No backticks and no dollar-brace inside, so they sit in raw template strings as written.
 */

export type TsStepPiece = 'window' | PolicyStepType;

/** The step pieces, in the order they are written. */
export const TS_STEPS: Readonly<Record<TsStepPiece, TsPiece<TsCorePiece | TsStepPiece>>> = {
  window: {
    needs: [],
    code: String.raw`
const firstUserIndex = (msgs: readonly ChatMessage[]): number => msgs.findIndex((m) => m.role === 'user');

/** The kept first user message (when it is before c) followed by msgs[c..]. */
const windowFrom = (msgs: readonly ChatMessage[], c: number, pin: number): readonly ChatMessage[] =>
  pin < 0 || pin >= c ? msgs.slice(c) : [msgs[pin]!, ...msgs.slice(c)];
`,
  },
  dropRepeats: {
    needs: [
      'messageKey',
      'unitEnd',
      'messageTokens',
      'withResult',
      'resultText',
      'calls',
      'callName',
      'Working',
    ],
    code: String.raw`
/** The name of the tool whose call id is in the assistant message a. */
function toolName(a: ChatMessage, id: string | undefined): string {
  for (const c of calls(a)) if (c.id === id) return callName(c);
  return 'tool';
}

/**
 * Drops a unit (a message, or a tool call with its results) that repeats an earlier one, call ids aside,
 * when it has at least minTokens tokens; never the last unit. With results, a tool result that repeats an
 * earlier result becomes a placeholder.
 */
function dropRepeats(w: Working, step: DropRepeatsStep, ctx: Context): readonly ChatMessage[] {
  const msgs = w.messages;
  const units = new Set<string>();
  const results = new Set<string>();
  const out: ChatMessage[] = [];
  let changed = false;
  for (let i = 0; i < msgs.length; ) {
    const end = unitEnd(msgs, i);
    let key = messageKey(msgs[i]!, false);
    let tokens = messageTokens(msgs[i]!, ctx);
    for (let j = i + 1; j < end; j++) {
      key += '\n' + messageKey(msgs[j]!, false);
      tokens += messageTokens(msgs[j]!, ctx);
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
      if (step.results && resultText(m) !== '' && messageTokens(m, ctx) >= step.minTokens) {
        const h = messageKey(m, false);
        if (results.has(h)) {
          out.push(withResult(m, step.resultPlaceholder.replaceAll('{tool}', () => toolName(msgs[i]!, m.tool_call_id))));
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
`,
  },
  toolResults: {
    needs: ['calls', 'callName', 'resultText', 'withResult', 'Working'],
    code: String.raw`
/** The head and the tail of text (about maxTokens in all) around a marker saying how many tokens were cut. */
function truncateMiddle(text: string, maxTokens: number, marker: string, count: (text: string) => number): string {
  const total = count(text);
  if (total <= maxTokens) return text;
  const headBudget = Math.ceil(maxTokens / 2);
  const tailBudget = maxTokens - headBudget;
  // the longest piece of at most budget tokens from the start or the end (binary search on UTF-16 units)
  const longest = (budget: number, fromEnd: boolean): number => {
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const piece = fromEnd ? text.slice(text.length - mid) : text.slice(0, mid);
      if (count(piece) <= budget) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  let head = longest(headBudget, false);
  // never split a surrogate pair
  if (head > 0 && head < text.length && /[\uD800-\uDBFF]/.test(text[head - 1]!)) head--;
  let tail = Math.min(longest(tailBudget, true), text.length - head);
  if (tail > 0 && /[\uDC00-\uDFFF]/.test(text[text.length - tail]!)) tail--;
  const headText = text.slice(0, head);
  const tailText = text.slice(text.length - tail);
  const left = Math.max(0, total - count(headText) - count(tailText));
  return headText + marker.replaceAll('{tokens}', String(left).replace(/\B(?=(\d{3})+(?!\d))/g, ',')) + tailText;
}

/**
 * Truncates long tool results to their head and tail, and/or replaces the results of all but the last keep
 * tool uses by a placeholder (a result already shorter than the placeholder stays). Calls stay.
 */
function toolResults(w: Working, step: ToolResultsStep, ctx: Context): readonly ChatMessage[] {
  const msgs = w.messages;
  const { clear, truncate } = step;
  const excluded = new Set(clear ? clear.excludeTools : []);
  let uses = 0;
  if (clear) for (const m of msgs) for (const c of calls(m)) if (!excluded.has(callName(c))) uses++;
  const oldUses = clear ? Math.max(0, uses - clear.keep) : 0;
  let seenUses = 0;
  // ids of the current unit's calls whose results are cleared, with their count
  let toClear = new Map<string, number>();
  let assistant: ChatMessage | undefined;
  let out: ChatMessage[] | undefined;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    let next = m;
    if (m.role === 'assistant') {
      assistant = m;
      toClear = new Map();
      for (const c of calls(m)) {
        if (excluded.has(callName(c))) continue;
        if (seenUses++ < oldUses) toClear.set(c.id, (toClear.get(c.id) ?? 0) + 1);
      }
    } else if (m.role === 'tool' && assistant) {
      const id = m.tool_call_id;
      const text = resultText(m);
      const n = id === undefined ? 0 : (toClear.get(id) ?? 0);
      if (clear && id !== undefined && n > 0) {
        toClear.set(id, n - 1);
        if (text !== '' && ctx.count(text) > ctx.count(clear.placeholder)) next = withResult(m, clear.placeholder);
      } else if (truncate && text !== '') {
        const cut = truncateMiddle(text, truncate.maxTokens, truncate.marker, ctx.count);
        if (cut !== text) next = withResult(m, cut);
      }
    } else assistant = undefined;
    if (next !== m) out ??= msgs.slice(0, i);
    out?.push(next);
  }
  return out ?? msgs;
}
`,
  },
  lastN: {
    needs: ['window', 'canStartAt', 'Working'],
    code: String.raw`
/** Keeps the latest messages or turns (a turn starts at a user message), never splitting a tool call from its results. */
function lastN(w: Working, step: LastNStep): readonly ChatMessage[] {
  const msgs = w.messages;
  const n = msgs.length;
  const pin = step.keepFirstUser ? firstUserIndex(msgs) : -1;
  let cut = 0;
  if (step.turns !== null) {
    let seen = 0;
    for (let i = n - 1; i >= 0; i--) {
      if (msgs[i]!.role === 'user' && ++seen === step.turns) {
        cut = i;
        break;
      }
    }
  } else {
    const target = n - (step.messages ?? n);
    if (target > 0) {
      cut = -1;
      for (let c = target; c < n && cut < 0; c++) if (canStartAt(msgs, c)) cut = c;
      for (let c = target - 1; c >= 0 && cut < 0; c--) if (canStartAt(msgs, c)) cut = c;
      if (cut < 0) cut = 0;
    }
  }
  return cut === 0 ? msgs : windowFrom(msgs, cut, pin);
}
`,
  },
  tokenBudget: {
    needs: ['window', 'requestTokens', 'messageTokens', 'canStartAt', 'Working'],
    code: String.raw`
/**
 * Drops the oldest units until the request fits maxTokens: the longest valid window (after the first user
 * message when it is kept) whose count fits, or the smallest valid one when none does.
 */
function tokenBudget(w: Working, step: TokenBudgetStep, ctx: Context): readonly ChatMessage[] {
  const msgs = w.messages;
  const base = requestTokens({ system: w.system, messages: [] }, ctx);
  const pin = step.keepFirstUser ? firstUserIndex(msgs) : -1;
  const pinTokens = pin >= 0 ? messageTokens(msgs[pin]!, ctx) : 0;
  let acc = 0;
  let best = -1;
  let smallest = -1;
  for (let c = msgs.length - 1; c >= 0; c--) {
    acc += messageTokens(msgs[c]!, ctx);
    // no longer window can fit: each holds this one's messages
    if (base + acc > step.maxTokens && smallest >= 0) break;
    if (!canStartAt(msgs, c)) continue;
    const tokens = base + acc + (pin >= 0 && pin < c ? pinTokens : 0);
    if (smallest < 0) smallest = c;
    if (tokens <= step.maxTokens) best = c;
  }
  if (best >= 0) return best === 0 ? msgs : windowFrom(msgs, best, pin);
  if (smallest < 0) return msgs;
  return windowFrom(msgs, smallest, pin);
}
`,
  },
  summarise: {
    needs: [
      'messageKey',
      'otherParts',
      'requestTokens',
      'canStartAt',
      'texts',
      'calls',
      'callName',
      'callInput',
      'inputText',
      'resultText',
      'Working',
    ],
    code: String.raw`
const SUMMARY_HEADER = 'Summary of the earlier conversation:';

/** A plain-text transcript of messages for the summariser. */
function transcript(messages: readonly ChatMessage[]): string {
  const lines: string[] = [];
  const names = new Map<string, string>();
  for (const m of messages) {
    if (m.role === 'tool') {
      lines.push('Result of ' + (names.get(m.tool_call_id ?? '') ?? 'a tool') + ': ' + resultText(m));
      continue;
    }
    const label = m.role === 'user' ? 'User' : m.role === 'assistant' ? 'Assistant' : undefined;
    if (label !== undefined) for (const t of texts(m)) if (t.trim() !== '') lines.push(label + ': ' + t);
    for (const c of calls(m)) {
      names.set(c.id, callName(c));
      lines.push('Assistant called ' + callName(c) + '(' + inputText(callInput(c)) + ')');
    }
  }
  return lines.join('\n');
}

const resultIds = (m: ChatMessage): string => [m.tool_call_id ?? '', ...otherParts(m).map(() => '')].join();

/** Whether msgs still starts with what a summary covered (a tool result rewritten since still counts). */
function stillCovers(msgs: readonly ChatMessage[], covered: readonly ChatMessage[]): boolean {
  if (msgs.length < covered.length) return false;
  for (let i = 0; i < covered.length; i++) {
    const a = msgs[i]!;
    const b = covered[i]!;
    if (a === b) continue;
    if (a.role === 'tool' && b.role === 'tool' && resultIds(a) === resultIds(b)) continue;
    if (messageKey(a, true) !== messageKey(b, true)) return false;
  }
  return true;
}

function placed(w: Working, step: SummariseStep, s: PolicySummary | undefined, from: number): Working {
  if (!s) return w;
  const tail = w.messages.slice(from);
  if (step.placement === 'system') {
    const text = SUMMARY_HEADER + '\n' + s.summary;
    return { system: w.system ? w.system + '\n\n' + text : text, messages: tail };
  }
  return { system: w.system, messages: [s.message, ...tail] };
}

function triggered(w: Working, step: SummariseStep, ctx: Context): boolean {
  const t = step.trigger;
  if (t.messages !== null && w.messages.length >= t.messages) return true;
  if (t.tokens === null && t.contextFraction === null) return false;
  const tokens = requestTokens(w, ctx);
  if (t.tokens !== null && tokens >= t.tokens) return true;
  if (t.contextFraction !== null) {
    if (!ctx.contextWindow)
      throw new Error('This policy summarises at a share of the context window: pass options.contextWindow.');
    if (tokens >= t.contextFraction * ctx.contextWindow) return true;
  }
  return false;
}

/**
 * Between triggers the request is the summary followed by every message after the part it covers; at the
 * trigger, the part before the last keepLast messages is folded into the summary with the previous one.
 */
async function summarise(w: Working, step: SummariseStep, ctx: Context): Promise<Working> {
  const msgs = w.messages;
  const states = ctx.state.summaries;
  let state = states.get(step.index);
  if (state && !stillCovers(msgs, state.covered)) {
    states.delete(step.index);
    state = undefined;
  }
  const from = state ? state.covered.length : 0;
  const current = placed(w, step, state, from);
  if (!triggered(current, step, ctx)) return current;
  let cut = -1;
  for (let c = Math.min(msgs.length - step.keepLast, msgs.length - 1); c > from; c--) {
    if (canStartAt(msgs, c)) {
      cut = c;
      break;
    }
  }
  if (cut < 0) return current;
  const fresh = msgs.slice(from, cut);
  const previous = state?.summary;
  const user =
    previous === undefined
      ? 'Conversation:\n' + transcript(fresh)
      : 'Summary so far:\n' + previous + '\n\nNew messages:\n' + transcript(fresh);
  if (!ctx.summarise)
    throw new Error('This policy summarises (step ' + (step.index + 1) + '): pass options.summarise.');
  const summary = await ctx.summarise({
    model: step.model,
    system: step.prompt.replaceAll('{maxTokens}', String(step.maxSummaryTokens)),
    user,
    maxOutputTokens: step.maxSummaryTokens,
    messages: fresh,
    previous,
  });
  const next: PolicySummary = {
    covered: msgs.slice(0, cut),
    summary,
    message: { role: 'user', content: SUMMARY_HEADER + '\n' + summary },
  };
  states.set(step.index, next);
  return placed(w, step, next, cut);
}
`,
  },
};
