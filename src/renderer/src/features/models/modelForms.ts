/**
 * The rules of the Models dialog's forms, kept apart from the components so they can be tested alone: how a
 * typed price reads, which fields an override may set, how an override or a new model joins the user's
 * list, and the client-side checks that mirror the catalog schema (the server checks again and has the
 * last word).
 */
import { CACHING_KINDS, ModelEntrySchema, type ModelEntry } from '../../../../core/pricing/catalog';
import { describeIssue } from '../../../../core/pricing/overrides';

export const PRICE_FIELDS = [
  { key: 'inputPerMTok', label: 'Input' },
  { key: 'outputPerMTok', label: 'Output' },
  { key: 'cacheReadPerMTok', label: 'Cache read' },
  { key: 'cacheWrite5mPerMTok', label: 'Cache write 5m' },
  { key: 'cacheWrite1hPerMTok', label: 'Cache write 1h' },
  { key: 'batchInputPerMTok', label: 'Batch input' },
  { key: 'batchOutputPerMTok', label: 'Batch output' },
] as const;
export type PriceKey = (typeof PRICE_FIELDS)[number]['key'];

/** The fields the "Override price" form sets: every price and the context window. */
export const OVERRIDE_KEYS = [...PRICE_FIELDS.map((f) => f.key), 'contextWindow'] as const;
export type OverrideKey = (typeof OVERRIDE_KEYS)[number];

export const ENCODING_CHOICES = ['o200k_base', 'cl100k_base'] as const;
export { CACHING_KINDS };

/** The fields a new model must have (the schema's required ones). */
const REQUIRED_KEYS = [
  'id',
  'provider',
  'label',
  'tokenizer',
  'countWith',
  'tokenCountMethod',
  'inputPerMTok',
  'outputPerMTok',
  'caching',
  'contextWindow',
  'source',
  'asOf',
] as const;

export type Drafts = Partial<Record<string, string>>;
export type FieldErrors = Partial<Record<string, string>>;

/** A typed price: empty (not given), "none" (no price: null, never $0), or a number ≥ 0. */
export type ParsedPrice = { ok: true; value: number | null | undefined } | { ok: false; error: string };

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function parseNumber(raw: string): number {
  const cleaned = raw.replace(/[,_\s$]/g, '');
  return NUMBER.test(cleaned) ? Number(cleaned) : NaN;
}

/** Reads a price field. "none" means the provider publishes no price; it is shown as "no price". */
export function parsePrice(raw: string | undefined): ParsedPrice {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true, value: undefined };
  if (/^(none|no price)$/i.test(text)) return { ok: true, value: null };
  const n = parseNumber(text);
  if (!Number.isFinite(n))
    return { ok: false, error: 'must be a number of dollars per 1M tokens, or “none”' };
  if (n < 0) return { ok: false, error: `must not be negative (got ${n})` };
  return { ok: true, value: n };
}

/** Reads a token count field: empty, or a positive whole number ("128,000" is fine). */
export function parseTokens(
  raw: string | undefined,
): { ok: true; value?: number } | { ok: false; error: string } {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true };
  const n = parseNumber(text);
  if (!Number.isInteger(n) || n <= 0) return { ok: false, error: 'must be a whole number of tokens above 0' };
  return { ok: true, value: n };
}

/** How a price or limit is shown in a form field: 2.5 → "2.5", null → "none", undefined → "". */
export function draftOf(value: unknown): string {
  if (value === null) return 'none';
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The user's entry for `id`, if any (the last one wins, as the server applies them in order). */
export function userEntryFor(list: readonly unknown[], id: string): Record<string, unknown> | undefined {
  return list.filter(isRecord).findLast((e) => e.id === id);
}

/**
 * Whether a user entry is a model the user added (complete) rather than a partial override. An entry that
 * repeats every required field of a bundled model reads as added too; "Remove" then falls back to the
 * model underneath, exactly as "Reset" would.
 */
export function isAddedEntry(entry: Record<string, unknown> | undefined): boolean {
  return entry !== undefined && REQUIRED_KEYS.every((k) => k in entry);
}

/**
 * The user's list with `id`'s entries replaced by `entry` (at the place of the first one, or at the end),
 * or removed when `entry` is null. Entries for other models are kept as they are.
 */
export function replaceEntry(
  list: readonly unknown[],
  id: string,
  entry: Record<string, unknown> | null,
): unknown[] {
  const at = list.findIndex((e) => isRecord(e) && e.id === id);
  const rest = list.filter((e) => !(isRecord(e) && e.id === id));
  if (entry === null) return rest;
  const next = [...rest];
  next.splice(at === -1 ? next.length : at, 0, entry);
  return next;
}

/**
 * Builds the partial override of `id` from the form: each field given overrides, each empty one is not
 * overridden. Fields of an earlier override that the form does not show (label, tiers, notes…) are kept.
 * Returns null as the entry when nothing is left to override (the same as Reset).
 */
export function buildOverride(
  id: string,
  drafts: Drafts,
  existing: Record<string, unknown> | undefined,
): { entry: Record<string, unknown> | null } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const entry: Record<string, unknown> = { id };
  for (const [key, value] of Object.entries(existing ?? {})) {
    if (!(OVERRIDE_KEYS as readonly string[]).includes(key)) entry[key] = value;
  }
  for (const { key, label } of PRICE_FIELDS) {
    const parsed = parsePrice(drafts[key]);
    if (!parsed.ok) errors[key] = `${label} ${parsed.error}`;
    else if (parsed.value !== undefined) entry[key] = parsed.value;
  }
  const window = parseTokens(drafts.contextWindow);
  if (!window.ok) errors.contextWindow = `Context window ${window.error}`;
  else if (window.value !== undefined) entry.contextWindow = window.value;
  if (Object.keys(errors).length > 0) return { errors };
  return { entry: Object.keys(entry).length > 1 ? entry : null };
}

