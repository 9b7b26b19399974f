import { AppError } from '../../errors';
import type { Conversation, HistoryFormat, ImportedHistory } from '../types';
import {
  documentSite,
  isObject,
  toConversation,
  uniqueIds,
  Warnings,
  type DataPath,
  type ReadContext,
} from './common';
import { jsonFormat } from './detect';
import { indexJson } from './jsonLines';
import { isMessageLike, readMessageList, readRecord } from './records';

/**
 * A JSON file of conversations: one conversation object (`{messages}`, `{system, messages}`,
 * `{conversations}`, `{history}`), a list of them (tau-bench's trajectories among them), or a bare list of
 * messages (one conversation).
 */

const firstLine = (text: string): number => {
  const m = /\S/.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 1;
};

/** A parsed JSON document's conversations. */
export function readJsonDocument(
  data: unknown,
  text: string,
  file: string,
  forced?: HistoryFormat,
): ImportedHistory {
  const warnings = new Warnings();
  const index = indexJson(text);
  const lineOf = (p: DataPath) => index.lineOf(p);
  const ctxAt = (prefix: DataPath): ReadContext => ({ site: documentSite(file, prefix, lineOf), warnings });
  const empty = () => new AppError('INVALID_INPUT', `${file}: holds no conversations.`, { file });
  let conversations: Conversation[];
  let format: HistoryFormat;
  if (Array.isArray(data) && data.length === 0) throw empty();
  if (Array.isArray(data) && isMessageLike(data[0])) {
    format = forced ?? jsonFormat(data);
    const read = readMessageList(data, ctxAt([]), [], forced);
    conversations = [toConversation(read, { file, format, index: 0, line: firstLine(text) })];
  } else if (Array.isArray(data)) {
    const lines = index.rootLines();
    format = forced ?? jsonFormat(data);
    conversations = data.map((rec, i) =>
      toConversation(readRecord(rec, ctxAt([i]), forced), { file, format, index: i, line: lines[i] }),
    );
  } else if (isObject(data)) {
    format = forced ?? jsonFormat(data);
    conversations = [
      toConversation(readRecord(data, ctxAt([]), forced), { file, format, index: 0, line: firstLine(text) }),
    ];
  } else {
    throw new AppError(
      'INVALID_INPUT',
      `${file}: must hold a conversation object or a list of conversations or messages.`,
      { file, line: firstLine(text) },
    );
  }
  return { conversations: uniqueIds(conversations, warnings), format, warnings: warnings.done(file) };
}
