import {
  runPipeline,
  type Pipeline,
  type PipelineContext,
  type PipelineResult,
  type RuleTables,
} from '../../../src/core/compression';
import { bundledRules, countO200k } from './corpora';

let rules: RuleTables | undefined;
/** The bundled phrase tables, parsed once. */
export function tables(): RuleTables {
  return (rules ??= bundledRules());
}

/** Runs one strategy (with options) through the pipeline, guards included. */
export function runOne(
  text: string,
  strategy: string,
  options: Record<string, unknown> = {},
  ctx: Partial<PipelineContext> = {},
): PipelineResult {
  const pipeline: Pipeline = { version: 1, steps: [{ strategy, options }] };
  return runPipeline(text, pipeline, { count: countO200k, rules: tables(), ...ctx });
}

/** Every edit of a result, with its stage's strategy. */
export function allEdits(r: PipelineResult) {
  return r.stages.flatMap((s) => s.edits);
}

/** Every blocked edit of a result. */
export function allBlocked(r: PipelineResult) {
  return r.stages.flatMap((s) => s.blocked);
}
