import type { ContentBlock, Conversation, HistoryMessage } from '../types';
import { hintsOf, isObject, jsonEqual, type RoundTripHints } from './common';
import { anthropicImageToOpenAI, opaqueType } from './images';
import { NoteBook, noteMetadata, type ExportNote } from './notes';

/** An OpenAI tool call as the Chat Completions API writes it. */
export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** An OpenAI chat message (content parts other than text are passed through as they were imported). */
export interface OpenAIChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string | Record<string, unknown>[] | null;
  name?: string;
  tool_calls?: OpenAIToolCall[];
  tool_call_id?: string;
}

/** The messages of a Chat Completions request body. */
export interface OpenAIChatBody {
  messages: OpenAIChatMessage[];
}

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The system prompt the OpenAI reader made of these system messages (to see whether it changed since). */
function systemText(raw: unknown[]): string {
  return raw
    .map((m) => {
      const c = isObject(m) ? m.content : undefined;
      if (typeof c === 'string') return c;
      return Array.isArray(c)
        ? c.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join('\n')
        : '';
    })
    .join('\n\n');
}

/** The arguments as they were written when they still say the same, else the model's value as JSON. */
function argumentsText(b: Extract<ContentBlock, { type: 'tool_use' }>, hints: RoundTripHints): string {
  const written = hints.openaiArguments?.[b.id];
  for (const raw of Array.isArray(written) ? written : []) {
    try {
      if (typeof raw === 'string' && jsonEqual(JSON.parse(raw), b.input)) return raw;
    } catch {
      // a hint that is not JSON cannot vouch for anything
    }
  }
  return typeof b.input === 'string' ? b.input : JSON.stringify(b.input ?? {});
}

const NOTE = {
  thinking: 'thinking blocks: OpenAI chat messages have no place for them; not written',
  cache: 'cache_control markers: OpenAI caches prompts by itself and has no marker; not written',
  order: 'text after a tool call: OpenAI writes a message’s text before its tool calls; moved before them',
  isError: 'tool results marked is_error: OpenAI tool messages have no error flag; written without it',
  resultBlocks:
    'non-text content of tool results (images, documents): OpenAI tool messages hold text only; not written',
  misplaced:
    'tool results outside tool messages and tool calls outside assistant messages: OpenAI has no place for them; not written',
  orphanTool: 'tool messages without a tool result: nothing to answer with; not written',
};

function part(b: ContentBlock, i: number, notes: NoteBook): Record<string, unknown> | undefined {
  switch (b.type) {
    case 'text':
      if (b.cacheControl) notes.add('cache_control', NOTE.cache, i);
      return { type: 'text', text: b.text };
    case 'thinking':
      notes.add('thinking', NOTE.thinking, i);
      return undefined;
    case 'opaque': {
      if (b.provider === 'openai') return copy(b.value) as Record<string, unknown>;
      const image = anthropicImageToOpenAI(b.value);
      if (image) {
        if (image.cacheLost) notes.add('cache_control', NOTE.cache, i);
        return image.part;
      }
      const t = opaqueType(b.value);
      notes.add(`anthropic:${t}`, `Anthropic "${t}" blocks: OpenAI has no equivalent; not written`, i);
      return undefined;
    }
    default:
      notes.add('misplaced', NOTE.misplaced, i);
      return undefined;
  }
}

/** Single text part → the string; anything else → the part list (null for an assistant with none). */
function contentOf(parts: Record<string, unknown>[], role: string): OpenAIChatMessage['content'] {
  if (parts.length === 1 && parts[0]!.type === 'text' && typeof parts[0]!.text === 'string')
    return parts[0]!.text;
  return parts.length === 0 && role === 'assistant' ? null : parts;
}

function toolMessages(m: HistoryMessage, i: number, notes: NoteBook): OpenAIChatMessage[] {
  const out: OpenAIChatMessage[] = [];
  for (const b of m.content) {
    if (b.type === 'tool_result') {
      if (b.isError) notes.add('is_error', NOTE.isError, i);
      if (b.cacheControl) notes.add('cache_control', NOTE.cache, i);
      out.push({
        role: 'tool',
        tool_call_id: b.toolUseId,
        content: b.content,
        ...(m.name !== undefined ? { name: m.name } : {}),
      });
    } else if (b.type === 'text' && out.length) {
      const last = out[out.length - 1]!;
      last.content = `${String(last.content)}\n${b.text}`;
    } else if (b.type === 'thinking') notes.add('thinking', NOTE.thinking, i);
    else notes.add('tool_result_blocks', NOTE.resultBlocks, i);
  }
  if (!out.length) notes.add('orphan_tool', NOTE.orphanTool, i);
  return out;
}

function message(m: HistoryMessage, i: number, hints: RoundTripHints, notes: NoteBook): OpenAIChatMessage[] {
  if (m.role === 'tool') return toolMessages(m, i, notes);
  const parts: Record<string, unknown>[] = [];
  const calls: OpenAIToolCall[] = [];
  for (const b of m.content) {
    if (b.type === 'tool_use' && m.role === 'assistant') {
      calls.push({
        id: b.id,
        type: 'function',
        function: { name: b.name, arguments: argumentsText(b, hints) },
      });
      if (b.cacheControl) notes.add('cache_control', NOTE.cache, i);
      continue;
    }
    const p = part(b, i, notes);
    if (!p) continue;
    if (calls.length) notes.add('order', NOTE.order, i);
    parts.push(p);
  }
  return [
    {
      role: m.role,
      content: contentOf(parts, m.role),
      ...(m.name !== undefined ? { name: m.name } : {}),
      ...(calls.length ? { tool_calls: calls } : {}),
    },
  ];
}

/** The body and the notes in one pass. */
export function toOpenAI(conv: Conversation): { body: OpenAIChatBody; notes: ExportNote[] } {
  const notes = new NoteBook();
  const hints = hintsOf(conv);
  const messages: OpenAIChatMessage[] = [];
  if (conv.system !== undefined) {
    const raw = hints.openaiSystem;
    if (raw && systemText(raw) === conv.system) messages.push(...copy(raw as OpenAIChatMessage[]));
    else {
      const first = raw?.[0];
      messages.push({
        role: isObject(first) && first.role === 'developer' ? 'developer' : 'system',
        content: conv.system,
      });
    }
    if (hints.anthropicSystem?.some((b) => isObject(b) && b.cache_control !== undefined))
      notes.add('cache_control', NOTE.cache);
  }
  conv.messages.forEach((m, i) => messages.push(...message(m, i, hints, notes)));
  noteMetadata(conv, notes);
  return { body: { messages }, notes: notes.list() };
}