export const NEW_MODEL_LABELS: Record<string, string> = {
  id: 'Model id',
  provider: 'Provider',
  host: 'Host',
  label: 'Label',
  tokenizer: 'Tokenizer family',
  countWith: 'Count with',
  tokenCountMethod: 'Count method',
  caching: 'Caching',
  contextWindow: 'Context window',
  maxOutputTokens: 'Max output',
  source: 'Source URL',
  asOf: 'As of',
  ...Object.fromEntries(PRICE_FIELDS.map((f) => [f.key, f.label])),
};

const TEXT_KEYS = ['id', 'provider', 'label', 'tokenizer', 'source', 'asOf'] as const;

/**
 * Checks a new model as the catalog schema would and builds the entry sent to the server: every required
 * field present, prices numbers ≥ 0 (or "none"), whole token counts, a real URL, a YYYY-MM-DD date, and an
 * exact count only through the model's own tokenizer. `takenIds` are ids already in the catalog, which
 * belong to "Override price" instead.
 */
export function buildNewModel(
  drafts: Drafts,
  takenIds: ReadonlySet<string>,
): { entry: ModelEntry } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const entry: Record<string, unknown> = {};
  for (const key of TEXT_KEYS) {
    const value = (drafts[key] ?? '').trim();
    if (value === '') errors[key] = `${NEW_MODEL_LABELS[key]} is required`;
    else entry[key] = value;
  }
  const host = (drafts.host ?? '').trim();
  if (host) entry.host = host;
  if (typeof entry.id === 'string' && takenIds.has(entry.id)) {
    errors.id = `“${entry.id}” is already in the catalog: use Override price on its row`;
  }
  entry.countWith = drafts.countWith || 'o200k_base';
  entry.tokenCountMethod = drafts.tokenCountMethod || 'estimate';
  entry.caching = drafts.caching || 'none';
  for (const { key, label } of PRICE_FIELDS) {
    const parsed = parsePrice(drafts[key]);
    if (!parsed.ok) errors[key] = `${label} ${parsed.error}`;
    else if (parsed.value !== undefined) entry[key] = parsed.value;
    else if (key === 'inputPerMTok' || key === 'outputPerMTok') {
      errors[key] = `${label} price is required (type “none” if the provider publishes none)`;
    }
  }
  for (const key of ['contextWindow', 'maxOutputTokens'] as const) {
    const parsed = parseTokens(drafts[key]);
    if (!parsed.ok) errors[key] = `${NEW_MODEL_LABELS[key]} ${parsed.error}`;
    else if (parsed.value !== undefined) entry[key] = parsed.value;
    else if (key === 'contextWindow') errors[key] = 'Context window is required';
  }
  if (
    entry.tokenCountMethod === 'exact' &&
    entry.tokenizer !== undefined &&
    entry.tokenizer !== entry.countWith
  ) {
    errors.tokenCountMethod = `An exact count must use the model's own tokenizer: set the tokenizer family to ${String(entry.countWith)}, or choose ≈ estimate`;
  }
  if (Object.keys(errors).length > 0) return { errors };

  entry.origin = 'user';
  const parsed = ModelEntrySchema.safeParse(entry);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const { field, message } = describeIssue(issue, entry);
      const key = field.split('.')[0]!;
      errors[key] ??= friendly(key, message);
    }
    return { errors };
  }
  return { entry: parsed.data };
}

function friendly(key: string, message: string): string {
  if (key === 'source') return 'Source URL must be a full address such as https://example.com/pricing';
  if (key === 'asOf') return 'As of must be a date, YYYY-MM-DD';
  return `${NEW_MODEL_LABELS[key] ?? key}: ${message}`;
}

/**
 * What a refusal says about its field alone, for the line under that field: "User model #0 ("x"):
 * outputPerMTok must not be negative (got -1). Fix it in settings; …" → "outputPerMTok must not be negative
 * (got -1)".
 */
export function fieldMessage(message: string): string {
  return message.replace(/^User model #\d+(?: \("[^"]*"\))?: /, '').replace(/\. Fix it in settings;.*$/s, '');
}

/** The form field a coded server error points at (`details.field`, e.g. "outputPerMTok" or "tiers.0"). */
export function errorField(details: Record<string, unknown> | undefined): string | undefined {
  const field = details?.field;
  return typeof field === 'string' ? field.split('.')[0] : undefined;
}

/** A context window as people say it: 128000 → "128k", 131072 → "128k", 1048576 → "1M"; the exact count is in the title. */
export function formatWindow(tokens: number): string {
  if (tokens >= 1_000_000) {
    const m = tokens % 1_048_576 === 0 ? tokens / 1_048_576 : tokens / 1_000_000;
    return `${Math.round(m * 100) / 100}M`;
  }
  if (tokens % 1000 === 0) return `${tokens / 1000}k`;
  if (tokens % 1024 === 0) return `${tokens / 1024}k`;
  return new Intl.NumberFormat('en-US').format(tokens);
}
