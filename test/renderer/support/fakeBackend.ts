import type {
  CostRow,
  FileContent,
  RouteInput,
  RouteOutput,
  TokenCount,
  Workspace,
} from '../../../src/shared/contract';
import type { ModelEntry } from '../../../src/core/pricing/catalog';
import { applyUserModels } from '../../../src/core/pricing/overrides';
import { isAppError } from '../../../src/shared/errors';
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

/** A catalog with several providers, an estimated tokenizer and a model without a price, for the cost panel. */
export const CATALOG: ModelEntry[] = [
  ...MODELS.slice(0, 2),
  {
    ...model('claude-sonnet-4-5', 'Claude Sonnet 4.5', 3),
    provider: 'anthropic',
    tokenizer: 'claude',
    tokenCountMethod: 'estimate',
    caching: 'anthropic-explicit',
    minCacheableTokens: 4,
    outputPerMTok: 15,
    source: 'https://docs.claude.com/en/docs/about-claude/pricing',
    asOf: '2025-09-29',
  },
  {
    ...model('claude-haiku-4-5', 'Claude Haiku 4.5', 1),
    provider: 'anthropic',
    tokenizer: 'claude',
    tokenCountMethod: 'estimate',
    caching: 'anthropic-explicit',
  },
  {
    ...model('gemini-2.5-flash', 'Gemini 2.5 Flash', 0.3),
    provider: 'google',
    tokenizer: 'gemini',
    tokenCountMethod: 'estimate',
    caching: 'auto',
  },
  {
    ...model('llama-3.3-70b', 'Llama 3.3 70B', 0.59),
    provider: 'meta',
    host: 'groq',
    tokenizer: 'llama3',
    tokenCountMethod: 'estimate',
    caching: 'none',
  },
  {
    ...model('mystery-1', 'Mystery 1', null),
    provider: 'mistral',
    tokenizer: 'mistral',
    tokenCountMethod: 'estimate',
  },
];

function usd(tokens: number, perMTok: number | null): number | null {
  return perMTok === null ? null : (tokens * perMTok) / 1e6;
}

/** The fake's cost row: word tokens, input + output per request, 30 days of the workload's requests. */
export function fakeCostRow(
  text: string,
  entry: ModelEntry,
  outputTokens = 500,
  requestsPerDay = 1000,
): CostRow {
  const tokens = fakeTokens(text);
  const input = usd(tokens, entry.inputPerMTok);
  const output = usd(outputTokens, entry.outputPerMTok);
  const perRequest = input === null || output === null ? null : input + output;
  return {
    model: entry.id,
    label: entry.label,
    provider: entry.provider,
    tokens,
    method: entry.tokenCountMethod,
    counter: entry.tokenCountMethod === 'exact' ? 'gpt-tokenizer' : `${entry.countWith} stand-in`,
    encoding: entry.countWith,
    perRequestUsd: perRequest,
    per1kUsd: perRequest === null ? null : perRequest * 1000,
    perMonthUsd: perRequest === null ? null : perRequest * requestsPerDay * 30,
    unpriced: perRequest === null ? ['input', 'output'] : [],
    cachedTokensOnHit: 0,
    source: entry.source,
    asOf: entry.asOf,
  };
}

const line = (tokens: number, perMTok: number | null) => ({
  tokens,
  perMTok,
  usd: usd(tokens, perMTok) ?? 0,
});

/** A request cost in the route's shape: only input and output lines, for the fake what-if. */
function requestCost(input: number, cacheRead: number, output: number, entry: ModelEntry) {
  const lines = {
    input: line(input, entry.inputPerMTok),
    cacheWrite5m: line(0, entry.inputPerMTok),
    cacheWrite1h: line(0, entry.inputPerMTok),
    cacheRead: line(cacheRead, entry.inputPerMTok === null ? null : entry.inputPerMTok / 10),
    output: line(output, entry.outputPerMTok),
  };
  const total =
    entry.inputPerMTok === null || entry.outputPerMTok === null
      ? null
      : lines.input.usd + lines.cacheRead.usd + lines.output.usd;
  return { ...lines, totalUsd: total, unpriced: [], batch: false, tier: null };
}

