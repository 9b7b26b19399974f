import type { FileContent, TokenCount, Workspace } from '../../../src/shared/contract';
import type { ModelEntry } from '../../../src/core/pricing/catalog';
import {
  createFakeTransport,
  FakeRouteError,
  type FakeTransport,
} from '../../../src/renderer/src/transport/fakeTransport';

export const MODELS: ModelEntry[] = [
  model('gpt-4o', 'GPT-4o', 2.5),
  model('gpt-4o-mini', 'GPT-4o mini', 0.15),
  model('mystery-1', 'Mystery 1', null),
];

function model(id: string, label: string, input: number | null): ModelEntry {
  return {
    id,
    provider: 'openai',
    label,
    tokenizer: 'o200k_base',
    countWith: 'o200k_base',
    tokenCountMethod: 'exact',
    caching: 'openai-auto',
    inputPerMTok: input,
    outputPerMTok: input,
    contextWindow: 128000,
    source: 'https://openai.com/api/pricing/',
    asOf: '2025-08-07',
  };
}

/** A stand-in tokenizer for the fake: one token per whitespace-separated word. */
export function fakeTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function fakeCount(text: string, modelId: string): TokenCount {
  const entry = MODELS.find((m) => m.id === modelId);
  if (!entry) throw new FakeRouteError('UNKNOWN_MODEL', `Unknown model "${modelId}".`);
  const tokens = fakeTokens(text);
  return {
    model: modelId,
    encoding: 'o200k_base',
    tokens,
    method: 'exact',
    counter: 'tiktoken',
    characters: text.length,
    cost: {
      usd: entry.inputPerMTok === null ? null : (tokens * entry.inputPerMTok) / 1_000_000,
      perMTok: entry.inputPerMTok,
    },
  };
}

export interface FakeBackend {
  transport: FakeTransport;
  /** Files on the fake disk: path → content. */
  files: Map<string, string>;
  /** Files that fail to read with a coded error. */
  broken: Map<
    string,
    { code: 'BINARY_FILE' | 'ENCODING_INVALID' | 'FILE_TOO_LARGE' | 'FILE_NOT_FOUND'; message: string }
  >;
  /** Changes a file "on disk" behind the app's back. */
  writeBehind(path: string, content: string): void;
  workspace(): Workspace;
}

const ROOT = '/home/me/prompts';

/** A small in-memory backend behind a fake transport: one workspace, a few files, hash-checked saves. */
export function createFakeBackend(initial: Record<string, string> = {}): FakeBackend {
  const files = new Map(Object.entries(initial));
  const versions = new Map<string, number>();
  const broken: FakeBackend['broken'] = new Map();
  let selectedModel = 'gpt-4o';

  const hashOf = (path: string) => `${path}@${versions.get(path) ?? 0}`;
  const bump = (path: string) => versions.set(path, (versions.get(path) ?? 0) + 1);
  const workspace = (): Workspace => ({
    root: ROOT,
    name: 'prompts',
    truncated: false,
    files: [...files.keys(), ...broken.keys()].sort().map((path) => ({
      path,
      size: new TextEncoder().encode(files.get(path) ?? '').length,
      mtimeMs: 0,
    })),
  });
  const read = (path: string): FileContent => {
    const bad = broken.get(path);
    if (bad) throw new FakeRouteError(bad.code, bad.message, { path });
    const content = files.get(path);
    if (content === undefined)
      throw new FakeRouteError('FILE_NOT_FOUND', `${path} does not exist.`, { path });
    return { path, content, hash: hashOf(path), mtimeMs: 0, size: content.length, encoding: 'utf-8' };
  };

  const transport = createFakeTransport({
    'app.info': () => ({ name: 'PromptPress', version: '0.1.0', host: 'browser', nativeDialogs: false }),
    'workspace.current': () => workspace(),
    'workspace.refresh': () => workspace(),
    'workspace.recent': () => ({
      items: [{ root: ROOT, name: 'prompts', openedAt: '2025-01-01T00:00:00.000Z' }],
    }),
    'workspace.open': ({ path }) => {
      throw new FakeRouteError('FILE_NOT_FOUND', `${path} does not exist.`, { path });
    },
    'file.read': ({ path }) => read(path),
    'file.save': ({ path, content, baseHash, force, encoding }) => {
      if (!force && baseHash !== undefined && baseHash !== hashOf(path)) {
        throw new FakeRouteError('FILE_CHANGED_ON_DISK', `${path} changed on disk since you opened it.`, {
          path,
        });
      }
      files.set(path, content);
      bump(path);
      return { path, hash: hashOf(path), mtimeMs: 1, size: content.length, encoding: encoding ?? 'utf-8' };
    },
    'models.list': () => ({ models: MODELS }),
    'settings.get': () => ({ selectedModel }),
    'settings.update': (input) => {
      if (input.selectedModel) selectedModel = input.selectedModel;
      return { selectedModel };
    },
    'tokens.count': ({ text, model: id }) => fakeCount(text, id),
  });

  return {
    transport,
    files,
    broken,
    workspace,
    writeBehind(path, content) {
      files.set(path, content);
      bump(path);
    },
  };
}
