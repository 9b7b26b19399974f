import type { Conversation } from '../types';
import { HINTS_KEY } from './common';

/** A provider format a conversation can be exported to. */
export type ExportTarget = 'openai' | 'anthropic';

/** Something the target format cannot express, and what the export did about it. */
export interface ExportNote {
  code: string;
  /** For a person: what, how many, where, and what was written instead. */
  message: string;
  /** 0-based indexes into `conversation.messages` (empty when it concerns the system prompt or metadata). */
  messages: number[];
}

const MAX_LISTED = 8;

/** Collects notes by code while an exporter runs; one note per code. */
export class NoteBook {
  private byCode = new Map<string, { text: string; count: number; messages: number[] }>();

  /** `text` describes the thing and the consequence, e.g. "thinking blocks: … not written". */
  add(code: string, text: string, message?: number): void {
    const n = this.byCode.get(code) ?? { text, count: 0, messages: [] };
    n.count++;
    if (message !== undefined && n.messages[n.messages.length - 1] !== message) n.messages.push(message);
    this.byCode.set(code, n);
  }

  list(): ExportNote[] {
    return [...this.byCode].map(([code, n]) => {
      const shown = n.messages.slice(0, MAX_LISTED).map((i) => i + 1);
      const more = n.messages.length > MAX_LISTED ? ', …' : '';
      const where = shown.length
        ? ` in message${shown.length > 1 ? 's' : ''} ${shown.join(', ')}${more}`
        : '';
      const count = n.messages.length ? ` (${n.count}${where})` : '';
      return { code, message: `${n.text}${count}.`, messages: n.messages };
    });
  }
}

/** The metadata keys an export leaves out: none of them is part of a request's conversation. */
export function noteMetadata(conv: Conversation, notes: NoteBook): void {
  const keys = Object.keys(conv.metadata ?? {}).filter((k) => k !== HINTS_KEY);
  if (keys.length)
    notes.add(
      'metadata',
      `imported fields outside the conversation (${keys.join(', ')}) are kept in PromptPress but not written into the messages`,
    );
}
