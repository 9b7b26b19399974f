/**
 * A JSON Schema subset validator. Core cannot use Ajv (it compiles schemas with `new Function`, which the
 * renderer's CSP forbids, and zod does not read JSON Schema), and what output checks need is small: the
 * keywords below, checked the way draft 2020-12 defines them. A schema using anything else is refused when
 * the golden set is parsed, so a `$ref` never silently passes everything.
 */

/** A problem found in the value, at a JSON-pointer-like path (`/slots/0/time`; `` for the root). */
export interface SchemaViolation {
  path: string;
  message: string;
}

const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
/** Keywords that describe and never constrain. `format` is an annotation by default in 2020-12. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'format',
  'readOnly',
  'writeOnly',
  'deprecated',
]);
const SCHEMA_MAP = ['properties'];
const SCHEMA_ONE = ['additionalProperties', 'items', 'not'];
const SCHEMA_LIST = ['anyOf', 'allOf', 'oneOf', 'prefixItems'];
const NUMBERS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
];
const OTHER = ['type', 'required', 'enum', 'const', 'pattern', 'uniqueItems'];
const KNOWN = new Set([...ANNOTATIONS, ...SCHEMA_MAP, ...SCHEMA_ONE, ...SCHEMA_LIST, ...NUMBERS, ...OTHER]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems with the schema itself (unsupported keyword, wrong shape), each naming where; empty when usable. */
export function checkSchema(schema: unknown, at = '#'): string[] {
  if (typeof schema === 'boolean') return [];
  if (!isObject(schema)) return [`${at}: a schema must be an object or a boolean`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(schema)) {
    const here = `${at}/${k}`;
    if (!KNOWN.has(k)) out.push(`${here}: keyword "${k}" is not supported`);
    else if (SCHEMA_MAP.includes(k)) {
      if (!isObject(v)) out.push(`${here}: must be an object of schemas`);
      else for (const [p, s] of Object.entries(v)) out.push(...checkSchema(s, `${here}/${p}`));
    } else if (SCHEMA_ONE.includes(k)) out.push(...checkSchema(v, here));
    else if (SCHEMA_LIST.includes(k)) {
      if (!Array.isArray(v) || v.length === 0) out.push(`${here}: must be a non-empty list of schemas`);
      else v.forEach((s, i) => out.push(...checkSchema(s, `${here}/${i}`)));
    } else if (NUMBERS.includes(k) && (typeof v !== 'number' || !Number.isFinite(v)))
      out.push(`${here}: must be a number`);
    else if (k === 'type') {
      const list = Array.isArray(v) ? v : [v];
      for (const t of list)
        if (typeof t !== 'string' || !TYPES.has(t)) out.push(`${here}: unknown type ${JSON.stringify(t)}`);
    } else if (k === 'required' && !(Array.isArray(v) && v.every((x) => typeof x === 'string')))
      out.push(`${here}: must be a list of property names`);
    else if (k === 'enum' && !Array.isArray(v)) out.push(`${here}: must be a list`);
    else if (k === 'pattern') {
      try {
        new RegExp(String(v), 'u');
      } catch (err) {
        out.push(`${here}: ${(err as Error).message}`);
      }
    }
  }
  return out;
}

/** Structural equality of JSON values (object key order ignored), as enum/const/uniqueItems need. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  if (t === 'integer') return typeof v === 'number' && Number.isInteger(v);
  return typeOf(v) === t;
}

const MAX_VIOLATIONS = 20;

/**
 * The ways `value` breaks `schema` (at most 20; empty when it conforms). The schema must have passed
 * checkSchema; unknown keywords are ignored here.
 */
export function validateJsonSchema(value: unknown, schema: unknown): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  walk(value, schema, '', out);
  return out.slice(0, MAX_VIOLATIONS);
}

