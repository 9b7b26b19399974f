import { dump } from 'js-yaml';
import { AppError } from '../errors';
import type { AssertionSpec } from '../scorers/types';
import { assertionFromString } from './promptfooAssert';
import type { GoldenCase, GoldenSet } from './types';

/** The file formats a golden set can be written in (docs/formats/golden-set.md). */
export type GoldenWriteFormat = 'yaml' | 'json' | 'jsonl' | 'csv';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

interface Where {
  case?: string;
  field: string;
}

function refuse(where: Where, message: string, format?: GoldenWriteFormat): never {
  const subject = where.case !== undefined ? `Case "${where.case}"` : 'The set';
  throw new AppError('INVALID_INPUT', `${subject}: ${where.field}: ${message}`, {
    ...(where.case !== undefined ? { case: where.case } : {}),
    field: where.field,
    ...(format ? { format } : {}),
  });
}

/**
 * A copy of `v` as plain data the format can carry: undefined object members dropped; functions, symbols,
 * big integers, cycles and class instances refused (INVALID_INPUT naming the field). YAML also carries dates
 * and non-finite numbers; JSON writes a date as its ISO text (as JSON.stringify does).
 */
function plain(v: unknown, where: Where, yaml: boolean, seen: object[] = []): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) && !yaml) refuse(where, `${v} cannot be written as JSON`);
    return v;
  }
  if (v instanceof Date) return yaml ? v : v.toJSON();
  if (typeof v !== 'object') refuse(where, `a ${typeof v} is not data a golden set can hold`);
  if (seen.includes(v)) refuse(where, 'refers to itself');
  const inner = [...seen, v];
  if (Array.isArray(v))
    return v.map((x, i) =>
      plain(x === undefined ? null : x, { ...where, field: `${where.field}[${i}]` }, yaml, inner),
    );
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null)
    refuse(where, 'is not plain data (a class instance: Map, Set, ...)');
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    if (x !== undefined) out[k] = plain(x, { ...where, field: `${where.field}.${k}` }, yaml, inner);
  return out;
}

/** An assertion in the written shape: `type`, `weight` (when not 1), `name`, then the scorer's options. */
function writtenAssertion(a: AssertionSpec, where: Where, yaml: boolean): Record<string, unknown> {
  for (const k of ['type', 'weight', 'name'])
    if (k in a.options) refuse(where, `the option "${k}" would be read as the assertion's own ${k}`);
  const options = plain(a.options, where, yaml) as Record<string, unknown>;
  return {
    type: a.type,
    ...(a.weight !== 1 ? { weight: a.weight } : {}),
    ...(a.name !== undefined ? { name: a.name } : {}),
    ...options,
  };
}

function writtenCase(c: GoldenCase, yaml: boolean): Record<string, unknown> {
  const at = (field: string): Where => ({ case: c.id, field });
  return {
    id: c.id,
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(Object.keys(c.vars).length ? { vars: plain(c.vars, at('vars'), yaml) } : {}),
    ...(c.messages ? { messages: c.messages.map((m) => ({ role: m.role, content: m.content })) } : {}),
    ...(c.expected !== undefined ? { expected: c.expected } : {}),
    ...(c.assert.length
      ? { assert: c.assert.map((a, j) => writtenAssertion(a, at(`assert[${j}]`), yaml)) }
      : {}),
    ...(c.threshold !== undefined ? { threshold: c.threshold } : {}),
    ...(c.metadata ? { metadata: plain(c.metadata, at('metadata'), yaml) } : {}),
  };
}

function writtenDefaults(set: GoldenSet, yaml: boolean): Record<string, unknown> {
  const d = set.defaultTest;
  return {
    ...(Object.keys(d.vars).length ? { vars: plain(d.vars, { field: 'defaultTest.vars' }, yaml) } : {}),
    ...(d.assert.length
      ? { assert: d.assert.map((a, j) => writtenAssertion(a, { field: `defaultTest.assert[${j}]` }, yaml)) }
      : {}),
    ...(d.threshold !== undefined ? { threshold: d.threshold } : {}),
  };
}

function head(set: GoldenSet): Record<string, unknown> {
  return {
    ...(set.name !== undefined ? { name: set.name } : {}),
    ...(set.description !== undefined ? { description: set.description } : {}),
  };
}

function nativeDocument(set: GoldenSet, yaml: boolean): Record<string, unknown> {
  const defaults = writtenDefaults(set, yaml);
  return {
    ...head(set),
    ...(Object.keys(defaults).length ? { defaultTest: defaults } : {}),
    cases: set.cases.map((c) => writtenCase(c, yaml)),
  };
}

// ---- CSV ----

const INPUT_NAMES = ['input', 'question', 'prompt', 'query'];
const IDENTIFIER = /^[A-Za-z_][\w-]*$/;
const ELSEWHERE = 'save the set as YAML, JSON or JSON Lines instead';

