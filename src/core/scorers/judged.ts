import { z } from 'zod';
import { AppError } from '../errors';
import { binary, needle, threshold } from './common';
import type { Scorer } from './types';

const rubricOptions = z.strictObject({
  value: needle.describe('The rubric: what a good answer does, in plain words.'),
  threshold: threshold(0.5),
});

/**
 * A judge model grades the output against a rubric, through the host's judge port. The judge's usage and
 * cost travel with the result, so the runner adds them to the run's spend.
 */
export const llmRubricScorer: Scorer<typeof rubricOptions> = {
  id: 'llm-rubric',
  label: 'LLM rubric',
  description: 'A judge model grades the output against a rubric (its own cost is counted).',
  options: rubricOptions,
  needs: 'judge',
  async score(output, o, ctx) {
    if (!ctx.judge)
      throw new AppError('UNSUPPORTED', 'The llm-rubric assertion needs a judge model, and none is set.');
    const v = await ctx.judge({
      rubric: o.value,
      output,
      vars: ctx.vars,
      ...(ctx.expected !== undefined ? { expected: ctx.expected } : {}),
    });
    if (typeof v.score !== 'number' || !Number.isFinite(v.score) || v.score < 0 || v.score > 1)
      throw new AppError(
        'INVALID_INPUT',
        `The judge returned score ${String(v.score)}; it must be between 0 and 1.`,
        {
          ...(v.costUsd !== undefined ? { costUsd: v.costUsd } : {}),
        },
      );
    return {
      score: v.score,
      pass: v.pass ?? v.score >= o.threshold,
      reason: v.reason || `judge score ${v.score}`,
      ...(v.usage ? { usage: v.usage } : {}),
      ...(v.costUsd !== undefined ? { costUsd: v.costUsd } : {}),
    };
  },
};

const usd = z.number().min(0).describe('Largest accepted cost of the cell, in USD.');
const ms = z.number().min(0).describe('Largest accepted latency of the cell, in milliseconds.');
const costOptions = z.strictObject({ max: usd });
const latencyOptions = z.strictObject({ max: ms });

/** The cell cost at most `max` USD (read from the runner's metadata for the cell). */
export const costScorer: Scorer<typeof costOptions> = {
  id: 'cost',
  label: 'Cost ≤',
  description: 'The request cost at most this many US dollars.',
  options: costOptions,
  score(_output, o, ctx) {
    const c = ctx.metadata?.costUsd;
    if (c === undefined)
      throw new AppError('NO_PRICE', 'The cost of this answer is unknown, so cost ≤ cannot be judged.');
    return binary(c <= o.max, `cost $${c.toFixed(6)} ${c <= o.max ? '≤' : '>'} $${o.max}`, { costUsd: c });
  },
};

/** The cell answered within `max` milliseconds. */
export const latencyScorer: Scorer<typeof latencyOptions> = {
  id: 'latency',
  label: 'Latency ≤',
  description: 'The answer arrived within this many milliseconds.',
  options: latencyOptions,
  score(_output, o, ctx) {
    const l = ctx.metadata?.latencyMs;
    if (l === undefined)
      throw new AppError(
        'INVALID_INPUT',
        'The latency of this answer is unknown (a cached answer has none).',
      );
    return binary(l <= o.max, `latency ${Math.round(l)} ms ${l <= o.max ? '≤' : '>'} ${o.max} ms`, {
      latencyMs: l,
    });
  },
};
