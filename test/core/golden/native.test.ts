import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildPrompt,
  caseAssertions,
  caseContext,
  caseThreshold,
  importGoldenSet,
  parseGoldenJson,
  parseGoldenJsonl,
  parseGoldenYaml,
  requiredPorts,
} from '../../../src/core/golden';
import { scoreCase } from '../../../src/core/scorers';
import { failure } from './helpers';

const yamlText = readFileSync(new URL('./fixtures/support.golden.yaml', import.meta.url), 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('native golden set in YAML', () => {
  const set = parseGoldenYaml(yamlText, 'support.golden.yaml');

  it('reads names, defaults, cases, messages, expected output and assertions', () => {
    expect(set.name).toBe('Support replies');
    expect(set.source).toEqual({ file: 'support.golden.yaml', format: 'golden' });
    expect(set.defaultTest.vars).toEqual({ company: 'Acme Bank' });
    expect(set.defaultTest.assert).toEqual([
      { type: 'not-icontains', weight: 1, name: 'no disclaimer', options: { value: 'as an AI' } },
      { type: 'latency', weight: 0, options: { max: 5000 } },
    ]);
    expect(set.cases.map((c) => c.id)).toEqual(['card-arrival', 'refund', 'json-slots']);
    const [a, b, c] = set.cases;
    expect(a!.assert[0]).toMatchObject({ type: 'classification', weight: 2 });
    expect(b!.messages).toHaveLength(2);
    expect(b!.threshold).toBe(0.5);
    // A structured expected value is kept as JSON text, for json-equals and the editor.
    expect(JSON.parse(c!.expected!)).toEqual({ people: '4', time: '7pm', date: 'tomorrow' });
    expect(set.warnings).toEqual([]);
  });

  it('records where each case starts', () => {
    expect(set.cases.map((c) => c.line)).toEqual([
      lineOf(yamlText, 'id: card-arrival'),
      lineOf(yamlText, 'id: refund'),
      lineOf(yamlText, 'id: json-slots'),
    ]);
  });

  it('builds the request: variant as user message, or as system prompt before the case’s messages', () => {
    const [a, b] = set.cases;
    expect(buildPrompt('Classify for {{company}}: {{question}}', set, a!)).toEqual({
      messages: [{ role: 'user', content: 'Classify for Acme Bank: I still have not received my new card.' }],
    });
    expect(buildPrompt('You are a support agent.', set, b!)).toEqual({
      system: 'You are a support agent.\n\nReply in one sentence for Acme Bank.',
      messages: [{ role: 'user', content: 'Can I get a refund for a duplicate charge?' }],
    });
    expect(() => buildPrompt('About {{product}}', set, a!, 'variant "compressed"')).toThrow(
      /\{\{product\}\} is not defined \(support\.golden\.yaml, line \d+, variant "compressed" for case card-arrival\)/,
    );
  });

  it('gives each case defaultTest’s assertions then its own, with {{var}} filled, computed once', () => {
    const b = set.cases[1]!;
    const list = caseAssertions(set, b);
    expect(list.map((x) => x.type)).toEqual(['not-icontains', 'latency', 'contains-any', 'llm-rubric']);
    expect(list[3]!.options.value).toBe('Apologises and explains how long a refund takes at Acme Bank');
    expect(caseAssertions(set, b)).toBe(list);
    expect(caseThreshold(set, b)).toBe(0.5);
    expect(caseThreshold(set, set.cases[0]!)).toBeUndefined();
  });

  it('scores a case end to end', async () => {
    const a = set.cases[0]!;
    const ok = await scoreCase(caseAssertions(set, a), 'Card arrival', {
      ...caseContext(set, a),
      metadata: { latencyMs: 9000 },
    });
    // The weight-0 latency assertion fails but does not count.
    expect(ok.pass).toBe(true);
    expect(ok.results[1]!.pass).toBe(false);
    const bad = await scoreCase(
      caseAssertions(set, a),
      'As an AI, I think lost_or_stolen_card',
      caseContext(set, a),
    );
    expect(bad.pass).toBe(false);
    expect(bad.score).toBe(0);
    const slots = set.cases[2]!;
    const partial = await scoreCase(
      caseAssertions(set, slots),
      '{"people": "4", "time": "7pm", "date": "today"}',
      {
        ...caseContext(set, slots),
        metadata: { latencyMs: 10 },
      },
    );
    expect(partial.results[2]!.score).toBeCloseTo(2 / 3);
    expect(partial.results[2]!.pass).toBe(true);
  });
});

describe('native golden set in JSON and JSON Lines', () => {
  it('reads the same set from JSON, with lines, and a bare list of cases', () => {
    const json = JSON.stringify(
      { cases: [{ id: 'a', vars: { q: 'x' }, expected: 'y', assert: [{ type: 'equals' }] }] },
      null,
      2,
    );
    const set = parseGoldenJson(json, 'g.json');
    expect(set.cases[0]).toMatchObject({ id: 'a', expected: 'y', line: 3 });
    const bare = parseGoldenJson('[{"vars": {"q": 1}, "assert": [{"type": "is-json"}]}]', 'b.json');
    expect(bare.cases[0]!.id).toBe('case-1');
  });

  it('names the JSON line of a bad field', () => {
    const json =
      '{\n  "cases": [\n    {\n      "vars": {},\n      "assert": [\n        { "type": "regex", "value": "(" }\n      ]\n    }\n  ]\n}\n';
    const e = failure(() => parseGoldenJson(json, 'g.json'));
    expect(e.details).toMatchObject({ file: 'g.json', line: 6, field: 'cases[0].assert[0].value' });
  });

  it('reads JSON Lines, one case per line, with an optional header line', () => {
    const text = [
      '{"name": "mini", "defaultTest": {"assert": [{"type": "numeric"}]}}',
      '{"vars": {"q": "2+2"}, "expected": "4"}',
      '',
      '{"id": "b", "vars": {"q": "3+3"}, "expected": 6}',
    ].join('\n');
    const set = parseGoldenJsonl(text, 'm.jsonl');
    expect(set.name).toBe('mini');
    expect(set.cases.map((c) => [c.id, c.expected, c.line])).toEqual([
      ['case-1', '4', 2],
      ['b', '6', 4],
    ]);
  });

  it('names the JSON Lines line of a syntax error and of an invalid case', () => {
    expect(failure(() => parseGoldenJsonl('{"vars": {}}\n{"vars": {', 'm.jsonl')).details).toEqual({
      file: 'm.jsonl',
      line: 2,
      column: 11,
    });
    const e = failure(() =>
      parseGoldenJsonl(
        '{"vars": {}, "expected": "x", "assert": [{"type": "equals"}]}\n{"vars": 3}',
        'm.jsonl',
      ),
    );
    expect(e.message).toBe('m.jsonl, line 2: cases[1].vars: must be a map of variable names to values');
  });
});

describe('errors name the file, line and field', () => {
  const at = (text: string) => failure(() => importGoldenSet(text, 'g.yaml'));

  it('a YAML syntax error', () => {
    expect(at('cases:\n  - vars: {a: 1\n').details).toMatchObject({ file: 'g.yaml', line: 3 });
    expect(at('cases:\n  - vars: {a: 1\n').code).toBe('PARSE_ERROR');
  });

  it('a misspelt field, an unknown type, a bad option', () => {
    expect(at('cases:\n  - vars: {}\n    asert: []\n').message).toBe(
      'g.yaml, line 3: cases[0].asert: unknown field "asert"',
    );
    expect(at('cases:\n  - assert:\n      - type: containz\n').details).toMatchObject({
      line: 3,
      field: 'cases[0].assert[0].type',
    });
    expect(at('cases:\n  - assert:\n      - type: contains-all\n        value: []\n').details).toMatchObject({
      line: 4,
      field: 'cases[0].assert[0].value',
    });
    expect(at('cases:\n  - assert:\n      - type: equals\n        weight: -1\n').details).toMatchObject({
      line: 4,
    });
  });

  it('an assertion without a reference, and an undefined variable in a message or an option', () => {
    expect(at('cases:\n  - vars: {q: x}\n    assert:\n      - type: equals\n').message).toBe(
      'g.yaml, line 4: cases[0].assert[0]: the equals assertion has no value and case "case-1" has no expected output',
    );
    const m = at('cases:\n  - messages:\n      - role: user\n        content: "{{q}}"\n');
    expect(m.details).toMatchObject({ line: 4, field: 'cases[0].messages[0].content', case: 'case-1' });
    const d = at(
      'defaultTest:\n  assert:\n    - type: contains\n      value: "{{city}}"\ncases:\n  - vars: {}\n  - vars: {town: x}\n',
    );
    expect(d.message).toMatch(/^g\.yaml, line 6: cases\[0\]: defaultTest\.assert\[0\] uses \{\{city\}\}/);
  });

  it('a repeated case id, an empty set, a wrong role', () => {
    expect(at('cases:\n  - id: a\n  - id: a\n').message).toBe(
      'g.yaml, line 3: cases[1].id: case id "a" is used twice (first by case 1, line 2)',
    );
    expect(at('cases: []\n').message).toMatch(/the set has no cases/);
    expect(at('cases:\n  - messages:\n      - role: robot\n        content: hi\n').details).toMatchObject({
      line: 3,
      field: 'cases[0].messages[0].role',
    });
  });

  it('a YAML alias bomb is refused instead of expanded', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    expect(at(`${levels.join('\n')}\ncases: []\n`).code).toBe('FILE_TOO_LARGE');
  });
});

describe('docs/formats/golden-set.md', () => {
  it('its example parses as documented', () => {
    const doc = readFileSync(new URL('../../../docs/formats/golden-set.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    const set = importGoldenSet(example, 'example.yaml');
    expect(set.cases.map((c) => c.id)).toEqual(['card-arrival', 'refund', 'slots']);
    expect(JSON.parse(set.cases[2]!.expected!)).toEqual({ people: '4', time: '7pm', date: 'tomorrow' });
  });
});

describe('requiredPorts', () => {
  it('lists the host ports a set needs before anything runs', () => {
    expect(requiredPorts(parseGoldenYaml(yamlText, 'support.golden.yaml'))).toEqual(['judge']);
    const s = parseGoldenYaml(
      'cases:\n  - expected: x\n    assert: [{type: not-similar}, {type: equals}]\n',
      's.yaml',
    );
    expect(requiredPorts(s)).toEqual(['embed']);
  });
});
