/**
 * Form fields from a strategy's options JSON Schema (zod's `toJSONSchema` output): the compression UI builds
 * its option forms from this, so a new strategy's options appear without UI code.
 */
export type FormField =
  | { kind: 'boolean'; key: string; label: string; description: string }
  | { kind: 'enum'; key: string; label: string; description: string; options: string[] }
  | {
      kind: 'number';
      key: string;
      label: string;
      description: string;
      integer: boolean;
      min?: number;
      max?: number;
    }
  | { kind: 'string'; key: string; label: string; description: string }
  | { kind: 'list'; key: string; label: string; description: string }
  /** Anything else (objects, unions): edited as JSON text. */
  | { kind: 'json'; key: string; label: string; description: string };

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `innerRuns` → "Inner runs"; `maxTokens` → "Max tokens". */
export function labelFor(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A schema without its `null` alternative (`anyOf: [X, {type: null}]` → X), so optional fields stay typed. */
function nonNull(s: Schema): Schema {
  const alts = Array.isArray(s.anyOf) ? s.anyOf.filter(isSchema) : null;
  if (!alts) return s;
  const rest = alts.filter((a) => a.type !== 'null');
  return rest.length === 1 ? { ...rest[0], description: s.description ?? rest[0]!.description } : s;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** The fields of an object schema, in declaration order. */
export function schemaFields(schema: unknown): FormField[] {
  if (!isSchema(schema) || !isSchema(schema.properties)) return [];
  return Object.entries(schema.properties).map(([key, raw]): FormField => {
    const s = nonNull(isSchema(raw) ? raw : {});
    const base = {
      key,
      label: typeof s.title === 'string' ? s.title : labelFor(key),
      description: typeof s.description === 'string' ? s.description : '',
    };
    if (s.type === 'boolean') return { kind: 'boolean', ...base };
    if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) {
      return { kind: 'enum', ...base, options: s.enum };
    }
    if (s.type === 'number' || s.type === 'integer') {
      const min = typeof s.minimum === 'number' && s.minimum > -MAX_SAFE ? s.minimum : undefined;
      const max = typeof s.maximum === 'number' && s.maximum < MAX_SAFE ? s.maximum : undefined;
      return { kind: 'number', ...base, integer: s.type === 'integer', min, max };
    }
    if (s.type === 'string') return { kind: 'string', ...base };
    if (s.type === 'array' && isSchema(s.items) && s.items.type === 'string')
      return { kind: 'list', ...base };
    return { kind: 'json', ...base };
  });
}

/** Comma- or newline-separated text → the list of trimmed, non-empty items. */
export function parseList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * A number typed into a field: null when it is not a number or breaks the field's bounds (the form then
 * shows the error and keeps the last valid value).
 */
export function parseNumberField(field: Extract<FormField, { kind: 'number' }>, text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  if (!Number.isFinite(n)) return null;
  if (field.integer && !Number.isInteger(n)) return null;
  if (field.min !== undefined && n < field.min) return null;
  if (field.max !== undefined && n > field.max) return null;
  return n;
}
