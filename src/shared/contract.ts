/**
 * The one place where the UI meets the backend. Every route is `resource.verb` with a zod schema for its
 * input and its output; every event has a payload schema. `Handlers` is the exhaustive handler map type:
 * a backend missing a route, or with a handler for no route, does not compile.
 */
import { z } from 'zod';
import { ENCODINGS } from '../core/tokens/tokenizer';
import { ModelEntrySchema } from '../core/pricing/catalog';

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
  'settings.get': route(Empty, z.object({ selectedModel: z.string() })),
  'settings.update': route(
    z.object({ selectedModel: z.string().min(1).optional() }),
    z.object({ selectedModel: z.string() }),
  ),
} as const;

export const events = {
  /** Files in the open workspace were added, changed or removed on disk (by anyone, including us). */
  'workspace.changed': z.object({ root: z.string(), paths: z.array(z.string()) }),
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

/** The IPC channels of the Electron bridge: one for calls, one for events. */
export const IPC_INVOKE_CHANNEL = 'promptpress:invoke';
export const IPC_EVENT_CHANNEL = 'promptpress:event';

/** The one surface the preload exposes to the renderer as `window.promptpress`. */
export interface BridgeApi {
  invoke(route: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