function walk(v: unknown, schema: unknown, path: string, out: SchemaViolation[]): void {
  if (out.length >= MAX_VIOLATIONS) return;
  const fail = (message: string) => out.push({ path, message });
  if (schema === true || schema === undefined) return;
  if (schema === false) return void fail('no value is allowed here');
  if (!isObject(schema)) return;
  const s = schema;
  if (s.type !== undefined) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
    if (!types.some((t) => hasType(v, t)))
      return void fail(`expected ${types.join(' or ')}, got ${typeOf(v)}`);
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, v)))
    fail(`must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  if ('const' in s && !jsonEqual(s.const, v)) fail(`must be ${JSON.stringify(s.const)}`);
  if (typeof v === 'number') numberChecks(v, s, fail);
  if (typeof v === 'string') {
    const len = [...v].length;
    if (typeof s.minLength === 'number' && len < s.minLength) fail(`shorter than ${s.minLength} characters`);
    if (typeof s.maxLength === 'number' && len > s.maxLength) fail(`longer than ${s.maxLength} characters`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v))
      fail(`does not match pattern ${s.pattern}`);
  }
  if (Array.isArray(v)) arrayChecks(v, s, path, out, fail);
  if (isObject(v)) objectChecks(v, s, path, out, fail);
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) walk(v, sub, path, out);
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => validateJsonSchema(v, sub).length === 0))
    fail('matches none of the anyOf schemas');
  if (Array.isArray(s.oneOf)) {
    const n = s.oneOf.filter((sub) => validateJsonSchema(v, sub).length === 0).length;
    if (n !== 1) fail(`matches ${n} of the oneOf schemas, not exactly one`);
  }
  if (s.not !== undefined && validateJsonSchema(v, s.not).length === 0) fail('matches the "not" schema');
}

function numberChecks(v: number, s: Record<string, unknown>, fail: (m: string) => void): void {
  if (typeof s.minimum === 'number' && v < s.minimum) fail(`less than ${s.minimum}`);
  if (typeof s.maximum === 'number' && v > s.maximum) fail(`greater than ${s.maximum}`);
  if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum)
    fail(`not greater than ${s.exclusiveMinimum}`);
  if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum)
    fail(`not less than ${s.exclusiveMaximum}`);
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
    const q = v / s.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) fail(`not a multiple of ${s.multipleOf}`);
  }
}

function arrayChecks(
  v: unknown[],
  s: Record<string, unknown>,
  path: string,
  out: SchemaViolation[],
  fail: (m: string) => void,
): void {
  if (typeof s.minItems === 'number' && v.length < s.minItems) fail(`fewer than ${s.minItems} items`);
  if (typeof s.maxItems === 'number' && v.length > s.maxItems) fail(`more than ${s.maxItems} items`);
  if (s.uniqueItems === true && v.some((x, i) => v.findIndex((y) => jsonEqual(x, y)) !== i))
    fail('items are not unique');
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
  v.forEach((item, i) => walk(item, i < prefix.length ? prefix[i] : s.items, `${path}/${i}`, out));
}

function objectChecks(
  v: Record<string, unknown>,
  s: Record<string, unknown>,
  path: string,
  out: SchemaViolation[],
  fail: (m: string) => void,
): void {
  const keys = Object.keys(v);
  if (typeof s.minProperties === 'number' && keys.length < s.minProperties)
    fail(`fewer than ${s.minProperties} properties`);
  if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties)
    fail(`more than ${s.maxProperties} properties`);
  if (Array.isArray(s.required))
    for (const k of s.required as string[])
      if (!Object.hasOwn(v, k)) fail(`missing required property "${k}"`);
  const props = isObject(s.properties) ? s.properties : {};
  for (const k of keys) {
    const child = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (Object.hasOwn(props, k)) walk(v[k], props[k], child, out);
    else if (s.additionalProperties === false) out.push({ path: child, message: 'property is not allowed' });
    else if (s.additionalProperties !== undefined) walk(v[k], s.additionalProperties, child, out);
  }
}
