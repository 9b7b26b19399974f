import type { ContentBlock, HistoryMessage } from '../types';

/**
 * The structure every policy respects: a tool call and its results form one unit (an assistant message with
 * `tool_use` blocks and the `tool` messages right after it) that is kept or dropped whole, and a request only
 * starts where the provider allows. Derived messages (renamed, merged, truncated) are cached per source
 * message, so the same change gives the same object on every turn: a simulation compares requests by
 * identity first, and a prompt cache sees an unchanged prefix.
 */

/** The wire format whose rules a request must follow. */
export type RequestProvider = 'openai' | 'anthropic';

/** The provider whose request rules apply to a catalog model: Anthropic's for Anthropic, OpenAI's otherwise. */
export function providerOf(model: { provider: string }): RequestProvider {
  return model.provider === 'anthropic' ? 'anthropic' : 'openai';
}

export const hasToolUse = (m: HistoryMessage): boolean =>
  m.role === 'assistant' && m.content.some((b) => b.type === 'tool_use');

/** The index after the unit that starts at `i`: a tool call with its results, or one message. */
export function unitEnd(messages: readonly HistoryMessage[], i: number): number {
  let j = i + 1;
  if (hasToolUse(messages[i]!)) while (j < messages.length && messages[j]!.role === 'tool') j++;
  return j;
}

/**
 * Whether a request may start at message `i`: never at a tool result (it would be an orphan); for Anthropic
 * only at a user message, unless a kept first user message goes before it.
 */
export function canStartAt(
  messages: readonly HistoryMessage[],
  i: number,
  provider: RequestProvider,
  afterUser = false,
): boolean {
  const m = messages[i];
  if (!m || m.role === 'tool') return false;
  return provider === 'openai' || afterUser || m.role === 'user';
}

/** The index of the first user message, or -1. */
export function firstUserIndex(messages: readonly HistoryMessage[]): number {
  return messages.findIndex((m) => m.role === 'user');
}

const derivedCache = new WeakMap<HistoryMessage, Map<string, HistoryMessage>>();

const counterIds = new WeakMap<object, number>();
let nextCounterId = 0;

/**
 * A short id of a token counter, for the keys of changes that depend on counting (a truncation cut, whether
 * a result is longer than its placeholder): the same message truncated for two encodings is two results.
 */
export function counterId(counter: object): number {
  let id = counterIds.get(counter);
  if (id === undefined) counterIds.set(counter, (id = nextCounterId++));
  return id;
}

/** `make(m)` cached under (m, key): the same change to the same message is the same object every time. */
export function derived(m: HistoryMessage, key: string, make: () => HistoryMessage): HistoryMessage {
  let byKey = derivedCache.get(m);
  if (!byKey) derivedCache.set(m, (byKey = new Map()));
  let out = byKey.get(key);
  if (!out) byKey.set(key, (out = make()));
  return out;
}

const merges = new WeakMap<HistoryMessage, WeakMap<HistoryMessage, HistoryMessage>>();

/** Two messages of one role as one (their blocks in order), as Anthropic itself combines consecutive turns. */
export function merged(a: HistoryMessage, b: HistoryMessage): HistoryMessage {
  let inner = merges.get(a);
  if (!inner) merges.set(a, (inner = new WeakMap()));
  let out = inner.get(b);
  if (!out) {
    out = { role: a.role, content: [...a.content, ...b.content] };
    if (a.name !== undefined) out.name = a.name;
    inner.set(b, out);
  }
  return out;
}

/** Anthropic's pattern for tool ids. */
export const ANTHROPIC_TOOL_ID = /^[a-zA-Z0-9_-]+$/;

/**
 * Anthropic refuses a request in which two `tool_use` blocks share an id (OpenAI does not mind, and real
 * OpenAI logs such as tau-bench's reuse ids). A repeated id becomes `<id>_2` (or the next free suffix) in
 * its call and in the result that answers it, pairing results to calls within their unit. A renaming
 * depends only on earlier messages, so it is the same on every turn.
 */
