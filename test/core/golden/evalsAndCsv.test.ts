import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildPrompt,
  caseAssertions,
  caseContext,
  detectFormat,
  fromCsv,
  importGoldenSet,
  IMPORTER_LIST,
} from '../../../src/core/golden';
import { scoreCase } from '../../../src/core/scorers';
import { banking77Labels, gsm8k, readGolden } from '../scorers/corpora';
import { failure } from './helpers';

const read = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('OpenAI Evals samples', () => {
  const set = importGoldenSet(read('evals-samples.jsonl'), 'samples.jsonl');

  it('turns input messages and ideal answers into cases judged like Evals’ Match', () => {
    expect(set.source.format).toBe('openai-evals');
    expect(set.cases.map((c) => [c.expected, c.line])).toEqual([
      ['Australia', 1],
      ['Mongolia', 2],
      ['7', 4],
    ]);
    expect(set.cases[0]!.assert).toEqual([{ type: 'starts-with', weight: 1, options: {} }]);
    expect(set.cases[1]!.assert[0]!.options).toEqual({ value: ['Mongolia', 'Mongolia.'] });
    expect(set.cases[2]!.vars).toEqual({ difficulty: 'easy' });
  });

  it('keeps sample text literal: a {{name}} in it reaches the model as written', () => {
    const p = buildPrompt('', set, set.cases[1]!);
    expect(p).toEqual({
      system: 'Answer with the country name only.',
      messages: [{ role: 'user', content: 'Which country is home to the city of {{Ulaanbaatar}}?' }],
    });
    expect(buildPrompt('Be brief.', set, set.cases[2]!).system).toBe('Be brief.');
  });

  it('scores like Match: the answer starts with an ideal', async () => {
    const c = set.cases[1]!;
    expect((await scoreCase(caseAssertions(set, c), ' Mongolia', caseContext(set, c))).pass).toBe(true);
    expect((await scoreCase(caseAssertions(set, c), 'It is Mongolia', caseContext(set, c))).pass).toBe(false);
  });

  it('imports real GSM8K rows written as Evals samples and scores their own solutions', async () => {
    const rows = gsm8k().slice(0, 50);
    const jsonl = rows
      .map((r) =>
        JSON.stringify({
          input: [
            { role: 'system', content: 'Solve the problem. End with "#### <number>".' },
            { role: 'user', content: r.question },
          ],
          ideal: r.answer.split('#### ')[1],
        }),
      )
      .join('\n');
    const s = importGoldenSet(jsonl, 'gsm8k.jsonl');
    expect(s.cases).toHaveLength(50);
    for (const [i, c] of s.cases.entries()) {
      const r = await scoreCase(
        [{ type: 'numeric', weight: 1, options: {} }],
        rows[i]!.answer,
        caseContext(s, c),
      );
      expect(r.pass, c.id).toBe(true);
    }
  });

  it('names the line and field of a bad sample', () => {
    expect(
      failure(() => importGoldenSet('{"input": "x", "ideal": "y"}\n{"input": 3, "ideal": "y"}', 's.jsonl'))
        .message,
    ).toBe('s.jsonl, line 2: input: is required: a prompt or a list of chat messages');
    expect(failure(() => importGoldenSet('{"input": "x", "ideal": []}', 's.jsonl')).details).toMatchObject({
      line: 1,
      field: 'ideal',
    });
    const role = '{"input": [{"role": "tool", "content": "x"}], "ideal": "y"}';
    expect(failure(() => importGoldenSet(role, 's.jsonl')).details).toMatchObject({
      line: 1,
      field: 'input[0].role',
    });
  });
});

