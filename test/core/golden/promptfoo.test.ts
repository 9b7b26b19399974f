import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assertionFromString,
  caseAssertions,
  importGoldenSet,
  mapPromptfooAssertion,
} from '../../../src/core/golden';
import { failure } from './helpers';

const read = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const lineOf = (text: string, needle: string, from = 0) =>
  text.split('\n').findIndex((l, i) => i >= from && l.includes(needle)) + 1;

describe('promptfoo config import', () => {
  const text = read('promptfooconfig.yaml');
  const set = importGoldenSet(text, 'promptfooconfig.yaml');

  it('is detected and keeps the description as the name', () => {
    expect(set.source.format).toBe('promptfoo');
    expect(set.name).toBe('Translation bot');
  });

  it('maps defaultTest assertions, turning cost’s threshold into max and leaving out code', () => {
    expect(set.defaultTest.assert).toEqual([
      { type: 'not-icontains', weight: 1, options: { value: 'I cannot' } },
      { type: 'cost', weight: 1, options: { max: 0.002 } },
    ]);
  });

  it('expands list-valued vars into one case per value, as promptfoo runs them', () => {
    expect(set.cases.map((c) => c.vars.language)).toEqual(['French', 'German', 'Dutch', 'Spanish']);
    expect(set.cases[1]!.line).toBe(set.cases[2]!.line);
  });

  it('maps each assertion type onto ours', () => {
    const [fr, de, , es] = set.cases;
    expect(fr!.assert).toEqual([
      { type: 'contains-any', weight: 1, options: { value: ['bonjour', 'salut'], ignoreCase: true } },
      {
        type: 'similar',
        weight: 1,
        name: 'fidelity',
        options: { value: 'Bonjour le monde', threshold: 0.7 },
      },
    ]);
    expect(de!.assert).toEqual([
      { type: 'json-schema', weight: 1, options: { value: { type: 'object', required: ['translation'] } } },
      { type: 'latency', weight: 1, options: { max: 3000 } },
    ]);
    expect(es!.assert).toEqual([{ type: 'equals', weight: 2, options: { value: 'Gracias' } }]);
    expect(caseAssertions(set, es!).map((a) => a.type)).toEqual(['not-icontains', 'cost', 'equals']);
  });

  it('warns, with lines, about everything it left out', () => {
    const w = set.warnings.map((x) => [x.line, x.field, x.message]);
    expect(w).toEqual([
      [
        lineOf(text, 'prompts:'),
        undefined,
        'ignored prompts, providers: a benchmark sets its own prompts and models',
      ],
      [
        lineOf(text, 'type: javascript'),
        'defaultTest.assert[2]',
        "left out: promptfoo's javascript assertion has no counterpart here",
      ],
      [lineOf(text, 'language: [German') - 1, 'tests[1]', 'ignored options'],
      [
        lineOf(text, 'type: rouge-n'),
        'tests[2].assert[1]',
        "left out: promptfoo's rouge-n assertion has no counterpart here",
      ],
    ]);
  });

  it('names the promptfoo test and line in errors', () => {
    const bad = 'tests:\n  - vars: {q: x}\n    assert:\n      - type: regex\n        value: "("\n';
    const e = failure(() => importGoldenSet(bad, 'pf.yaml'));
    expect(e.details).toMatchObject({ file: 'pf.yaml', line: 5, field: 'tests[0].assert[0].value' });
    const ref = failure(() => importGoldenSet('tests: file://tests.csv\n', 'pf.yaml'));
    expect(ref.message).toBe(
      'pf.yaml, line 1: tests: tests come from file://tests.csv: import that file instead',
    );
  });

  it('reads a bare list of promptfoo tests when it uses promptfoo-only features', () => {
    const list = '- vars: {q: hi}\n  assert:\n    - type: icontains-all\n      value: [a, b]\n';
    const s = importGoldenSet(list, 'tests.yaml');
    expect(s.source.format).toBe('promptfoo');
    expect(s.cases[0]!.assert[0]).toMatchObject({ type: 'contains-all', options: { ignoreCase: true } });
    expect(
      importGoldenSet('- vars: {q: hi}\n  expected: x\n  assert: [{type: equals}]\n', 'tests.yaml').source
        .format,
    ).toBe('golden');
  });
});

