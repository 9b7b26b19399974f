import { create } from 'zustand';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';

/** The models the cost panel compares until the user picks others (those present in the catalog). */
export const DEFAULT_COST_MODELS = ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash'] as const;
const MAX_MODELS = 12;

interface ModelSelectionState {
  /** Model ids in the order the user added them. */
  ids: string[];
  /** True once the selection was resolved against the catalog. */
  ready: boolean;
  /** Takes the stored selection (or the defaults) and keeps the ids the catalog knows. */
  init(catalogIds: readonly string[]): void;
  /** Drops ids the catalog no longer has (a model the user added and removed). */
  retain(catalogIds: readonly string[]): void;
  add(id: string): void;
  remove(id: string): void;
  reset(): void;
}

/** The models compared in the cost panel, kept in localStorage (the settings routes hold only one model). */
export const useModelSelectionStore = create<ModelSelectionState>()((set, get) => ({
  ids: [],
  ready: false,
  init(catalogIds) {
    const known = new Set(catalogIds);
    const stored = readStored(STORAGE_KEYS.costModels);
    const wanted =
      Array.isArray(stored) && stored.every((id) => typeof id === 'string')
        ? (stored as string[])
        : [...DEFAULT_COST_MODELS];
    set({ ids: [...new Set(wanted)].filter((id) => known.has(id)).slice(0, MAX_MODELS), ready: true });
  },
  retain(catalogIds) {
    const known = new Set(catalogIds);
    const { ids } = get();
    const next = ids.filter((id) => known.has(id));
    if (next.length === ids.length) return;
    set({ ids: next });
    writeStored(STORAGE_KEYS.costModels, next);
  },
  add(id) {
    const { ids } = get();
    if (ids.includes(id) || ids.length >= MAX_MODELS) return;
    const next = [...ids, id];
    set({ ids: next });
    writeStored(STORAGE_KEYS.costModels, next);
  },
  remove(id) {
    const next = get().ids.filter((x) => x !== id);
    set({ ids: next });
    writeStored(STORAGE_KEYS.costModels, next);
  },
  reset: () => set({ ids: [], ready: false }),
}));