describe('plain CSV of input and expected columns', () => {
  it('sends the input column as the user message and judges the expected column with equals', () => {
    const set = importGoldenSet(read('plain.csv'), 'plain.csv');
    expect(set.source.format).toBe('csv');
    expect(set.cases.map((c) => [c.expected, c.line, c.vars.topic])).toEqual([
      ['144', 2, 'math'],
      ['tac', 3, 'words'],
      ['2', 4, 'counting'],
    ]);
    expect(set.defaultTest.assert).toEqual([{ type: 'equals', weight: 1, options: {} }]);
    expect(buildPrompt('Answer tersely.', set, set.cases[1]!)).toEqual({
      system: 'Answer tersely.',
      messages: [{ role: 'user', content: 'Spell "cat" backwards' }],
    });
  });

  it('imports the real BANKING77 file as a classification set', async () => {
    const labels = banking77Labels();
    const set = fromCsv(readGolden('banking77/test.csv'), 'banking77/test.csv', {
      inputColumn: 'text',
      expectedColumn: 'category',
      assert: [{ type: 'classification', labels }],
    });
    expect(set.cases).toHaveLength(3080);
    expect(set.cases[0]).toMatchObject({
      id: 'case-1',
      vars: { text: 'How do I locate my card?' },
      expected: 'card_arrival',
    });
    const c = set.cases[2000]!;
    const right = await scoreCase(caseAssertions(set, c), `Intent: ${c.expected}`, caseContext(set, c));
    expect(right.pass).toBe(true);
    const other = labels.find(
      (l) => l !== c.expected && !l.includes(c.expected!) && !c.expected!.includes(l),
    )!;
    expect((await scoreCase(caseAssertions(set, c), other, caseContext(set, c))).pass).toBe(false);
  });

  it('names the row and column of a problem', () => {
    const noExpected = 'input,expected\nhello,\n';
    expect(failure(() => importGoldenSet(noExpected, 'p.csv')).message).toBe(
      'p.csv, line 2: cases[0]: the equals assertion from defaultTest has no value and case "case-1" has no expected output',
    );
    expect(failure(() => importGoldenSet('q,a\nx,y\n', 'p.csv')).message).toMatch(
      /no expected-output column/,
    );
    expect(failure(() => fromCsv('q,a\n', 'p.csv', { inputColumn: 'text' })).message).toBe(
      'p.csv, line 1: no column "text" for the input (columns: q, a)',
    );
    const badThreshold = 'input,expected,__threshold\nx,y,1.5\n';
    expect(failure(() => importGoldenSet(badThreshold, 'p.csv')).details).toMatchObject({
      line: 2,
      field: '__threshold',
    });
    const badVar = 'input,expected,__id\n"{{x}}",y,a\n"b",c,a\n';
    expect(failure(() => importGoldenSet(badVar, 'p.csv')).details).toMatchObject({ line: 3, field: '__id' });
  });
});

describe('format detection', () => {
  it('picks the importer from the extension and content', () => {
    expect(detectFormat('a,b\n', 'x.CSV')).toBe('csv');
    expect(detectFormat('q,__expected\n', 'x.csv')).toBe('promptfoo-csv');
    expect(detectFormat('\n{"input": "q", "ideal": "a"}\n', 'x.jsonl')).toBe('openai-evals');
    expect(detectFormat('{"vars": {}}\n', 'x.jsonl')).toBe('golden');
    expect(detectFormat('tests: []\n', 'x.yml')).toBe('promptfoo');
    expect(detectFormat('cases: []\n', 'x.yaml')).toBe('golden');
    expect(detectFormat('{"tests": []}', 'x.json')).toBe('promptfoo');
    expect(failure(() => detectFormat('hello', 'notes.txt')).code).toBe('UNSUPPORTED');
  });

  it('honours an explicit format and lists every importer once', () => {
    const set = importGoldenSet('input,expected\nq,a\n', 'x.csv', { format: 'csv' });
    expect(set.cases).toHaveLength(1);
    expect(IMPORTER_LIST.map((i) => i.id)).toEqual([
      'promptfoo-csv',
      'csv',
      'openai-evals',
      'promptfoo',
      'golden',
    ]);
  });
});
