import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_PIPELINE,
  describeStrategies,
  loadRuleTables,
  mergeRuleTables,
  parsePipeline,
  runPipeline,
  type PipelineContext,
  type RuleTables,
} from '../../core/compression';
import { parseJson } from '../../core/json';
import { findModel, type Catalog } from '../../core/pricing/catalog';
import { inputCost } from '../../core/pricing/cost';
import { cacheReorderWhatIf } from '../../core/pricing/reorderWhatIf';
import type { Tokenizer } from '../../core/tokens/tokenizer';
import { AppError } from '../../shared/errors';
import type { Handlers } from '../../shared/contract';
import { readTextFile, writeFileAtomic } from './textFiles';
import { resolveInside } from './workspace';
import { runWithRewrites, usesRewrite, type RewriteService } from './llmRewrite';
import { runWithEmbeddings, sharedEmbeddings, type EmbeddingsService } from './embeddings';

type In<R extends keyof Handlers> = Parameters<Handlers[R]>[0];
type Out<R extends keyof Handlers> = Awaited<ReturnType<Handlers[R]>>;

/** Phrase tables a workspace adds or overrides: `rules/filler.*.json` in the workspace folder. */
export const WORKSPACE_RULES_DIR = 'rules';

/** The bundled phrase tables in resources/rules, validated once. */
export async function loadBundledRules(resourcesDir: string): Promise<RuleTables> {
  const dir = path.join(resourcesDir, 'rules');
  const names = (await fs.readdir(dir)).filter((n) => /^filler\..+\.json$/.test(n)).sort();
  const tables = await Promise.all(
    names.map(async (n) =>
      loadRuleTables(parseJson(await fs.readFile(path.join(dir, n), 'utf8'), n), `resources/rules/${n}`),
    ),
  );
  return mergeRuleTables(...tables);
}

/** The workspace's own phrase tables, merged over the bundled ones (same id replaces a bundled rule). */
async function workspaceRules(root: string | null): Promise<RuleTables[]> {
  if (!root) return [];
  const dir = path.join(root, WORKSPACE_RULES_DIR);
  const names = await fs.readdir(dir).then(
    (all) => all.filter((n) => /^filler\..+\.json$/.test(n)).sort(),
    () => [] as string[],
  );
  return Promise.all(
    names.map(async (n) => {
      const rel = `${WORKSPACE_RULES_DIR}/${n}`;
      const file = await readTextFile(path.join(dir, n), rel);
      return loadRuleTables(parseJson(file.content, rel), rel);
    }),
  );
}

export interface CompressionDeps {
  resourcesDir: string;
  tokenizer: Tokenizer;
  getCatalog: () => Promise<Catalog>;
  /** The open workspace's root, or null. */
  workspaceRoot: () => string | null;
  /** Answers llm.rewrite steps with a model; without it they propose nothing. */
  rewriter?: RewriteService;
  /**
   * Sentence similarity for steps that compare by meaning (rules.dedupe byMeaning, rules.examples); the
   * process-wide bundled model when absent.
   */
  embeddings?: EmbeddingsService;
}

/**
 * The compression routes: run a pipeline over a text with the bundled and workspace phrase tables, and read
 * and write `.pipeline.json` files in the workspace. Counting uses the exact o200k_base encoder unless a model
 * is named, in which case its encoding is used and the savings are priced for it.
 */
export function compressionHandlers(deps: CompressionDeps) {
  let bundled: Promise<RuleTables> | undefined;
  const rules = async () => {
    bundled ??= loadBundledRules(deps.resourcesDir);
    return mergeRuleTables(await bundled, ...(await workspaceRules(deps.workspaceRoot())));
  };

  const run = async (input: In<'compress.run'>): Promise<Out<'compress.run'>> => {
    const model = input.model ? findModel(await deps.getCatalog(), input.model) : null;
    const encoding = model?.countWith ?? 'o200k_base';
    const pipeline = parsePipeline(input.pipeline ?? DEFAULT_PIPELINE);
    const ctx: PipelineContext = {
      count: (t) => deps.tokenizer.count(t, encoding),
      rules: await rules(),
      rejected: new Set(input.rejected ?? []),
      protect: input.protect,
    };
    const { value, warnings } = await runWithEmbeddings(
      deps.embeddings ?? sharedEmbeddings(),
      pipeline,
      (similar) => runWithRewrites(deps.rewriter, input.text, pipeline, { ...ctx, similar }),
      // without model calls first: a model is then never asked to rewrite a text the similarities would change
      usesRewrite(pipeline) ? (similar) => runPipeline(input.text, pipeline, { ...ctx, similar }) : undefined,
    );
    const { result, llmCalls } = value;
    // a reorder's worth is in cache reads, not in tokens saved: price it for the model when one is named
    const cacheReorder = model
      ? cacheReorderWhatIf(input.text, result.stages, {
          model,
          count: (t) => deps.tokenizer.count(t, model.countWith),
        })
      : null;
    return {
      ...result,
      encoding,
      model: model?.id ?? null,
      savedUsdPerRequest: model ? inputCost(model, result.totals.saved).usd : null,
      ...(llmCalls ? { llmCalls } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(cacheReorder ? { cacheReorder } : {}),
    };
  };

  const pipelinePath = async (rel: string) => {
    if (!rel.endsWith('.pipeline.json')) {
      throw new AppError('INVALID_INPUT', `A pipeline file ends with .pipeline.json: ${rel}.`, { path: rel });
    }
    const root = deps.workspaceRoot();
    if (!root) throw new AppError('NO_WORKSPACE', 'Open a workspace folder first.');
    return resolveInside(root, rel);
  };

  return {
    'compress.strategies': async () => ({
      strategies: describeStrategies(),
      defaultPipeline: DEFAULT_PIPELINE,
    }),
    'compress.run': run,
    'compress.loadPipeline': async ({ path: rel }: In<'compress.loadPipeline'>) => {
      const file = await readTextFile(await pipelinePath(rel), rel);
      const json = parseJson(file.content, rel);
      parsePipeline(json); // validates against the registry: INVALID_INPUT naming the step and field
      return { path: rel, pipeline: json as Out<'compress.loadPipeline'>['pipeline'] };
    },
    'compress.savePipeline': async ({ path: rel, pipeline }: In<'compress.savePipeline'>) => {
      parsePipeline(pipeline);
      const abs = await pipelinePath(rel);
      await fs.mkdir(path.dirname(abs), { recursive: true });
      await writeFileAtomic(abs, new TextEncoder().encode(JSON.stringify(pipeline, null, 2) + '\n'), rel);
      return { path: rel };
    },
  } satisfies Partial<Handlers>;
}
