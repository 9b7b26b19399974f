import type { ContentBlock, HistoryMessage } from '../types';
import {
  fail,
  IgnoredFields,
  idOf,
  isObject,
  readCacheControl,
  requireString,
  reusedId,
  type DataPath,
  type ReadContext,
  type ReadConversation,
  type RoundTripHints,
} from './common';

/**
 * Anthropic Messages into the model: the top-level `system` (text or text blocks) becomes the system prompt;
 * text, tool_use, tool_result and thinking blocks map one to one (with their cache_control); every other
 * block (image, document, redacted_thinking, server tools, …) is kept as an opaque block. A user message that
 * holds tool_result blocks is split: one `tool` message per result, and a user message for the other blocks
 * around them, in order.
 */

const ROLES = new Set(['user', 'assistant']);
const MESSAGE_KEYS = new Set(['role', 'content']);
const TEXT_KEYS = new Set(['type', 'text', 'cache_control']);
const TOOL_USE_KEYS = new Set(['type', 'id', 'name', 'input', 'cache_control']);
const TOOL_RESULT_KEYS = new Set(['type', 'tool_use_id', 'content', 'is_error', 'cache_control']);
const THINKING_KEYS = new Set(['type', 'thinking', 'signature']);

/** OpenAI-only roles and fields: in an Anthropic file they mean the file was detected (or named) wrongly. */
const OPENAI_HINT = 'Anthropic messages are user or assistant; system goes in the top-level "system" field';

interface State {
  ctx: ReadContext;
  ignored: IgnoredFields;
  calls: Set<string>;
}

function withCache<T extends ContentBlock>(block: T, raw: Record<string, unknown>, s: State, p: DataPath): T {
  const cc = readCacheControl(raw.cache_control, s.ctx, [...p, 'cache_control']);
  return cc ? { ...block, cacheControl: cc } : block;
}

/** A tool_result's content: text joined; any other block (an image, a document) kept after it, opaque. */
function readResultContent(v: unknown, s: State, p: DataPath): { text: string; extra: ContentBlock[] } {
  if (v === undefined || v === null) return { text: '', extra: [] };
  if (typeof v === 'string') return { text: v, extra: [] };
  if (!Array.isArray(v)) throw fail(s.ctx, p, 'must be text or a list of blocks');
  const texts: string[] = [];
  const extra: ContentBlock[] = [];
  v.forEach((b, k) => {
    if (!isObject(b) || typeof b.type !== 'string')
      throw fail(s.ctx, [...p, k, 'type'], 'is required (text, image, …)');
    if (b.type === 'text')
      texts.push(requireString(s.ctx, b.text, [...p, k, 'text'], 'the text of the block'));
    else extra.push({ type: 'opaque', provider: 'anthropic', value: b });
  });
  return { text: texts.join('\n'), extra };
}

function readBlock(
  b: unknown,
  role: string,
  s: State,
  p: DataPath,
): { block: ContentBlock; extra?: ContentBlock[] } {
  const { ctx } = s;
  if (!isObject(b)) throw fail(ctx, p, 'must be a content block such as {"type": "text", "text": "…"}');
  if (typeof b.type !== 'string')
    throw fail(ctx, [...p, 'type'], 'is required (text, tool_use, tool_result, …)');
  switch (b.type) {
    case 'text':
      s.ignored.check(b, TEXT_KEYS, p);
      return {
        block: withCache(
          { type: 'text', text: requireString(ctx, b.text, [...p, 'text'], 'the text') },
          b,
          s,
          p,
        ),
      };
    case 'tool_use': {
      if (role !== 'assistant')
        throw fail(ctx, [...p, 'type'], 'tool_use blocks belong in assistant messages');
      s.ignored.check(b, TOOL_USE_KEYS, p);
      const id = requireString(ctx, b.id, [...p, 'id'], 'the call id that tool_result blocks answer');
      if (s.calls.has(id)) reusedId(ctx, [...p, 'id'], id);
      s.calls.add(id);
      return {
        block: withCache(
          {
            type: 'tool_use',
            id,
            name: requireString(ctx, b.name, [...p, 'name'], 'the tool name'),
            input: b.input ?? {},
          },
          b,
          s,
          p,
        ),
      };
    }
    case 'tool_result': {
      if (role !== 'user') throw fail(ctx, [...p, 'type'], 'tool_result blocks belong in user messages');
      s.ignored.check(b, TOOL_RESULT_KEYS, p);
      const toolUseId = requireString(
        ctx,
        b.tool_use_id,
        [...p, 'tool_use_id'],
        'the id of the tool_use it answers',
      );
      if (!s.calls.has(toolUseId))
        ctx.warnings.add(
          ctx.site.where([...p, 'tool_use_id']),
          `answers no earlier tool_use ("${toolUseId}").`,
        );
      if (b.is_error !== undefined && typeof b.is_error !== 'boolean')
        throw fail(ctx, [...p, 'is_error'], 'must be true or false');
      const { text, extra } = readResultContent(b.content, s, [...p, 'content']);
      const block = withCache(
        {
          type: 'tool_result',
          toolUseId,
          content: text,
          ...(typeof b.is_error === 'boolean' ? { isError: b.is_error } : {}),
        },
        b,
        s,
        p,
      );
      return { block, extra };
    }
    case 'thinking':
      s.ignored.check(b, THINKING_KEYS, p);
      return {
        block: {
          type: 'thinking',
          thinking: requireString(ctx, b.thinking, [...p, 'thinking'], 'the thinking text'),
          ...(typeof b.signature === 'string' ? { signature: b.signature } : {}),
        },
      };
    default:
      return { block: { type: 'opaque', provider: 'anthropic', value: b } };
  }
}

