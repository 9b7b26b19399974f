import type { ContentBlock, HistoryMessage } from '../types';
import {
  fail,
  IgnoredFields,
  idOf,
  isObject,
  requireString,
  type DataPath,
  type ReadContext,
  type ReadConversation,
} from './common';

/**
 * ShareGPT and its relatives. ShareGPT: `{id?, system?, conversations: [{from, value}]}` with `from` one of
 * human/user, gpt/assistant, system, and the tool turns of LLaMA-Factory and Glaive (`function_call` holding
 * `{"name", "arguments"}` JSON, answered by `observation`). Tool calls there have no ids, so calls are
 * numbered `call_<n>` per conversation and each observation answers the oldest unanswered call.
 * Pairs (MT-Bench-101): `{id, task, history: [{user, bot}]}`, a user and an assistant message per pair.
 */

const FROM: Record<string, 'user' | 'assistant' | 'system' | 'call' | 'result'> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bard: 'assistant',
  bing: 'assistant',
  model: 'assistant',
  system: 'system',
  function_call: 'call',
  tool_call: 'call',
  observation: 'result',
  tool: 'result',
  function: 'result',
  function_response: 'result',
  tool_response: 'result',
};
const TURN_KEYS = new Set(['from', 'value']);

/** The calls in a function_call turn: one `{name, arguments}` object or a list of them; else undefined. */
function parseCalls(value: string): { name: string; input: unknown }[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (!list.length || !list.every((c) => isObject(c) && typeof c.name === 'string')) return undefined;
  return list.map((c) => {
    const o = c as Record<string, unknown>;
    let input: unknown = o.arguments ?? o.parameters ?? {};
    if (typeof input === 'string') {
      try {
        input = JSON.parse(input) as unknown;
      } catch {
        // arguments that are not JSON stay text, as for OpenAI
      }
    }
    return { name: o.name as string, input };
  });
}

/** A ShareGPT turn list (at `base`) as a system prompt and messages. */
export function readShareGptTurns(
  list: unknown,
  ctx: ReadContext,
  base: DataPath,
  system?: string,
): { system?: string; messages: HistoryMessage[] } {
  if (!Array.isArray(list)) throw fail(ctx, base, 'must be a list of turns {from, value}');
  const systems = system !== undefined ? [system] : [];
  const messages: HistoryMessage[] = [];
  const pending: string[] = [];
  const ignored = new IgnoredFields();
  let calls = 0;
  list.forEach((t, i) => {
    const p = [...base, i];
    if (!isObject(t)) throw fail(ctx, p, 'must be a turn {from, value}');
    const kind = typeof t.from === 'string' ? FROM[t.from.toLowerCase()] : undefined;
    if (!kind)
      throw fail(
        ctx,
        [...p, 'from'],
        t.from === undefined
          ? 'is required (human, gpt, system, function_call or observation)'
          : `must be human, gpt, system, function_call or observation (got ${JSON.stringify(t.from)})`,
      );
    ignored.check(t, TURN_KEYS, p);
    const value = requireString(ctx, t.value, [...p, 'value'], 'the text of the turn');
    switch (kind) {
      case 'system':
        if (messages.length)
          ctx.warnings.add(
            ctx.site.where([...p, 'from']),
            'a system turn after the conversation started was moved into the system prompt.',
          );
        systems.push(value);
        return;
      case 'user':
      case 'assistant':
        messages.push({ role: kind, content: [{ type: 'text', text: value }] });
        return;
      case 'call': {
        const parsed = parseCalls(value);
        if (!parsed) {
          ctx.warnings.add(
            ctx.site.where([...p, 'value']),
            'is not {"name", "arguments"} JSON; kept as assistant text.',
          );
          messages.push({ role: 'assistant', content: [{ type: 'text', text: value }] });
          return;
        }
        const blocks: ContentBlock[] = parsed.map((c) => {
          const id = `call_${++calls}`;
          pending.push(id);
          return { type: 'tool_use', id, name: c.name, input: c.input };
        });
        messages.push({ role: 'assistant', content: blocks });
        return;
      }
      case 'result': {
        let id = pending.shift();
        if (id === undefined) {
          id = `call_${++calls}`;
          ctx.warnings.add(ctx.site.where([...p, 'from']), 'answers no earlier function_call.');
        }
        messages.push({ role: 'tool', content: [{ type: 'tool_result', toolUseId: id, content: value }] });
        return;
      }
    }
  });
  ignored.flush(ctx, 'turns');
  return { ...(systems.length ? { system: systems.join('\n\n') } : {}), messages };
}

/** One ShareGPT record: `{conversations | messages: [{from, value}], id?, system?, ...}`. */
export function readShareGptRecord(rec: Record<string, unknown>, ctx: ReadContext): ReadConversation {
  const key = Array.isArray(rec.conversations) ? 'conversations' : 'messages';
  const { [key]: turns, id, title, system, ...rest } = rec;
  if (system !== undefined && typeof system !== 'string') throw fail(ctx, ['system'], 'must be text');
  const read = readShareGptTurns(turns, ctx, [key], system);
  const ownId = idOf(id);
  return {
    ...read,
    ...(ownId !== undefined ? { id: ownId } : {}),
    ...(typeof title === 'string' ? { title } : {}),
    metadata: { ...rest, ...(id !== undefined && ownId === undefined ? { id } : {}) },
    hints: {},
  };
}

const PAIR_KEYS = new Set(['user', 'bot']);

/** True when `v` looks like a pair list record (MT-Bench-101's `history: [{user, bot}]`). */
export function isPairsRecord(v: Record<string, unknown>): boolean {
  const h = v.history;
  return Array.isArray(h) && h.length > 0 && isObject(h[0]) && ('user' in h[0] || 'bot' in h[0]);
}

/** One pairs record: `{history: [{user, bot}], id?, ...}`; a pair may lack `bot` (the turn to be answered). */
export function readPairsRecord(rec: Record<string, unknown>, ctx: ReadContext): ReadConversation {
  const { history, id, ...rest } = rec;
  if (!Array.isArray(history)) throw fail(ctx, ['history'], 'must be a list of {user, bot} pairs');
  const messages: HistoryMessage[] = [];
  const ignored = new IgnoredFields();
  history.forEach((pair, i) => {
    const p = ['history', i];
    if (!isObject(pair)) throw fail(ctx, p, 'must be a pair {user, bot}');
    ignored.check(pair, PAIR_KEYS, p);
    const user = requireString(ctx, pair.user, [...p, 'user'], "the user's message");
    messages.push({ role: 'user', content: [{ type: 'text', text: user }] });
    if (pair.bot === undefined || pair.bot === null) {
      if (i < history.length - 1)
        throw fail(ctx, [...p, 'bot'], 'is required (only the last pair may lack a reply)');
      return;
    }
    const bot = requireString(ctx, pair.bot, [...p, 'bot'], "the assistant's reply");
    messages.push({ role: 'assistant', content: [{ type: 'text', text: bot }] });
  });
  ignored.flush(ctx, 'pairs');
  const ownId = idOf(id);
  return {
    ...(ownId !== undefined ? { id: ownId } : {}),
    messages,
    metadata: { ...rest, ...(id !== undefined && ownId === undefined ? { id } : {}) },
    hints: {},
  };
}
