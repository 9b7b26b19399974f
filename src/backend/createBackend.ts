import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { CatalogSchema, findModel, type Catalog } from '../core/pricing/catalog';
import { countText } from '../core/tokens/count';
import { createGptTokenizer } from '../core/tokens/gptTokenizer';
import { memoTokenizer } from '../core/tokens/memoTokenizer';
import type { Tokenizer } from '../core/tokens/tokenizer';
import { AppError } from '../shared/errors';
import type { AppInfo, Handlers, Workspace } from '../shared/contract';
import { EventBus } from './events';
import { createJobRegistry, type JobRegistry } from './jobs';
import { importFile } from './services/importFile';
import { defaultDataDir, findResourcesDir } from './paths';
import { encodeText, readTextFile, sha256, writeFileAtomic } from './services/textFiles';
import {
  checkFolder,
  describeWorkspace,
  isPromptFile,
  resolveInside,
  watchWorkspace,
} from './services/workspace';
import { SettingsStore, MAX_RECENT } from './storage/settings';
import { CatalogStore } from './storage/catalogStore';
import { costHandlers } from './services/costs';
import { compressionHandlers } from './services/compression';
import { compressionExportHandler, listPipelinesHandler } from './services/compressionExport';
import { createAnthropicCounter } from './services/anthropicCounter';
import { createRewriteService } from './services/llmRewrite';
import { createProviderRegistry } from './providers/registry';
import { historyHandlers } from './services/historyRoutes';
import { benchHandlers } from './services/benchRoutes';
import { EstimateErrorStore } from './storage/estimateErrorStore';
import { createProviderSettings } from './services/providerSettings';
import type { SafeStorageLike } from './secrets/secretStore';

export interface BackendOptions {
  host: AppInfo['host'];
  version?: string;
  dataDir?: string;
  /** The runs database file (default runs.db in dataDir); null keeps runs in memory only. */
  runsDb?: string | null;
  /** Time between batch polls of a benchmark run in batch mode (default 30 s). */
  batchPollMs?: number;
  resourcesDir?: string;
  tokenizer?: Tokenizer;
  /** Native folder picker; only the desktop host has one. */
  pickFolder?: () => Promise<string | null>;
  /** Watch the open workspace for outside changes (off in the CLI). */
  watch?: boolean;
  /** Anthropic key for exact counts through messages.countTokens (env in the browser host and CLI). */
  anthropicApiKey?: string;
  /** Anthropic API base URL (tests point it at the local stub server). */
  anthropicBaseURL?: string;
  /** OpenAI key for model calls (llm.rewrite) through Chat Completions (env in every host for now). */
  openaiApiKey?: string;
  /** OpenAI API base URL, …/v1 (tests point it at the local stub server). */
  openaiBaseURL?: string;
  /**
   * Where user endpoints' key variables (`GROQ_API_KEY`…) are read from: the host's process environment.
   * Empty by default, so a backend built in a test never picks up a developer's keys.
   */
  env?: Record<string, string | undefined>;
  /** The desktop's OS encryption for keys typed in the app; other hosts keep such keys for the session. */
  safeStorage?: SafeStorageLike;
}

export interface Backend {
  handlers: Handlers;
  events: EventBus;
  /** Route calls running as cancellable jobs (their input carried a jobId). */
  jobs: JobRegistry;
  dispose(): void;
}

export const SAMPLE_WORKSPACE_DIR = 'sample-workspace';

export function loadCatalog(resourcesDir: string): Catalog {
  const raw: unknown = JSON.parse(readFileSync(path.join(resourcesDir, 'models.json'), 'utf8'));
  return CatalogSchema.parse(raw);
}

async function copyDir(from: string, to: string): Promise<void> {
  await fs.cp(from, to, { recursive: true, errorOnExist: false, force: false });
}

