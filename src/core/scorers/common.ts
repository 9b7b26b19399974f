import { z } from 'zod';
import { AppError } from '../errors';
import type { ScoreContext, ScoreResult } from './types';

/** `threshold` option: the score at or above which an assertion passes. */
export const threshold = (defaultValue: number) =>
  z.number().min(0).max(1).default(defaultValue).describe('Pass when the score is at or above this (0..1).');

/**
 * A text operand. YAML turns `value: 42` or `value: yes` into a number or boolean; the author meant the text,
 * so scalars are taken as their string form.
 */
export const text = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

/** A non-empty text operand (an empty needle matches everything, which is never what was meant). */
export const needle = text.refine((v) => v.length > 0, 'must not be empty');

/** A list of non-empty text operands; a single scalar is taken as a list of one. */
export const needles = z
  .union([needle, z.array(needle).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/**
 * Text compared the way a reader would: Unicode NFC (so a composed "é" equals "e" + combining accent) and,
 * when asked, lower case.
 */
export function fold(s: string, ignoreCase: boolean): string {
  const n = s.normalize('NFC');
  return ignoreCase ? n.toLowerCase() : n;
}

/** Short quotation of a text for a reason line. */
export function quote(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ');
  return JSON.stringify(one.length > max ? `${one.slice(0, max - 1)}…` : one);
}

/** A result with pass decided by the threshold. Scores are clamped to 0..1 so a bug cannot inflate a mean. */
export function verdict(
  score: number,
  min: number,
  reason: string,
  details?: Record<string, unknown>,
): ScoreResult {
  const s = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  return { score: s, pass: s >= min, reason, ...(details ? { details } : {}) };
}

/** A 0/1 result. */
export function binary(ok: boolean, reason: string, details?: Record<string, unknown>): ScoreResult {
  return { score: ok ? 1 : 0, pass: ok, reason, ...(details ? { details } : {}) };
}

/**
 * The operand of a scorer whose `value` may be omitted: the value, else the case's expected output. Neither is
 * a mistake in the golden set, not a low score.
 */
export function reference(value: string | undefined, ctx: ScoreContext, scorer: string): string {
  if (value !== undefined) return value;
  if (ctx.expected !== undefined) return ctx.expected;
  throw new AppError(
    'INVALID_INPUT',
    `The ${scorer} assertion has no value and the case has no expected output: give one of them.`,
    { scorer },
  );
}
