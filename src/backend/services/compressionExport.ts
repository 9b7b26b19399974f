import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compressionReport, parsePipeline, DEFAULT_PIPELINE } from '../../core/compression';
import { findModel, type Catalog } from '../../core/pricing/catalog';
import { inputCost } from '../../core/pricing/cost';
import type { Tokenizer } from '../../core/tokens/tokenizer';
import { AppError } from '../../shared/errors';
import type { Handlers } from '../../shared/contract';
import { writeFileAtomic } from './textFiles';
import { isPromptFile, listPromptFiles, resolveInside } from './workspace';

type In<R extends keyof Handlers> = Parameters<Handlers[R]>[0];
type Out<R extends keyof Handlers> = Awaited<ReturnType<Handlers[R]>>;

export interface CompressionExportDeps {
  /** The compress.run handler: the export runs the pipeline again so what is written is what it produces. */
  run: Handlers['compress.run'];
  tokenizer: Tokenizer;
  getCatalog: () => Promise<Catalog>;
  workspaceRoot: () => string | null;
}

type Kind = Out<'compress.export'>['written'][number]['kind'];

const exists = (abs: string) =>
  fs.stat(abs).then(
    () => true,
    () => false,
  );

/**
 * `compress.export`: runs the pipeline (with the user's rejections and protected ranges) and writes the
 * compressed prompt, the pipeline file and a Markdown report into the workspace. Every target is checked
 * before anything is written, so an existing file (without `overwrite`) or a path outside the workspace
 * leaves all of them untouched. Each file is written atomically.
 */
export function compressionExportHandler(deps: CompressionExportDeps) {
  return async (input: In<'compress.export'>): Promise<Out<'compress.export'>> => {
    const root = deps.workspaceRoot();
    if (!root) throw new AppError('NO_WORKSPACE', 'Open a workspace folder first.');
    const pipeline = input.pipeline ?? DEFAULT_PIPELINE;
    const parsed = parsePipeline(pipeline);
    const targets: Array<{ kind: Kind; rel: string; abs: string }> = [];
    for (const kind of ['compressed', 'pipeline', 'report'] as const) {
      const rel = input.outputs[kind];
      if (!rel) continue;
      if (kind === 'pipeline' && !rel.endsWith('.pipeline.json')) {
        throw new AppError('INVALID_INPUT', `A pipeline file ends with .pipeline.json: ${rel}.`, {
          path: rel,
        });
      }
      if (kind === 'compressed' && !isPromptFile(rel)) {
        throw new AppError(
          'INVALID_INPUT',
          `The compressed prompt is a prompt file (.md, .txt, .prompt): ${rel}.`,
          {
            path: rel,
          },
        );
      }
      if (kind === 'report' && !rel.endsWith('.md')) {
        throw new AppError('INVALID_INPUT', `The report is a Markdown file (.md): ${rel}.`, { path: rel });
      }
      if (rel === input.source) {
        throw new AppError(
          'INVALID_INPUT',
          `Export would overwrite the prompt itself (${rel}); choose another name.`,
          {
            path: rel,
          },
        );
      }
      targets.push({ kind, rel, abs: await resolveInside(root, rel) });
    }
    if (new Set(targets.map((t) => t.abs)).size < targets.length) {
      throw new AppError('INVALID_INPUT', 'Two exports were given the same file name.');
    }
    if (!input.overwrite) {
      for (const t of targets) {
        if (await exists(t.abs)) {
          throw new AppError('FILE_EXISTS', `${t.rel} already exists. Choose another name or overwrite it.`, {
            path: t.rel,
          });
        }
      }
    }
    const result = await deps.run({
      text: input.text,
      pipeline,
      rejected: input.rejected,
      protect: input.protect,
      model: input.model,
    });
    const contents: Record<Kind, () => Promise<string>> = {
      compressed: async () => result.text,
      pipeline: async () => JSON.stringify(pipeline, null, 2) + '\n',
      report: async () => {
        const catalog = await deps.getCatalog();
        const costs = input.models.map((id) => {
          const m = findModel(catalog, id);
          const before = inputCost(m, deps.tokenizer.count(input.text, m.countWith)).usd;
          const after = inputCost(m, deps.tokenizer.count(result.text, m.countWith)).usd;
          return { model: m.label, beforeUsd: before, afterUsd: after };
        });
        return compressionReport({
          source: input.source,
          result,
          encoding: result.encoding,
          pipeline: {
            name: parsed.name,
            steps: parsed.steps.filter((s) => s.enabled).map((s) => s.strategy.id),
          },
          costs,
          generatedAt: new Date().toISOString(),
        });
      },
    };
    const written: Out<'compress.export'>['written'] = [];
    for (const t of targets) {
      await fs.mkdir(path.dirname(t.abs), { recursive: true });
      await writeFileAtomic(t.abs, new TextEncoder().encode(await contents[t.kind]()), t.rel);
      written.push({ kind: t.kind, path: t.rel });
    }
    return { written, tokensBefore: result.totals.tokensBefore, tokensAfter: result.totals.tokensAfter };
  };
}

/** `compress.listPipelines`: the workspace's pipeline files, for the Compress view's "Load" menu. */
export function listPipelinesHandler(workspaceRoot: () => string | null) {
  return async (): Promise<Out<'compress.listPipelines'>> => {
    const root = workspaceRoot();
    if (!root) return { paths: [] };
    const { files } = await listPromptFiles(root, (name) => name.endsWith('.pipeline.json'));
    return { paths: files.map((f) => f.path) };
  };
}
