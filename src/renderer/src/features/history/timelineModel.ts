/**
 * The turn timeline's rows: one per message (the system prompt first), with the turn number the simulation
 * uses, and every tool call paired with its result the way the importer pairs them (a result answers the
 * nearest call before it with its id).
 */
import { useEffect, useMemo, useState } from 'react';
import { messageText, type Conversation, type HistoryRole } from '../../../../core/history/types';

export interface TimelineCall {
  id: string;
  name: string;
  args: string;
  /** 1-based pair number within the conversation. */
  pair: number;
  /** The message holding its result, or null when none answers it. */
  resultIndex: number | null;
}

export interface TimelineResult {
  toolUseId: string;
  /** The call's tool name, when the call was found. */
  name: string | null;
  pair: number | null;
  callIndex: number | null;
  isError: boolean;
  content: string;
}

export interface TimelineRow {
  /** The message's index in the conversation; -1 for the system prompt. */
  index: number;
  role: HistoryRole | 'system';
  /** The text as a model reads it (tool calls as `name(args)`). */
  text: string;
  /** Plain text blocks (without tool calls and results) for display. */
  prose: string;
  /** The simulation's turn that this assistant message answers (1-based), or null. */
  turn: number | null;
  calls: TimelineCall[];
  results: TimelineResult[];
  /** Thinking, images and other blocks not shown as text. */
  otherBlocks: number;
}

const argsText = (input: unknown) => (typeof input === 'string' ? input : JSON.stringify(input));

export function buildTimeline(conv: Pick<Conversation, 'system' | 'messages'>): TimelineRow[] {
  const rows: TimelineRow[] = [];
  if (conv.system)
    rows.push({
      index: -1,
      role: 'system',
      text: conv.system,
      prose: conv.system,
      turn: null,
      calls: [],
      results: [],
      otherBlocks: 0,
    });
  const open = new Map<string, TimelineCall & { index: number }>();
  let pairs = 0;
  let turns = 0;
  conv.messages.forEach((m, i) => {
    const calls: TimelineCall[] = [];
    const results: TimelineResult[] = [];
    const prose: string[] = [];
    let other = 0;
    for (const b of m.content) {
      switch (b.type) {
        case 'text':
          prose.push(b.text);
          break;
        case 'tool_use': {
          const call = { id: b.id, name: b.name, args: argsText(b.input), pair: ++pairs, resultIndex: null };
          calls.push(call);
          open.set(b.id, { ...call, index: i });
          break;
        }
        case 'tool_result': {
          const call = open.get(b.toolUseId);
          if (call) {
            open.delete(b.toolUseId);
            const row = rows.find((r) => r.index === call.index);
            const owner = row?.calls.find((c) => c.pair === call.pair);
            if (owner) owner.resultIndex = i;
          }
          results.push({
            toolUseId: b.toolUseId,
            name: call?.name ?? null,
            pair: call?.pair ?? null,
            callIndex: call?.index ?? null,
            isError: b.isError === true,
            content: b.content,
          });
          break;
        }
        default:
          other++;
      }
    }
    // (a call's result may come in the same message list later: rows are pushed before results arrive)
    rows.push({
      index: i,
      role: m.role,
      text: messageText(m),
      prose: prose.join('\n\n'),
      turn: m.role === 'assistant' && i > 0 ? ++turns : null,
      calls,
      results,
      otherBlocks: other,
    });
  });
  return rows;
}

/** The first line of a text, for a collapsed row. */
export function previewOf(text: string, max = 160): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

type Count = (text: string) => number;
let counter: Promise<Count> | null = null;

/** The exact o200k_base counter, loaded once on first use (the same chunk as the editor's local counting). */
function loadCounter(): Promise<Count> {
  counter ??= import('../../../../core/tokens/gptTokenizer').then(({ createGptTokenizer }) => {
    const t = createGptTokenizer();
    return (text: string) => t.count(text, 'o200k_base');
  });
  return counter;
}

/** A rough stand-in while the tokenizer loads: about four characters a token. */
const roughCount: Count = (text) => Math.ceil(text.length / 4);

/**
 * Tokens of each row's text (o200k_base, as the conversation picker counts them: text only, no per-message
 * framing). Estimated by length until the tokenizer has loaded, then exact.
 */
export function useRowTokens(rows: readonly TimelineRow[]): { tokens: number[]; exact: boolean } {
  const [count, setCount] = useState<Count | null>(null);
  useEffect(() => {
    let live = true;
    void loadCounter().then((c) => {
      if (live) setCount(() => c);
    });
    return () => {
      live = false;
    };
  }, []);
  return useMemo(
    () => ({ tokens: rows.map((r) => (r.text ? (count ?? roughCount)(r.text) : 0)), exact: count !== null }),
    [rows, count],
  );
}
