import { z } from 'zod';
import { AppError } from '../errors';
import { jsonErrorOffset, lineColumn } from '../json';
import { binary, threshold, verdict } from './common';
import { checkSchema, jsonEqual, validateJsonSchema } from './jsonSchema';
import type { Scorer } from './types';

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

const FENCE = /^\s*```[\w-]*[ \t]*\r?\n([\s\S]*?)\r?\n?[ \t]*```\s*$/;

/**
 * The output read as JSON. Models often wrap JSON in one ```json fence although asked not to; most apps strip
 * it, so by default a single fence around the whole output is accepted (never JSON buried in prose).
 */
export function parseOutputJson(output: string, allowFences: boolean): ParsedJson {
  const fenced = allowFences ? FENCE.exec(output) : null;
  const body = fenced ? fenced[1]! : output;
  if (body.trim() === '') return { ok: false, reason: 'the output is empty, not JSON' };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    const at = jsonErrorOffset(body);
    const { line, column } = lineColumn(body, at < 0 ? 0 : at);
    return { ok: false, reason: `not valid JSON (line ${line}, column ${column})` };
  }
}

const allowFences = z.boolean().default(true).describe('Accept one ```json fence around the whole output.');

const isJsonOptions = z.strictObject({ allowFences });

/** The output parses as JSON. */
export const isJsonScorer: Scorer<typeof isJsonOptions> = {
  id: 'is-json',
  label: 'Is JSON',
  description: 'The output is valid JSON.',
  options: isJsonOptions,
  score(output, o) {
    const p = parseOutputJson(output, o.allowFences);
    return binary(p.ok, p.ok ? 'valid JSON' : p.reason);
  },
};

/** A JSON value written either as structure (YAML/JSON) or as JSON text in a string. */
const jsonOperand = z.unknown().transform((v, ctx) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'a string value must be JSON text' });
    return z.NEVER;
  }
});

const schemaOptions = z
  .strictObject({
    value: jsonOperand.describe('A JSON Schema (subset: see docs/formats/golden-set.md).'),
    allowFences,
  })
  .superRefine((o, ctx) => {
    if (o.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a schema is required' });
    else
      for (const problem of checkSchema(o.value))
        ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

/** The output is JSON that conforms to a schema. */
export const jsonSchemaScorer: Scorer<typeof schemaOptions> = {
  id: 'json-schema',
  label: 'JSON Schema',
  description: 'The output is JSON that conforms to a JSON Schema.',
  options: schemaOptions,
  score(output, o) {
    const p = parseOutputJson(output, o.allowFences);
    if (!p.ok) return binary(false, p.reason);
    const violations = validateJsonSchema(p.value, o.value);
    if (violations.length === 0) return binary(true, 'conforms to the schema');
    const first = violations
      .slice(0, 3)
      .map((v) => `${v.path || '/'} ${v.message}`)
      .join('; ');
    return binary(false, `${violations.length} schema violation(s): ${first}`, { violations });
  },
};

type Leaves = Map<string, unknown>;

/** A JSON value for a reason line, cut short. */
function short(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/** Leaf values by JSON pointer; empty objects and arrays are leaves so `{}` and `{"a":1}` differ. */
function leaves(v: unknown, path = '', out: Leaves = new Map()): Leaves {
  if (Array.isArray(v) && v.length > 0) v.forEach((x, i) => leaves(x, `${path}/${i}`, out));
  else if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0)
    for (const [k, x] of Object.entries(v))
      leaves(x, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  else out.set(path, v);
  return out;
}

function looseForm(v: unknown): unknown {
  if (typeof v === 'string') {
    const t = v.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
    return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
  }
  if (typeof v === 'boolean') return String(v);
  return v;
}

const equalsOptions = z.strictObject({
  value: jsonOperand
    .optional()
    .describe('The expected JSON; omitted: the case’s expected output parsed as JSON.'),
  extra: z
    .enum(['penalize', 'ignore'])
    .default('penalize')
    .describe('penalize: score is F1 over fields; ignore: recall (fields the output adds do not count).'),
  loose: z
    .boolean()
    .default(false)
    .describe('Compare strings trimmed and ignoring case, and "2" equal to 2.'),
  threshold: threshold(1),
  allowFences,
});

/**
 * Field-by-field JSON comparison with partial credit: each leaf of the expected value that the output has,
 * equal, counts. F1 by default, so an output that invents fields scores below one that does not.
 */
export const jsonEqualsScorer: Scorer<typeof equalsOptions> = {
  id: 'json-equals',
  label: 'JSON equals',
  description: 'The output is JSON equal to the expected value; the score is the share of fields that match.',
  options: equalsOptions,
  usesExpected: true,
  score(output, o, ctx) {
    let want = o.value;
    if (want === undefined) {
      if (ctx.expected === undefined)
        throw new AppError(
          'INVALID_INPUT',
          'The json-equals assertion has no value and the case has no expected output.',
        );
      const e = parseOutputJson(ctx.expected, true);
      if (!e.ok)
        throw new AppError(
          'INVALID_INPUT',
          `The case's expected output is ${e.reason}; json-equals needs JSON.`,
        );
      want = e.value;
    }
    const p = parseOutputJson(output, o.allowFences);
    if (!p.ok) return verdict(0, o.threshold, p.reason);
    const exp = leaves(want);
    const act = leaves(p.value);
    const same = (a: unknown, b: unknown) =>
      o.loose ? jsonEqual(looseForm(a), looseForm(b)) : jsonEqual(a, b);
    const missing: string[] = [];
    const wrong: { path: string; expected: unknown; actual: unknown }[] = [];
    let matched = 0;
    for (const [path, e] of exp) {
      if (!act.has(path)) missing.push(path);
      else if (same(e, act.get(path))) matched++;
      else wrong.push({ path, expected: e, actual: act.get(path) });
    }
    const extra = [...act.keys()].filter((k) => !exp.has(k));
    const score =
      o.extra === 'ignore'
        ? exp.size === 0
          ? 1
          : matched / exp.size
        : exp.size + act.size === 0
          ? 1
          : (2 * matched) / (exp.size + act.size);
    const parts = [`${matched}/${exp.size} fields match`];
    const w = wrong[0];
    if (w) parts.push(`${w.path || '/'}: expected ${short(w.expected)}, got ${short(w.actual)}`);
    if (missing.length) parts.push(`missing ${missing.slice(0, 3).join(', ')}`);
    if (extra.length && o.extra === 'penalize') parts.push(`extra ${extra.slice(0, 3).join(', ')}`);
    return verdict(score, o.threshold, parts.join('; '), { matched, missing, wrong, extra });
  },
};
