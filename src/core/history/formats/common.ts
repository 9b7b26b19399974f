import { fieldName, invalid, type Where } from '../../golden/schema';
import type { DataPath } from '../../golden/structured';
import type { AppError } from '../../errors';
import type { CacheControl, Conversation, HistoryFormat, HistoryMessage, HistoryWarning } from '../types';

export type { DataPath, Where };
export { fieldName, invalid };

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where the values of one record (a conversation, or a file of messages) sit in the file. Readers pass
 * paths relative to the record; the site turns them into the line and the field as the file's author
 * wrote them (`[4].traj[3].role` in a JSON array, `messages[3].role` on a JSON Lines line).
 */
export interface Site {
  file: string;
  where(path: DataPath): Where;
}

/** A site for a record at `prefix` in a JSON document whose lines come from `lineOf`. */
export function documentSite(
  file: string,
  prefix: DataPath,
  lineOf: (path: DataPath) => number | undefined,
): Site {
  return {
    file,
    where: (path) => {
      const full = [...prefix, ...path];
      return { file, line: lineOf(full), path: full };
    },
  };
}

/** A site for a record written on one line (JSON Lines). */
export function lineSite(file: string, line: number): Site {
  return { file, where: (path) => ({ file, line, path }) };
}

/** Past this many warnings a file gets one summary more: a warning per message of a huge file helps nobody. */
const MAX_WARNINGS = 200;

/** The warnings of one import, capped. */
export class Warnings {
  readonly list: HistoryWarning[] = [];
  private dropped = 0;

  add(where: Where, message: string): void {
    if (this.list.length >= MAX_WARNINGS) {
      this.dropped++;
      return;
    }
    const field = where.field ?? (where.path && where.path.length ? fieldName(where.path) : undefined);
    this.list.push({
      file: where.file,
      ...(where.line !== undefined ? { line: where.line } : {}),
      ...(field ? { field } : {}),
      message,
    });
  }

  /** The list, ending with a count of the warnings left out. */
  done(file: string): HistoryWarning[] {
    if (this.dropped === 0) return this.list;
    return [...this.list, { file, message: `${this.dropped} more warnings were not listed.` }];
  }
}

/** What a reader needs besides the value: where it is, and where to say what it skipped. */
export interface ReadContext {
  site: Site;
  warnings: Warnings;
}

/** INVALID_INPUT at `path` of the record. */
export const fail = (ctx: ReadContext, path: DataPath, message: string): AppError =>
  invalid(ctx.site.where(path), message);

/** The value at `path` must be text. */
export function requireString(ctx: ReadContext, value: unknown, path: DataPath, what: string): string {
  if (typeof value === 'string') return value;
  throw fail(
    ctx,
    path,
    value === undefined || value === null ? `is required (${what})` : `must be text (${what})`,
  );
}

/**
 * Source details an export needs to give back exactly what was read, where the model has no place for them.
 * Kept in `Conversation.metadata.roundTrip`; exporters use an entry only while it still matches the model.
 */
export interface RoundTripHints {
  /**
   * OpenAI tool-call arguments as written, by call id, where re-serialising the parsed value would differ
   * (spacing, escapes). A list: real logs reuse ids (tau-bench does, for different calls).
   */
  openaiArguments?: Record<string, string[]>;
  /** OpenAI system/developer messages as written, when not one plain `system` message. */
  openaiSystem?: unknown[];
  /** Anthropic's top-level `system` as written, when it was a list of blocks. */
  anthropicSystem?: unknown[];
}

export const HINTS_KEY = 'roundTrip';

/** The hints stored on a conversation, if any. */
export function hintsOf(conv: Conversation): RoundTripHints {
  const h = conv.metadata?.[HINTS_KEY];
  return isObject(h) ? (h as RoundTripHints) : {};
}

/** What a reader made of one record, before the importer places it in the file. */
export interface ReadConversation {
  id?: string;
  title?: string;
  system?: string;
  messages: HistoryMessage[];
  metadata: Record<string, unknown>;
  hints: RoundTripHints;
}

/** A file's own id for a record, when it has a usable one. */
export function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** The conversation as the model holds it (metadata and hints only when there are some). */
export function toConversation(
  r: ReadConversation,
  source: { file: string; format: HistoryFormat; index: number; line?: number | undefined },
): Conversation {
  const metadata: Record<string, unknown> = { ...r.metadata };
  if (Object.keys(r.hints).length) metadata[HINTS_KEY] = r.hints;
  return {
    id: r.id ?? `conversation-${source.index + 1}`,
    ...(r.title !== undefined ? { title: r.title } : {}),
    ...(r.system !== undefined ? { system: r.system } : {}),
    messages: r.messages,
    ...(Object.keys(metadata).length ? { metadata } : {}),
    source: {
      file: source.file,
      format: source.format,
      index: source.index,
      ...(source.line !== undefined ? { line: source.line } : {}),
    },
  };
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * Fields of messages that the model has no place for, reported once per field name with the first place
 * and how many messages had it (a field on every message of a big file is one warning, not thousands).
 */
export class IgnoredFields {
  private seen = new Map<string, { path: DataPath; count: number }>();

  note(path: DataPath, key: string): void {
    const s = this.seen.get(key);
    if (s) s.count++;
    else this.seen.set(key, { path: [...path, key], count: 1 });
  }

  /** Records every key of `obj` outside `known` that carries a value (null and empty lists carry none). */
  check(obj: Record<string, unknown>, known: ReadonlySet<string>, path: DataPath): void {
    for (const [k, v] of Object.entries(obj)) {
      if (known.has(k) || v === null || v === undefined) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      this.note(path, k);
    }
  }

  flush(ctx: ReadContext, what: string): void {
    for (const [key, { path, count }] of this.seen) {
      const more = count > 1 ? ` (on ${count} ${what})` : '';
      ctx.warnings.add(
        ctx.site.where(path),
        `"${key}" has no place in a conversation and was not imported${more}.`,
      );
    }
  }
}

/** Ids made unique within the file: a repeated id gets `#2`, `#3`… and a warning. */
export function uniqueIds(conversations: Conversation[], warnings: Warnings): Conversation[] {
  const taken = new Set(conversations.map((c) => c.id));
  const seen = new Set<string>();
  return conversations.map((c) => {
    if (!seen.has(c.id)) {
      seen.add(c.id);
      return c;
    }
    let n = 2;
    while (taken.has(`${c.id}#${n}`)) n++;
    const id = `${c.id}#${n}`;
    taken.add(id);
    warnings.add(
      { file: c.source.file, line: c.source.line },
      `the id "${c.id}" is used more than once; this conversation is "${id}".`,
    );
    return { ...c, id };
  });
}

/** `{type: 'ephemeral', ttl?}`, as some OpenAI-compatible gateways accept on text parts too. */
export function readCacheControl(v: unknown, ctx: ReadContext, path: DataPath): CacheControl | undefined {
  if (v === undefined || v === null) return undefined;
  if (isObject(v) && v.type === 'ephemeral' && (v.ttl === undefined || v.ttl === '5m' || v.ttl === '1h'))
    return v.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: v.ttl };
  ctx.warnings.add(ctx.site.where(path), 'is not {"type": "ephemeral"} (with ttl "5m" or "1h"); ignored.');
  return undefined;
}

/** Ids should be unique in a conversation; real logs reuse them, which leaves pairing to position. */
export function reusedId(ctx: ReadContext, path: DataPath, id: string): void {
  ctx.warnings.add(
    ctx.site.where(path),
    `"${id}" is also the id of an earlier tool call in this conversation: a result answers the nearest call before it.`,
  );
}
