import type { Scorer, ScoreResult } from './types';

const invert = (r: ScoreResult): ScoreResult => ({
  ...r,
  score: 1 - r.score,
  pass: !r.pass,
  reason: `not: ${r.reason}`,
});

/**
 * `not-<id>`: passes exactly when the scorer fails (at the same threshold), with score 1 − score. A scorer
 * that cannot judge throws, and the throw passes through: an unjudged answer never becomes a pass.
 */
export function negate<S extends Scorer>(scorer: S): Scorer<S['options']> {
  return {
    id: `not-${scorer.id}`,
    label: `Not: ${scorer.label}`,
    description: `Passes when “${scorer.label}” fails. ${scorer.description}`,
    options: scorer.options,
    ...(scorer.usesExpected ? { usesExpected: true } : {}),
    ...(scorer.needs ? { needs: scorer.needs } : {}),
    score(output, options, ctx) {
      const r = scorer.score(output, options, ctx);
      // Stay synchronous for synchronous scorers: a run scores tens of thousands of cells.
      return r instanceof Promise ? r.then(invert) : invert(r);
    },
  };
}