const csvField = (s: string) =>
  /[",\r\n]/.test(s) || s.startsWith('\uFEFF') ? `"${s.replace(/"/g, '""')}"` : s;

function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b))
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]))
    );
  if (!isRecord(a) || !isRecord(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameData(a[k], b[k]));
}

/** True when promptfoo's CSV text `text` reads back as exactly `a` (without its name, which __metric holds). */
function readsBackAs(text: string, a: AssertionSpec): boolean {
  if (text.trim() === '') return false;
  const m = assertionFromString(text);
  if (!m.ok || m.ignored.length) return false;
  const { type, weight, name, ...options } = m.assertion;
  return type === a.type && (weight ?? 1) === a.weight && name === undefined && sameData(options, a.options);
}

/** An assertion as promptfoo CSV text (`contains: Paris`, `similar(0.8): text`, `latency(5000)`), if it can be. */
function assertionText(a: AssertionSpec): string | undefined {
  const { value, threshold, max } = a.options;
  const bound = threshold ?? max;
  if (bound !== undefined && (typeof bound !== 'number' || !/^\d+(\.\d+)?$/.test(String(bound))))
    return undefined;
  let valueText: string | undefined;
  if (typeof value === 'string') valueText = value;
  else if (Array.isArray(value) && value.every((x) => typeof x === 'string')) valueText = value.join(', ');
  else if (value !== undefined) return undefined;
  // promptfoo spells contains-any/all ignoring case as icontains-any/all
  const type =
    a.options.ignoreCase === true ? a.type.replace(/^(not-)?(contains-(?:any|all))$/, '$1i$2') : a.type;
  const typed = `${type}${bound !== undefined ? `(${String(bound)})` : ''}${valueText !== undefined ? `: ${valueText}` : ''}`;
  // plain text means equals in promptfoo's CSV; the typed form is for text that looks like another assertion
  const candidates = [...(a.type === 'equals' && valueText !== undefined ? [valueText] : []), typed];
  return candidates.find((t) => readsBackAs(t, a));
}

const isDefaultEquals = (list: readonly AssertionSpec[]) =>
  list.length === 1 &&
  list[0]!.type === 'equals' &&
  list[0]!.weight === 1 &&
  list[0]!.name === undefined &&
  Object.keys(list[0]!.options).length === 0;

/** The variable a case sends as its one user message (`{{input}}`), if that is its whole input. */
function inputVariable(c: GoldenCase): string | undefined {
  if (c.messages?.length !== 1 || c.messages[0]!.role !== 'user') return undefined;
  const m = /^\{\{([^{}]+)\}\}$/.exec(c.messages[0]!.content);
  return m && IDENTIFIER.test(m[1]!) ? m[1] : undefined;
}

/**
 * CSV in one of the two conventions the CSV importers read back: the plain one (an input column sent as the
 * user message, an `expected` column judged by `equals`) when the set is shaped that way, else promptfoo's
 * (every column a variable, `__expected1`... holding the case's assertions as text). Either way `__id`,
 * `__description` and `__threshold` columns carry those fields. Anything else cannot be expressed.
 */
function toCsv(set: GoldenSet): string {
  const no = (where: Where, message: string): never =>
    refuse(where, `${message}, which CSV cannot express; ${ELSEWHERE}.`, 'csv');
  const d = set.defaultTest;
  const plainCsv = isDefaultEquals(d.assert) || set.cases.some((c) => c.messages);
  const columns: string[] = [];
  for (const c of set.cases) for (const k of Object.keys(c.vars)) if (!columns.includes(k)) columns.push(k);
  const input = plainCsv ? set.cases.map(inputVariable).find((x) => x !== undefined) : undefined;
  // a plain CSV may also have no input column at all: the variables fill the prompt template, no message
  const noInput = plainCsv && set.cases.every((c) => c.messages === undefined);
  let width = 1;
  for (const c of set.cases) {
    const at = (field: string): Where => ({ case: c.id, field });
    if (c.id.trim() !== c.id || c.id === '') no(at('id'), 'the id has blanks at its ends');
    if (c.description === '') no(at('description'), 'the description is empty text');
    if (c.metadata) no(at('metadata'), 'the case has metadata');
    for (const k of columns) {
      if (!Object.hasOwn(c.vars, k))
        no(
          at(`vars.${k}`),
          `the case has no variable "${k}" while other cases do (a CSV row has every column)`,
        );
      const v = c.vars[k];
      if (typeof v !== 'string')
        no(at(`vars.${k}`), `the variable is ${v === null ? 'null' : `a ${typeof v}`}`);
      if (k.trim() !== k || k === '' || k.startsWith('__'))
        no(at(`vars.${k}`), 'the variable name is empty, has blanks at its ends or starts with __');
    }
    if (plainCsv) {
      const x = inputVariable(c);
      if (!noInput && (x === undefined || x !== input))
        no(
          at('messages'),
          c.messages
            ? `the case's messages are not the one user message "{{${input ?? 'input'}}}" that a CSV row sends`
            : `the case has no input message while others send a column as the user message`,
        );
      if (c.expected === '') no(at('expected'), 'the expected output is empty text');
      if (c.assert.length) no(at('assert'), 'the case has assertions of its own besides equals');
    } else {
      if (c.messages) no(at('messages'), 'the case has input messages');
      if (c.expected !== undefined)
        no(at('expected'), 'the case has an expected output but no input column to go with it');
      const names = new Set(c.assert.map((a) => a.name));
      const name = c.assert[0]?.name;
      if (names.size > 1 || (name !== undefined && (name.trim() !== name || name === '')))
        no(
          at('assert'),
          'its assertions have different names, or a name with blanks at its ends (CSV has one __metric per row)',
        );
      width = Math.max(width, c.assert.length);
    }
  }
  if (set.name !== undefined) no({ field: 'name' }, 'the set has a name');
  if (set.description !== undefined) no({ field: 'description' }, 'the set has a description');
  if (Object.keys(d.vars).length) no({ field: 'defaultTest.vars' }, 'the set has default variables');
  if (d.threshold !== undefined) no({ field: 'defaultTest.threshold' }, 'the set has a default threshold');
  if (!plainCsv && d.assert.length)
    no({ field: 'defaultTest.assert' }, 'the set has assertions for every case');
  if (plainCsv && !isDefaultEquals(d.assert))
    no(
      { field: 'defaultTest.assert' },
      'a CSV with an input column judges every case by equals against its expected column and nothing else; the set judges its cases otherwise',
    );
  if (plainCsv) {
    if (columns.includes('expected')) no({ field: 'vars.expected' }, 'a variable is named "expected"');
    const first = INPUT_NAMES.find((n) => columns.includes(n));
    if (noInput) {
      if (first !== undefined)
        no(
          { field: `vars.${first}` },
          `a variable is named "${first}", which a CSV reader takes for the input column sent as the user message, while no case sends one`,
        );
    } else if (input === undefined || first !== input || !INPUT_NAMES.includes(input))
      no(
        { field: 'messages' },
        `the input column must be the first of ${INPUT_NAMES.join(', ')} among the variables${input ? ` (it is "${input}")` : ''}`,
      );
  }

  const has = (f: (c: GoldenCase) => boolean) => set.cases.some(f);
  const header = [
    '__id',
    ...columns,
    ...(plainCsv ? ['expected'] : []),
    ...(has((c) => c.description !== undefined) ? ['__description'] : []),
    ...(has((c) => c.threshold !== undefined) ? ['__threshold'] : []),
    ...(!plainCsv && has((c) => c.assert[0]?.name !== undefined) ? ['__metric'] : []),
    ...(!plainCsv ? Array.from({ length: width }, (_, i) => `__expected${i + 1}`) : []),
  ];
  const rows = set.cases.map((c) => {
    const assertions = plainCsv
      ? []
      : c.assert.map(
          (a, j) =>
            assertionText(a) ??
            no(
              { case: c.id, field: `assert[${j}]` },
              `the ${a.type} assertion cannot be written as promptfoo CSV text (options ${JSON.stringify(a.options)}${a.weight !== 1 ? `, weight ${a.weight}` : ''})`,
            ),
        );
    const cell: Record<string, string> = {
      __id: c.id,
      expected: c.expected ?? '',
      __description: c.description ?? '',
      __threshold: c.threshold !== undefined ? String(c.threshold) : '',
      __metric: c.assert[0]?.name ?? '',
    };
    return header
      .map((col) => {
        const e = /^__expected(\d+)$/.exec(col);
        if (e) return assertions[Number(e[1]) - 1] ?? '';
        return col in cell && !columns.includes(col) ? cell[col]! : (c.vars[col] as string);
      })
      .map(csvField)
      .join(',');
  });
  return `${[header.map(csvField).join(','), ...rows].join('\n')}\n`;
}

