import type { AppInfo, Handlers } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { KeySource, ProviderStatus } from '../../shared/providers';
import type { ProviderRegistry } from '../providers/registry';
import type { ProviderEndpoint } from '../providers/types';
import {
  createEncryptedSecretStore,
  createSessionSecretStore,
  type SafeStorageLike,
  type SecretStore,
} from '../secrets/secretStore';
import { ProviderSettingsStore, type StoredEndpoint } from '../storage/providerSettings';
import { checkDraft, forSave, type ResolvedEndpoint } from './providerDrafts';
import { listModels, testConnection, type ProbeOptions, type ProbeTarget } from './providerProbe';

export type BuiltInId = 'anthropic' | 'openai';

const BUILT_INS: Record<BuiltInId, Omit<ResolvedEndpoint, 'limits' | 'baseURL'> & { publicURL: string }> = {
  anthropic: {
    id: 'anthropic',
    kind: 'anthropic',
    label: 'Anthropic',
    builtIn: true,
    keyEnvVar: 'ANTHROPIC_API_KEY',
    publicURL: 'https://api.anthropic.com',
  },
  openai: {
    id: 'openai',
    kind: 'openai',
    label: 'OpenAI',
    builtIn: true,
    keyEnvVar: 'OPENAI_API_KEY',
    publicURL: 'https://api.openai.com/v1',
  },
};

export interface ProviderSettingsOptions {
  dataDir: string;
  host: AppInfo['host'];
  /** Where keys named by `keyEnvVar` are read from (the host's process environment). */
  env: Record<string, string | undefined>;
  /** The desktop's OS encryption; without it, keys typed in the app are kept for the session only. */
  safeStorage?: SafeStorageLike;
  /** The built-ins' keys and base URLs as the host read them from its environment. */
  builtIns: Record<BuiltInId, { apiKey?: string; baseURL?: string }>;
  probe?: ProbeOptions;
}

export type ProviderHandlers = Pick<
  Handlers,
  | 'providers.list'
  | 'providers.save'
  | 'providers.remove'
  | 'providers.setKey'
  | 'providers.test'
  | 'providers.models'
>;

export interface ProviderSettings {
  /** The key a provider uses now, for the one client built outside the registry (Anthropic token counts). */
  keyOf(id: BuiltInId): string | undefined;
  /** Builds every configured endpoint into `registry` with its key, and keeps it in step with changes. */
  attach(registry: ProviderRegistry): void;
  handlers: ProviderHandlers;
}

/** Enough of a key to recognise it, never enough to use it (and nothing of a key too short to spare 4). */
export function lastFour(key: string): string | null {
  return key.length >= 12 ? key.slice(-4) : null;
}

const clean = (value: string | undefined) => value?.trim() || undefined;

/**
 * Provider settings: the two built-ins and the user's endpoints (providers.json), each with its key from the
 * SecretStore (typed in the app) or the environment, in that order. The keys go only into the registry's
 * providers and the connection probe; every route answers with `{ configured, last4, keySource }`.
 */
