import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importGoldenSet,
  parseCsv,
  writeGoldenSet,
  type GoldenCase,
  type GoldenSet,
  type GoldenWriteFormat,
} from '../../../src/core/golden';
import type { AssertionSpec } from '../../../src/core/scorers/types';
import { failure } from './helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const fixture = (name: string) => importGoldenSet(readFileSync(path.join(FIXTURES, name), 'utf8'), name);
const FORMATS: GoldenWriteFormat[] = ['yaml', 'json', 'jsonl', 'csv'];

/** What a round trip must keep: everything but where the set was read from. */
function comparable(set: GoldenSet) {
  const { source: _source, warnings: _warnings, ...rest } = set;
  return { ...rest, cases: set.cases.map(({ line: _line, ...c }) => c) };
}

function roundTrip(set: GoldenSet, format: GoldenWriteFormat): GoldenSet {
  return importGoldenSet(writeGoldenSet(set, format), `written.${format}`);
}

// ---- random sets, from a seeded generator so a failure can be replayed ----

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

/** Text that trips up YAML, JSON Lines and CSV writers: indicators, look-alike scalars, breaks, quotes, Unicode. */
const TRICKY = [
  'yes',
  'No',
  'null',
  '~',
  '0123',
  '1e3',
  '0x1F',
  '.inf',
  '-',
  '- item',
  'key: value',
  '#not a comment',
  '"double"',
  "'single'",
  'comma, separated',
  'line one\nline two',
  'ends with newline\n',
  '\tleading tab',
  ' leading space',
  'trailing space ',
  'CRLF\r\ninside',
  'lone\rCR',
  'ü € 😀 中文 עברית',
  '[1, 2]',
  '{ a: 1 }',
  '&anchor',
  '*alias',
  '!tag',
  '%directive',
  '@at',
  '`tick`',
  '| pipe',
  '> fold',
  '---',
  '...',
  '=SUM(A1:A3)',
  'back\\slash',
  'a\u2028b',
  '{{ 1 + 2 }} is not a placeholder',
  '\uFEFFbom first',
];
const ALPHABET = 'abcXYZ019 _-.,:;!?"\'#&*|>\n\t/\\()[]é中😀';

function text(r: Rng, nonEmpty = false): string {
  if (r.chance(0.4)) {
    const t = r.pick(TRICKY);
    if (!nonEmpty || t !== '') return t;
  }
  const n = r.int(12) + (nonEmpty ? 1 : 0);
  let s = '';
  for (let i = 0; i < n; i++) s += Array.from(ALPHABET)[r.int(Array.from(ALPHABET).length)];
  return s;
}

function json(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 2 ? 4 : 6);
  if (k === 0) return text(r);
  if (k === 1) return r.pick([0, 1, 42, -7, 0.1, 3.25, 1e21, 1e-7, Number.MAX_SAFE_INTEGER]);
  if (k === 2) return r.chance(0.5);
  if (k === 3) return null;
  if (k === 4) return Array.from({ length: r.int(4) }, () => json(r, depth + 1));
  return Object.fromEntries(Array.from({ length: r.int(4) }, () => [text(r), json(r, depth + 1)]));
}

const IDENT = ['question', 'company', 'topic', 'user_name', 'x1', 'lang-code'];

function assertion(r: Rng, hasExpected: boolean): AssertionSpec {
  const base = (type: string, options: Record<string, unknown>): AssertionSpec => ({
    type,
    weight: r.pick([1, 1, 1, 0, 2, 0.5]),
    ...(r.chance(0.3) ? { name: text(r) } : {}),
    options,
  });
  const pool: (() => AssertionSpec)[] = [
    () => base('contains', { value: text(r, true) }),
    () => base('not-icontains', { value: text(r, true) }),
    () => base('contains-any', { value: [text(r, true), text(r, true)], ignoreCase: r.chance(0.5) }),
    () => base('regex', { value: '^a+b?$', flags: 'i' }),
    () => base('is-json', r.chance(0.5) ? {} : { allowFences: false }),
    () => base('latency', { max: r.int(10_000) }),
    () => base('cost', { max: 0.002 }),
    () => base('llm-rubric', { value: text(r, true), threshold: 0.7 }),
    () => base('classification', { value: 'a', labels: ['a', 'b'] }),
    () => base('json-schema', { value: { type: 'object', required: ['a'] } }),
  ];
  if (hasExpected) pool.push(() => base('equals', r.chance(0.5) ? {} : { ignoreCase: true }));
  return r.pick(pool)();
}

