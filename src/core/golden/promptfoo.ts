import { fromNative } from './build';
import { mapPromptfooAssertion, type NativeAssertion } from './promptfooAssert';
import { fieldName, invalid } from './schema';
import type { DataPath, Located } from './structured';
import type { GoldenSet, GoldenWarning } from './types';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Past this many warnings the rest are counted, not listed: a 3,000-test file with one code assertion each. */
const MAX_WARNINGS = 100;

/** Collects warnings up to a cap. */
export class WarningList {
  readonly items: GoldenWarning[] = [];
  private dropped = 0;
  constructor(private readonly file: string) {}
  add(line: number | undefined, field: string | undefined, message: string): void {
    if (this.items.length >= MAX_WARNINGS) return void this.dropped++;
    this.items.push({
      file: this.file,
      ...(line !== undefined ? { line } : {}),
      ...(field ? { field } : {}),
      message,
    });
  }
  done(): GoldenWarning[] {
    if (this.dropped)
      this.items.push({ file: this.file, message: `${this.dropped} more warnings not shown` });
    return this.items;
  }
}

/** A promptfoo var whose value is a list runs the test once per value; several lists multiply. */
const MAX_EXPANDED = 100_000;

function expandVars(vars: Record<string, unknown>): Record<string, unknown>[] | undefined {
  let out: Record<string, unknown>[] = [{}];
  for (const [k, v] of Object.entries(vars)) {
    const values = Array.isArray(v) ? v : [v];
    if (out.length * values.length > MAX_EXPANDED) return undefined;
    out = out.flatMap((o) => values.map((x) => ({ ...o, [k]: x })));
  }
  return out;
}

const TEST_KEYS = new Set(['description', 'vars', 'assert', 'threshold', 'metadata']);
const TOP_KEYS = new Set(['description', 'tests', 'defaultTest']);

/**
 * A promptfoo config or test file (`tests:` with `vars` and `assert`, `defaultTest`; or a bare list of tests)
 * as a golden set. Assertion types map onto ours (promptfooAssert.ts); what has no counterpart (code
 * assertions, prompts, providers, options) is left out with a warning naming its line. `file://` references
 * cannot be followed by a pure parser and are errors or warnings saying what to import instead.
 */
