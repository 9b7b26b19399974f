/**
 * The one place where the UI meets the backend. Every route is `resource.verb` with a zod schema for its
 * input and its output; every event has a payload schema. `Handlers` is the exhaustive handler map type:
 * a backend missing a route, or with a handler for no route, does not compile.
 */
import { z } from 'zod';
import { ENCODINGS } from '../core/tokens/tokenizer';
import { ModelEntrySchema } from '../core/pricing/catalog';
import type { Pipeline, PipelineResult, StrategyInfo } from '../core/compression';
import type { LlmCallReport } from '../core/providers/modelRef';
import type { CacheReorderWhatIf } from '../core/pricing/reorderWhatIf';
import { providerRouteSchemas } from './providers';
import { benchEventSchemas, benchRouteSchemas } from './bench';
import { historyRouteSchemas } from './history';

const Empty = z.object({}).strict();

export const TEXT_ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'] as const;
export const PROMPT_EXTENSIONS = ['.md', '.txt', '.prompt'] as const;

export const WorkspaceFileSchema = z.object({
  /** Path relative to the workspace root, always with forward slashes. */
  path: z.string(),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
});
export type WorkspaceFile = z.infer<typeof WorkspaceFileSchema>;

export const WorkspaceSchema = z.object({
  root: z.string(),
  name: z.string(),
  files: z.array(WorkspaceFileSchema),
  /** True when the listing stopped early at the file limit. */
  truncated: z.boolean(),
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

export const RecentWorkspaceSchema = z.object({ root: z.string(), name: z.string(), openedAt: z.string() });
export type RecentWorkspace = z.infer<typeof RecentWorkspaceSchema>;

export const FileContentSchema = z.object({
  path: z.string(),
  content: z.string(),
  /** sha-256 of the bytes on disk; passed back on save to detect changes made behind the editor's back. */
  hash: z.string(),
  mtimeMs: z.number(),
  size: z.number().int().nonnegative(),
  encoding: z.enum(TEXT_ENCODINGS),
});
export type FileContent = z.infer<typeof FileContentSchema>;

export const SavedFileSchema = FileContentSchema.omit({ content: true });
export type SavedFile = z.infer<typeof SavedFileSchema>;

export const CostSchema = z.object({ usd: z.number().nullable(), perMTok: z.number().nullable() });

export const TokenCountSchema = z.object({
  model: z.string(),
  encoding: z.enum(ENCODINGS),
  tokens: z.number().int().nonnegative(),
  method: z.enum(['exact', 'estimate', 'provider-reported']),
  counter: z.string(),
  characters: z.number().int().nonnegative(),
  cost: CostSchema,
});
export type TokenCount = z.infer<typeof TokenCountSchema>;

export const AppInfoSchema = z.object({
  name: z.literal('PromptPress'),
  version: z.string(),
  host: z.enum(['electron', 'browser', 'cli']),
  /** Whether the host can show a native folder picker (`workspace.pickFolder`). */
  nativeDialogs: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

const RelPath = z.string().min(1).max(4096);

const Usd = z.number().nullable();
const CostLineSchema = z.object({ tokens: z.number(), perMTok: Usd, usd: Usd });
export const RequestCostSchema = z.object({
  input: CostLineSchema,
  cacheWrite5m: CostLineSchema,
  cacheWrite1h: CostLineSchema,
  cacheRead: CostLineSchema,
  output: CostLineSchema,
  totalUsd: Usd,
  unpriced: z.array(z.string()),
  batch: z.boolean(),
  tier: z.object({ aboveInputTokens: z.number() }).passthrough().nullable(),
});

export const WorkloadSchema = z.object({
  requestsPerDay: z.number().nonnegative().max(1e9).default(1000),
  days: z.number().nonnegative().max(3660).default(30),
  outputTokens: z.number().int().nonnegative().max(10_000_000).default(500),
  cacheHitRate: z.number().min(0).max(1).default(0),
  batchShare: z.number().min(0).max(1).default(0),
  ttl: z.enum(['5m', '1h']).default('5m'),
  embeddingTokensPerDay: z.number().nonnegative().optional(),
  embeddingPerMTok: z.number().nonnegative().optional(),
  otherMonthlyUsd: z.number().nonnegative().optional(),
});
export type Workload = z.infer<typeof WorkloadSchema>;

export const CostRowSchema = z.object({
  model: z.string(),
  label: z.string(),
  provider: z.string(),
  tokens: z.number().int().nonnegative(),
  method: z.enum(['exact', 'estimate', 'provider-reported']),
  counter: z.string(),
  encoding: z.string(),
  perRequestUsd: Usd,
  per1kUsd: Usd,
  perMonthUsd: Usd,
  unpriced: z.array(z.string()),
  cachedTokensOnHit: z.number().int().nonnegative(),
  source: z.string(),
  asOf: z.string(),
  /** Measured error of this model family's offline estimate against provider-reported counts, when known. */
  estimateError: z
    .object({
      samples: z.number().int(),
      meanAbsPctError: z.number(),
      meanSignedPctError: z.number(),
      maxAbsPctError: z.number(),
    })
    .nullable()
    .optional(),
});
export type CostRow = z.infer<typeof CostRowSchema>;

const DynamicSpanSchema = z.object({ kind: z.string(), offset: z.number(), text: z.string() });
export const CacheWhatIfSchema = z.object({
  model: z.string(),
  caching: z.string(),
  totalTokens: z.number(),
  dynamicSpans: z.array(DynamicSpanSchema),
  firstDynamic: DynamicSpanSchema.nullable(),
  prefixChars: z.number(),
  prefixTokens: z.number(),
  cachedTokensOnHit: z.number(),
  minCacheableTokens: z.number(),
  meetsMinimum: z.boolean(),
  breakpoints: z.array(z.object({ offset: z.number(), tokens: z.number(), reason: z.string() })),
  perRequest: z.object({
    noCache: RequestCostSchema,
    hit: RequestCostSchema,
    miss: RequestCostSchema,
    expectedUsd: Usd,
  }),
  savingPerRequestUsd: Usd,
  hitRate: z.number(),
  explanation: z.string(),
  /** Cached tokens thrown away by the edit from previousText to text (0 when no previousText). */
  invalidatedTokens: z.number(),
  method: z.enum(['exact', 'estimate', 'provider-reported']),
});

const ProjectionSchema = z.object({
  model: z.string(),
  requests: z.number(),
  totalUsd: Usd,
  perRequestUsd: Usd,
  per1kRequestsUsd: Usd,
  breakdown: z
    .object({
      input: z.number(),
      output: z.number(),
      cache: z.number(),
      embeddings: z.number(),
      other: z.number(),
    })
    .nullable(),
  unpriced: z.array(z.string()),
});
const isObject = (v: unknown) => typeof v === 'object' && v !== null;
const RangeSchema = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
/** A pipeline run: the engine's result (src/core/compression/pipeline.ts) plus the pricing of the saving. */
export type CompressResult = PipelineResult & {
  encoding: string;
  model: string | null;
  savedUsdPerRequest: number | null;
  /** Model calls the run's llm.rewrite steps used, with provider-reported usage and cost (absent without one). */
  llmCalls?: LlmCallReport[];
  /**
   * What the run could not do as asked, in sentences for the user: e.g. the sentence-embedding model did not
   * load, so steps that compare by meaning compared wording only. Absent when there is nothing to say.
   */
  warnings?: string[];
  /**
   * When a model is named and a cache.reorder step proposed a move: the model's cache what-if (cacheable
   * prefix, cached tokens, cost per request) before and after the move. Absent otherwise.
   */
  cacheReorder?: CacheReorderWhatIf;
};

const PromptRef = z.union([
  z.object({ text: z.string().max(64 * 1024 * 1024) }),
  z.object({ tokens: z.number().int().nonnegative() }),
]);

/** What a file dropped on the window turned out to be. */
export const IMPORTED_FILE_KINDS = ['prompt', 'history', 'golden', 'bench', 'policy', 'pipeline'] as const;
export type ImportedFileKind = (typeof IMPORTED_FILE_KINDS)[number];

/**
 * Any route's input may carry this extra field: the call then runs as a cancellable job. The dispatcher takes
 * the field off before the route's schema sees the input, every model call made for the call follows the
 * job's abort signal (`jobs.cancel`), and each one that ends is reported as a `job.progress` event.
 */
export const JOB_ID_FIELD = 'jobId';
export const JobIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only');

/** What a job's model calls have cost so far. */
export interface JobProgressEvent {
  jobId: string;
  /** Model calls that ended (answered). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Dollars; null once a call could not be priced (never understated as $0). */
  spentUsd: number | null;
}

function route<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const routes = {
  'app.info': route(Empty, AppInfoSchema),
  'workspace.current': route(Empty, WorkspaceSchema.nullable()),
  'workspace.open': route(z.object({ path: z.string().min(1).max(4096) }), WorkspaceSchema),
  'workspace.openSample': route(Empty, WorkspaceSchema),
  'workspace.pickFolder': route(Empty, z.object({ path: z.string().nullable() })),
  'workspace.refresh': route(Empty, WorkspaceSchema),
  'workspace.recent': route(Empty, z.object({ items: z.array(RecentWorkspaceSchema) })),
  'file.read': route(z.object({ path: RelPath }), FileContentSchema),
  'file.save': route(
    z.object({
      path: RelPath,
      content: z.string(),
      /** Hash from the last read or save; a mismatch means the file changed on disk (FILE_CHANGED_ON_DISK). */
      baseHash: z.string().optional(),
      /** Overwrite even when the file changed on disk. */
      force: z.boolean().optional(),
      encoding: z.enum(TEXT_ENCODINGS).optional(),
    }),
    SavedFileSchema,
  ),
  'models.list': route(Empty, z.object({ models: z.array(ModelEntrySchema) })),
  'tokens.count': route(
    z.object({ text: z.string().max(64 * 1024 * 1024), model: z.string().min(1) }),
    TokenCountSchema,
  ),
  'tokens.countFile': route(
    z.object({ path: z.string().min(1).max(4096), model: z.string().min(1) }),
    TokenCountSchema.extend({ path: z.string(), size: z.number().int().nonnegative() }),
  ),
  'models.importLiteLlm': route(
    z.object({ path: z.string().min(1).max(4096) }),
    z.object({
      added: z.array(z.string()),
      updated: z.array(z.string()),
      skipped: z.number().int(),
      total: z.number().int(),
    }),
  ),
  'models.setUserModels': route(
    z.object({ models: z.array(z.unknown()).max(1000) }),
    z.object({ total: z.number().int() }),
  ),
  /** The user's own models and overrides as stored (the list `models.setUserModels` replaces). */
  'models.userModels': route(Empty, z.object({ models: z.array(z.unknown()) })),
  'cost.estimate': route(
    z.object({
      text: z.string().max(64 * 1024 * 1024),
      models: z.array(z.string().min(1)).min(1).max(50),
      workload: WorkloadSchema.default(WorkloadSchema.parse({})),
    }),
    z.object({ rows: z.array(CostRowSchema), warnings: z.array(z.string()) }),
  ),
  'cost.cacheWhatIf': route(
    z.object({
      text: z.string().max(64 * 1024 * 1024),
      model: z.string().min(1),
      hitRate: z.number().min(0).max(1).default(0.8),
      outputTokens: z.number().int().nonnegative().default(500),
      ttl: z.enum(['5m', '1h']).default('5m'),
      previousText: z
        .string()
        .max(64 * 1024 * 1024)
        .optional(),
    }),
    CacheWhatIfSchema,
  ),
  'cost.project': route(
    z.object({
      models: z.array(z.string().min(1)).min(1).max(50),
      original: PromptRef,
      compressed: PromptRef.optional(),
      workload: WorkloadSchema,
    }),
    z.object({
      rows: z.array(
        z.object({
          model: z.string(),
          original: ProjectionSchema,
          compressed: ProjectionSchema.nullable(),
          savingUsd: Usd,
        }),
      ),
    }),
  ),
  'tokens.countRequest': route(
    z.object({ request: z.unknown(), model: z.string().min(1) }),
    z.object({
      model: z.string(),
      tokens: z.number().int(),
      method: z.enum(['exact', 'estimate', 'provider-reported']),
      parts: z.object({ messages: z.number(), overhead: z.number(), tools: z.number() }),
      messageCount: z.number().int(),
      notes: z.array(z.string()),
      cost: CostSchema,
    }),
  ),
  'compress.strategies': route(
    Empty,
    z.object({
      strategies: z.array(z.custom<StrategyInfo>(isObject)),
      defaultPipeline: z.custom<Pipeline>(isObject),
    }),
  ),
  'compress.run': route(
    z.object({
      text: z.string().max(64 * 1024 * 1024),
      /** A pipeline object (`.pipeline.json` content); the default pipeline when absent. */
      pipeline: z.unknown().optional(),
      /** Ids of edits the user rejected. */
      rejected: z.array(z.string()).max(100_000).optional(),
      /** Ranges the user protected (editor selection "protect"). */
      protect: z.array(RangeSchema).max(10_000).optional(),
      /** Count with this model's encoding and price the saving for it. */
      model: z.string().min(1).optional(),
    }),
    z.custom<CompressResult>(isObject),
  ),
  /** Runs the pipeline again and writes the compressed text, the pipeline and/or a Markdown report. */
  'compress.export': route(
    z.object({
      /** The prompt's workspace path (named in the report). */
      source: RelPath,
      text: z.string().max(64 * 1024 * 1024),
      pipeline: z.unknown().optional(),
      rejected: z.array(z.string()).max(100_000).optional(),
      protect: z.array(RangeSchema).max(10_000).optional(),
      model: z.string().min(1).optional(),
      /** Models whose input cost before and after the report lists. */
      models: z.array(z.string().min(1)).max(50).default([]),
      /** Workspace paths to write; at least one. */
      outputs: z
        .object({ compressed: RelPath.optional(), pipeline: RelPath.optional(), report: RelPath.optional() })
        .refine(
          (o) => Boolean(o.compressed ?? o.pipeline ?? o.report),
          'Choose at least one file to export.',
        ),
      /** Replace files that exist; without it an existing file is FILE_EXISTS and nothing is written. */
      overwrite: z.boolean().default(false),
    }),
    z.object({
      written: z.array(z.object({ kind: z.enum(['compressed', 'pipeline', 'report']), path: z.string() })),
      tokensBefore: z.number().int(),
      tokensAfter: z.number().int(),
    }),
  ),
  /** The `.pipeline.json` files of the open workspace. */
  'compress.listPipelines': route(Empty, z.object({ paths: z.array(z.string()) })),
  'compress.loadPipeline': route(
    z.object({ path: RelPath }),
    z.object({ path: z.string(), pipeline: z.custom<Pipeline>(isObject) }),
  ),
  'compress.savePipeline': route(
    z.object({ path: RelPath, pipeline: z.unknown() }),
    z.object({ path: z.string() }),
  ),
  /** Provider endpoints, their limits and keys (write-only): src/shared/providers.ts. */
  ...providerRouteSchemas,
  /** Benchmarks from a bench config file: src/shared/bench.ts, docs/formats/bench-config.md. */
  ...benchRouteSchemas,
  /** Conversation histories, policies and the cost simulation: src/shared/history.ts. */
  ...historyRouteSchemas,
  /**
   * Adds a file dropped on the window to the workspace (base64 bytes), in the folder of its kind
   * (prompts/, histories/, golden/, benchmarks/, policies/, pipelines/), never over an existing file.
   */
  'workspace.importFile': route(
    z.object({
      name: z.string().min(1).max(255),
      // base64 of at most 32 MB, plus a margin: the route itself refuses files over the limit with a code
      data: z.string().max(48 * 1024 * 1024),
    }),
    z.object({
      path: z.string(),
      kind: z.enum(IMPORTED_FILE_KINDS),
      renamed: z.boolean(),
    }),
  ),
  /** Stops a job started by a route call that carried `jobId` (see JOB_ID_FIELD); false if none is running. */
  'jobs.cancel': route(z.object({ id: JobIdSchema }).strict(), z.object({ cancelled: z.boolean() })),
  'settings.get': route(Empty, z.object({ selectedModel: z.string() })),
  'settings.update': route(
    z.object({ selectedModel: z.string().min(1).optional() }),
    z.object({ selectedModel: z.string() }),
  ),
} as const;

export const events = {
  /** Files in the open workspace were added, changed or removed on disk (by anyone, including us). */
  'workspace.changed': z.object({ root: z.string(), paths: z.array(z.string()) }),
  /** A job's model calls so far (one event per call that ended), for the jobs panel. */
  'job.progress': z.custom<JobProgressEvent>((v) => typeof v === 'object' && v !== null),
  /** Benchmark runs: progress and end (src/shared/bench.ts). */
  ...benchEventSchemas,
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export type RouteInput<R extends RouteName> = z.input<Routes[R]['input']>;
export type RouteOutput<R extends RouteName> = z.output<Routes[R]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Exhaustive: one handler for every route and nothing else. */
export type Handlers = {
  [R in RouteName]: (input: z.output<Routes[R]['input']>) => Promise<RouteOutput<R>>;
};

export const ROUTE_NAMES = Object.keys(routes) as RouteName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isRouteName(value: string): value is RouteName {
  return Object.prototype.hasOwnProperty.call(routes, value);
}
export function isEventName(value: string): value is EventName {
  return Object.prototype.hasOwnProperty.call(events, value);
}

export { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type BridgeApi } from './bridge';
