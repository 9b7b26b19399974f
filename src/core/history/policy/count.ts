import { countOpenAiChatRequest, type OpenAiChatRequest } from '../../tokens/chatRequest';
import type { HistoryMessage } from '../types';

type OpenAiMessage = OpenAiChatRequest['messages'][number];

/**
 * A history message as an OpenAI chat message: text blocks become the content (a string for one block, text
 * parts for several), `tool_use` blocks `tool_calls` (arguments as compact JSON, or the unparsable string
 * kept by the importer), a `tool` message's result its content and `tool_call_id`. Thinking blocks are left
 * out (OpenAI takes none back; Anthropic strips earlier turns' thinking before counting), and opaque blocks
 * (images, documents) cannot be counted from text.
 */
export function toOpenAiMessage(m: HistoryMessage): OpenAiMessage {
  const texts: string[] = [];
  const calls: NonNullable<OpenAiMessage['tool_calls']> = [];
  let toolCallId: string | undefined;
  for (const b of m.content) {
    if (b.type === 'text') texts.push(b.text);
    else if (b.type === 'tool_result') {
      texts.push(b.content);
      toolCallId ??= b.toolUseId;
    } else if (b.type === 'tool_use') {
      const args = typeof b.input === 'string' ? b.input : JSON.stringify(b.input ?? {});
      calls.push({ id: b.id, type: 'function', function: { name: b.name, arguments: args } });
    }
  }
  const content =
    texts.length === 0
      ? null
      : texts.length === 1
        ? texts[0]!
        : texts.map((text) => ({ type: 'text', text }));
  const out: OpenAiMessage = { role: m.role, content };
  if (m.name !== undefined) out.name = m.name;
  if (calls.length) out.tool_calls = calls;
  if (toolCallId !== undefined) out.tool_call_id = toolCallId;
  return out;
}

/**
 * Counts what a chat request bills as input, message by message, with each message's count kept: a request
 * is `perRequest` + the system message + the sum of its messages (+ tool definitions), because the chat
 * format's count is a sum over messages (src/core/tokens/chatRequest.ts). So a window over a long history
 * is a sum of cached numbers, and the total stays exactly what countOpenAiChatRequest gives for the whole
 * request (test/core/history/policy/count.test.ts checks this against tiktoken on every tau-bench turn).
 */
export interface RequestCounter {
  /** Tokens of plain text under the model's encoding. */
  text(text: string): number;
  /** Tokens one message adds to a request: its content and the format's per-message framing. */
  message(m: HistoryMessage): number;
  /** Tokens the system prompt adds as the request's first message (0 when there is none). */
  system(text: string | undefined): number;
  /** Tokens a request adds once (the reply priming). */
  readonly perRequest: number;
  /** Output tokens of an assistant message: its text and its tool calls' names and arguments. */
  output(m: HistoryMessage): number;
  /** True when the message's count is an estimate (tool calls, blocks that are not text). */
  estimated(m: HistoryMessage): boolean;
}

const PRIMING = 3;

interface Counted {
  tokens: number;
  estimate: boolean;
}

/** Short strings (roles, tool names, call ids) recur in every message: their counts are kept, up to this many. */
const SMALL = 64;
const SMALL_ENTRIES = 50_000;

/** A RequestCounter over `count(text)` (the model's exact encoding), caching each message's count. */
export function createRequestCounter(count: (text: string) => number): RequestCounter {
  const messages = new WeakMap<HistoryMessage, Counted>();
  const small = new Map<string, number>();
  const countText = (text: string): number => {
    if (text.length > SMALL) return count(text);
    let n = small.get(text);
    if (n === undefined) {
      if (small.size >= SMALL_ENTRIES) small.clear();
      small.set(text, (n = count(text)));
    }
    return n;
  };
  // a few system prompts: a simulation alternates the original one and one with a summary appended
  const systems = new Map<string, number>();
  const counted = (m: HistoryMessage): Counted => {
    let c = messages.get(m);
    if (!c) {
      const r = countOpenAiChatRequest({ messages: [toOpenAiMessage(m)] }, countText);
      const opaque = m.content.some((b) => b.type === 'opaque');
      c = { tokens: r.tokens - PRIMING, estimate: r.method !== 'exact' || opaque };
      messages.set(m, c);
    }
    return c;
  };
  return {
    text: countText,
    message: (m) => counted(m).tokens,
    estimated: (m) => counted(m).estimate,
    system(text) {
      if (text === undefined) return 0;
      let n = systems.get(text);
      if (n === undefined) {
        if (systems.size >= 8) systems.delete(systems.keys().next().value!);
        n =
          countOpenAiChatRequest({ messages: [{ role: 'system', content: text }] }, countText).tokens -
          PRIMING;
        systems.set(text, n);
      }
      return n;
    },
    perRequest: PRIMING,
    // what the model wrote: the message's count without the chat format's framing, role and name (the
    // same sum as its text and its calls' names and arguments, so nothing is encoded twice)
    output: (m) =>
      counted(m).tokens - 3 - countText(m.role) - (m.name !== undefined ? countText(m.name) + 1 : 0),
  };
}

/** A request as the policies see it: the system prompt and the messages after it. */
export interface HistoryRequest {
  system?: string | undefined;
  messages: readonly HistoryMessage[];
}

/** Input tokens of a request: priming, system, messages, and `extra` (tool definitions counted by the caller). */
export function countRequest(counter: RequestCounter, request: HistoryRequest, extra = 0): number {
  let n = counter.perRequest + counter.system(request.system) + extra;
  for (const m of request.messages) n += counter.message(m);
  return n;
}