export function fromPromptfoo(loc: Located, file: string): GoldenSet {
  const warn = new WarningList(file);
  const root = Array.isArray(loc.data) ? { tests: loc.data } : loc.data;
  const rootPath = (p: DataPath): DataPath => (Array.isArray(loc.data) && p[0] === 'tests' ? p.slice(1) : p);
  const lineOf = (p: DataPath) => loc.lineOf(rootPath(p));
  if (!isObject(root))
    throw invalid({ file, line: 1 }, 'a promptfoo file is a config object or a list of tests');
  const tests = root.tests;
  if (typeof tests === 'string')
    throw invalid(
      { file, line: lineOf(['tests']), path: ['tests'] },
      `tests come from ${tests}: import that file instead`,
    );
  if (!Array.isArray(tests))
    throw invalid({ file, line: lineOf([]), path: ['tests'] }, 'is required (a list of tests)');
  const extra = Object.keys(root).filter((k) => !TOP_KEYS.has(k));
  if (extra.length)
    warn.add(
      lineOf([extra[0]!]),
      undefined,
      `ignored ${extra.join(', ')}: a benchmark sets its own prompts and models`,
    );

  const mapAsserts = (list: unknown, at: DataPath): { asserts: NativeAssertion[]; index: number[] } => {
    const asserts: NativeAssertion[] = [];
    const index: number[] = [];
    if (list === undefined) return { asserts, index };
    if (!Array.isArray(list))
      throw invalid({ file, line: lineOf(at), path: at }, 'must be a list of assertions');
    list.forEach((a, j) => {
      const here = [...at, j];
      if (!isObject(a))
        throw invalid({ file, line: lineOf(here), path: here }, 'an assertion must be an object');
      const m = mapPromptfooAssertion(a);
      if (!m.ok) return warn.add(lineOf(here), fieldName(here), `left out: ${m.reason}`);
      if (m.ignored.length) warn.add(lineOf(here), fieldName(here), `ignored ${m.ignored.join(', ')}`);
      asserts.push(m.assertion);
      index.push(j);
    });
    return { asserts, index };
  };

  const d = root.defaultTest;
  if (typeof d === 'string')
    throw invalid(
      { file, line: lineOf(['defaultTest']), path: ['defaultTest'] },
      `defaultTest comes from ${d}: paste it in`,
    );
  if (d !== undefined && !isObject(d))
    throw invalid({ file, line: lineOf(['defaultTest']), path: ['defaultTest'] }, 'must be an object');
  const dAsserts = mapAsserts(d?.assert, ['defaultTest', 'assert']);
  const dIgnored = Object.keys(d ?? {}).filter((k) => !['vars', 'assert', 'threshold'].includes(k));
  if (dIgnored.length) warn.add(lineOf(['defaultTest']), 'defaultTest', `ignored ${dIgnored.join(', ')}`);

  const cases: Record<string, unknown>[] = [];
  const testOf: number[] = [];
  const assertOf: number[][] = [];
  tests.forEach((t, i) => {
    const at: DataPath = ['tests', i];
    if (!isObject(t)) throw invalid({ file, line: lineOf(at), path: at }, 'a test must be an object');
    const ignored = Object.keys(t).filter((k) => !TEST_KEYS.has(k));
    if (ignored.length) warn.add(lineOf(at), fieldName(at), `ignored ${ignored.join(', ')}`);
    const { asserts, index } = mapAsserts(t.assert, [...at, 'assert']);
    if (t.vars !== undefined && !isObject(t.vars))
      throw invalid(
        { file, line: lineOf([...at, 'vars']), path: [...at, 'vars'] },
        'must be a map of variables',
      );
    for (const [k, v] of Object.entries(t.vars ?? {}))
      if (typeof v === 'string' && v.startsWith('file://'))
        warn.add(lineOf([...at, 'vars', k]), fieldName([...at, 'vars', k]), `${v} is kept as text, not read`);
    const expanded = expandVars(isObject(t.vars) ? t.vars : {});
    if (!expanded || cases.length + expanded.length > MAX_EXPANDED)
      throw invalid(
        { file, line: lineOf([...at, 'vars']), path: [...at, 'vars'] },
        `list values expand to more than ${MAX_EXPANDED} tests`,
      );
    for (const vars of expanded) {
      cases.push({
        ...(typeof t.description === 'string' ? { description: t.description } : {}),
        vars,
        assert: asserts,
        ...(t.threshold !== undefined ? { threshold: t.threshold } : {}),
        ...(t.metadata !== undefined ? { metadata: t.metadata } : {}),
      });
      testOf.push(i);
      assertOf.push(index);
    }
  });

  const native = {
    ...(typeof root.description === 'string' ? { name: root.description } : {}),
    ...(d ? { defaultTest: { ...pick(d, ['vars', 'threshold']), assert: dAsserts.asserts } } : {}),
    cases,
  };
  // A native path (cases[i].assert[j]) back to the promptfoo test and assertion it came from.
  const toSource = (p: DataPath): DataPath => {
    if (p[0] === 'cases' && typeof p[1] === 'number') {
      const rest = p.slice(2);
      if (rest[0] === 'assert' && typeof rest[1] === 'number')
        return ['tests', testOf[p[1]]!, 'assert', assertOf[p[1]]![rest[1]]!, ...rest.slice(2)];
      return ['tests', testOf[p[1]] ?? 0, ...rest];
    }
    if (p[0] === 'defaultTest' && p[1] === 'assert' && typeof p[2] === 'number')
      return ['defaultTest', 'assert', dAsserts.index[p[2]]!, ...p.slice(3)];
    return p;
  };
  return fromNative(native, {
    file,
    format: 'promptfoo',
    warnings: warn.done(),
    lineOf: (p) => lineOf(toSource(p)),
    fieldOf: (p) => fieldName(toSource(p)),
  });
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
