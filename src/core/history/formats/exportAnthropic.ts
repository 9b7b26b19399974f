import type { ContentBlock, Conversation, HistoryMessage } from '../types';
import { hintsOf, isObject } from './common';
import { opaqueType, openaiImageToAnthropic } from './images';
import { NoteBook, noteMetadata, type ExportNote } from './notes';

/** An Anthropic content block (blocks PromptPress does not model are passed through as imported). */
export type AnthropicBlock = Record<string, unknown>;

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicBlock[];
}

/** The conversation part of a Messages API request body. */
export interface AnthropicBody {
  system?: string | AnthropicBlock[];
  messages: AnthropicMessage[];
}

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const NOTE = {
  name: 'participant names: Anthropic messages have none; not written',
  input: 'tool calls whose arguments are not a JSON object: Anthropic expects an object; written as they are',
  unsigned:
    'thinking blocks without a signature (not written by Claude): Anthropic’s API refuses them; written as they are',
  detail: 'image detail settings: Anthropic images have none; not written',
  system:
    'the system prompt changed since import: its text blocks were merged into one, keeping the last cache_control',
};

function block(b: ContentBlock, i: number, notes: NoteBook): AnthropicBlock | undefined {
  const cc = 'cacheControl' in b && b.cacheControl ? { cache_control: { ...b.cacheControl } } : {};
  switch (b.type) {
    case 'text':
      return { type: 'text', text: b.text, ...cc };
    case 'tool_use': {
      let input = b.input;
      if (input === '' || input === undefined || input === null) input = {};
      else if (!isObject(input)) notes.add('input', NOTE.input, i);
      return { type: 'tool_use', id: b.id, name: b.name, input, ...cc };
    }
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: b.toolUseId,
        ...(b.content !== '' ? { content: b.content } : {}),
        ...(b.isError !== undefined ? { is_error: b.isError } : {}),
        ...cc,
      };
    case 'thinking':
      if (b.signature === undefined) notes.add('unsigned', NOTE.unsigned, i);
      return {
        type: 'thinking',
        thinking: b.thinking,
        ...(b.signature !== undefined ? { signature: b.signature } : {}),
      };
    case 'opaque': {
      if (b.provider === 'anthropic') return copy(b.value) as AnthropicBlock;
      const image = openaiImageToAnthropic(b.value);
      if (image) {
        if (image.detailLost) notes.add('detail', NOTE.detail, i);
        return image.block;
      }
      const t = opaqueType(b.value);
      notes.add(`openai:${t}`, `OpenAI "${t}" content parts: Anthropic has no equivalent; not written`, i);
      return undefined;
    }
  }
}

/** Blocks of a user or assistant message; empty text is left out when there is anything else (the API refuses it). */
function blocks(m: HistoryMessage, i: number, notes: NoteBook): AnthropicBlock[] {
  const out = m.content.map((b) => block(b, i, notes)).filter((b): b is AnthropicBlock => b !== undefined);
  const nonEmpty = out.filter((b) => !(b.type === 'text' && b.text === '' && b.cache_control === undefined));
  return nonEmpty.length ? nonEmpty : out;
}

/** One plain text block → the string; anything else → the block list. */
function contentOf(list: AnthropicBlock[]): AnthropicMessage['content'] {
  const only = list[0];
  return list.length === 1 && only!.type === 'text' && only!.cache_control === undefined
    ? (only!.text as string)
    : list;
}

/** A tool message's result, with the blocks that followed it in the message folded into its content. */
function results(m: HistoryMessage, i: number, notes: NoteBook): AnthropicBlock[] {
  const out: AnthropicBlock[] = [];
  for (const b of m.content) {
    const converted = block(b, i, notes);
    if (!converted) continue;
    const last = out[out.length - 1];
    if (b.type === 'tool_result' || !last || last.type !== 'tool_result') {
      out.push(converted);
      continue;
    }
    const content = last.content;
    last.content = [
      ...(typeof content === 'string'
        ? [{ type: 'text', text: content }]
        : Array.isArray(content)
          ? content
          : []),
      converted,
    ];
  }
  return out;
}

function systemOf(conv: Conversation, notes: NoteBook): AnthropicBody['system'] {
  if (conv.system === undefined) return undefined;
  const raw = hintsOf(conv).anthropicSystem;
  if (!raw) return conv.system;
  const text = raw.map((b) => (isObject(b) && typeof b.text === 'string' ? b.text : '')).join('\n\n');
  if (text === conv.system) return copy(raw) as AnthropicBlock[];
  const cached = raw.filter((b) => isObject(b) && b.cache_control !== undefined);
  if (!cached.length) return conv.system;
  notes.add('system', NOTE.system);
  return [
    {
      type: 'text',
      text: conv.system,
      cache_control: copy((cached[cached.length - 1] as AnthropicBlock).cache_control),
    },
  ];
}

/** The body and the notes in one pass. */
export function toAnthropic(conv: Conversation): { body: AnthropicBody; notes: ExportNote[] } {
  const notes = new NoteBook();
  const system = systemOf(conv, notes);
  const messages: AnthropicMessage[] = [];
  const list = conv.messages;
  for (let i = 0; i < list.length; i++) {
    const m = list[i]!;
    if (m.role !== 'tool') {
      if (m.name !== undefined) notes.add('name', NOTE.name, i);
      messages.push({ role: m.role, content: contentOf(blocks(m, i, notes)) });
      continue;
    }
    // Consecutive tool messages are one user message, and so is the user text right after them.
    const merged: AnthropicBlock[] = [];
    for (; i < list.length && list[i]!.role === 'tool'; i++) merged.push(...results(list[i]!, i, notes));
    const next = list[i];
    if (next?.role === 'user') {
      if (next.name !== undefined) notes.add('name', NOTE.name, i);
      merged.push(...blocks(next, i, notes));
    } else i--;
    messages.push({ role: 'user', content: merged });
  }
  noteMetadata(conv, notes);
  return { body: { ...(system !== undefined ? { system } : {}), messages }, notes: notes.list() };
}