export type CacheWhatIf = RouteOutput<'cost.cacheWhatIf'>;

/**
 * The fake's what-if: dates (YYYY-MM-DD) are dynamic, the prefix is the text before the first one, word
 * tokens, hits read the prefix at a tenth of the price. An edit before the end of the old prefix
 * invalidates all of the old prefix's cached tokens.
 */
export function fakeWhatIf(
  input: RouteInput<'cost.cacheWhatIf'>,
  catalog: ModelEntry[] = CATALOG,
): CacheWhatIf {
  const entry = catalog.find((m) => m.id === input.model);
  if (!entry) throw new FakeRouteError('UNKNOWN_MODEL', `Unknown model "${input.model}".`);
  const analyse = (text: string) => {
    const spans = [...text.matchAll(/\d{4}-\d{2}-\d{2}/g)].map((m) => ({
      kind: 'date',
      offset: m.index,
      text: m[0],
    }));
    const prefixChars = spans[0]?.offset ?? text.length;
    const prefixTokens = fakeTokens(text.slice(0, prefixChars));
    const min = entry.minCacheableTokens ?? 0;
    const cached = entry.caching !== 'none' && prefixTokens >= min ? prefixTokens : 0;
    return { spans, prefixChars, prefixTokens, min, cached };
  };
  const now = analyse(input.text);
  const totalTokens = fakeTokens(input.text);
  const hitRate = input.hitRate ?? 0.8;
  const outputTokens = input.outputTokens ?? 500;
  const noCache = requestCost(totalTokens, 0, outputTokens, entry);
  const hit = requestCost(totalTokens - now.cached, now.cached, outputTokens, entry);
  const expected =
    hit.totalUsd === null || noCache.totalUsd === null
      ? null
      : hitRate * hit.totalUsd + (1 - hitRate) * noCache.totalUsd;
  let invalidatedTokens = 0;
  if (input.previousText !== undefined && input.previousText !== input.text) {
    const before = analyse(input.previousText);
    let d = 0;
    while (d < input.previousText.length && input.previousText[d] === input.text[d]) d++;
    if (d < before.prefixChars) invalidatedTokens = before.cached;
  }
  return {
    model: entry.id,
    caching: entry.caching,
    totalTokens,
    dynamicSpans: now.spans,
    firstDynamic: now.spans[0] ?? null,
    prefixChars: now.prefixChars,
    prefixTokens: now.prefixTokens,
    cachedTokensOnHit: now.cached,
    minCacheableTokens: now.min,
    meetsMinimum: now.cached > 0,
    breakpoints:
      entry.caching === 'anthropic-explicit' && now.cached > 0
        ? [{ offset: now.prefixChars, tokens: now.prefixTokens, reason: 'end of the static part' }]
        : [],
    perRequest: { noCache, hit, miss: noCache, expectedUsd: expected },
    savingPerRequestUsd: expected === null || noCache.totalUsd === null ? null : noCache.totalUsd - expected,
    hitRate,
    explanation: `${now.cached} of ${totalTokens} tokens can be cached.`,
    invalidatedTokens,
    method: entry.tokenCountMethod,
  };
}

