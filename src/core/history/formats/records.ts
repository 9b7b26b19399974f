import type { HistoryFormat } from '../types';
import { readAnthropicMessages, readAnthropicRecord } from './anthropic';
import { fail, isObject, type DataPath, type ReadContext, type ReadConversation } from './common';
import { readOpenAIMessages, readOpenAIRecord } from './openai';
import { isPairsRecord, readPairsRecord, readShareGptRecord, readShareGptTurns } from './sharegpt';

/**
 * Which reader a JSON value goes to. A conversation record is told by its list key (`messages`,
 * `conversations`, `history`, `traj`); a `messages` list is Anthropic's when something in it only Anthropic
 * writes (a tool_use, tool_result or thinking block, an image with a `source`, cache_control) or, failing
 * that, when the record has a top-level `system`; otherwise it is OpenAI's (which plain user/assistant text
 * is in both).
 */

export type Dialect = 'openai' | 'anthropic';
export type RecordShape = Dialect | 'sharegpt' | 'pairs';

const ANTHROPIC_BLOCKS = new Set([
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'document',
  'search_result',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
  'container_upload',
]);
const OPENAI_ROLES = new Set(['system', 'developer', 'tool', 'function']);
const OPENAI_PARTS = new Set(['image_url', 'input_audio', 'file', 'refusal']);

function blockDialect(b: unknown): Dialect | undefined {
  if (!isObject(b) || typeof b.type !== 'string') return undefined;
  if (ANTHROPIC_BLOCKS.has(b.type) || (b.type === 'image' && 'source' in b)) return 'anthropic';
  if (OPENAI_PARTS.has(b.type)) return 'openai';
  return b.cache_control !== undefined ? 'anthropic' : undefined;
}

/** The dialect of a message list, from the first message that only one provider would write. */
export function messagesDialect(list: readonly unknown[], record?: Record<string, unknown>): Dialect {
  for (const m of list) {
    if (!isObject(m)) continue;
    if (typeof m.role === 'string' && OPENAI_ROLES.has(m.role)) return 'openai';
    if ('tool_calls' in m || 'tool_call_id' in m || 'function_call' in m) return 'openai';
    if (Array.isArray(m.content))
      for (const b of m.content) {
        const d = blockDialect(b);
        if (d) return d;
      }
  }
  return record && record.system !== undefined ? 'anthropic' : 'openai';
}

/** True for a single message (`{role, content}` or ShareGPT's `{from, value}`) rather than a conversation. */
export function isMessageLike(v: unknown): boolean {
  return (
    isObject(v) && recordShape(v) === undefined && (typeof v.role === 'string' || typeof v.from === 'string')
  );
}

/** The shape of a conversation record, or undefined when it is none of the known ones. */
export function recordShape(v: Record<string, unknown>): RecordShape | undefined {
  if (Array.isArray(v.conversations)) return 'sharegpt';
  if (Array.isArray(v.messages)) {
    const first = v.messages.find(isObject);
    if (first && typeof first.from === 'string' && !('role' in first)) return 'sharegpt';
    return messagesDialect(v.messages, v);
  }
  if (Array.isArray(v.traj)) return 'openai';
  if (isPairsRecord(v)) return 'pairs';
  return undefined;
}

/** The file format a record shape is reported as (pairs are ShareGPT's kin). */
export const formatOfShape = (s: RecordShape): HistoryFormat => (s === 'pairs' ? 'sharegpt' : s);

/** `openai`/`anthropic` named by the user decide the dialect of every `messages` list. */
const forcedDialect = (forced: HistoryFormat | undefined): Dialect | undefined =>
  forced === 'openai' || forced === 'anthropic' ? forced : undefined;

/** A conversation record (an object with its messages) read by the reader its shape calls for. */
export function readRecord(v: unknown, ctx: ReadContext, forced?: HistoryFormat): ReadConversation {
  if (Array.isArray(v)) return readMessageList(v, ctx, [], forced);
  if (!isObject(v))
    throw fail(ctx, [], 'must be a conversation object (with messages) or a list of messages');
  const shape = recordShape(v);
  const dialect = shape === 'openai' || shape === 'anthropic' ? (forcedDialect(forced) ?? shape) : shape;
  switch (dialect) {
    case 'openai':
      return readOpenAIRecord(v, ctx);
    case 'anthropic':
      return readAnthropicRecord(v, ctx);
    case 'sharegpt':
      return readShareGptRecord(v, ctx);
    case 'pairs':
      return readPairsRecord(v, ctx);
    default:
      throw fail(
        ctx,
        [],
        isMessageLike(v)
          ? 'is a single message where a conversation was expected'
          : 'is not a conversation: expected "messages", "conversations", "history" or "traj"',
      );
  }
}

/** The shape a bare message list is read as. */
export function listShape(list: readonly unknown[], forced?: HistoryFormat): RecordShape {
  const first = list.find(isObject);
  if (first && typeof first.from === 'string' && !('role' in first)) return 'sharegpt';
  return forcedDialect(forced) ?? messagesDialect(list);
}

/** A bare list of messages (at `base`) as one conversation. */
export function readMessageList(
  list: unknown[],
  ctx: ReadContext,
  base: DataPath,
  forced?: HistoryFormat,
): ReadConversation {
  switch (listShape(list, forced)) {
    case 'sharegpt':
      return { ...readShareGptTurns(list, ctx, base), metadata: {}, hints: {} };
    case 'anthropic':
      return { messages: readAnthropicMessages(list, ctx, base), metadata: {}, hints: {} };
    default:
      return { ...readOpenAIMessages(list, ctx, base), metadata: {} };
  }
}