function randomSet(r: Rng): GoldenSet {
  const defaultVars = r.chance(0.3) ? { company: text(r) } : {};
  const cases: GoldenCase[] = Array.from({ length: 1 + r.int(5) }, (_, i) => {
    const vars: Record<string, unknown> = {};
    for (let k = r.int(4); k > 0; k--) vars[r.chance(0.7) ? r.pick(IDENT) : text(r, true)] = json(r);
    const names = Object.keys({ ...defaultVars, ...vars }).filter((k) => /^[A-Za-z_][\w-]*$/.test(k));
    const hasExpected = r.chance(0.6);
    const c: GoldenCase = {
      id: r.chance(0.2) ? String(i + 1) : `c${i}${r.pick(['', ': x', ' #y', '😀', '-yes'])}`,
      vars,
      assert: Array.from({ length: r.int(3) }, () => assertion(r, hasExpected)),
    };
    if (r.chance(0.3)) c.description = text(r);
    if (r.chance(0.4))
      c.messages = [
        ...(r.chance(0.5) ? [{ role: 'system' as const, content: text(r) }] : []),
        { role: 'user', content: names.length && r.chance(0.7) ? `Q: {{${r.pick(names)}}}` : text(r) },
        ...(r.chance(0.3) ? [{ role: 'assistant' as const, content: text(r) }] : []),
      ];
    if (hasExpected) c.expected = text(r);
    if (r.chance(0.3)) c.threshold = r.pick([0, 0.5, 0.66, 1]);
    if (r.chance(0.2)) c.metadata = { source: text(r), n: r.int(100) };
    return c;
  });
  return {
    ...(r.chance(0.5) ? { name: text(r) } : {}),
    ...(r.chance(0.3) ? { description: text(r) } : {}),
    defaultTest: {
      vars: defaultVars,
      assert: r.chance(0.5) ? [assertion(r, false)] : [],
      ...(r.chance(0.2) ? { threshold: 0.5 } : {}),
    },
    cases,
    source: { file: 'random.yaml', format: 'golden' },
    warnings: [],
  };
}

/** A set in CSV's plain shape: `{{input}}` as the user message, `expected` judged by equals. */
function randomPlainCsvSet(r: Rng): GoldenSet {
  const extra = r.chance(0.5) ? ['topic'] : [];
  return {
    defaultTest: { vars: {}, assert: [{ type: 'equals', weight: 1, options: {} }] },
    cases: Array.from({ length: 1 + r.int(6) }, (_, i) => ({
      id: `row-${i}`,
      vars: Object.fromEntries([['input', text(r)], ...extra.map((k) => [k, text(r)])]),
      messages: [{ role: 'user' as const, content: '{{input}}' }],
      expected: text(r, true),
      assert: [],
      ...(r.chance(0.3) ? { description: text(r, true) } : {}),
      ...(r.chance(0.3) ? { threshold: r.pick([0.25, 0.5, 1]) } : {}),
    })),
    source: { file: 'plain.csv', format: 'csv' },
    warnings: [],
  };
}

/** A set in promptfoo's CSV shape: variables, and assertions promptfoo's CSV text can say. */
function randomPromptfooCsvSet(r: Rng): GoldenSet {
  const word = () => r.pick(['Paris', 'refund', 'card arrived', 'x', '42', 'Straße', '"quoted"', 'a\nb']);
  const one = (): AssertionSpec => {
    const k = r.int(8);
    const spec = (type: string, options: Record<string, unknown>): AssertionSpec => ({
      type,
      weight: 1,
      options,
    });
    if (k === 0) return spec('contains', { value: word() });
    if (k === 1) return spec('not-icontains', { value: word() });
    if (k === 2)
      return spec('contains-any', { value: ['a', 'b c'], ...(r.chance(0.5) ? { ignoreCase: true } : {}) });
    if (k === 3) return spec('similar', { value: word(), threshold: 0.85 });
    if (k === 4) return spec('llm-rubric', { value: 'Says how long a refund takes' });
    if (k === 5) return spec('latency', { max: 5000 });
    if (k === 6) return spec('equals', { value: r.pick(['4', 'contains: not an assertion', 'Paris']) });
    return spec('is-json', {});
  };
  return {
    defaultTest: { vars: {}, assert: [] },
    cases: Array.from({ length: 1 + r.int(6) }, (_, i) => {
      const metric = r.chance(0.3) ? 'quality' : undefined;
      return {
        id: `t${i}`,
        vars: { question: text(r), lang: text(r) },
        assert: Array.from({ length: r.int(4) }, () => ({
          ...one(),
          ...(metric ? { name: metric } : {}),
        })),
        ...(r.chance(0.3) ? { description: text(r, true) } : {}),
        ...(r.chance(0.3) ? { threshold: 0.5 } : {}),
      };
    }),
    source: { file: 'tests.csv', format: 'promptfoo-csv' },
    warnings: [],
  };
}

