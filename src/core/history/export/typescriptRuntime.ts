/**
 * The code of the generated TypeScript module, in pieces (the steps' own in typescriptSteps.ts):
 * policyToTypeScript keeps the pieces the policy's steps need. Each piece is the engine's algorithm (src/core/history/policy) restated over OpenAI chat
 * messages, for OpenAI's request rules; test/core/history/export checks that the two agree message for
 * message. The pieces hold no backticks and no dollar-brace, so they sit in raw template strings as written.
 */

export const TS_TYPES = String.raw`
/** A content part of an OpenAI chat message (text, image_url, refusal, …). */
export interface ChatContentPart {
  type: string;
  text?: string;
}

/** A tool call of an assistant message. */
export interface ChatToolCall {
  id: string;
  type?: string;
  function?: { name: string; arguments?: string | null };
}

/** An OpenAI chat message: system/developer, user, assistant (with tool_calls) or tool. */
export interface ChatMessage {
  role: string;
  content?: string | readonly ChatContentPart[] | null;
  name?: string;
  tool_calls?: readonly ChatToolCall[] | null;
  tool_call_id?: string;
  refusal?: string | null;
  reasoning_content?: string | null;
}
`;

export const TS_SUMMARY_TYPES = String.raw`
/** What the summariser model is asked. */
export interface SummaryRequest {
  /** The model the policy names for summaries (a PromptPress catalog id or provider:model). */
  model: string;
  /** The summariser's instructions: send them as its system prompt. */
  system: string;
  /** The previous summary (if any) and the messages to fold in, as a transcript: its user message. */
  user: string;
  maxOutputTokens: number;
  /** The messages folded in, for a summariser of your own. */
  messages: readonly ChatMessage[];
  /** The summary these messages are folded into, if any. */
  previous: string | undefined;
}

/** A summary the policy made, and the leading messages it replaces. */
export interface PolicySummary {
  covered: readonly ChatMessage[];
  summary: string;
  message: ChatMessage;
}

/** What the policy remembers between the turns of one conversation: its summaries, by step. */
export interface PolicyState {
  summaries: Map<number, PolicySummary>;
}

/** A new state: keep one per conversation and pass it on every turn, so a summary is made once and rolled. */
export function createPolicyState(): PolicyState {
  return { summaries: new Map() };
}
`;

/** A piece of the generated module, with the pieces it uses. */
export interface TsPiece<Name extends string> {
  needs: readonly Name[];
  code: string;
}

/** The pieces every step builds on: reading OpenAI messages, counting them, writing the request. */
export type TsCorePiece =
  | 'Working'
  | 'estimateTokens'
  | 'isSystem'
  | 'texts'
  | 'otherParts'
  | 'resultText'
  | 'calls'
  | 'hasToolCalls'
  | 'callName'
  | 'callInput'
  | 'inputText'
  | 'messageTokens'
  | 'requestTokens'
  | 'unitEnd'
  | 'canStartAt'
  | 'withResult'
  | 'output'
  | 'messageKey';

