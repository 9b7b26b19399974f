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
 * OpenAI Chat Completions messages into the model. System and developer messages become the conversation's
 * system prompt; `tool_calls` become tool_use blocks (arguments parsed; text that is not JSON is kept as is);
 * `tool` messages become tool_result blocks; legacy `function_call` / `function` messages are read as tool
 * calls with made-up ids. Content parts other than text are kept as opaque blocks.
 */

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;
const ROLE_SET = new Set<string>(ROLES);
const ROLE_LIST = 'system, developer, user, assistant or tool';

const KNOWN: Record<string, ReadonlySet<string>> = {
  system: new Set(['role', 'content', 'name']),
  user: new Set(['role', 'content', 'name']),
  assistant: new Set([
    'role',
    'content',
    'name',
    'tool_calls',
    'function_call',
    'refusal',
    'reasoning_content',
  ]),
  tool: new Set(['role', 'content', 'tool_call_id', 'name']),
  function: new Set(['role', 'content', 'name']),
};

/** Anthropic block types: in an OpenAI file they mean the file was detected (or named) wrongly. */
const ANTHROPIC_TYPES = new Set(['tool_use', 'tool_result', 'thinking', 'redacted_thinking']);

/** A message's `content`: text, or a list of parts (text parts become text blocks, others opaque blocks). */
function readParts(content: unknown, ctx: ReadContext, path: DataPath): ContentBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw fail(ctx, path, 'must be text or a list of content parts');
  return content.map((part, j): ContentBlock => {
    const p = [...path, j];
    if (!isObject(part)) throw fail(ctx, p, 'must be a content part such as {"type": "text", "text": "…"}');
    if (typeof part.type !== 'string') throw fail(ctx, [...p, 'type'], 'is required (text, image_url, …)');
    if (ANTHROPIC_TYPES.has(part.type))
      throw fail(ctx, [...p, 'type'], `"${part.type}" is an Anthropic block, not an OpenAI content part`);
    if (part.type !== 'text') return { type: 'opaque', provider: 'openai', value: part };
    const text = requireString(ctx, part.text, [...p, 'text'], 'the text of the part');
    const cacheControl = readCacheControl(part.cache_control, ctx, [...p, 'cache_control']);
    return cacheControl ? { type: 'text', text, cacheControl } : { type: 'text', text };
  });
}

/** Text of a system or tool message's content (text or text parts). */
function textOf(blocks: ContentBlock[], ctx: ReadContext, path: DataPath, what: string): string {
  const bad = blocks.findIndex((b) => b.type !== 'text');
  if (bad >= 0) throw fail(ctx, [...path, bad], `${what} may only hold text parts`);
  return blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
}

interface State {
  ctx: ReadContext;
  messages: HistoryMessage[];
  system: string[];
  systemRaw: unknown[];
  plainSystem: boolean;
  args: Record<string, string[]>;
  calls: Set<string>;
  legacy: { name: string; id: string }[];
  legacyCount: number;
  ignored: IgnoredFields;
}

/** Arguments as the model keeps them: parsed JSON, or the text itself when it is not JSON (or is a string). */
function readArguments(raw: unknown, id: string, s: State, path: DataPath): unknown {
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'object') return raw;
  if (typeof raw !== 'string') throw fail(s.ctx, path, 'must be the arguments as a JSON string');
  if (raw === '') return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    s.ctx.warnings.add(s.ctx.site.where(path), 'is not valid JSON; kept as text.');
    return raw;
  }
  if (typeof parsed === 'string') return raw;
  if (JSON.stringify(parsed) !== raw) {
    const seen = (s.args[id] ??= []);
    if (!seen.includes(raw)) seen.push(raw);
  }
  return parsed;
}

