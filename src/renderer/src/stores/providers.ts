import { create } from 'zustand';
import type { ErrorPayload } from '../../../shared/errors';
import type {
  EndpointDraft,
  ProviderList,
  ProviderStatus,
  ProviderTestResult,
} from '../../../shared/providers';
import { api, toErrorPayload } from '../transport';

/** The last "Test connection" of a provider: running, its result, or its coded error. */
export type TestState =
  | { state: 'running' }
  | { state: 'ok'; result: ProviderTestResult }
  | { state: 'error'; error: ErrorPayload };

interface ProvidersState {
  dialogOpen: boolean;
  /** What the backend says about each provider (never a key: `configured`, `last4`, `keySource`). */
  providers: ProviderStatus[] | null;
  keyStorage: ProviderList['keyStorage'] | null;
  tests: Record<string, TestState>;
  openDialog(): void;
  closeDialog(): void;
  /** Reads providers.list. Throws the coded error. */
  load(): Promise<void>;
  /**
   * Saves an endpoint (or a built-in's limits) and, when `key` is not empty, its key; then reads the list
   * again. Throws the coded error of the step that failed (an endpoint saved before a refused key stays).
   */
  save(create: boolean, endpoint: EndpointDraft, key?: string): Promise<ProviderStatus>;
  /** Replaces the key of `id` (empty clears it), then reads the list again. */
  setKey(id: string, key: string): Promise<ProviderStatus>;
  remove(id: string): Promise<void>;
  /** Runs providers.test for `id`, recording its outcome in `tests`; never throws. */
  test(id: string): Promise<void>;
  reset(): void;
}

const initial = { dialogOpen: false, providers: null, keyStorage: null, tests: {} };

/** The Model providers dialog's state: the backend owns the settings and keys, this caches what it says. */
export const useProvidersStore = create<ProvidersState>()((set, get) => ({
  ...initial,
  openDialog: () => set({ dialogOpen: true }),
  closeDialog: () => set({ dialogOpen: false, tests: {} }),
  async load() {
    const { providers, keyStorage } = await api.call('providers.list');
    set({ providers, keyStorage });
  },
  async save(create, endpoint, key) {
    let saved = await api.call('providers.save', { create, endpoint });
    try {
      if (key) saved = await api.call('providers.setKey', { id: saved.id, key });
    } finally {
      await get().load();
    }
    set((s) => ({ tests: withoutTest(s.tests, saved.id) }));
    return saved;
  },
  async setKey(id, key) {
    const saved = await api.call('providers.setKey', { id, key });
    set((s) => ({ tests: withoutTest(s.tests, id) }));
    await get().load();
    return saved;
  },
  async remove(id) {
    await api.call('providers.remove', { id });
    set((s) => ({ tests: withoutTest(s.tests, id) }));
    await get().load();
  },
  async test(id) {
    set((s) => ({ tests: { ...s.tests, [id]: { state: 'running' } } }));
    let outcome: TestState;
    try {
      outcome = { state: 'ok', result: await api.call('providers.test', { id }) };
    } catch (err) {
      outcome = { state: 'error', error: toErrorPayload(err) };
    }
    set((s) => ({ tests: { ...s.tests, [id]: outcome } }));
  },
  reset: () => set(initial),
}));

/** A test result no longer says anything once the endpoint or its key changed. */
function withoutTest(tests: Record<string, TestState>, id: string): Record<string, TestState> {
  const { [id]: _gone, ...rest } = tests;
  return rest;
}
