import { describe, expect, it } from 'vitest';
import { both, check } from './helpers';

describe('equals', () => {
  it('compares trimmed text, case-sensitively by default', async () => {
    expect((await check('equals', { value: 'Paris' }, ' Paris\n')).pass).toBe(true);
    expect((await check('equals', { value: 'Paris' }, 'paris')).pass).toBe(false);
    expect((await check('equals', { value: 'Paris', ignoreCase: true }, 'PARIS')).pass).toBe(true);
    expect((await check('equals', { value: 'Paris', trim: false }, 'Paris\n')).pass).toBe(false);
  });

  it('uses the case’s expected output when value is omitted', async () => {
    expect((await check('equals', {}, '42', { expected: '42' })).pass).toBe(true);
    expect((await check('equals', {}, '41', { expected: '42' })).reason).toBe('expected "42", got "41"');
  });

  it('fails with an error, not a crash, when there is nothing to compare against', async () => {
    const r = await check('equals', {}, 'x');
    expect(r.pass).toBe(false);
    expect(r.error?.code).toBe('INVALID_INPUT');
    // Negation must not turn "could not judge" into a pass.
    const n = await check('not-equals', {}, 'x');
    expect(n.pass).toBe(false);
    expect(n.error?.code).toBe('INVALID_INPUT');
  });

  it('treats composed and decomposed accents as the same text', async () => {
    expect((await check('equals', { value: 'café' }, 'cafe\u0301')).pass).toBe(true);
  });

  it('takes YAML numbers as their text', async () => {
    expect((await check('equals', { value: 42 }, '42')).pass).toBe(true);
  });

  it('handles an empty output', async () => {
    expect((await check('equals', { value: '' }, '  ')).pass).toBe(true);
    expect(await both('equals', { value: 'x' }, '')).toEqual([false, true]);
  });
});

describe('contains and icontains', () => {
  it('finds a substring with the right case sensitivity', async () => {
    expect(await both('contains', { value: 'Paris' }, 'The capital is Paris.')).toEqual([true, false]);
    expect(await both('contains', { value: 'paris' }, 'The capital is Paris.')).toEqual([false, true]);
    expect(await both('icontains', { value: 'paris' }, 'The capital is PARIS.')).toEqual([true, false]);
    expect((await check('contains', { value: 'paris', ignoreCase: true }, 'PARIS')).pass).toBe(true);
  });

  it('scores 1/0 and negation inverts the score', async () => {
    expect((await check('contains', { value: 'x' }, 'x')).score).toBe(1);
    expect((await check('not-contains', { value: 'x' }, 'x')).score).toBe(0);
    expect((await check('not-contains', { value: 'x' }, 'y')).score).toBe(1);
  });

  it('works with non-Latin text', async () => {
    expect(await both('contains', { value: '서울' }, '대한민국의 수도는 서울입니다')).toEqual([true, false]);
    expect((await check('icontains', { value: 'ΑΘΗΝΑ' }, 'η αθηνα')).pass).toBe(true);
  });

  it('refuses an empty needle (it would match everything)', async () => {
    const r = await check('contains', { value: '' }, 'anything');
    expect(r.pass).toBe(false);
    expect(r.error?.message).toMatch(/must not be empty/);
  });

  it('fails on an empty output', async () => {
    expect(await both('icontains', { value: 'a' }, '')).toEqual([false, true]);
  });
});

describe('contains-all and contains-any', () => {
  it('contains-all gives partial credit and passes only at the threshold', async () => {
    const r = await check(
      'contains-all',
      { value: ['7pm', 'Friday', '4 people'] },
      'Booked for Friday at 7pm.',
    );
    expect(r.score).toBeCloseTo(2 / 3);
    expect(r.pass).toBe(false);
    expect(r.details?.missing).toEqual(['4 people']);
    expect(
      (await check('contains-all', { value: ['7pm', 'Friday', '4 people'], threshold: 0.6 }, 'Friday 7pm'))
        .pass,
    ).toBe(true);
  });

  it('not-contains-all passes when any one is missing, with score 1 − fraction', async () => {
    const r = await check('not-contains-all', { value: ['a', 'b'] }, 'a only');
    expect(r.pass).toBe(true);
    expect(r.score).toBeCloseTo(0.5);
    expect((await check('not-contains-all', { value: ['a', 'b'] }, 'a and b')).pass).toBe(false);
  });

  it('contains-any passes on one match and reports it', async () => {
    const r = await check('contains-any', { value: ['yes', 'correct'] }, 'That is Correct', {});
    expect(r.pass).toBe(false);
    const r2 = await check(
      'contains-any',
      { value: ['yes', 'correct'], ignoreCase: true },
      'That is Correct',
    );
    expect(r2.pass).toBe(true);
    expect(r2.details?.matched).toBe('correct');
    expect(await both('contains-any', { value: ['sorry', 'cannot'] }, 'Here is your answer')).toEqual([
      false,
      true,
    ]);
  });

  it('accepts a single string as a list of one', async () => {
    expect((await check('contains-all', { value: 'x' }, 'xyz')).pass).toBe(true);
  });
});

describe('starts-with', () => {
  it('ignores leading whitespace and accepts any of several beginnings', async () => {
    expect(await both('starts-with', { value: 'Yes' }, '\n Yes, it is.')).toEqual([true, false]);
    expect((await check('starts-with', { value: ['B', 'C'] }, 'C) 12')).pass).toBe(true);
    expect((await check('starts-with', { value: ['B', 'C'] }, 'A) 12')).pass).toBe(false);
    expect((await check('starts-with', {}, 'Paris, of course', { expected: 'Paris' })).pass).toBe(true);
  });
});

describe('regex', () => {
  it('matches anywhere with the given flags', async () => {
    expect(await both('regex', { value: '^\\d{3}-\\d{4}$' }, '555-1234')).toEqual([true, false]);
    expect((await check('regex', { value: 'answer: (yes|no)' }, 'ANSWER: YES')).pass).toBe(false);
    expect((await check('regex', { value: 'answer: (yes|no)', flags: 'i' }, 'ANSWER: YES')).pass).toBe(true);
    expect((await check('regex', { value: '\\p{Script=Hangul}+', flags: 'u' }, '값: 안녕')).pass).toBe(true);
  });

  it('reports an invalid pattern as an error, and not-regex does not pass on it', async () => {
    const r = await check('not-regex', { value: '(' }, 'x');
    expect(r.pass).toBe(false);
    expect(r.error?.code).toBe('INVALID_INPUT');
    expect((await check('regex', { value: 'a', flags: 'g' }, 'a')).error?.message).toMatch(/flags/);
  });
});
