import { messageText, type Conversation } from '../types';

/** What the picker shows for a conversation. */
export interface ConversationStats {
  /** Messages, not counting the system prompt. */
  messages: number;
  /** User messages: the turns a person took. */
  turns: number;
  /** tool_use blocks. */
  toolCalls: number;
  /**
   * Tokens of the system prompt and of each message's text (`messageText`) under `count`: an estimate of
   * the conversation's size that leaves out the per-message framing a provider adds and opaque blocks.
   */
  tokens: number;
}

/** Counts of a conversation for the picker; `count` is the caller's tokenizer. */
export function conversationStats(conv: Conversation, count: (text: string) => number): ConversationStats {
  let turns = 0;
  let toolCalls = 0;
  let tokens = conv.system ? count(conv.system) : 0;
  for (const m of conv.messages) {
    if (m.role === 'user') turns++;
    for (const b of m.content) if (b.type === 'tool_use') toolCalls++;
    const text = messageText(m);
    if (text) tokens += count(text);
  }
  return { messages: conv.messages.length, turns, toolCalls, tokens };
}
