import { describe, expect, it } from 'vitest';
import { checkSchema, parseOutputJson, validateJsonSchema } from '../../../src/core/scorers';
import { both, check } from './helpers';

describe('is-json', () => {
  it('accepts JSON, and one fence around the whole output unless told not to', async () => {
    expect(await both('is-json', {}, '{"a": [1, 2, null]}')).toEqual([true, false]);
    expect((await check('is-json', {}, '```json\n{"a": 1}\n```\n')).pass).toBe(true);
    expect((await check('is-json', { allowFences: false }, '```json\n{"a": 1}\n```')).pass).toBe(false);
  });

  it('refuses JSON buried in prose, malformed JSON and empty output, saying where', async () => {
    expect((await check('is-json', {}, 'Here it is: {"a": 1}')).pass).toBe(false);
    const r = await check('is-json', {}, '{"a": 1,\n "b": }');
    expect(r.pass).toBe(false);
    expect(r.reason).toBe('not valid JSON (line 2, column 7)');
    expect((await check('is-json', {}, '')).reason).toMatch(/empty/);
    expect(await both('is-json', {}, "{'single': 'quotes'}")).toEqual([false, true]);
  });

  it('reads unicode content', () => {
    expect(parseOutputJson('{"도시": "서울", "emoji": "🍣"}', true)).toEqual({
      ok: true,
      value: { 도시: '서울', emoji: '🍣' },
    });
  });
});

describe('JSON Schema subset', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, pattern: '^[A-Z]' },
      people: { type: 'integer', minimum: 1, maximum: 20 },
      time: { type: 'string', enum: ['lunch', 'dinner'] },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 2, uniqueItems: true },
    },
    required: ['name', 'people'],
    additionalProperties: false,
  };

  it('accepts a conforming value', () => {
    expect(validateJsonSchema({ name: 'Ana', people: 4, time: 'dinner', tags: ['a'] }, schema)).toEqual([]);
  });

  it('reports each violation at its path', () => {
    const v = validateJsonSchema(
      { name: 'ana', people: 2.5, time: 'brunch', tags: ['a', 'a', 'b'], x: 1 },
      schema,
    );
    expect(v).toEqual([
      { path: '/name', message: 'does not match pattern ^[A-Z]' },
      { path: '/people', message: 'expected integer, got number' },
      { path: '/time', message: 'must be one of "lunch", "dinner"' },
      { path: '/tags', message: 'more than 2 items' },
      { path: '/tags', message: 'items are not unique' },
      { path: '/x', message: 'property is not allowed' },
    ]);
    expect(validateJsonSchema({}, schema).map((x) => x.message)).toEqual([
      'missing required property "name"',
      'missing required property "people"',
    ]);
  });

  it('supports anyOf, oneOf, allOf, not, const, prefixItems and exclusive bounds', () => {
    expect(validateJsonSchema(3, { anyOf: [{ type: 'string' }, { minimum: 5 }] })).toHaveLength(1);
    expect(validateJsonSchema(6, { oneOf: [{ minimum: 5 }, { multipleOf: 3 }] })).toHaveLength(1);
    expect(validateJsonSchema('x', { allOf: [{ type: 'string' }, { const: 'x' }] })).toEqual([]);
    expect(validateJsonSchema(null, { not: { type: 'null' } })).toHaveLength(1);
    expect(
      validateJsonSchema([1, 'a', true], {
        prefixItems: [{ type: 'number' }, { type: 'string' }],
        items: false,
      }),
    ).toEqual([{ path: '/2', message: 'no value is allowed here' }]);
    expect(validateJsonSchema(5, { exclusiveMaximum: 5 })).toHaveLength(1);
    expect(validateJsonSchema('🍣🍣', { maxLength: 2 })).toEqual([]);
  });

  it('refuses keywords it does not implement instead of ignoring them', () => {
    expect(checkSchema({ type: 'object', properties: { a: { $ref: '#/x' } } })).toEqual([
      '#/properties/a/$ref: keyword "$ref" is not supported',
    ]);
    expect(checkSchema({ type: 'text' })).toEqual(['#/type: unknown type "text"']);
    expect(checkSchema({ title: 'x', description: 'y', format: 'email', type: 'string' })).toEqual([]);
  });
});

