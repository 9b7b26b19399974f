import { AppError } from '../../errors';
import type { Conversation, HistoryMessage, ImportedHistory } from '../types';
import { toConversation, uniqueIds, Warnings } from './common';

/**
 * Plain-text transcripts: a turn starts on a line that begins with a role label — `User:`, `Human:`,
 * `Assistant:`, `AI:`, `Bot:`, `System:` (any case, optionally in Markdown bold: `**User:**`) — and runs
 * until the next label, so turns may span many lines and hold blank lines. A file with none of those labels
 * but `Q:`/`A:` lines is read with Q as the user and A as the assistant. A line of `---`, `===` or `***`
 * whose next non-blank line is a label starts a new conversation; a lone `# Heading` line before a
 * conversation's first label is its title. Blank lines alone never split conversations: answers have
 * paragraphs.
 */

type Role = 'user' | 'assistant' | 'system';

const MAIN: Record<string, Role> = {
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  bot: 'assistant',
  system: 'system',
};
const QA: Record<string, Role> = { q: 'user', a: 'assistant' };

const LABEL = /^[ \t]{0,3}(?:\*\*|__)?([A-Za-z]+)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]?/;
const SEPARATOR = /^[ \t]*(?:-{3,}|={3,}|\*{3,})[ \t]*$/;
const HEADING = /^#{1,6}[ \t]+(.+?)[ \t#]*$/;

function labelOf(line: string, labels: Record<string, Role>): { role: Role; rest: string } | undefined {
  const m = LABEL.exec(line);
  const role = m && Object.hasOwn(labels, m[1]!.toLowerCase()) ? labels[m[1]!.toLowerCase()] : undefined;
  return role && m ? { role, rest: line.slice(m[0].length) } : undefined;
}

interface Draft {
  title?: string;
  line?: number;
  system: string[];
  messages: HistoryMessage[];
  lead: { line: number; text: string[] };
}

/** True when a file has role labels a transcript could be read from (for detection). */
export function looksLikeTranscript(text: string): boolean {
  const lines = text.split('\n', 2000);
  return (
    lines.some((l) => labelOf(l, MAIN)) ||
    (lines.some((l) => labelOf(l, { q: 'user' })) && lines.some((l) => labelOf(l, { a: 'assistant' })))
  );
}

/** A plain-text transcript's conversations. */
export function importTranscript(text: string, file: string): ImportedHistory {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const labels = lines.some((l) => labelOf(l, MAIN)) ? MAIN : QA;
  if (!lines.some((l) => labelOf(l, labels)))
    throw new AppError(
      'INVALID_INPUT',
      `${file}, line 1: no role labels: a transcript has turns starting with "User:" and "Assistant:" on their own lines.`,
      { file, line: 1 },
    );
  const warnings = new Warnings();
  const drafts: Draft[] = [];
  const fresh = (): Draft => ({ system: [], messages: [], lead: { line: 0, text: [] } });
  let cur = fresh();
  let turn: { role: Role; line: number; text: string[] } | undefined;

  const endTurn = () => {
    if (!turn) return;
    const text = turn.text.join('\n').trim();
    if (turn.role === 'system') {
      if (cur.messages.length)
        warnings.add(
          { file, line: turn.line, field: 'System' },
          'a system turn after the conversation started was moved into the system prompt.',
        );
      cur.system.push(text);
    } else cur.messages.push({ role: turn.role, content: [{ type: 'text', text }] });
    turn = undefined;
  };
  const endLead = () => {
    const lead = cur.lead.text.filter((l) => l.trim() !== '');
    const heading = lead.length === 1 ? HEADING.exec(lead[0]!.trim()) : null;
    if (heading) cur.title = heading[1]!;
    else if (lead.length)
      warnings.add({ file, line: cur.lead.line }, 'text before the first role label was not imported.');
    cur.lead = { line: 0, text: [] };
  };
  const nextIsLabel = (i: number) => {
    for (let j = i + 1; j < lines.length; j++)
      if (lines[j]!.trim() !== '') return !!labelOf(lines[j]!, labels);
    return false;
  };

  lines.forEach((raw, i) => {
    const label = labelOf(raw, labels);
    if (label) {
      if (!turn) endLead();
      endTurn();
      cur.line ??= i + 1;
      turn = { role: label.role, line: i + 1, text: [label.rest] };
    } else if (SEPARATOR.test(raw) && nextIsLabel(i)) {
      endTurn();
      endLead();
      if (cur.messages.length || cur.system.length) drafts.push(cur);
      cur = fresh();
    } else if (turn) turn.text.push(raw);
    else {
      if (!cur.lead.text.length && raw.trim() !== '') cur.lead.line = i + 1;
      if (cur.lead.text.length || raw.trim() !== '') cur.lead.text.push(raw);
    }
  });
  endTurn();
  endLead();
  if (cur.messages.length || cur.system.length) drafts.push(cur);

  const conversations: Conversation[] = drafts.map((d, index) =>
    toConversation(
      {
        ...(d.title !== undefined ? { title: d.title } : {}),
        ...(d.system.length ? { system: d.system.join('\n\n') } : {}),
        messages: d.messages,
        metadata: {},
        hints: {},
      },
      { file, format: 'transcript', index, line: d.line },
    ),
  );
  return {
    conversations: uniqueIds(conversations, warnings),
    format: 'transcript',
    warnings: warnings.done(file),
  };
}