describe('writeGoldenSet: round trips', () => {
  const fixtures = [
    'support.golden.yaml',
    'plain.csv',
    'promptfoo-tests.csv',
    'evals-samples.jsonl',
    'promptfooconfig.yaml',
  ];

  it.each(fixtures)('%s reads back equal from YAML, JSON and JSON Lines', (name) => {
    const set = fixture(name);
    for (const format of ['yaml', 'json', 'jsonl'] as const) {
      const back = roundTrip(set, format);
      expect(comparable(back), `${name} as ${format}`).toEqual(comparable(set));
      expect(back.source.format).toBe('golden');
      expect(back.warnings).toEqual([]);
    }
  });

  it('writes the CSV fixtures back as CSV that reads back equal, in their own convention', () => {
    const plain = fixture('plain.csv');
    const text = writeGoldenSet(plain, 'csv');
    expect(text.split('\n')[0]).toBe('__id,input,topic,expected');
    expect(comparable(roundTrip(plain, 'csv'))).toEqual(comparable(plain));
    expect(roundTrip(plain, 'csv').source.format).toBe('csv');

    const promptfoo = fixture('promptfoo-tests.csv');
    const back = roundTrip(promptfoo, 'csv');
    expect(back.source.format).toBe('promptfoo-csv');
    expect(comparable(back)).toEqual(comparable(promptfoo));
    // assertions are written as promptfoo's text, and a plain equals as plain text
    const rows = parseCsv(writeGoldenSet(promptfoo, 'csv'), 'x.csv').map((r) => r.fields);
    expect(rows[1]).toEqual(['case-1', 'What is 2 + 2?', 'Arithmetic', 'math', '4', 'contains-any: four']);
    expect(rows[3]).toContain('similar(0.85): A long Russian novel');
  });

  it('writes a plain CSV without an input column (variables and expected only) back as CSV', () => {
    const file = path.resolve('resources/sample-workspace/golden/banking77-intent.csv');
    const sample = importGoldenSet(readFileSync(file, 'utf8'), 'banking77-intent.csv');
    expect(sample.cases.every((c) => c.messages === undefined)).toBe(true);
    const text = writeGoldenSet(sample, 'csv');
    expect(text.split('\n')[0]).toBe('__id,text,expected');
    expect(comparable(roundTrip(sample, 'csv'))).toEqual(comparable(sample));
    // a variable the reader would take for the input column cannot be written that way
    const risky = {
      ...sample,
      cases: sample.cases.map((c) => ({ ...c, vars: { question: 'q', ...c.vars } })),
    };
    expect(failure(() => writeGoldenSet(risky, 'csv')).message).toContain('"question"');
  });

  it('refuses, naming the case, the fixtures CSV cannot express', () => {
    const support = failure(() => writeGoldenSet(fixture('support.golden.yaml'), 'csv'));
    expect(support.code).toBe('INVALID_INPUT');
    expect(support.details?.case).toBe('card-arrival');
    expect(support.message).toContain('card-arrival');
    expect(support.message).toContain('YAML, JSON or JSON Lines');
    for (const name of ['evals-samples.jsonl', 'promptfooconfig.yaml']) {
      const f = failure(() => writeGoldenSet(fixture(name), 'csv'));
      expect(f.code, name).toBe('INVALID_INPUT');
      expect(f.details?.format).toBe('csv');
    }
  });

  it('round-trips 300 random sets through YAML, JSON and JSON Lines', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const set = randomSet(rng(seed));
      // the generator must make sets the reader accepts, or the property says nothing
      const canonical = importGoldenSet(writeGoldenSet(set, 'json'), 'canonical.json');
      expect(comparable(canonical), `seed ${seed}: generator`).toEqual(comparable(set));
      for (const format of ['yaml', 'json', 'jsonl'] as const)
        expect(comparable(roundTrip(set, format)), `seed ${seed} as ${format}`).toEqual(comparable(set));
    }
  });

  it('round-trips random CSV-shaped sets (plain and promptfoo) through CSV and every other format', () => {
    for (let seed = 1; seed <= 150; seed++) {
      for (const set of [randomPlainCsvSet(rng(seed)), randomPromptfooCsvSet(rng(seed + 1000))]) {
        for (const format of FORMATS)
          expect(comparable(roundTrip(set, format)), `seed ${seed} as ${format}`).toEqual(comparable(set));
      }
    }
  });

  it('writes readable native files', () => {
    const set = fixture('support.golden.yaml');
    const yaml = writeGoldenSet(set, 'yaml');
    expect(yaml).toMatch(/^name: Support replies\n/);
    expect(yaml).toContain("content: '{{question}}'");
    expect(yaml).not.toContain('line:');
    expect(yaml).not.toMatch(/&\w+|\*\w+/); // no anchors or aliases
    const multi = writeGoldenSet({ ...set, cases: [{ ...set.cases[0]!, expected: 'one\ntwo' }] }, 'yaml');
    expect(multi).toContain('expected: |-\n      one\n      two');
    const lines = writeGoldenSet(set, 'jsonl').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + set.cases.length);
    expect(JSON.parse(lines[0]!)).toHaveProperty('defaultTest');
    expect(JSON.parse(lines[1]!).id).toBe('card-arrival');
    expect(JSON.parse(writeGoldenSet(set, 'json')).cases[0].assert[0]).toEqual({
      type: 'classification',
      weight: 2,
      labels: ['card_arrival', 'card_delivery_estimate', 'lost_or_stolen_card'],
    });
  });

  it('writes a JSON Lines header even for a set with nothing set-wide, so the first case stays a case', () => {
    const set = randomPlainCsvSet(rng(7));
    const bare = {
      ...set,
      defaultTest: { vars: {}, assert: [] },
      cases: set.cases.map((c) => ({ ...c, assert: [{ type: 'is-json', weight: 1, options: {} }] })),
    };
    const first = writeGoldenSet(bare, 'jsonl').split('\n')[0]!;
    expect(JSON.parse(first)).toEqual({ defaultTest: {} });
    expect(comparable(roundTrip(bare, 'jsonl'))).toEqual(comparable(bare));
  });
});