describe('promptfoo CSV with __expected columns', () => {
  const text = read('promptfoo-tests.csv');
  const set = importGoldenSet(text, 'tests.csv');

  it('reads vars, descriptions and one assertion per __expected cell', () => {
    expect(set.source.format).toBe('promptfoo-csv');
    expect(set.cases.map((c) => c.description)).toEqual(['Arithmetic', 'Capital', 'Summary', 'Code']);
    expect(set.cases[2]!.vars).toEqual({ question: 'Summarise "War and Peace"' });
    expect(set.cases[0]!.assert).toEqual([
      { type: 'equals', weight: 1, name: 'math', options: { value: '4' } },
      { type: 'contains-any', weight: 1, name: 'math', options: { value: ['four'] } },
    ]);
    expect(set.cases[1]!.assert.map((a) => [a.type, a.options.value])).toEqual([
      ['icontains', 'paris'],
      ['not-contains', 'London'],
    ]);
    expect(set.cases[2]!.assert).toEqual([
      { type: 'similar', weight: 1, options: { value: 'A long Russian novel', threshold: 0.85 } },
      { type: 'llm-rubric', weight: 1, options: { value: 'mentions Tolstoy' } },
    ]);
    expect(set.cases[3]!.assert).toEqual([]);
    expect(set.warnings).toEqual([
      {
        file: 'tests.csv',
        line: 5,
        field: '__expected1',
        message: 'left out: code assertions (fn) cannot run here',
      },
    ]);
  });

  it('names the line and column of a bad assertion cell', () => {
    const bad = 'q,__expected\nx,contains: a\ny,"regex: ("\n';
    expect(failure(() => importGoldenSet(bad, 't.csv')).details).toMatchObject({
      file: 't.csv',
      line: 3,
      field: '__expected',
    });
  });
});

describe('assertionFromString', () => {
  it('parses promptfoo’s text forms', () => {
    const ok = (s: string) => {
      const m = assertionFromString(s);
      if (!m.ok) throw new Error(m.reason);
      return m.assertion;
    };
    expect(ok('contains: Paris')).toEqual({ type: 'contains', value: 'Paris' });
    expect(ok('not-starts-with:Sorry')).toEqual({ type: 'not-starts-with', value: 'Sorry' });
    expect(ok('icontains-any: a, b ,c')).toEqual({
      type: 'contains-any',
      value: ['a', 'b', 'c'],
      ignoreCase: true,
    });
    expect(ok('similar(0.9):hello')).toEqual({ type: 'similar', value: 'hello', threshold: 0.9 });
    expect(ok('cost(0.01)')).toEqual({ type: 'cost', max: 0.01 });
    expect(ok('is-json')).toEqual({ type: 'is-json' });
    expect(ok('llm-rubric: be kind')).toEqual({ type: 'llm-rubric', value: 'be kind' });
    // Not a type prefix: the whole text is the expected answer.
    expect(ok('Answer: 42')).toEqual({ type: 'equals', value: 'Answer: 42' });
  });

  it('refuses what it cannot run, saying why', () => {
    expect(assertionFromString('python: len(output) < 3')).toEqual({
      ok: false,
      reason: 'code assertions (python) cannot run here',
    });
    expect(assertionFromString('levenshtein(5): x')).toMatchObject({ ok: false });
    expect(mapPromptfooAssertion({ type: 'contains', value: 'file://expected.txt' })).toMatchObject({
      ok: false,
    });
    expect(mapPromptfooAssertion({ type: 'cost' })).toEqual({
      ok: false,
      reason: 'cost has no threshold (the maximum)',
    });
  });
});
