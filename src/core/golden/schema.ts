import { z } from 'zod';
import { AppError } from '../errors';
import type { DataPath } from './structured';

/**
 * The native golden-set shape (docs/formats/golden-set.md) as zod schemas. Objects are strict: a misspelt
 * field (`asert:`) is an error naming the line, never a silently empty list of assertions.
 */

const expected = z
  .union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())], {
    error: 'must be text, a number, or a JSON structure',
  })
  .transform((v) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)));

const vars = z.record(z.string(), z.unknown(), { error: 'must be a map of variable names to values' });

const message = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string({ error: 'must be text' }),
});

/** An assertion as written: `type`, optional `weight` and `name`; every other key is a scorer option. */
export const rawAssertion = z.looseObject({
  type: z.string({ error: 'is required (the scorer, e.g. contains)' }).min(1),
  weight: z.number().min(0).optional(),
  name: z.string().optional(),
});

const threshold = z.number().min(0).max(1);

/** A case as written. */
export const rawCase = z.strictObject({
  id: z.union([z.string().min(1), z.number()]).optional(),
  description: z.string().optional(),
  vars: vars.optional(),
  messages: z.array(message).min(1).optional(),
  expected: expected.optional(),
  assert: z.array(rawAssertion).optional(),
  threshold: threshold.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** `defaultTest` as written. */
export const rawDefaults = z.strictObject({
  vars: vars.optional(),
  assert: z.array(rawAssertion).optional(),
  threshold: threshold.optional(),
});

/** A whole native set as written (before assertion options are checked against the scorers). */
export const rawSet = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  defaultTest: rawDefaults.optional(),
  cases: z.array(rawCase, { error: 'must be a list of cases' }),
});

export type RawSet = z.output<typeof rawSet>;
export type RawCase = z.output<typeof rawCase>;
export type RawAssertion = z.output<typeof rawAssertion>;

/** `cases[2].assert[0].value` */
export function fieldName(path: DataPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** Where an error is: the file, and the line and field when known. */
export interface Where {
  file: string;
  line?: number | undefined;
  path?: DataPath;
  /** The field as the file's author knows it (a CSV column), when it differs from the path. */
  field?: string | undefined;
}

/** INVALID_INPUT whose message and details name the file, line and field. */
export function invalid(where: Where, message: string, extra?: Record<string, unknown>): AppError {
  const field = where.field ?? (where.path && where.path.length ? fieldName(where.path) : undefined);
  const at = [where.file, where.line !== undefined ? `line ${where.line}` : undefined]
    .filter(Boolean)
    .join(', ');
  return new AppError('INVALID_INPUT', `${at}: ${field ? `${field}: ` : ''}${message}`, {
    file: where.file,
    ...(where.line !== undefined ? { line: where.line } : {}),
    ...(field ? { field } : {}),
    ...extra,
  });
}

/** The first zod issue as an INVALID_INPUT error at its line; `at` places a path in the source file. */
export function fromZod(error: z.ZodError, at: (path: DataPath) => Where, prefix: DataPath = []): AppError {
  const issue = error.issues[0]!;
  const base = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  if (issue.code === 'unrecognized_keys') {
    const more = issue.keys.length > 1 ? ` (and ${issue.keys.length - 1} more)` : '';
    return invalid(at([...base, issue.keys[0]!]), `unknown field "${issue.keys[0]}"${more}`);
  }
  const missing = issue.code === 'invalid_type' && issue.message.includes('received undefined');
  return invalid(at(base), missing ? 'is required' : issue.message);
}
