import { describe, expect, it } from 'vitest';
import { extractAnswerNumber } from '../../../src/core/scorers';
import { gsm8k } from './corpora';
import { both, check } from './helpers';

const problems = gsm8k();
const final = (answer: string) => answer.split('#### ')[1]!.trim();

describe('GSM8K as numeric answer', () => {
  it('reads every final answer of the real test set from its "#### N" line, commas included', () => {
    expect(problems).toHaveLength(1319);
    for (const p of problems) {
      const got = extractAnswerNumber(p.answer);
      expect(got?.method).toBe('hashes');
      expect(got?.value).toBe(Number(final(p.answer).replace(/,/g, '')));
    }
    expect(problems.some((p) => final(p.answer).includes(','))).toBe(true);
  });

  it('passes the dataset’s own worked solutions against their answers, for all 1,319 problems', async () => {
    let passed = 0;
    for (const p of problems)
      if ((await check('numeric', {}, p.answer, { expected: p.answer })).pass) passed++;
    expect(passed).toBe(1319);
  });

  it('passes a chain of thought ending "The answer is N", and fails an off-by-one', async () => {
    const p = problems[0]!; // Janet's ducks: #### 18
    const cot = 'She has 16 - 3 - 4 = 9 eggs left and sells them at $2 each, 9 * 2 = 18. The answer is 18.';
    expect(await both('numeric', {}, cot, { expected: p.answer })).toEqual([true, false]);
    const off = 'She has 16 - 3 - 4 = 9 eggs left. The answer is 19.';
    const r = await check('numeric', {}, off, { expected: p.answer });
    expect(r.pass).toBe(false);
    expect(r.reason).toBe('expected 18, got 19 (answer-is)');
  });

  it('takes the last number when no answer marker is present, not an intermediate one', async () => {
    const p = problems.find((x) => final(x.answer) === '1,450,000')!;
    expect((await check('numeric', {}, 'So the total is $1,450,000', { expected: p.answer })).pass).toBe(
      true,
    );
    expect(
      (
        await check('numeric', {}, '1,450,000 was my first guess, but it is 1,400,000', {
          expected: p.answer,
        })
      ).pass,
    ).toBe(false);
  });
});

describe('extractAnswerNumber', () => {
  it('prefers #### over \\boxed over "answer is" over the last number', () => {
    expect(extractAnswerNumber('answer is 3. \\boxed{4} #### 5 and 6')).toMatchObject({
      value: 5,
      method: 'hashes',
    });
    expect(extractAnswerNumber('the answer is 3; \\boxed{4}, then 6')).toMatchObject({
      value: 4,
      method: 'boxed',
    });
    expect(extractAnswerNumber('The Answer: **7** apples, 8 pears')).toMatchObject({
      value: 7,
      method: 'answer-is',
    });
    expect(extractAnswerNumber('first 1, then 2.5.')).toMatchObject({ value: 2.5, method: 'last-number' });
  });

  it('reads signs, currency, percent and unicode minus', () => {
    expect(extractAnswerNumber('#### -12')?.value).toBe(-12);
    expect(extractAnswerNumber('It costs $ 1,200.50')?.value).toBe(1200.5);
    expect(extractAnswerNumber('a rise of 35%')?.value).toBe(35);
    expect(extractAnswerNumber('temperature −4 degrees')?.value).toBe(-4);
  });

  it('finds nothing in text without digits', () => {
    expect(extractAnswerNumber('')).toBeUndefined();
    expect(extractAnswerNumber('forty-two')).toBeUndefined();
  });
});

describe('numeric options', () => {
  it('accepts a number value and a tolerance', async () => {
    expect((await check('numeric', { value: 3.14 }, 'pi is about 3.1416')).pass).toBe(false);
    expect((await check('numeric', { value: 3.14, tolerance: 0.01 }, 'pi is about 3.1416')).pass).toBe(true);
    // Floating point noise is not a difference.
    expect((await check('numeric', { value: 0.3 }, `${0.1 + 0.2}`)).pass).toBe(true);
  });

  it('fails an output without a number, and errors when the expected answer has none', async () => {
    expect(await both('numeric', { value: 5 }, 'I cannot say.')).toEqual([false, true]);
    const r = await check('not-numeric', {}, '5', { expected: 'five' });
    expect(r.pass).toBe(false);
    expect(r.error?.code).toBe('INVALID_INPUT');
  });
});
