import { z } from 'zod';
import { AppError } from '../errors';
import { binary, quote, reference } from './common';
import type { Scorer } from './types';

/** A number as written in answers: sign, optional $, thousands commas, decimals, optional %. */
const NUM = String.raw`[-−]?\$?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?`;
const HASHES = new RegExp(String.raw`####\s*(${NUM})`, 'g');
const BOXED = new RegExp(String.raw`\\boxed\{\s*(${NUM})\s*\}`, 'g');
const ANSWER_IS = new RegExp(String.raw`answer\s*(?:is|:|=)\s*:?\s*(?:\*\*)?\s*(${NUM})`, 'gi');
const ANY = new RegExp(`(?<![\\d.])${NUM}`, 'g');

/** How the final number was found, strongest first. */
export type AnswerMethod = 'hashes' | 'boxed' | 'answer-is' | 'last-number';

export interface ExtractedNumber {
  value: number;
  /** The text it was read from, as written. */
  text: string;
  method: AnswerMethod;
}

function toNumber(s: string): number {
  return Number(s.replace(/[$,%\s]/g, '').replace('−', '-'));
}

function lastMatch(re: RegExp, s: string, group: number): string | undefined {
  let last: string | undefined;
  for (const m of s.matchAll(re)) last = m[group];
  return last;
}

/**
 * The final numeric answer of a worked solution: GSM8K's "#### 42", else a LaTeX \boxed{42}, else "the
 * answer is 42", else the last number in the text. The last of each kind wins, because chains of thought
 * restate intermediate results before the answer.
 */
export function extractAnswerNumber(text: string): ExtractedNumber | undefined {
  const kinds: [AnswerMethod, RegExp, number][] = [
    ['hashes', HASHES, 1],
    ['boxed', BOXED, 1],
    ['answer-is', ANSWER_IS, 1],
    ['last-number', ANY, 0],
  ];
  for (const [method, re, group] of kinds) {
    const found = lastMatch(re, text, group);
    if (found !== undefined) {
      const value = toNumber(found);
      if (Number.isFinite(value)) return { value, text: found.trim(), method };
    }
  }
  return undefined;
}

const options = z.strictObject({
  value: z
    .union([z.number(), z.string()])
    .optional()
    .describe('The expected number, or text ending in it; omitted: the case’s expected output.'),
  tolerance: z.number().min(0).default(0).describe('Largest accepted absolute difference.'),
});

/** The output's final number equals the expected one (within a tolerance). */
export const numericScorer: Scorer<typeof options> = {
  id: 'numeric',
  label: 'Numeric answer',
  description:
    'The final number in the output (GSM8K "#### N", "the answer is N", or the last number) matches.',
  options,
  usesExpected: true,
  score(output, o, ctx) {
    const ref = typeof o.value === 'number' ? o.value : reference(o.value, ctx, 'numeric');
    const want = typeof ref === 'number' ? ref : extractAnswerNumber(ref)?.value;
    if (want === undefined)
      throw new AppError(
        'INVALID_INPUT',
        `The numeric assertion's expected answer ${quote(String(ref))} has no number.`,
      );
    const got = extractAnswerNumber(output);
    if (!got)
      return binary(false, `no number in the output; expected ${want}`, { expected: want, actual: null });
    // A relative epsilon absorbs binary floating point (0.1 + 0.2), never a real difference.
    const ok = Math.abs(got.value - want) <= o.tolerance + 1e-9 * Math.max(1, Math.abs(want));
    return binary(
      ok,
      ok ? `answer ${got.text} (${got.method})` : `expected ${want}, got ${got.text} (${got.method})`,
      { expected: want, actual: got.value, method: got.method },
    );
  },
};
