import { AppError, isAppError } from '../errors';
import { getScorer } from './registry';
import type { AssertionResult, AssertionSpec, CaseScore, Scorer, ScoreContext, ScoreResult } from './types';

/** A problem with an assertion as written, at a path inside it (`['value']`, `['labels', 2]`). */
export interface AssertionIssue {
  path: (string | number)[];
  message: string;
}

/** Problems with an assertion's type and options, without running it (the golden-set parser reports them). */
export function checkAssertion(spec: AssertionSpec): AssertionIssue[] {
  const scorer = getScorer(spec.type);
  if (!scorer) return [{ path: ['type'], message: `unknown assertion type "${spec.type}"` }];
  const r = scorer.options.safeParse(spec.options);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (i.code !== 'unrecognized_keys') return { path, message: i.message };
    const shape = (scorer.options as { shape?: Record<string, unknown> }).shape;
    const known = shape ? `; ${spec.type} takes ${Object.keys(shape).join(', ')}` : '';
    return {
      path: [...path, i.keys[0]!],
      message: `unknown option "${i.keys[0]}"${known} (and weight, name)`,
    };
  });
}

interface Prepared {
  scorer: Scorer;
  options: unknown;
}

// Options are parsed once per assertion object: a run scores the same case's assertions for every model,
// variant and repeat.
const prepared = new WeakMap<AssertionSpec, Prepared>();

function prepare(spec: AssertionSpec): Prepared {
  const hit = prepared.get(spec);
  if (hit) return hit;
  const scorer = getScorer(spec.type);
  if (!scorer)
    throw new AppError('INVALID_INPUT', `Unknown assertion type "${spec.type}".`, { type: spec.type });
  const r = scorer.options.safeParse(spec.options);
  if (!r.success) {
    const i = checkAssertion(spec)[0]!;
    throw new AppError('INVALID_INPUT', `${spec.type}: ${i.path.join('.') || 'options'}: ${i.message}`, {
      type: spec.type,
      field: i.path.join('.'),
    });
  }
  const p = { scorer, options: r.data };
  prepared.set(spec, p);
  return p;
}

function failed(spec: AssertionSpec, err: unknown): AssertionResult {
  const code = isAppError(err) ? err.code : 'INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  const cost = isAppError(err) ? err.details?.costUsd : undefined;
  return {
    type: spec.type,
    ...(spec.name ? { name: spec.name } : {}),
    weight: spec.weight,
    score: 0,
    pass: false,
    reason: message,
    error: { code, message },
    ...(typeof cost === 'number' ? { costUsd: cost } : {}),
  };
}

const label = (spec: AssertionSpec, r: ScoreResult): AssertionResult => ({
  type: spec.type,
  ...(spec.name ? { name: spec.name } : {}),
  weight: spec.weight,
  ...r,
});

/**
 * Runs one assertion on one output. Never rejects: an assertion that cannot be judged (unknown type, bad
 * options, missing port, unknown cost) fails with `error` set, so one bad assertion cannot stop a run.
 */
export async function runAssertion(
  spec: AssertionSpec,
  output: string,
  ctx: ScoreContext,
): Promise<AssertionResult> {
  try {
    const { scorer, options } = prepare(spec);
    return label(spec, await scorer.score(output, options, ctx));
  } catch (err) {
    return failed(spec, err);
  }
}

/** The part of an assertion result that combine() reads. */
export type Weighted = Pick<AssertionResult, 'score' | 'pass' | 'weight'> & {
  type?: string;
  reason?: string;
};

/**
 * A case's score and verdict from its assertions: the weighted mean of the scores (weight 0 reports without
 * counting). Without `threshold` the case passes when every counted assertion passes; with it, when the mean
 * reaches it (promptfoo's semantics, so imported sets judge the same). Nothing to count: score 1, pass.
 */
export function combine(
  results: readonly Weighted[],
  threshold?: number,
): { score: number; pass: boolean; reason: string } {
  const counted = results.filter((r) => r.weight > 0);
  const total = counted.reduce((a, r) => a + r.weight, 0);
  if (total === 0) return { score: 1, pass: true, reason: 'no weighted assertions' };
  const score = counted.reduce((a, r) => a + r.weight * r.score, 0) / total;
  if (threshold !== undefined) {
    const pass = score >= threshold;
    return { score, pass, reason: `score ${score.toFixed(3)} ${pass ? '≥' : '<'} threshold ${threshold}` };
  }
  const failing = counted.filter((r) => !r.pass);
  if (failing.length === 0) return { score, pass: true, reason: `all ${counted.length} assertion(s) pass` };
  const f = failing[0]!;
  const what = f.type ? `${f.type}: ${f.reason ?? 'failed'}` : (f.reason ?? 'failed');
  return { score, pass: false, reason: `${failing.length} of ${counted.length} failed; ${what}` };
}

/** Runs a case's assertions on one output (concurrently: judge and embedding calls overlap) and combines them. */
export async function scoreCase(
  specs: readonly AssertionSpec[],
  output: string,
  ctx: ScoreContext,
  threshold?: number,
): Promise<CaseScore> {
  const results = await Promise.all(specs.map((s) => runAssertion(s, output, ctx)));
  const judgeCostUsd = results.reduce((a, r) => a + (r.costUsd ?? 0), 0);
  return { ...combine(results, threshold), results, judgeCostUsd };
}
