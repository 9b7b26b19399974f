import { z } from 'zod';
import { AppError } from '../errors';
import { STRATEGY_LIST, getStrategy } from './strategies/registry';
import type { Strategy } from './strategy';

/** One step of a pipeline file. Options not given take the strategy's defaults. */
export const PipelineStepSchema = z.strictObject({
  strategy: z.string().min(1),
  enabled: z.boolean().default(true),
  options: z.record(z.string(), z.unknown()).default({}),
});

/** A `.pipeline.json` file: an ordered list of strategies with their options (docs/formats/pipeline.md). */
export const PipelineSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().optional(),
  description: z.string().optional(),
  steps: z.array(PipelineStepSchema),
});
export type Pipeline = z.input<typeof PipelineSchema>;

/** A pipeline whose steps are resolved to registry entries and whose options are parsed (defaults filled). */
export interface ParsedPipeline {
  version: 1;
  name?: string;
  steps: Array<{ strategy: Strategy; enabled: boolean; options: unknown }>;
}

/** Every registered strategy with its default options, enabled as the strategy says. */
export const DEFAULT_PIPELINE: Pipeline = {
  version: 1,
  name: 'Default',
  steps: STRATEGY_LIST.map((s) => ({
    strategy: s.id,
    enabled: s.defaultEnabled,
    options: s.options.parse({}) as Record<string, unknown>,
  })),
};

function pathString(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

/**
 * Validates a pipeline (parsed JSON) against the schema and the registry. Throws AppError('INVALID_INPUT')
 * naming the step index and the field: `steps[2].strategy`, `steps[0].options.headings`.
 */
export function parsePipeline(json: unknown): ParsedPipeline {
  const parsed = PipelineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = pathString(issue.path) || '(pipeline)';
    throw new AppError('INVALID_INPUT', `Pipeline: ${field}: ${issue.message}`, {
      field,
      step: typeof issue.path[1] === 'number' ? issue.path[1] : undefined,
    });
  }
  const steps = parsed.data.steps.map((step, i) => {
    const strategy = getStrategy(step.strategy);
    if (!strategy) {
      throw new AppError(
        'INVALID_INPUT',
        `Pipeline: steps[${i}].strategy: unknown strategy "${step.strategy}" (known: ${STRATEGY_LIST.map((s) => s.id).join(', ')}).`,
        { field: `steps[${i}].strategy`, step: i },
      );
    }
    const options = strategy.options.safeParse(step.options);
    if (!options.success) {
      const issue = options.error.issues[0]!;
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const field = pathString([`steps`, i, 'options', ...issue.path, ...keys.slice(0, 1)]);
      throw new AppError('INVALID_INPUT', `Pipeline: ${field}: ${issue.message}`, { field, step: i });
    }
    return { strategy, enabled: step.enabled, options: options.data };
  });
  return { version: 1, name: parsed.data.name, steps };
}

export {
  runPipeline,
  type PipelineContext,
  type PipelineResult,
  type StageResult,
  type SectionCount,
  type GuardReport,
} from './runPipeline';