export function createProviderSettings(options: ProviderSettingsOptions): ProviderSettings {
  const store = new ProviderSettingsStore(options.dataDir);
  const secrets: SecretStore = options.safeStorage
    ? createEncryptedSecretStore(options.dataDir, options.safeStorage)
    : createSessionSecretStore();
  let registry: ProviderRegistry | undefined;

  const endpoints = (): ResolvedEndpoint[] => {
    const { builtIns, endpoints: custom } = store.get();
    const fixed = (Object.keys(BUILT_INS) as BuiltInId[]).map((id) => {
      const { publicURL: _url, ...rest } = BUILT_INS[id];
      return { ...rest, baseURL: options.builtIns[id].baseURL, limits: builtIns[id]?.limits ?? {} };
    });
    const mine = custom.map((e) => ({
      ...e,
      builtIn: false,
      keyEnvVar: e.keyEnvVar ?? null,
      limits: e.limits ?? {},
    }));
    return [...fixed, ...mine];
  };
  const find = (id: string): ResolvedEndpoint => {
    const e = endpoints().find((x) => x.id === id);
    if (!e) {
      throw new AppError('INVALID_INPUT', `There is no provider "${id}". Add it in Model providers first.`, {
        field: 'id',
        provider: id,
      });
    }
    return e;
  };
  const keyFor = (e: ResolvedEndpoint): { key: string | undefined; source: KeySource } => {
    const kept = secrets.get(e.id);
    if (kept) return kept;
    const fromEnv = clean(
      e.builtIn ? (options.builtIns[e.id as BuiltInId].apiKey ?? options.env[e.keyEnvVar!]) : undefined,
    );
    const custom = !e.builtIn && e.keyEnvVar ? clean(options.env[e.keyEnvVar]) : undefined;
    const key = fromEnv ?? custom;
    return key ? { key, source: 'env' } : { key: undefined, source: 'none' };
  };
  const keyHint = (e: ResolvedEndpoint): string => {
    const inApp = options.host !== 'cli' ? 'the key in Model providers' : undefined;
    if (e.keyEnvVar) return inApp ? `${e.keyEnvVar} or ${inApp}` : e.keyEnvVar;
    return inApp ?? `a key variable for ${e.label} (name one in the app's Model providers)`;
  };
  const status = (e: ResolvedEndpoint): ProviderStatus => {
    const { key, source } = keyFor(e);
    return {
      id: e.id,
      kind: e.kind,
      label: e.label,
      builtIn: e.builtIn,
      baseURL: e.baseURL ?? BUILT_INS[e.id as BuiltInId].publicURL,
      keyEnvVar: e.keyEnvVar,
      limits: e.limits,
      configured: key !== undefined,
      last4: key ? lastFour(key) : null,
      keySource: source,
    };
  };
  const toRegistry = (e: ResolvedEndpoint): ProviderEndpoint => ({
    id: e.id,
    kind: e.kind,
    label: e.label,
    apiKey: keyFor(e).key,
    baseURL: e.baseURL,
    keyHint: keyHint(e),
    // none set: the registry's defaults apply
    ...(Object.keys(e.limits).length > 0 ? { limits: e.limits } : {}),
  });
  const sync = (e: ResolvedEndpoint) => registry?.set(toRegistry(e));
  const target = (e: ResolvedEndpoint): ProbeTarget => ({
    id: e.id,
    kind: e.kind,
    label: e.label,
    baseURL: e.baseURL,
    apiKey: keyFor(e).key,
    keyHint: keyHint(e),
  });

  const handlers: ProviderHandlers = {
    'providers.list': async () => ({
      providers: endpoints().map(status),
      keyStorage: secrets.persistence(),
    }),
    'providers.save': async ({ create, endpoint: draft }) => {
      const all = endpoints();
      const checked = checkDraft(draft, create, all);
      await store.update((file) => {
        if (checked.builtIn) {
          const id = checked.id as BuiltInId;
          return { ...file, builtIns: { ...file.builtIns, [id]: { limits: checked.limits } } };
        }
        const saved: StoredEndpoint = forSave(checked);
        const rest = file.endpoints.filter((e) => e.id !== saved.id);
        const at = file.endpoints.findIndex((e) => e.id === saved.id);
        rest.splice(at < 0 ? rest.length : at, 0, saved);
        return { ...file, endpoints: rest };
      });
      const e = find(checked.id);
      sync(e);
      return status(e);
    },
    'providers.remove': async ({ id }) => {
      const e = find(id);
      if (e.builtIn) {
        throw new AppError('INVALID_INPUT', `${e.label} is built in and cannot be removed.`, {
          field: 'id',
          provider: id,
        });
      }
      await store.update((file) => ({ ...file, endpoints: file.endpoints.filter((x) => x.id !== id) }));
      await secrets.delete(id);
      registry?.remove(id);
      return { id };
    },
    'providers.setKey': async ({ id, key }) => {
      const e = find(id);
      const trimmed = key.trim();
      if (/\s/.test(trimmed)) {
        throw new AppError('INVALID_INPUT', 'An API key has no spaces or line breaks; paste the key alone.', {
          field: 'key',
        });
      }
      if (trimmed === '') await secrets.delete(id);
      else await secrets.set(id, trimmed);
      sync(e);
      return status(e);
    },
    'providers.test': async ({ id, model }) => testConnection(target(find(id)), model, options.probe),
    'providers.models': async ({ id }) => {
      const models = await listModels(target(find(id)), options.probe);
      return { id, models: [...models].sort((a, b) => a.id.localeCompare(b.id)) };
    },
  };

  return {
    keyOf: (id) => keyFor(find(id)).key,
    attach(r) {
      registry = r;
      for (const e of endpoints()) {
        try {
          sync(e);
        } catch {
          // an endpoint the registry refuses (an id rule changed since it was saved) is left out, not fatal
        }
      }
    },
    handlers,
  };
}