describe('json-schema scorer', () => {
  const value = { type: 'object', required: ['answer'], properties: { answer: { type: 'number' } } };

  it('passes conforming JSON and names the violation otherwise', async () => {
    expect(await both('json-schema', { value }, '{"answer": 42}')).toEqual([true, false]);
    const r = await check('json-schema', { value }, '{"answer": "42"}');
    expect(r.pass).toBe(false);
    expect(r.reason).toBe('1 schema violation(s): /answer expected number, got string');
    expect((await check('json-schema', { value }, 'not json')).reason).toMatch(/not valid JSON/);
  });

  it('accepts the schema as JSON text', async () => {
    expect((await check('json-schema', { value: JSON.stringify(value) }, '{"answer": 1}')).pass).toBe(true);
  });

  it('errors on an unsupported schema, and not-json-schema does not pass because of it', async () => {
    const r = await check('not-json-schema', { value: { $ref: '#/defs/a' } }, '{}');
    expect(r.pass).toBe(false);
    expect(r.error?.message).toMatch(/\$ref/);
  });
});

describe('json-equals', () => {
  const value = { date: 'tomorrow', time: '7pm', people: '4' };

  it('scores 1 for equal JSON whatever the key order', async () => {
    const r = await check('json-equals', { value }, '{"people": "4", "time": "7pm", "date": "tomorrow"}');
    expect(r.score).toBe(1);
    expect(r.pass).toBe(true);
  });

  it('gives field-by-field partial credit, F1 over fields by default', async () => {
    const r = await check(
      'json-equals',
      { value },
      '{"date": "tomorrow", "time": "8pm", "people": "4", "name": "Li"}',
    );
    // 2 of 3 expected fields match; the output has 4 fields: F1 = 2·2 / (3 + 4).
    expect(r.score).toBeCloseTo(4 / 7);
    expect(r.pass).toBe(false);
    expect(r.reason).toBe('2/3 fields match; /time: expected "7pm", got "8pm"; extra /name');
    const recall = await check(
      'json-equals',
      { value, extra: 'ignore' },
      '{"date": "tomorrow", "time": "7pm", "people": "4", "x": 1}',
    );
    expect(recall.score).toBe(1);
  });

  it('compares nested objects and arrays by path', async () => {
    const r = await check(
      'json-equals',
      { value: { a: { b: [1, 2] }, c: {} } },
      '{"a": {"b": [1, 3]}, "c": {}}',
    );
    expect(r.score).toBeCloseTo(2 / 3);
    expect((r.details?.wrong as { path: string }[])[0]!.path).toBe('/a/b/1');
  });

  it('is strict about types unless loose', async () => {
    expect((await check('json-equals', { value: { people: '4' } }, '{"people": 4}')).score).toBe(0);
    expect(
      (
        await check(
          'json-equals',
          { value: { people: '4', t: 'Seven PM' }, loose: true },
          '{"people": 4, "t": " seven pm"}',
        )
      ).score,
    ).toBe(1);
  });

  it('reads the expected output as JSON when value is omitted', async () => {
    expect((await check('json-equals', {}, '{"a": 1}', { expected: '{"a": 1}' })).pass).toBe(true);
    const bad = await check('json-equals', {}, '{"a": 1}', { expected: 'a=1' });
    expect(bad.error?.code).toBe('INVALID_INPUT');
  });

  it('scores malformed or empty output 0, and not-json-equals inverts partial scores', async () => {
    expect((await check('json-equals', { value }, '{"date": ')).score).toBe(0);
    expect((await check('json-equals', { value }, '')).score).toBe(0);
    const n = await check('not-json-equals', { value }, '{"date": "tomorrow"}');
    expect(n.score).toBeCloseTo(1 - 2 / 4);
    expect(n.pass).toBe(true);
  });
});