function readMessage(m: unknown, i: number, s: State, base: DataPath, out: HistoryMessage[]): void {
  const { ctx } = s;
  const p = [...base, i];
  if (!isObject(m)) throw fail(ctx, p, 'must be a message object {role, content}');
  if (typeof m.role !== 'string' || !ROLES.has(m.role))
    throw fail(
      ctx,
      [...p, 'role'],
      m.role === undefined
        ? 'is required (user or assistant)'
        : `must be user or assistant (got ${JSON.stringify(m.role)}); ${OPENAI_HINT}`,
    );
  const role = m.role as 'user' | 'assistant';
  s.ignored.check(m, MESSAGE_KEYS, p);
  const cp = [...p, 'content'];
  if (typeof m.content === 'string') {
    out.push({ role, content: [{ type: 'text', text: m.content }] });
    return;
  }
  if (!Array.isArray(m.content))
    throw fail(ctx, cp, m.content === undefined ? 'is required' : 'must be text or a list of blocks');
  // Results become tool messages; the blocks between them stay together in user messages, in order.
  let pending: ContentBlock[] = [];
  const flush = () => {
    if (pending.length) out.push({ role, content: pending });
    pending = [];
  };
  let sawAny = false;
  m.content.forEach((b, k) => {
    const { block, extra } = readBlock(b, role, s, [...cp, k]);
    sawAny = true;
    if (block.type === 'tool_result') {
      flush();
      out.push({ role: 'tool', content: [block, ...(extra ?? [])] });
    } else pending.push(block);
  });
  if (pending.length || !sawAny) out.push({ role, content: pending });
}

/** An Anthropic `system`: text, or a list of text blocks (joined by a blank line; the list kept as a hint). */
function readSystem(v: unknown, ctx: ReadContext, hints: RoundTripHints): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) throw fail(ctx, ['system'], 'must be text or a list of text blocks');
  const texts = v.map((b, k) => {
    if (!isObject(b) || b.type !== 'text')
      throw fail(ctx, ['system', k, 'type'], 'must be "text": a system prompt holds text blocks only');
    readCacheControl(b.cache_control, ctx, ['system', k, 'cache_control']);
    return requireString(ctx, b.text, ['system', k, 'text'], 'the text');
  });
  hints.anthropicSystem = v;
  return texts.join('\n\n');
}

/** An Anthropic message list (at `base` in the record) as messages of the model. */
export function readAnthropicMessages(list: unknown, ctx: ReadContext, base: DataPath): HistoryMessage[] {
  if (!Array.isArray(list)) throw fail(ctx, base, 'must be a list of messages');
  const s: State = { ctx, ignored: new IgnoredFields(), calls: new Set() };
  const out: HistoryMessage[] = [];
  list.forEach((m, i) => readMessage(m, i, s, base, out));
  s.ignored.flush(ctx, 'messages or blocks');
  return out;
}

/** One Anthropic conversation record: `{system?, messages, ...}`; other fields (model, tools, …) kept as metadata. */
export function readAnthropicRecord(rec: Record<string, unknown>, ctx: ReadContext): ReadConversation {
  const { system, messages, id, title, ...rest } = rec;
  const hints: RoundTripHints = {};
  const sys = readSystem(system, ctx, hints);
  const ownId = idOf(id);
  return {
    ...(ownId !== undefined ? { id: ownId } : {}),
    ...(typeof title === 'string' ? { title } : {}),
    ...(sys !== undefined ? { system: sys } : {}),
    messages: readAnthropicMessages(messages, ctx, ['messages']),
    metadata: {
      ...rest,
      ...(id !== undefined && ownId === undefined ? { id } : {}),
      ...(title !== undefined && typeof title !== 'string' ? { title } : {}),
    },
    hints,
  };
}