/** Builds the backend: one handler per contract route, over core plus Node services. */
export function createBackend(options: BackendOptions): Backend {
  const dataDir = options.dataDir ?? defaultDataDir();
  const resourcesDir = options.resourcesDir ?? findResourcesDir();
  // counts are memoised: the compression pipeline and live re-runs reuse what the cost panel counted
  const tokenizer = memoTokenizer(options.tokenizer ?? createGptTokenizer());
  const catalogStore = new CatalogStore(loadCatalog(resourcesDir), dataDir);
  const getCatalog = () => catalogStore.get();
  const errorStore = new EstimateErrorStore(dataDir);
  // keys typed in the app (or from the environment) and the user's endpoints, read before any client is built
  const providerSettings = createProviderSettings({
    dataDir,
    host: options.host,
    env: options.env ?? {},
    ...(options.safeStorage ? { safeStorage: options.safeStorage } : {}),
    builtIns: {
      anthropic: { apiKey: options.anthropicApiKey, baseURL: options.anthropicBaseURL },
      openai: { apiKey: options.openaiApiKey, baseURL: options.openaiBaseURL },
    },
  });
  const anthropic = createAnthropicCounter({
    apiKey: () => providerSettings.keyOf('anthropic'),
    baseURL: options.anthropicBaseURL,
    dataDir,
    errorStore,
  });
  // keys stay inside the providers; nothing else in the backend holds them
  const providers = createProviderRegistry({
    anthropic: { apiKey: options.anthropicApiKey, baseURL: options.anthropicBaseURL },
    openai: { apiKey: options.openaiApiKey, baseURL: options.openaiBaseURL },
    // every call is priced from the same catalog the cost views use (user overrides included)
    getCatalog,
  });
  providerSettings.attach(providers);
  const rewriter = createRewriteService({ providers, getCatalog });
  const costs = costHandlers(getCatalog, tokenizer, { anthropic, errorStore });

  const settings = new SettingsStore(dataDir);
  const events = new EventBus();
  const jobs = createJobRegistry(events);
  let current: Workspace | null = null;
  let stopWatching: (() => void) | undefined;

  const requireWorkspace = (): Workspace => {
    if (!current) throw new AppError('NO_WORKSPACE', 'Open a workspace folder first.');
    return current;
  };
  const bench = benchHandlers({
    providers,
    getCatalog,
    tokenizer,
    dbFile: options.runsDb === undefined ? path.join(dataDir, 'runs.db') : options.runsDb,
    events,
    workspaceRoot: () => requireWorkspace().root,
    ...(options.batchPollMs !== undefined ? { batchPollMs: options.batchPollMs } : {}),
  });

  const openWorkspace = async (dir: string): Promise<Workspace> => {
    const root = await checkFolder(dir);
    const ws = await describeWorkspace(root);
    current = ws;
    stopWatching?.();
    if (options.watch !== false) {
      stopWatching = watchWorkspace(root, (paths) => {
        if (current?.root !== root) return;
        void describeWorkspace(root).then((fresh) => {
          if (current?.root === root) current = fresh;
          events.emit('workspace.changed', { root, paths });
        });
      });
    }
    const s = await settings.load();
    const recent = [
      { root, name: ws.name, openedAt: new Date().toISOString() },
      ...s.recentWorkspaces.filter((r) => r.root !== root),
    ].slice(0, MAX_RECENT);
    await settings.update({ recentWorkspaces: recent, lastWorkspace: root });
    return ws;
  };

  const openSample = async (): Promise<Workspace> => {
    const target = path.join(dataDir, SAMPLE_WORKSPACE_DIR);
    const exists = await fs.stat(target).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!exists) {
      await fs.mkdir(dataDir, { recursive: true });
      await copyDir(path.join(resourcesDir, 'sample-workspace'), target);
    }
    return openWorkspace(target);
  };

  const compression = compressionHandlers({
    rewriter,
    resourcesDir,
    tokenizer,
    getCatalog,
    workspaceRoot: () => current?.root ?? null,
  });

  const handlers: Handlers = {
    'app.info': async () => ({
      name: 'PromptPress',
      version: options.version ?? '0.1.0',
      host: options.host,
      nativeDialogs: options.pickFolder !== undefined,
    }),
    'workspace.current': async () => {
      if (current) return current;
      const s = await settings.load();
      if (s.lastWorkspace) {
        try {
          return await openWorkspace(s.lastWorkspace);
        } catch {
          // the last workspace was moved or deleted: fall through to the sample
        }
      }
      return openSample();
    },
    'workspace.open': ({ path: dir }) => openWorkspace(dir),
    'workspace.openSample': () => openSample(),
    'workspace.pickFolder': async () => {
      if (!options.pickFolder) {
        throw new AppError('UNSUPPORTED', 'This host has no folder picker; type the folder path instead.');
      }
      return { path: await options.pickFolder() };
    },
    'workspace.refresh': async () => {
      const ws = requireWorkspace();
      current = await describeWorkspace(ws.root);
      return current;
    },
    'workspace.recent': async () => ({ items: (await settings.load()).recentWorkspaces }),
    'file.read': async ({ path: rel }) => {
      const ws = requireWorkspace();
      const abs = await resolveInside(ws.root, rel);
      const file = await readTextFile(abs, rel);
      return { path: rel, ...file };
    },
    'file.save': async ({ path: rel, content, baseHash, force, encoding }) => {
      const ws = requireWorkspace();
      if (!isPromptFile(rel)) {
        throw new AppError(
          'INVALID_INPUT',
          `Only prompt files (.md, .txt, .prompt) can be saved here: ${rel}.`,
          {
            path: rel,
          },
        );
      }
      const abs = await resolveInside(ws.root, rel);
      let onDiskHash: string | null = null;
      try {
        onDiskHash = sha256(await fs.readFile(abs));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EISDIR')
          throw new AppError('IS_A_DIRECTORY', `${rel} is a folder, not a file.`, { path: rel });
        if (code !== 'ENOENT') throw err;
      }
      if (!force && baseHash !== undefined && onDiskHash !== baseHash) {
        throw new AppError(
          'FILE_CHANGED_ON_DISK',
          onDiskHash === null
            ? `${rel} was deleted on disk since you opened it. Save again to recreate it, or discard your edits.`
            : `${rel} changed on disk since you opened it. Reload to see the other version, or overwrite it with yours.`,
          { path: rel, deleted: onDiskHash === null },
        );
      }
      const bytes = encodeText(content, encoding ?? 'utf-8');
      await fs.mkdir(path.dirname(abs), { recursive: true });
      await writeFileAtomic(abs, bytes, rel);
      const stat = await fs.stat(abs);
      return {
        path: rel,
        hash: sha256(bytes),
        mtimeMs: stat.mtimeMs,
        size: bytes.length,
        encoding: encoding ?? 'utf-8',
      };
    },
    'models.list': async () => ({ models: (await getCatalog()).models }),
    'models.importLiteLlm': async ({ path: file }) =>
      catalogStore.importLiteLlm(path.resolve(file), new Date().toISOString().slice(0, 10)),
    'models.setUserModels': async ({ models }) => ({ total: await catalogStore.setUserModels(models) }),
    'models.userModels': async () => ({ models: await catalogStore.userModels() }),
    ...costs.handlers,
    ...compression,
    'compress.listPipelines': listPipelinesHandler(() => current?.root ?? null),
    'compress.export': compressionExportHandler({
      run: compression['compress.run'],
      tokenizer,
      getCatalog,
      workspaceRoot: () => current?.root ?? null,
    }),
    'tokens.count': async ({ text, model }) =>
      costs.countWithProvider(findModel(await getCatalog(), model), text),
    'tokens.countFile': async ({ path: file, model }) => {
      const entry = findModel(await getCatalog(), model);
      const read = await readTextFile(path.resolve(file), file);
      return { ...countText(tokenizer, entry, read.content), path: file, size: read.size };
    },
    ...providerSettings.handlers,
    ...bench.routes,
    ...historyHandlers({ providers, getCatalog, tokenizer, workspaceRoot: () => requireWorkspace().root }),
    'workspace.importFile': async (input) => importFile(requireWorkspace().root, input),
    'jobs.cancel': async ({ id }) => ({ cancelled: jobs.cancel(id) }),
    'settings.get': async () => ({ selectedModel: (await settings.load()).selectedModel }),
    'settings.update': async ({ selectedModel }) => {
      if (selectedModel !== undefined) findModel(await getCatalog(), selectedModel);
      const next = await settings.update(selectedModel !== undefined ? { selectedModel } : {});
      return { selectedModel: next.selectedModel };
    },
  };

  return {
    handlers,
    events,
    jobs,
    dispose: () => {
      // every count is already saved as it arrives; this last flush is best effort and must never reject
      anthropic.flush().catch(() => undefined);
      bench.close();
      stopWatching?.();
      stopWatching = undefined;
    },
  };
}