export function renameDuplicateToolIds(messages: readonly HistoryMessage[]): {
  messages: readonly HistoryMessage[];
  renamed: number;
} {
  const seen = new Set<string>();
  let out: HistoryMessage[] | undefined;
  let renamed = 0;
  // old id → new ids, in call order, for the results of the current unit
  let pending: Map<string, string[]> | undefined;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    let replacement: HistoryMessage | undefined;
    if (m.role === 'assistant') {
      pending = undefined;
      const renames: Array<[number, string]> = [];
      m.content.forEach((b, k) => {
        if (b.type !== 'tool_use') return;
        let id = b.id;
        if (seen.has(id)) {
          let n = 2;
          while (seen.has(`${b.id}_${n}`)) n++;
          id = `${b.id}_${n}`;
          renames.push([k, id]);
        }
        seen.add(id);
        pending ??= new Map();
        const q = pending.get(b.id) ?? [];
        q.push(id);
        pending.set(b.id, q);
      });
      if (renames.length) {
        renamed += renames.length;
        replacement = derived(m, `ids:${JSON.stringify(renames)}`, () => ({
          ...m,
          content: m.content.map((b, k) => {
            const r = renames.find(([at]) => at === k);
            return r && b.type === 'tool_use' ? { ...b, id: r[1] } : b;
          }),
        }));
      }
    } else if (m.role === 'tool') {
      const renames: Array<[number, string]> = [];
      m.content.forEach((b, k) => {
        if (b.type !== 'tool_result') return;
        const id = pending?.get(b.toolUseId)?.shift();
        if (id !== undefined && id !== b.toolUseId) renames.push([k, id]);
      });
      if (renames.length)
        replacement = derived(m, `ids:${JSON.stringify(renames)}`, () => ({
          ...m,
          content: m.content.map((b, k): ContentBlock => {
            const r = renames.find(([at]) => at === k);
            return r && b.type === 'tool_result' ? { ...b, toolUseId: r[1] } : b;
          }),
        }));
    } else pending = undefined;
    if (replacement) {
      out ??= messages.slice(0, i);
      out.push(replacement);
    } else out?.push(m);
  }
  return { messages: out ?? messages, renamed };
}

/**
 * The last repairs before a request goes out: drop a leading part the provider refuses (tool results
 * without their call; for Anthropic anything before the first user message), and for Anthropic combine
 * consecutive user or assistant messages into one, as its API would. Steps keep units whole, so this only
 * acts at the start and where a step removed a message between two of one role.
 */
export function finalise(
  messages: readonly HistoryMessage[],
  provider: RequestProvider,
): { messages: HistoryMessage[]; droppedLeading: number; merges: number } {
  let start = 0;
  while (start < messages.length && !canStartAt(messages, start, provider)) {
    start = messages[start]!.role === 'tool' ? start + 1 : unitEnd(messages, start);
  }
  const out: HistoryMessage[] = [];
  let merges = 0;
  for (let i = start; i < messages.length; i++) {
    const m = messages[i]!;
    const prev = out[out.length - 1];
    if (provider === 'anthropic' && prev && m.role !== 'tool' && prev.role === m.role && !hasToolUse(prev)) {
      out[out.length - 1] = merged(prev, m);
      merges++;
    } else out.push(m);
  }
  return { messages: out, droppedLeading: start, merges };
}

const keyCache = new WeakMap<HistoryMessage, string>();

/** A message's content as a string key: equal keys, equal messages for a provider (cache markers aside). */
export function messageKey(m: HistoryMessage): string {
  let k = keyCache.get(m);
  if (k === undefined) {
    k = JSON.stringify([
      m.role,
      m.name ?? null,
      m.content.map((b) => {
        if (b.type !== 'text' && b.type !== 'tool_use' && b.type !== 'tool_result') return b;
        const { cacheControl: _ignored, ...rest } = b;
        return rest;
      }),
    ]);
    keyCache.set(m, k);
  }
  return k;
}

/** Whether two messages are the same: by identity, else by content. */
export const sameMessage = (a: HistoryMessage, b: HistoryMessage): boolean =>
  a === b || messageKey(a) === messageKey(b);