/** The core pieces, in the order they are written. */
export const TS_CORE: Readonly<Record<TsCorePiece, TsPiece<TsCorePiece>>> = {
  Working: {
    needs: [],
    code: String.raw`
interface Working {
  system: string | undefined;
  messages: readonly ChatMessage[];
}
`,
  },
  estimateTokens: {
    needs: [],
    code: String.raw`
/**
 * A rough token count: UTF-8 bytes / 4, rounded up. The default when no countTokens is passed, so budgets
 * are then estimates: pass the target model's tokenizer for exact ones.
 */
export function estimateTokens(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return Math.ceil(bytes / 4);
}
`,
  },
  isSystem: {
    needs: [],
    code: String.raw`
const isSystem = (m: ChatMessage): boolean => m.role === 'system' || m.role === 'developer';
`,
  },
  texts: {
    needs: [],
    code: String.raw`
/** The text parts of a message's content (a string is one). */
function texts(m: ChatMessage): string[] {
  const c = m.content;
  if (typeof c === 'string') return [c];
  if (!Array.isArray(c)) return [];
  const out: string[] = [];
  for (const p of c as readonly ChatContentPart[])
    if (p.type === 'text') out.push(typeof p.text === 'string' ? p.text : '');
  return out;
}
`,
  },
  otherParts: {
    needs: [],
    code: String.raw`
/** The parts that are not text (images, refusals, …). */
const otherParts = (m: ChatMessage): ChatContentPart[] =>
  Array.isArray(m.content) ? (m.content as readonly ChatContentPart[]).filter((p) => p.type !== 'text') : [];
`,
  },
  resultText: {
    needs: ['texts'],
    code: String.raw`
/** A tool message's result: its text parts joined by newlines. */
const resultText = (m: ChatMessage): string => texts(m).join('\n');
`,
  },
  calls: {
    needs: [],
    code: String.raw`
const calls = (m: ChatMessage): readonly ChatToolCall[] =>
  m.role === 'assistant' && Array.isArray(m.tool_calls) ? m.tool_calls : [];
`,
  },
  hasToolCalls: {
    needs: ['calls'],
    code: String.raw`
const hasToolCalls = (m: ChatMessage): boolean => calls(m).length > 0;
`,
  },
  callName: {
    needs: [],
    code: String.raw`
const callName = (c: ChatToolCall): string => c.function?.name ?? '';
`,
  },
  callInput: {
    needs: [],
    code: String.raw`
/** A call's arguments as read: the parsed JSON, or the text itself when it is not JSON or is a JSON string. */
function callInput(c: ChatToolCall): unknown {
  const raw: unknown = c.function?.arguments;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'string' || raw === '') return raw;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? raw : value;
  } catch {
    return raw;
  }
}
`,
  },
  inputText: {
    needs: [],
    code: String.raw`
/** Arguments as counted and summarised: compact JSON of the parsed value, or the text as written. */
const inputText = (input: unknown): string =>
  typeof input === 'string' ? input : JSON.stringify(input ?? {});
`,
  },
  messageTokens: {
    needs: ['resultText', 'texts', 'calls', 'callName', 'callInput', 'inputText'],
    code: String.raw`
/**
 * Tokens a message adds to a request, framed as OpenAI's chat format frames it (OpenAI cookbook, "How to
 * count tokens with tiktoken"): 3, the role, the text, the name (+1), each tool call's name and arguments,
 * the tool call id.
 */
function messageTokens(m: ChatMessage, ctx: Context): number {
  let n = ctx.tokens.get(m);
  if (n === undefined) {
    const count = ctx.count;
    n = 3 + count(m.role);
    if (m.role === 'tool') n += count(resultText(m));
    else for (const t of texts(m)) n += count(t);
    if (typeof m.name === 'string') n += count(m.name) + 1;
    for (const c of calls(m)) n += count(callName(c)) + count(inputText(callInput(c)));
    if (m.role === 'tool' && typeof m.tool_call_id === 'string') n += count(m.tool_call_id);
    ctx.tokens.set(m, n);
  }
  return n;
}
`,
  },
  requestTokens: {
    needs: ['messageTokens', 'Working'],
    code: String.raw`
/** Input tokens of the request: 3 to prime the reply, the system message, tool definitions, the messages. */
function requestTokens(w: Working, ctx: Context): number {
  let n = 3 + ctx.toolTokens;
  if (w.system !== undefined) n += 3 + ctx.count('system') + ctx.count(w.system);
  for (const m of w.messages) n += messageTokens(m, ctx);
  return n;
}
`,
  },
  unitEnd: {
    needs: ['hasToolCalls'],
    code: String.raw`
/** The index after the unit at i: a tool call with its results, or one message. */
function unitEnd(msgs: readonly ChatMessage[], i: number): number {
  let j = i + 1;
  if (hasToolCalls(msgs[i]!)) while (j < msgs.length && msgs[j]!.role === 'tool') j++;
  return j;
}
`,
  },
  canStartAt: {
    needs: [],
    code: String.raw`
/** A request never starts with a tool result (it would answer no call). */
const canStartAt = (msgs: readonly ChatMessage[], i: number): boolean =>
  i < msgs.length && msgs[i]!.role !== 'tool';
`,
  },
  withResult: {
    needs: [],
    code: String.raw`
const withResult = (m: ChatMessage, text: string): ChatMessage => ({ ...m, content: text });
`,
  },
  output: {
    needs: ['canStartAt', 'Working'],
    code: String.raw`
/** The request as sent: the system prompt first (the messages as given while it is unchanged), then the rest. */
function output(systemMessages: readonly ChatMessage[], original: string | undefined, w: Working): ChatMessage[] {
  let start = 0;
  while (start < w.messages.length && !canStartAt(w.messages, start)) start++;
  const head: ChatMessage[] =
    w.system === original
      ? [...systemMessages]
      : [{ role: systemMessages[0]?.role === 'developer' ? 'developer' : 'system', content: w.system ?? '' }];
  return [...head, ...w.messages.slice(start)];
}
`,
  },
  messageKey: {
    needs: ['resultText', 'calls', 'callName', 'callInput', 'otherParts'],
    code: String.raw`
/**
 * A message's content as a key. For repeats (ids false) call ids are left out (two identical calls have
 * different ids), and so are the names of assistant and tool messages; with ids, everything counts.
 * cache_control markers are ignored.
 */
function messageKey(m: ChatMessage, ids: boolean): string {
  const named = ids || (m.role !== 'assistant' && m.role !== 'tool');
  const key: unknown[] = [m.role, named ? (m.name ?? null) : null];
  if (m.role === 'tool') key.push(ids ? (m.tool_call_id ?? null) : null, resultText(m));
  else {
    if (m.role === 'assistant' && typeof m.reasoning_content === 'string' && m.reasoning_content !== '')
      key.push(['r', m.reasoning_content]);
    const c = m.content;
    if (typeof c === 'string') key.push(['t', c]);
    else if (Array.isArray(c))
      for (const p of c as readonly ChatContentPart[])
        key.push(p.type === 'text' ? ['t', typeof p.text === 'string' ? p.text : ''] : ['o', p]);
    if (m.role === 'assistant' && typeof m.refusal === 'string')
      key.push(['o', { type: 'refusal', refusal: m.refusal }]);
    for (const call of calls(m)) key.push(['c', ids ? call.id : null, callName(call), callInput(call)]);
  }
  if (m.role === 'tool') for (const p of otherParts(m)) key.push(['o', p]);
  return JSON.stringify(key);
}
`,
  },
};
