/** Pure helpers for the golden-set editor: table columns, summaries, and the case form's draft. */
import type { GoldenCase, GoldenMessage, GoldenSet } from '../../../../core/golden/types';
import type { AssertionSpec } from '../../../../core/scorers/types';

/** The variable names of the set's cases, in first-seen order: the table's columns. */
export function varColumns(set: Pick<GoldenSet, 'cases'>): string[] {
  const seen = new Set<string>();
  for (const c of set.cases) for (const k of Object.keys(c.vars)) seen.add(k);
  return [...seen];
}

/** A variable's value as the table and the form show it: text as is, anything else as JSON. */
export function valueText(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** "equals" / "classification, contains + 1 default" / "2 default". */
export function assertionSummary(c: Pick<GoldenCase, 'assert'>, defaults: readonly AssertionSpec[]): string {
  const own = c.assert.map((a) => (a.name ? `${a.name} (${a.type})` : a.type));
  const parts: string[] = [];
  if (own.length) parts.push(own.join(', '));
  if (defaults.length) {
    const d = defaults.map((a) => a.type).join(', ');
    parts.push(own.length ? `+ default: ${d}` : `default: ${d}`);
  }
  return parts.join(' ') || 'none';
}

export interface VarDraft {
  key: string;
  value: string;
  /** The value is JSON (a number, list or object in the file), parsed back on save. */
  json: boolean;
}

export interface AssertionDraft {
  type: string;
  weight: string;
  name: string;
  /** The scorer's options as JSON text (`{"value": "Paris"}`). */
  options: string;
}

export interface CaseDraft {
  id: string;
  description: string;
  vars: VarDraft[];
  messages: GoldenMessage[];
  expected: string;
  assert: AssertionDraft[];
  threshold: string;
}

/** The input messages every case shares (a CSV's `{{input}}` user message), for a new case; else none. */
export function sharedMessages(cases: readonly GoldenCase[]): GoldenMessage[] {
  const first = cases[0]?.messages;
  if (!first) return [];
  const key = JSON.stringify(first);
  return cases.every((c) => JSON.stringify(c.messages) === key) ? first.map((m) => ({ ...m })) : [];
}

export function toDraft(
  c: GoldenCase | null,
  columns: readonly string[],
  nextId: string,
  messages: readonly GoldenMessage[] = [],
): CaseDraft {
  if (!c) {
    return {
      id: nextId,
      description: '',
      vars: columns.map((key) => ({ key, value: '', json: false })),
      messages: messages.map((m) => ({ ...m })),
      expected: '',
      assert: [],
      threshold: '',
    };
  }
  return {
    id: c.id,
    description: c.description ?? '',
    vars: Object.entries(c.vars).map(([key, v]) => ({
      key,
      value: valueText(v),
      json: typeof v !== 'string',
    })),
    messages: (c.messages ?? []).map((m) => ({ ...m })),
    expected: c.expected ?? '',
    assert: c.assert.map((a) => ({
      type: a.type,
      weight: String(a.weight),
      name: a.name ?? '',
      options: Object.keys(a.options).length ? JSON.stringify(a.options) : '',
    })),
    threshold: c.threshold === undefined ? '' : String(c.threshold),
  };
}

export type DraftResult = { ok: true; value: GoldenCase } | { ok: false; field: string; message: string };

/**
 * The case a draft describes, or the first problem with it (naming the field). The backend checks the
 * rest (scorer types and options) when the set is saved.
 */
export function fromDraft(d: CaseDraft, otherIds: ReadonlySet<string>, base?: GoldenCase): DraftResult {
  const id = d.id.trim();
  if (!id) return { ok: false, field: 'id', message: 'A case needs an id.' };
  if (otherIds.has(id)) return { ok: false, field: 'id', message: `Another case is already "${id}".` };
  const vars: Record<string, unknown> = {};
  for (const [i, v] of d.vars.entries()) {
    const key = v.key.trim();
    if (!key && !v.value) continue;
    if (!/^[A-Za-z_][\w-]*$/.test(key))
      return {
        ok: false,
        field: `vars[${i}]`,
        message: `"${key}" is not a variable name (letters, digits, _ or -, not starting with a digit).`,
      };
    if (key in vars) return { ok: false, field: `vars[${i}]`, message: `The variable "${key}" is twice.` };
    if (v.json) {
      try {
        vars[key] = JSON.parse(v.value);
      } catch {
        return { ok: false, field: `vars[${i}]`, message: `${key}: not valid JSON.` };
      }
    } else vars[key] = v.value;
  }
  const assert: AssertionSpec[] = [];
  for (const [i, a] of d.assert.entries()) {
    const type = a.type.trim();
    if (!type) return { ok: false, field: `assert[${i}]`, message: 'An assertion needs a type.' };
    const weight = a.weight.trim() === '' ? 1 : Number(a.weight);
    if (!Number.isFinite(weight) || weight < 0)
      return { ok: false, field: `assert[${i}]`, message: `${type}: the weight must be a number ≥ 0.` };
    let options: Record<string, unknown> = {};
    if (a.options.trim()) {
      try {
        const parsed: unknown = JSON.parse(a.options);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
        options = parsed as Record<string, unknown>;
      } catch {
        return {
          ok: false,
          field: `assert[${i}]`,
          message: `${type}: options must be a JSON object, like {"value": "Paris"}.`,
        };
      }
    }
    assert.push({ type, weight, ...(a.name.trim() ? { name: a.name.trim() } : {}), options });
  }
  let threshold: number | undefined;
  if (d.threshold.trim()) {
    threshold = Number(d.threshold);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1)
      return { ok: false, field: 'threshold', message: 'The threshold is a number from 0 to 1.' };
  }
  const messages = d.messages.filter((m) => m.content.trim() !== '');
  const { line: _line, ...kept } = base ?? ({} as Partial<GoldenCase>);
  return {
    ok: true,
    value: {
      ...(kept.metadata ? { metadata: kept.metadata } : {}),
      id,
      ...(d.description.trim() ? { description: d.description.trim() } : {}),
      vars,
      ...(messages.length ? { messages } : {}),
      ...(d.expected !== '' ? { expected: d.expected } : {}),
      assert,
      ...(threshold !== undefined ? { threshold } : {}),
    },
  };
}

/** `case-<n>` not yet taken, n from the number of cases + 1. */
export function nextCaseId(set: Pick<GoldenSet, 'cases'>): string {
  const taken = new Set(set.cases.map((c) => c.id));
  for (let n = set.cases.length + 1; ; n++) if (!taken.has(`case-${n}`)) return `case-${n}`;
}
