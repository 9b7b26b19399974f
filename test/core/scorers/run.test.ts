import { describe, expect, it } from 'vitest';
import {
  checkAssertion,
  combine,
  describeScorers,
  getScorer,
  SCORER_LIST,
  SCORERS,
  scoreCase,
  type AssertionSpec,
  type JudgePort,
} from '../../../src/core/scorers';
import { check } from './helpers';

const spec = (type: string, options: Record<string, unknown>, weight = 1): AssertionSpec => ({
  type,
  weight,
  options,
});

describe('the scorer registry', () => {
  it('has every scorer the issue lists, each with its not- form', () => {
    const ids = SCORER_LIST.map((s) => s.id);
    expect(ids).toEqual([
      'equals',
      'contains',
      'icontains',
      'contains-all',
      'contains-any',
      'starts-with',
      'regex',
      'is-json',
      'json-schema',
      'json-equals',
      'classification',
      'numeric',
      'similar',
      'rouge-l',
      'llm-rubric',
      'cost',
      'latency',
    ]);
    for (const id of ids) {
      expect(getScorer(`not-${id}`)?.options).toBe(getScorer(id)?.options);
    }
    expect(Object.keys(SCORERS)).toHaveLength(ids.length * 2);
    expect(getScorer('not-not-contains')).toBeUndefined();
    expect(getScorer('toString')).toBeUndefined();
  });

  it('describes each scorer with a JSON Schema for its options form', () => {
    const info = describeScorers();
    const regex = info.find((i) => i.id === 'regex')!;
    expect(regex.optionsSchema).toMatchObject({
      type: 'object',
      required: ['value'],
      additionalProperties: false,
    });
    expect(info.find((i) => i.id === 'similar')).toMatchObject({
      needs: 'embed',
      defaults: { threshold: 0.8 },
    });
    expect(info.find((i) => i.id === 'llm-rubric')?.needs).toBe('judge');
    expect(info.find((i) => i.id === 'equals')).toMatchObject({
      usesExpected: true,
      defaults: { trim: true },
    });
    expect(info.find((i) => i.id === 'cost')?.defaults).toBeUndefined();
  });

  it('keeps synchronous scorers synchronous through negation', () => {
    const r = getScorer('not-contains')!.score('abc', { value: 'x', ignoreCase: false }, { vars: {} });
    expect(r).not.toBeInstanceOf(Promise);
    expect(r).toMatchObject({ pass: true, score: 1 });
  });

  it('checkAssertion names the bad field and lists a scorer’s options', () => {
    expect(checkAssertion(spec('contains', { vaule: 'x' }))).toEqual([
      {
        path: ['vaule'],
        message: 'unknown option "vaule"; contains takes value, ignoreCase (and weight, name)',
      },
    ]);
    expect(checkAssertion(spec('nope', {}))[0]!.path).toEqual(['type']);
    expect(checkAssertion(spec('regex', { value: '[' }))[0]!.path).toEqual(['value']);
    expect(checkAssertion(spec('not-numeric', { tolerance: 0.5 }))).toEqual([]);
  });

  it('runAssertion turns an unknown type into a failed result', async () => {
    const r = await check('sentiment', {}, 'x');
    expect(r).toMatchObject({ pass: false, score: 0, error: { code: 'INVALID_INPUT' } });
  });
});

describe('combine', () => {
  it('is the weighted mean; weight 0 reports without counting', () => {
    const r = combine([
      { score: 1, pass: true, weight: 3 },
      { score: 0, pass: false, weight: 1 },
      { score: 0, pass: false, weight: 0 },
    ]);
    expect(r.score).toBeCloseTo(0.75);
    expect(r.pass).toBe(false);
    expect(r.reason).toBe('1 of 2 failed; failed');
  });

  it('passes when every counted assertion passes, or when the mean reaches a case threshold', () => {
    expect(
      combine([
        { score: 0.6, pass: true, weight: 1 },
        { score: 0, pass: false, weight: 0 },
      ]).pass,
    ).toBe(true);
    const withThreshold = [
      { score: 1, pass: true, weight: 1 },
      { score: 0.5, pass: false, weight: 1 },
    ];
    expect(combine(withThreshold, 0.7)).toMatchObject({ score: 0.75, pass: true });
    expect(combine(withThreshold, 0.8).pass).toBe(false);
  });

  it('passes a case with nothing to count, and says so', () => {
    expect(combine([])).toEqual({ score: 1, pass: true, reason: 'no weighted assertions' });
  });
});

describe('scoreCase', () => {
  it('runs every assertion, combines them, and totals the judge’s cost', async () => {
    const judge: JudgePort = async () => ({ score: 1, reason: 'fine', costUsd: 0.002 });
    const r = await scoreCase(
      [
        spec('numeric', {}, 2),
        spec('not-icontains', { value: 'sorry' }),
        spec('llm-rubric', { value: 'shows the working' }),
        spec('llm-rubric', { value: 'is concise' }, 0),
        spec('latency', { max: 1000 }),
      ],
      'Sorry, 9 * 2 = 18. The answer is 18.',
      { vars: {}, expected: '#### 18', judge, metadata: { latencyMs: 400 } },
    );
    expect(r.results.map((x) => [x.type, x.pass])).toEqual([
      ['numeric', true],
      ['not-icontains', false],
      ['llm-rubric', true],
      ['llm-rubric', true],
      ['latency', true],
    ]);
    expect(r.score).toBeCloseTo(4 / 5);
    expect(r.pass).toBe(false);
    expect(r.reason).toBe('1 of 4 failed; not-icontains: not: contains "sorry"');
    expect(r.judgeCostUsd).toBeCloseTo(0.004);
  });

  it('keeps going when an assertion cannot be judged', async () => {
    const r = await scoreCase([spec('similar', { value: 'x' }), spec('contains', { value: 'y' })], 'y', {
      vars: {},
    });
    expect(r.results[0]!.error?.code).toBe('UNSUPPORTED');
    expect(r.results[1]!.pass).toBe(true);
    expect(r.pass).toBe(false);
    expect(r.score).toBe(0.5);
  });
});
