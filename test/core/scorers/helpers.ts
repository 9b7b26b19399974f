import { runAssertion, type AssertionResult, type ScoreContext } from '../../../src/core/scorers';

/** Runs one assertion of `type` with `options` on `output`; the context defaults to no vars and no ports. */
export function check(
  type: string,
  options: Record<string, unknown>,
  output: string,
  ctx: Partial<ScoreContext> = {},
): Promise<AssertionResult> {
  return runAssertion({ type, weight: 1, options }, output, { vars: {}, ...ctx });
}

/** Pass flags of `type` and `not-type` for the same output: they must always disagree. */
export async function both(
  type: string,
  options: Record<string, unknown>,
  output: string,
  ctx: Partial<ScoreContext> = {},
): Promise<[boolean, boolean]> {
  const a = await check(type, options, output, ctx);
  const b = await check(`not-${type}`, options, output, ctx);
  return [a.pass, b.pass];
}
