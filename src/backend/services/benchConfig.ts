import path from 'node:path';
import { z } from 'zod';
import type { BenchConfig } from '../../core/bench';
import { AppError, isAppError } from '../../core/errors';
import { importGoldenSet, loadJson, loadYaml, type GoldenSet, type Located } from '../../core/golden';
import type { BenchConfigSummary, BenchRequest } from '../../shared/bench';
import { readTextFile } from './textFiles';

const Variant = z.union([
  z.object({ name: z.string().min(1), file: z.string().min(1) }).strict(),
  z.object({ name: z.string().min(1), template: z.string().min(1) }).strict(),
]);

/** A bench config file (docs/formats/bench-config.md). */
export const BenchConfigFileSchema = z
  .object({
    name: z.string().optional(),
    golden: z.string().min(1),
    variants: z.array(Variant).min(1),
    models: z.array(z.string().min(1)).min(1),
    repeats: z.number().int().min(1).max(100).default(1),
    maxTokens: z.number().int().min(1).default(256),
    temperature: z.number().min(0).max(2).optional(),
    concurrency: z.number().int().min(1).max(256).default(4),
    budget: z.number().nonnegative().finite().optional(),
    baseline: z.string().min(1).optional(),
  })
  .strict();

/** A config ready for the runner, with what the report says about it. */
export interface LoadedBench {
  config: Omit<BenchConfig, 'budgetUsd'> & { budgetUsd: number | null };
  summary: BenchConfigSummary;
}

const fieldOf = (p: readonly PropertyKey[]) =>
  p.reduce<string>(
    (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    '',
  );

function invalid(
  file: string,
  located: Located | null,
  p: readonly PropertyKey[],
  message: string,
): AppError {
  const field = fieldOf(p);
  const line = located?.lineOf(p.filter((k): k is string | number => typeof k !== 'symbol'));
  return new AppError(
    'INVALID_INPUT',
    `${file}${line ? `, line ${line}` : ''}: ${field ? `${field}: ` : ''}${message}`,
    { file, field, ...(line ? { line } : {}) },
  );
}

async function readRelative(baseDir: string, rel: string, from: string, field: string): Promise<string> {
  try {
    return (await readTextFile(path.resolve(baseDir, rel), rel)).content;
  } catch (err) {
    if (isAppError(err))
      throw new AppError(err.code, `${from}: ${field}: ${err.message}`, {
        ...err.details,
        file: from,
        field,
      });
    throw err;
  }
}

/**
 * Reads a bench config file, its golden set and variant files (paths relative to the config), applies the
 * request's overrides and checks names. Errors are coded and name the file and field.
 */
export async function loadBenchConfig(request: BenchRequest): Promise<LoadedBench> {
  const abs = path.resolve(request.path);
  const file = path.basename(abs);
  const dir = path.dirname(abs);
  const text = (await readTextFile(abs, request.path)).content;
  const ext = path.extname(abs).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(ext))
    throw new AppError('UNSUPPORTED', `${file}: a bench config must be a .yaml, .yml or .json file.`, {
      file,
    });
  const located = ext === '.json' ? loadJson(text, file) : loadYaml(text, file);
  const parsed = BenchConfigFileSchema.safeParse(located.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(file, located, issue.path, issue.message);
  }
  const c = parsed.data;

  const goldenText = await readRelative(dir, c.golden, file, 'golden');
  let golden: GoldenSet;
  try {
    golden = importGoldenSet(goldenText, c.golden);
  } catch (err) {
    if (isAppError(err))
      throw new AppError(err.code, err.message, { ...err.details, config: file, field: 'golden' });
    throw err;
  }

  let variants = await Promise.all(
    c.variants.map(async (v, i) => ({
      name: v.name,
      template: 'file' in v ? await readRelative(dir, v.file, file, `variants[${i}].file`) : v.template,
    })),
  );
  const names = new Set<string>();
  for (const [i, v] of variants.entries()) {
    if (names.has(v.name))
      throw invalid(file, located, ['variants', i, 'name'], `two variants are named "${v.name}".`);
    names.add(v.name);
  }
  if (request.variants) {
    const unknown = request.variants.filter((n) => !names.has(n));
    if (unknown.length)
      throw new AppError(
        'INVALID_INPUT',
        `${file} has no variant ${unknown.map((n) => `"${n}"`).join(', ')} (variants: ${[...names].join(', ')}).`,
        { file, field: 'variants' },
      );
    variants = variants.filter((v) => request.variants!.includes(v.name));
  }
  const baseline = request.baseline ?? c.baseline ?? variants[0]!.name;
  if (!variants.some((v) => v.name === baseline))
    throw request.baseline !== undefined || c.baseline === undefined
      ? new AppError('INVALID_INPUT', `The baseline "${baseline}" is not among the variants run.`, {
          file,
          field: 'baseline',
        })
      : invalid(file, located, ['baseline'], `"${baseline}" is not among the variants run.`);
  const models = request.models ?? c.models;
  const budgetUsd = request.budgetUsd ?? c.budget ?? null;
  return {
    config: {
      golden,
      variants,
      models,
      repeats: c.repeats,
      maxTokens: c.maxTokens,
      ...(c.temperature !== undefined ? { temperature: c.temperature } : {}),
      concurrency: c.concurrency,
      budgetUsd,
    },
    summary: {
      file: request.path,
      golden: { file: c.golden, cases: golden.cases.length, format: golden.source.format },
      variants: variants.map((v) => v.name),
      models,
      repeats: c.repeats,
      maxTokens: c.maxTokens,
      temperature: c.temperature ?? null,
      concurrency: c.concurrency,
      budgetUsd,
      baseline,
    },
  };
}