function readToolCalls(v: unknown, s: State, path: DataPath): ContentBlock[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw fail(s.ctx, path, 'must be a list of tool calls');
  return v.map((call, k): ContentBlock => {
    const p = [...path, k];
    if (!isObject(call)) throw fail(s.ctx, p, 'must be a tool call {id, type, function}');
    if (call.type !== undefined && call.type !== 'function')
      throw fail(
        s.ctx,
        [...p, 'type'],
        `"${String(call.type)}" tool calls are not supported (only "function")`,
      );
    const id = requireString(s.ctx, call.id, [...p, 'id'], 'the call id that tool messages answer');
    if (!isObject(call.function)) throw fail(s.ctx, [...p, 'function'], 'is required: {name, arguments}');
    const name = requireString(s.ctx, call.function.name, [...p, 'function', 'name'], 'the function name');
    if (s.calls.has(id)) reusedId(s.ctx, [...p, 'id'], id);
    s.calls.add(id);
    return {
      type: 'tool_use',
      id,
      name,
      input: readArguments(call.function.arguments, id, s, [...p, 'function', 'arguments']),
    };
  });
}

function readLegacyCall(v: unknown, s: State, path: DataPath): ContentBlock[] {
  if (v === undefined || v === null) return [];
  if (!isObject(v)) throw fail(s.ctx, path, 'must be {name, arguments}');
  const name = requireString(s.ctx, v.name, [...path, 'name'], 'the function name');
  const id = `function_call_${++s.legacyCount}`;
  if (s.legacyCount === 1)
    s.ctx.warnings.add(
      s.ctx.site.where(path),
      'legacy function calls are read as tool calls with made-up ids; an export writes tool_calls.',
    );
  s.legacy.push({ name, id });
  s.calls.add(id);
  return [{ type: 'tool_use', id, name, input: readArguments(v.arguments, id, s, [...path, 'arguments']) }];
}

function readMessage(m: unknown, i: number, s: State, base: DataPath): void {
  const { ctx } = s;
  const p = [...base, i];
  if (!isObject(m)) throw fail(ctx, p, 'must be a message object {role, content}');
  const role = m.role;
  if (typeof role !== 'string' || !ROLE_SET.has(role))
    throw fail(
      ctx,
      [...p, 'role'],
      role === undefined
        ? `is required (${ROLE_LIST})`
        : `must be ${ROLE_LIST} (got ${JSON.stringify(role)})`,
    );
  s.ignored.check(m, KNOWN[role === 'developer' ? 'system' : role]!, p);
  const name = typeof m.name === 'string' ? { name: m.name } : {};
  switch (role) {
    case 'system':
    case 'developer': {
      if (m.content === undefined || m.content === null) throw fail(ctx, [...p, 'content'], 'is required');
      s.system.push(
        textOf(readParts(m.content, ctx, [...p, 'content']), ctx, [...p, 'content'], 'a system message'),
      );
      s.systemRaw.push(m);
      s.plainSystem &&=
        s.systemRaw.length === 1 &&
        role === 'system' &&
        typeof m.content === 'string' &&
        m.name === undefined;
      if (s.messages.length > 0)
        ctx.warnings.add(
          ctx.site.where([...p, 'role']),
          'a system message after the conversation started was moved into the system prompt.',
        );
      return;
    }
    case 'user': {
      if (m.content === undefined || m.content === null) throw fail(ctx, [...p, 'content'], 'is required');
      s.messages.push({ role: 'user', content: readParts(m.content, ctx, [...p, 'content']), ...name });
      return;
    }
    case 'assistant': {
      const blocks: ContentBlock[] = [];
      if (typeof m.reasoning_content === 'string' && m.reasoning_content !== '')
        blocks.push({ type: 'thinking', thinking: m.reasoning_content });
      if (m.content !== undefined && m.content !== null)
        blocks.push(...readParts(m.content, ctx, [...p, 'content']));
      if (typeof m.refusal === 'string')
        blocks.push({ type: 'opaque', provider: 'openai', value: { type: 'refusal', refusal: m.refusal } });
      blocks.push(...readToolCalls(m.tool_calls, s, [...p, 'tool_calls']));
      blocks.push(...readLegacyCall(m.function_call, s, [...p, 'function_call']));
      s.messages.push({ role: 'assistant', content: blocks, ...name });
      return;
    }
    case 'tool': {
      const id = requireString(
        ctx,
        m.tool_call_id,
        [...p, 'tool_call_id'],
        'the id of the tool call this answers',
      );
      if (!s.calls.has(id))
        ctx.warnings.add(ctx.site.where([...p, 'tool_call_id']), `answers no earlier tool call ("${id}").`);
      const parts =
        m.content === undefined || m.content === null ? [] : readParts(m.content, ctx, [...p, 'content']);
      const text = parts.filter((b) => b.type === 'text');
      const content = textOf(text, ctx, [...p, 'content'], 'a tool message');
      const rest = parts.filter((b) => b.type !== 'text');
      s.messages.push({
        role: 'tool',
        content: [{ type: 'tool_result', toolUseId: id, content }, ...rest],
        ...name,
      });
      return;
    }
    case 'function': {
      const fn = requireString(ctx, m.name, [...p, 'name'], 'the function whose result this is');
      const k = s.legacy.findIndex((c) => c.name === fn);
      let id: string;
      if (k >= 0) id = s.legacy.splice(k, 1)[0]!.id;
      else {
        id = `function_result_${i + 1}`;
        ctx.warnings.add(ctx.site.where([...p, 'name']), `answers no earlier function_call of "${fn}".`);
      }
      const content =
        m.content === undefined || m.content === null
          ? ''
          : requireString(ctx, m.content, [...p, 'content'], 'the result');
      s.messages.push({ role: 'tool', name: fn, content: [{ type: 'tool_result', toolUseId: id, content }] });
      return;
    }
  }
}