/** The fake's projection: input and output per request times requests, plus embeddings and other. */
export function fakeProjection(
  input: RouteInput<'cost.project'>,
  catalog: ModelEntry[] = CATALOG,
): RouteOutput<'cost.project'> {
  const w = input.workload;
  const requests = (w.requestsPerDay ?? 1000) * (w.days ?? 30);
  const project = (entry: ModelEntry, ref: { text: string } | { tokens: number }) => {
    const tokens = 'text' in ref ? fakeTokens(ref.text) : ref.tokens;
    const perInput = usd(tokens, entry.inputPerMTok);
    const perOutput = usd(w.outputTokens ?? 500, entry.outputPerMTok);
    if (perInput === null || perOutput === null) {
      return {
        model: entry.id,
        requests,
        totalUsd: null,
        perRequestUsd: null,
        per1kRequestsUsd: null,
        breakdown: null,
        unpriced: ['input', 'output'],
      };
    }
    const breakdown = {
      input: perInput * requests,
      output: perOutput * requests,
      cache: 0,
      embeddings: ((w.embeddingTokensPerDay ?? 0) * (w.days ?? 30) * (w.embeddingPerMTok ?? 0)) / 1e6,
      other: (w.otherMonthlyUsd ?? 0) * ((w.days ?? 30) / 30),
    };
    const total = Object.values(breakdown).reduce((a, b) => a + b, 0);
    return {
      model: entry.id,
      requests,
      totalUsd: total,
      perRequestUsd: perInput + perOutput,
      per1kRequestsUsd: (perInput + perOutput) * 1000,
      breakdown,
      unpriced: [],
    };
  };
  return {
    rows: input.models.map((id) => {
      const entry = catalog.find((m) => m.id === id);
      if (!entry) throw new FakeRouteError('UNKNOWN_MODEL', `Unknown model "${id}".`);
      const original = project(entry, input.original);
      const compressed = input.compressed ? project(entry, input.compressed) : null;
      return {
        model: id,
        original,
        compressed,
        savingUsd:
          compressed && original.totalUsd !== null && compressed.totalUsd !== null
            ? original.totalUsd - compressed.totalUsd
            : null,
      };
    }),
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
  /** The user's models as saved through models.setUserModels. */
  userModels(): unknown[];
  /** The catalog in force: the given one with the user's models applied. */
  catalog(): ModelEntry[];
}

const ROOT = '/home/me/prompts';

export interface FakeBackendOptions {
  /** The catalog `models.list` answers with (the three small MODELS by default). */
  models?: ModelEntry[];
}

/** A small in-memory backend behind a fake transport: one workspace, a few files, hash-checked saves. */
export function createFakeBackend(
  initial: Record<string, string> = {},
  options: FakeBackendOptions = {},
): FakeBackend {
  const base = options.models ?? MODELS;
  let catalog = base;
  let userModels: unknown[] = [];
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
    'models.list': () => ({ models: catalog }),
    'models.userModels': () => ({ models: structuredClone(userModels) }),
    'models.setUserModels': ({ models }) => {
      try {
        // the real rules: partial overrides merge, new models must be complete, problems name the field
        catalog = applyUserModels({ version: 1, models: base }, models).models;
      } catch (err) {
        if (isAppError(err)) throw new FakeRouteError(err.code, err.message, err.details);
        throw err;
      }
      userModels = structuredClone(models);
      return { total: catalog.length };
    },
    'models.importLiteLlm': ({ path }) => {
      throw new FakeRouteError('FILE_NOT_FOUND', `${path} does not exist.`, { path });
    },
    'settings.get': () => ({ selectedModel }),
    'settings.update': (input) => {
      if (input.selectedModel) selectedModel = input.selectedModel;
      return { selectedModel };
    },
    'tokens.count': ({ text, model: id }) => fakeCount(text, id),
    'cost.estimate': ({ text, models, workload }) => ({
      rows: models.map((id) => {
        const entry = catalog.find((m) => m.id === id);
        if (!entry) throw new FakeRouteError('UNKNOWN_MODEL', `Unknown model "${id}".`);
        return fakeCostRow(text, entry, workload?.outputTokens, workload?.requestsPerDay);
      }),
      warnings: [],
    }),
    'cost.cacheWhatIf': (input) => fakeWhatIf(input, catalog),
    'cost.project': (input) => fakeProjection(input, catalog),
  });

  return {
    transport,
    files,
    broken,
    workspace,
    userModels: () => userModels,
    catalog: () => catalog,
    writeBehind(path, content) {
      files.set(path, content);
      bump(path);
    },
  };
}
