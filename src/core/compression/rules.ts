import { z } from 'zod';
import { AppError } from '../errors';

/**
 * One entry of a phrase table (resources/rules/filler.<lang>.json). `pattern` is a literal phrase, a regular
 * expression written `/source/flags`, or a list of them (alternatives). Literal phrases match whole words
 * unless `wholeWord` is false (Korean endings attach to the stem before them); regular expressions bring
 * their own boundaries. `replacement` may use $1…$9 for groups of a regular expression. Prefer literals:
 * they are matched together in one pass, while each regular expression scans the whole text on its own.
 */
export const FillerEntrySchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]*$/i,
      'use letters, digits, ".", "_" and "-", starting with a letter or digit',
    ),
  pattern: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  replacement: z.string().default(''),
  reason: z.string().min(1),
  caseInsensitive: z.boolean().default(true),
  wholeWord: z.boolean().default(true),
  /** Only where a sentence starts: at a line start (after indentation and list markers) or after . ! ? */
  sentenceStart: z.boolean().default(false),
  /** Language code; defaults to the id's prefix before the first "." (`en.in-order-to` → `en`). */
  language: z.string().min(1).optional(),
});
export type FillerEntry = z.input<typeof FillerEntrySchema>;

/** One way a rule matches: a literal phrase or a regular expression. */
export type Matcher =
  | { kind: 'literal'; text: string; caseInsensitive: boolean; wordStart: boolean; wordEnd: boolean }
  | { kind: 'regex'; regex: RegExp };

/** A compiled phrase rule. */
export interface FillerRule {
  id: string;
  language: string;
  matchers: Matcher[];
  replacement: string;
  reason: string;
  sentenceStart: boolean;
  /** Where it came from (a file name), for messages. */
  source: string;
}

/** Parsed phrase tables the engine receives; the host reads the files (bundled and the user's). */
export interface RuleTables {
  filler: FillerRule[];
}

export const EMPTY_RULE_TABLES: RuleTables = { filler: [] };

const REGEX_LITERAL = /^\/([\s\S]+)\/([a-z]*)$/;

function fail(source: string, index: number, id: unknown, field: string, message: string): never {
  const name = typeof id === 'string' ? ` ("${id}")` : '';
  throw new AppError('INVALID_INPUT', `${source}: entry ${index}${name}: ${field}: ${message}`, {
    source,
    index,
    id: typeof id === 'string' ? id : undefined,
    field,
  });
}

const WORD_EDGE = /[\p{L}\p{N}_]/u;

function compile(
  entry: z.output<typeof FillerEntrySchema>,
  pattern: string,
  source: string,
  index: number,
): Matcher {
  const literal = REGEX_LITERAL.exec(pattern);
  if (!literal) {
    return {
      kind: 'literal',
      text: entry.caseInsensitive ? pattern.toLowerCase() : pattern,
      caseInsensitive: entry.caseInsensitive,
      wordStart: entry.wholeWord && WORD_EDGE.test(pattern[0]!),
      wordEnd: entry.wholeWord && WORD_EDGE.test(pattern[pattern.length - 1]!),
    };
  }
  const given = literal[2]!;
  const bad = given.replace(/[gimsu]/g, '');
  if (bad)
    fail(source, index, entry.id, 'pattern', `unsupported regular expression flag "${bad}" (use i, m, s, u)`);
  const flags = [...new Set(given.replace('g', '') + (entry.caseInsensitive ? 'i' : ''))].join('') + 'g';
  let regex: RegExp;
  try {
    regex = new RegExp(literal[1]!, flags);
  } catch (err) {
    fail(source, index, entry.id, 'pattern', `not a valid regular expression (${(err as Error).message})`);
  }
  regex.lastIndex = 0;
  if (regex.exec('') !== null) fail(source, index, entry.id, 'pattern', 'can match empty text');
  regex.lastIndex = 0;
  return { kind: 'regex', regex };
}

/**
 * Validates and compiles a phrase table: an array of entries (one file), or `{ filler: [...] }`. Throws
 * AppError('INVALID_INPUT') naming the source, the entry's index and id, and the field at fault.
 */
export function loadRuleTables(json: unknown, source = 'rule table'): RuleTables {
  const list =
    Array.isArray(json) || typeof json !== 'object' || json === null
      ? json
      : (json as { filler?: unknown }).filler;
  if (!Array.isArray(list)) {
    throw new AppError('INVALID_INPUT', `${source}: expected an array of phrase rules.`, { source });
  }
  const seen = new Set<string>();
  const filler = list.map((raw, index): FillerRule => {
    const parsed = FillerEntrySchema.safeParse(raw);
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      fail(source, index, id, issue.path.join('.') || '(entry)', issue.message);
    }
    const entry = parsed.data;
    if (seen.has(entry.id)) fail(source, index, entry.id, 'id', 'appears more than once in this table');
    seen.add(entry.id);
    return {
      id: entry.id,
      language: entry.language ?? entry.id.split('.')[0]!,
      matchers: (Array.isArray(entry.pattern) ? entry.pattern : [entry.pattern]).map((p) =>
        compile(entry, p, source, index),
      ),
      replacement: entry.replacement,
      reason: entry.reason,
      sentenceStart: entry.sentenceStart,
      source,
    };
  });
  return { filler };
}

/** Combines tables; an entry with the id of an earlier one replaces it in place (users override bundled rules). */
export function mergeRuleTables(...tables: readonly RuleTables[]): RuleTables {
  const byId = new Map<string, FillerRule>();
  for (const t of tables) for (const r of t.filler) byId.set(r.id, r);
  return { filler: [...byId.values()] };
}
