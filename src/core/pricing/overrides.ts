import type { z } from 'zod';
import { AppError } from '../errors';
import { CatalogSchema, ModelEntrySchema } from './catalog';
import type { Catalog, ModelEntry } from './catalog';

type Issue = z.ZodError['issues'][number];

const KNOWN_FIELDS = new Set(Object.keys(ModelEntrySchema.shape));

/** Reads the value an issue points at, so a message can tell "missing" from "wrong". */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * Turns a zod issue about a catalog entry into a sentence a person can act on: the field, and what is wrong
 * with it ("inputPerMTok must not be negative (got -1)", "contextWindow is missing").
 */
export function describeIssue(issue: Issue, root: unknown): { field: string; message: string } {
  const field = issue.path.map(String).join('.') || '(entry)';
  const value = valueAt(root, issue.path);
  if (issue.code === 'invalid_type' && value === undefined) return { field, message: `${field} is missing` };
  if (issue.code === 'too_small' && typeof value === 'number' && value < 0) {
    return { field, message: `${field} must not be negative (got ${value})` };
  }
  const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  return { field, message: `${field}: ${issue.message}${got}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function userError(index: number, id: string | undefined, field: string, message: string): AppError {
  const who = id === undefined ? `User model #${index}` : `User model #${index} ("${id}")`;
  return new AppError(
    'INVALID_INPUT',
    `${who}: ${message}. Fix it in settings; the catalog was left unchanged.`,
    {
      index,
      id,
      field,
    },
  );
}

/**
 * Applies the user's own models from settings on top of `base`. An entry whose id is already in the catalog
 * is a partial override: its fields are merged onto that entry (arrays such as `tiers` are replaced whole).
 * An entry with a new id must be a complete model. Every result is marked `origin: "user"`.
 *
 * Throws AppError('INVALID_INPUT') naming the entry's index and field on the first problem (a negative or
 * missing price, an unknown field, an exact count that does not use the model's own tokenizer…), so a bad
 * settings file never half-applies. `base` is never mutated.
 */
export function applyUserModels(base: Catalog, user: unknown[]): Catalog {
  const models: ModelEntry[] = base.models.map((m) => ({ ...m }));
  const indexById = new Map(models.map((m, i) => [m.id, i]));

  user.forEach((raw, index) => {
    if (!isRecord(raw))
      throw userError(index, undefined, '(entry)', 'must be an object with at least an "id"');
    const id = raw.id;
    if (typeof id !== 'string' || id.length === 0) throw userError(index, undefined, 'id', 'id is missing');
    const unknown = Object.keys(raw).filter((k) => !KNOWN_FIELDS.has(k));
    if (unknown.length > 0) {
      const near = [...KNOWN_FIELDS].find((k) => k.toLowerCase() === unknown[0]!.toLowerCase());
      throw userError(
        index,
        id,
        unknown[0]!,
        `unknown field "${unknown[0]}"${near ? ` (did you mean "${near}"?)` : ''}`,
      );
    }

    const at = indexById.get(id);
    const candidate = { ...(at === undefined ? {} : models[at]), ...raw, origin: 'user' };
    const parsed = ModelEntrySchema.safeParse(candidate);
    if (!parsed.success) {
      const { field, message } = describeIssue(parsed.error.issues[0]!, candidate);
      throw userError(
        index,
        id,
        field,
        at === undefined ? `${message} (a new model needs every field)` : message,
      );
    }
    if (at === undefined) {
      indexById.set(id, models.length);
      models.push(parsed.data);
    } else {
      models[at] = parsed.data;
    }
  });

  const checked = CatalogSchema.safeParse({ version: base.version, models });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const modelIndex = typeof issue.path[1] === 'number' ? issue.path[1] : -1;
    const id = models[modelIndex]?.id;
    const userIndex = user.findIndex((u) => isRecord(u) && u.id === id);
    const { field, message } = describeIssue({ ...issue, path: issue.path.slice(2) }, models[modelIndex]);
    throw userError(userIndex, id, field, message);
  }
  return checked.data;
}