describe('writeGoldenSet: what a format cannot hold', () => {
  const plainSet = () => randomPlainCsvSet(rng(3));
  const promptfooSet = (): GoldenSet => ({
    defaultTest: { vars: {}, assert: [] },
    cases: [
      { id: 'ok', vars: { q: 'a' }, assert: [{ type: 'contains', weight: 1, options: { value: 'a' } }] },
      { id: 'second', vars: { q: 'b' }, assert: [{ type: 'contains', weight: 1, options: { value: 'b' } }] },
    ],
    source: { file: 't.csv', format: 'promptfoo-csv' },
    warnings: [],
  });
  const csvFailure = (set: GoldenSet) => {
    const f = failure(() => writeGoldenSet(set, 'csv'));
    expect(f.code).toBe('INVALID_INPUT');
    return f;
  };

  it('CSV: messages other than one user message naming the input column', () => {
    const set = plainSet();
    set.cases[0]!.messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: '{{input}}' },
    ];
    const f = csvFailure(set);
    expect(f.details).toMatchObject({ case: 'row-0', field: 'messages' });
    expect(f.message).toContain('Case "row-0"');
  });

  it('CSV: a per-case assertion in a plain CSV, or one promptfoo text cannot say', () => {
    const plain = plainSet();
    plain.cases[0]!.assert = [{ type: 'contains', weight: 1, options: { value: 'x' } }];
    expect(csvFailure(plain).details).toMatchObject({ case: 'row-0', field: 'assert' });

    for (const bad of [
      { type: 'classification', weight: 1, options: { value: 'a', labels: ['a', 'b'] } },
      { type: 'contains', weight: 2, options: { value: 'b' } },
      { type: 'contains', weight: 1, options: { value: ' padded ' } },
      { type: 'contains-any', weight: 1, options: { value: ['a,b', 'c'] } },
      { type: 'regex', weight: 1, options: { value: 'a', flags: 'i' } },
      { type: 'json-schema', weight: 1, options: { value: { type: 'object' } } },
    ]) {
      const set = promptfooSet();
      set.cases[1]!.assert = [bad];
      const f = csvFailure(set);
      expect(f.details, bad.type).toMatchObject({ case: 'second', field: 'assert[0]' });
      expect(f.message).toContain(bad.type);
    }
  });

  it('CSV: non-text variables, metadata, expected without an input, differing names, set-wide settings', () => {
    const number = promptfooSet();
    number.cases[1]!.vars = { q: 4 };
    expect(csvFailure(number).details).toMatchObject({ case: 'second', field: 'vars.q' });

    const missing = promptfooSet();
    missing.cases[1]!.vars = {};
    expect(csvFailure(missing).details).toMatchObject({ case: 'second', field: 'vars.q' });

    const meta = promptfooSet();
    meta.cases[0]!.metadata = { a: 1 };
    expect(csvFailure(meta).details).toMatchObject({ case: 'ok', field: 'metadata' });

    const expected = promptfooSet();
    expected.cases[0]!.expected = 'a';
    expect(csvFailure(expected).details).toMatchObject({ case: 'ok', field: 'expected' });

    const names = promptfooSet();
    names.cases[0]!.assert = [
      { type: 'contains', weight: 1, name: 'one', options: { value: 'a' } },
      { type: 'contains', weight: 1, name: 'two', options: { value: 'b' } },
    ];
    expect(csvFailure(names).details).toMatchObject({ case: 'ok', field: 'assert' });

    expect(csvFailure({ ...promptfooSet(), name: 'Named' }).details).toMatchObject({ field: 'name' });
    const defaults = promptfooSet();
    defaults.defaultTest.vars = { lang: 'fr' };
    expect(csvFailure(defaults).details).toMatchObject({ field: 'defaultTest.vars' });
    const otherJudge = plainSet();
    otherJudge.defaultTest.assert = [{ type: 'equals', weight: 1, options: { ignoreCase: true } }];
    expect(csvFailure(otherJudge).details).toMatchObject({ field: 'defaultTest.assert' });
  });

  it('CSV: an input column the reader would not pick, or a variable named expected', () => {
    const other = plainSet();
    for (const c of other.cases) {
      c.vars = { text: 'a' };
      c.messages = [{ role: 'user', content: '{{text}}' }];
    }
    expect(csvFailure(other).details).toMatchObject({ field: 'messages' });
    const clash = plainSet();
    for (const c of clash.cases) c.vars = { ...c.vars, expected: 'x' };
    expect(csvFailure(clash).details).toMatchObject({ field: 'vars.expected' });
  });

  it('every format: values that are not data, and option names that would be read as type, weight or name', () => {
    const set = fixture('support.golden.yaml');
    const withFn = { ...set, cases: [{ ...set.cases[0]!, vars: { f: () => 1 } }] };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const withCycle = { ...set, cases: [{ ...set.cases[0]!, metadata: cyclic }] };
    const withMap = { ...set, cases: [{ ...set.cases[0]!, vars: { m: new Map() } }] };
    const reserved = {
      ...set,
      cases: [
        { ...set.cases[0]!, assert: [{ type: 'contains', weight: 1, options: { value: 'a', weight: 3 } }] },
      ],
    };
    for (const format of ['yaml', 'json', 'jsonl'] as const)
      for (const bad of [withFn, withCycle, withMap, reserved]) {
        const f = failure(() => writeGoldenSet(bad, format));
        expect(f.code, format).toBe('INVALID_INPUT');
        expect(f.details?.case).toBe('card-arrival');
      }
    const nan = { ...set, cases: [{ ...set.cases[0]!, vars: { n: Number.NaN } }] };
    expect(failure(() => writeGoldenSet(nan, 'json')).details).toMatchObject({ field: 'vars.n' });
    expect(roundTrip(nan, 'yaml').cases[0]!.vars.n).toBeNaN();
  });

  it('an unknown format is UNSUPPORTED', () => {
    expect(failure(() => writeGoldenSet(fixture('plain.csv'), 'toml' as GoldenWriteFormat)).code).toBe(
      'UNSUPPORTED',
    );
  });
});
