import { parseJson } from '../../json';
import type { Conversation, HistoryFormat, ImportedHistory } from '../types';
import { checkText, sniff } from './detect';
import { readJsonDocument } from './document';
import { toAnthropic, type AnthropicBody } from './exportAnthropic';
import { toOpenAI, type OpenAIChatBody } from './exportOpenAI';
import { importJsonl } from './jsonl';
import type { ExportNote, ExportTarget } from './notes';
import { importTranscript } from './transcript';

export { detectHistoryFormat, looksBinary } from './detect';
export { conversationStats, type ConversationStats } from './stats';
export type { AnthropicBlock, AnthropicBody, AnthropicMessage } from './exportAnthropic';
export type { OpenAIChatBody, OpenAIChatMessage, OpenAIToolCall } from './exportOpenAI';
export type { ExportNote, ExportTarget } from './notes';
export { HINTS_KEY, type RoundTripHints } from './common';

/** A format the importer reads, for menus and the format override. */
export interface HistoryFormatInfo {
  id: HistoryFormat;
  label: string;
  description: string;
  extensions: readonly string[];
}

/** The formats `importHistory` reads (docs/formats/history.md). */
export const HISTORY_FORMATS: Readonly<Record<HistoryFormat, HistoryFormatInfo>> = {
  openai: {
    id: 'openai',
    label: 'OpenAI chat messages',
    description:
      'A message list, {messages: [...]} objects or a list of them (tau-bench trajectories too), with tool_calls and tool messages.',
    extensions: ['json'],
  },
  anthropic: {
    id: 'anthropic',
    label: 'Anthropic messages',
    description:
      '{system, messages} objects or a list of them, with text, tool_use, tool_result, thinking and cache_control.',
    extensions: ['json'],
  },
  sharegpt: {
    id: 'sharegpt',
    label: 'ShareGPT',
    description:
      '{conversations: [{from, value}]} objects or a list of them; also {history: [{user, bot}]} pairs.',
    extensions: ['json'],
  },
  jsonl: {
    id: 'jsonl',
    label: 'JSON Lines',
    description:
      'A conversation per line (any of the shapes above), or a message per line for one conversation.',
    extensions: ['jsonl', 'ndjson'],
  },
  transcript: {
    id: 'transcript',
    label: 'Plain transcript',
    description: 'Turns starting with "User:", "Assistant:" or "System:" lines; "---" between conversations.',
    extensions: ['txt', 'md', 'log'],
  },
};

export interface HistoryImportOptions {
  /** Read the file as this format instead of detecting it (openai/anthropic decide how message lists are read). */
  format?: HistoryFormat;
}

/**
 * Reads every conversation of a history file: OpenAI chat messages, Anthropic messages, ShareGPT, JSON Lines
 * or a plain transcript, detected from the extension and content unless `options.format` names one. Errors
 * are AppErrors: PARSE_ERROR (bad JSON, with line and column), INVALID_INPUT (a wrong field, naming the file,
 * line and field), BINARY_FILE, UNSUPPORTED. What was skipped or changed is in `warnings`.
 */
export function importHistory(
  text: string,
  fileName: string,
  options: HistoryImportOptions = {},
): ImportedHistory {
  checkText(text, fileName);
  const forced = options.format;
  if (forced === 'transcript') return importTranscript(text, fileName);
  if (forced === 'jsonl') return importJsonl(text, fileName);
  const s = sniff(text, fileName);
  if (s.kind === 'json') return readJsonDocument(s.data, text, fileName, forced);
  if (s.kind === 'jsonl') return importJsonl(text, fileName, forced);
  if (forced)
    return readJsonDocument(parseJson(text.replace(/^\uFEFF/, ''), fileName), text, fileName, forced);
  return importTranscript(text, fileName);
}

/**
 * The conversation as an OpenAI Chat Completions body: `{messages}` with the system prompt first (as it was
 * written when it came from OpenAI and is unchanged), tool calls with their arguments as JSON strings (as
 * written, while they still parse to the same value). What OpenAI cannot express is left out: see exportNotes.
 */
export function exportOpenAI(conv: Conversation): OpenAIChatBody {
  return toOpenAI(conv).body;
}

/**
 * The conversation as an Anthropic Messages body: `{system, messages}` with consecutive tool results merged
 * into one user message (with the user text that follows them), cache_control and thinking signatures written
 * back. What Anthropic cannot express is left out: see exportNotes.
 */
export function exportAnthropic(conv: Conversation): AnthropicBody {
  return toAnthropic(conv).body;
}

/** What an export to `target` leaves out or changes, one note per kind, with the messages concerned. */
export function exportNotes(conv: Conversation, target: ExportTarget): ExportNote[] {
  return (target === 'openai' ? toOpenAI(conv) : toAnthropic(conv)).notes;
}

/** An exporter: one entry of the registry. */
export interface HistoryExporter {
  id: ExportTarget;
  label: string;
  export(conv: Conversation): unknown;
  notes(conv: Conversation): ExportNote[];
}

/** The exporters, by target. */
export const HISTORY_EXPORTERS: Readonly<Record<ExportTarget, HistoryExporter>> = {
  openai: {
    id: 'openai',
    label: 'OpenAI chat messages',
    export: exportOpenAI,
    notes: (c) => exportNotes(c, 'openai'),
  },
  anthropic: {
    id: 'anthropic',
    label: 'Anthropic messages',
    export: exportAnthropic,
    notes: (c) => exportNotes(c, 'anthropic'),
  },
};
