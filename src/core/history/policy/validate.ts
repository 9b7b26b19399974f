import type { HistoryMessage } from '../types';
import { ANTHROPIC_TOOL_ID, type RequestProvider } from './structure';

export type ViolationRule =
  /** No messages at all. */
  | 'empty-request'
  /** A tool result whose call is not in the assistant message right before its unit. */
  | 'orphan-tool-result'
  /** A tool call with no result in the tool messages right after it. */
  | 'missing-tool-result'
  /** A tool result outside a `tool` message, or something other than a result in one. */
  | 'misplaced-tool-result'
  /** Anthropic: the first message must be a user message. */
  | 'first-message'
  /** Anthropic: user and assistant turns must alternate (tool results count as the user's turn). */
  | 'role-alternation'
  /** Anthropic: two tool calls with one id. */
  | 'duplicate-tool-use-id'
  /** Anthropic: a tool id outside [a-zA-Z0-9_-]. */
  | 'invalid-tool-use-id'
  /** Anthropic: a user or assistant message with no content (only the final assistant message may be empty). */
  | 'empty-message';

export interface RequestViolation {
  /** The message (0-based, after the system prompt) where the rule is broken. */
  index: number;
  rule: ViolationRule;
  message: string;
}

const isEmpty = (m: HistoryMessage) =>
  m.content.every(
    (b) => (b.type === 'text' && b.text.trim() === '') || (b.type === 'thinking' && b.thinking === ''),
  );

/**
 * The rules a chat request must follow to be accepted, checked on the provider-neutral messages the way
 * each exporter would send them (for Anthropic, `tool` messages and the user text right after them form one
 * user message). An empty list means the request is valid. Both providers: every tool result answers a
 * call of the assistant message just before its unit, and every call is answered there. Anthropic also:
 * the first message is the user's, turns alternate, tool ids are unique and well-formed, no message is
 * empty.
 */
export function validateRequest(
  messages: readonly HistoryMessage[],
  provider: RequestProvider,
): RequestViolation[] {
  const out: RequestViolation[] = [];
  const add = (index: number, rule: ViolationRule, message: string) => out.push({ index, rule, message });
  if (messages.length === 0) {
    add(0, 'empty-request', 'the request has no messages');
    return out;
  }
  // the calls of the open unit still waiting for a result: id → how many
  let open: { index: number; pending: Map<string, number> } | undefined;
  const close = () => {
    if (open)
      for (const [id, n] of open.pending)
        if (n > 0) add(open.index, 'missing-tool-result', `tool call ${id} has no result right after it`);
    open = undefined;
  };
  const ids = new Set<string>();
  messages.forEach((m, i) => {
    if (m.role === 'tool') {
      if (m.content.length === 0) add(i, 'misplaced-tool-result', 'a tool message without a result');
      for (const b of m.content) {
        if (b.type !== 'tool_result') {
          add(i, 'misplaced-tool-result', `a tool message holds a ${b.type} block`);
          continue;
        }
        const n = open?.pending.get(b.toolUseId) ?? 0;
        if (n > 0) open!.pending.set(b.toolUseId, n - 1);
        else add(i, 'orphan-tool-result', `tool result for ${b.toolUseId} does not follow its call`);
      }
      return;
    }
    close();
    if (m.content.some((b) => b.type === 'tool_result'))
      add(i, 'misplaced-tool-result', `a ${m.role} message holds a tool result`);
    if (m.role !== 'assistant') return;
    for (const b of m.content) {
      if (b.type !== 'tool_use') continue;
      open ??= { index: i, pending: new Map() };
      open.pending.set(b.id, (open.pending.get(b.id) ?? 0) + 1);
      if (provider === 'anthropic') {
        if (ids.has(b.id)) add(i, 'duplicate-tool-use-id', `tool_use id ${b.id} is used twice`);
        if (!ANTHROPIC_TOOL_ID.test(b.id))
          add(i, 'invalid-tool-use-id', `tool_use id "${b.id}" is not allowed`);
        ids.add(b.id);
      }
    }
  });
  close();
  if (provider === 'anthropic') {
    if (messages[0]!.role !== 'user')
      add(0, 'first-message', `the first message is the ${messages[0]!.role}'s, not the user's`);
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      const last = i === messages.length - 1;
      if (m.role !== 'tool' && isEmpty(m) && !(last && m.role === 'assistant'))
        add(i, 'empty-message', `the ${m.role} message has no content`);
      if (i === 0) continue;
      const prev = messages[i - 1]!;
      const turn = (x: HistoryMessage) => (x.role === 'tool' ? 'user' : x.role);
      // tool results, then more results or the user's text: one user turn
      const continues = prev.role === 'tool' && m.role !== 'assistant';
      if (turn(prev) === turn(m) && !continues)
        add(i, 'role-alternation', `two ${turn(m)} turns in a row (messages ${i - 1} and ${i})`);
    }
  }
  return out;
}