/**
 * A golden set as the text of a file in the native format (docs/formats/golden-set.md), which
 * `importGoldenSet` reads back to an equal set (the same fields and values; `line`, `source` and `warnings`
 * describe the file and are not written):
 * - `yaml` and `json`: one document `{ name, description, defaultTest, cases }`;
 * - `jsonl`: a header line `{ name, description, defaultTest }`, then one case per line;
 * - `csv`: the plain convention (an input column sent as the one user message, `expected` judged by equals)
 *   or promptfoo's (`__expected1`... columns holding assertions as text), whichever the set is shaped as.
 *   CSV holds text only and has no set-wide settings, messages or metadata: a set it cannot express is
 *   INVALID_INPUT naming the case (`details.case`) and field.
 * Values that no format can hold (functions, cycles, class instances) are INVALID_INPUT too.
 */
export function writeGoldenSet(set: GoldenSet, format: GoldenWriteFormat): string {
  switch (format) {
    case 'yaml':
      return dump(nativeDocument(set, true), { noRefs: true, lineWidth: -1 });
    case 'json':
      return `${JSON.stringify(nativeDocument(set, false), null, 2)}\n`;
    case 'jsonl': {
      // The header always names defaultTest: that is how the reader tells it from a case.
      const header = { ...head(set), defaultTest: writtenDefaults(set, false) };
      const lines = [header, ...set.cases.map((c) => writtenCase(c, false))].map((x) => JSON.stringify(x));
      return `${lines.join('\n')}\n`;
    }
    case 'csv':
      return toCsv(set);
    default:
      throw new AppError('UNSUPPORTED', `Cannot write a golden set as "${String(format)}".`, { format });
  }
}
