import { AppError } from '../../errors';
import { parseJsonl, type JsonlRecord } from '../../golden/native';
import type { Conversation, HistoryFormat, ImportedHistory } from '../types';
import {
  invalid,
  lineSite,
  toConversation,
  uniqueIds,
  Warnings,
  type ReadContext,
  type Site,
} from './common';
import { isMessageLike, readMessageList, readRecord } from './records';

/**
 * JSON Lines of conversations or of messages, told apart by the first line. A conversation per line: any
 * record the JSON importer reads (`{messages}`, `{system, messages}`, `{conversations}`, MT-Bench-101's
 * `{history: [{user, bot}]}`, a tau-bench trajectory) or a bare list of messages. A message per line
 * (`{role, content}` or `{from, value}`): the whole file is one conversation.
 */

/** Lines of messages: path `[i, ...rest]` is on record i's line, and the field is `rest`. */
function messageLinesSite(file: string, records: JsonlRecord[]): Site {
  return {
    file,
    where: (path) => {
      const i = typeof path[0] === 'number' ? path[0] : 0;
      return { file, line: records[i]?.line, path: path.slice(1) };
    },
  };
}

/** A JSON Lines file's conversations. */
export function importJsonl(text: string, file: string, forced?: HistoryFormat): ImportedHistory {
  const records = parseJsonl(text, file);
  if (!records.length) throw new AppError('INVALID_INPUT', `${file}: holds no conversations.`, { file });
  const warnings = new Warnings();
  // A dialect named by the user is what the lines were read as; otherwise the file is just JSON Lines.
  const format = forced ?? 'jsonl';
  let conversations: Conversation[];
  if (isMessageLike(records[0]!.value)) {
    const bad = records.find((r) => !isMessageLike(r.value));
    if (bad)
      throw invalid(
        { file, line: bad.line },
        `is not a message, but line ${records[0]!.line} began a file of one message per line`,
      );
    const ctx: ReadContext = { site: messageLinesSite(file, records), warnings };
    const read = readMessageList(
      records.map((r) => r.value),
      ctx,
      [],
      forced,
    );
    conversations = [toConversation(read, { file, format, index: 0, line: records[0]!.line })];
  } else {
    conversations = records.map((r, i) => {
      const ctx: ReadContext = { site: lineSite(file, r.line), warnings };
      return toConversation(readRecord(r.value, ctx, forced), { file, format, index: i, line: r.line });
    });
  }
  return { conversations: uniqueIds(conversations, warnings), format, warnings: warnings.done(file) };
}