/** An OpenAI message list (at `base` in the record) as a system prompt, messages and round-trip hints. */
export function readOpenAIMessages(
  list: unknown,
  ctx: ReadContext,
  base: DataPath,
): { system?: string; messages: HistoryMessage[]; hints: RoundTripHints } {
  if (!Array.isArray(list)) throw fail(ctx, base, 'must be a list of messages');
  const s: State = {
    ctx,
    messages: [],
    system: [],
    systemRaw: [],
    plainSystem: true,
    args: {},
    calls: new Set(),
    legacy: [],
    legacyCount: 0,
    ignored: new IgnoredFields(),
  };
  list.forEach((m, i) => readMessage(m, i, s, base));
  s.ignored.flush(ctx, 'messages');
  const hints: RoundTripHints = {};
  if (Object.keys(s.args).length) hints.openaiArguments = s.args;
  if (s.systemRaw.length && !s.plainSystem) hints.openaiSystem = s.systemRaw;
  return { ...(s.system.length ? { system: s.system.join('\n\n') } : {}), messages: s.messages, hints };
}

/**
 * One OpenAI conversation record: `{messages, ...}` (other fields kept as metadata; `id` and `title` used),
 * or a tau-bench trajectory `{task_id, trial, reward, info, traj}` (all but `traj` kept as metadata).
 */
export function readOpenAIRecord(rec: Record<string, unknown>, ctx: ReadContext): ReadConversation {
  const key = Array.isArray(rec.traj) && !('messages' in rec) ? 'traj' : 'messages';
  const { [key]: list, ...rest } = rec;
  const read = readOpenAIMessages(list, ctx, [key]);
  if (key === 'traj') {
    const task = idOf(rest.task_id);
    const trial = idOf(rest.trial);
    const reward = typeof rest.reward === 'number' ? ` (reward ${rest.reward})` : '';
    return {
      ...read,
      ...(task !== undefined
        ? {
            id: trial !== undefined ? `task-${task}-trial-${trial}` : `task-${task}`,
            title: `Task ${task}${trial !== undefined ? `, trial ${trial}` : ''}${reward}`,
          }
        : {}),
      metadata: rest,
    };
  }
  const { id, title, ...metadata } = rest;
  const ownId = idOf(id);
  return {
    ...read,
    ...(ownId !== undefined ? { id: ownId } : {}),
    ...(typeof title === 'string' ? { title } : {}),
    metadata: {
      ...metadata,
      ...(id !== undefined && ownId === undefined ? { id } : {}),
      ...(title !== undefined && typeof title !== 'string' ? { title } : {}),
    },
  };
}
