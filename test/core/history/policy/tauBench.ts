/**
 * The 200 tau-bench airline trajectories (GPT-4o, OpenAI chat format with tool calls; MIT, see
 * ../shared/corpora/conversations/SOURCES.tsv). Two readings: the app's importer (importHistory, what the
 * property tests, the simulation tests and the bench use), and a small private loader written before the
 * importer existed, kept so the exact-count test does not depend on the importer alone (both readings are
 * counted against the raw JSON).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importHistory } from '../../../../src/core/history/formats';
import type { ContentBlock, Conversation, HistoryMessage } from '../../../../src/core/history/types';

export const TAU_BENCH = path.resolve(
  import.meta.dirname,
  '../../../../../shared/corpora/conversations/tau-bench__historical_trajectories__gpt-4o-airline.json',
);

export interface RawMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  name?: string;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
}

export interface RawTrajectory {
  task_id: number;
  reward: number;
  traj: RawMessage[];
}

let raw: RawTrajectory[] | undefined;

export function rawTrajectories(): RawTrajectory[] {
  raw ??= JSON.parse(readFileSync(TAU_BENCH, 'utf8')) as RawTrajectory[];
  return raw;
}

function parseArgs(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export function toHistoryMessage(m: RawMessage): HistoryMessage {
  if (m.role === 'tool')
    return {
      role: 'tool',
      ...(m.name !== undefined ? { name: m.name } : {}),
      content: [{ type: 'tool_result', toolUseId: m.tool_call_id!, content: m.content ?? '' }],
    };
  const content: ContentBlock[] = [];
  if (typeof m.content === 'string' && (m.content !== '' || !m.tool_calls?.length))
    content.push({ type: 'text', text: m.content });
  for (const c of m.tool_calls ?? [])
    content.push({
      type: 'tool_use',
      id: c.id,
      name: c.function.name,
      input: parseArgs(c.function.arguments),
    });
  return { role: m.role as 'user' | 'assistant', content };
}

let imported: Conversation[] | undefined;

/** Every trajectory as the app's importer reads it, in file order. */
export function importedConversations(): Conversation[] {
  imported ??= importHistory(readFileSync(TAU_BENCH, 'utf8'), path.basename(TAU_BENCH)).conversations;
  return imported;
}

let conversations: Conversation[] | undefined;

/** Every trajectory read by the private loader (system prompt apart), in file order. */
export function tauConversations(): Conversation[] {
  conversations ??= rawTrajectories().map((t, index) => ({
    id: `task-${t.task_id}-${index}`,
    system: t.traj
      .filter((m) => m.role === 'system')
      .map((m) => m.content ?? '')
      .join('\n'),
    messages: t.traj.filter((m) => m.role !== 'system').map(toHistoryMessage),
    source: { file: path.basename(TAU_BENCH), format: 'openai', index },
  }));
  return conversations;
}

/**
 * One long conversation of about `turns` assistant turns, made by concatenating real trajectories (each cut
 * after its last assistant message, so that the next one's user message follows an assistant answer).
 */
export function longConversation(turns: number): Conversation {
  const all = importedConversations();
  const messages: HistoryMessage[] = [];
  let count = 0;
  for (let k = 0; count < turns; k++) {
    const c = all[k % all.length]!;
    let end = c.messages.length;
    while (end > 0 && c.messages[end - 1]!.role !== 'assistant') end--;
    for (const m of c.messages.slice(0, end)) {
      if (m.role === 'assistant') {
        if (count === turns) break;
        count++;
      }
      messages.push(m);
    }
  }
  return {
    id: `tau-bench-${turns}-turns`,
    system: all[0]!.system,
    messages,
    source: { file: path.basename(TAU_BENCH), format: 'openai', index: 0 },
  };
}
