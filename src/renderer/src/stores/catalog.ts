import { create } from 'zustand';
import type { RouteOutput } from '../../../shared/contract';
import { api } from '../transport';
import { useModelSelectionStore } from './modelSelection';
import { useTokensStore } from './tokens';

export type ImportResult = RouteOutput<'models.importLiteLlm'>;

interface CatalogState {
  /**
   * Bumped each time the catalog in force changed (an override, a new model, an import) and was read
   * again: the cost panel's requests depend on it, so the same text is priced again with the new prices.
   */
  version: number;
  /** The user's own models and overrides as the backend stores them; null until first read. */
  userModels: unknown[] | null;
  /** The Models dialog is open. */
  dialogOpen: boolean;
  openDialog(): void;
  closeDialog(): void;
  /** Reads the user's list (models.userModels). Throws the coded error. */
  loadUserModels(): Promise<unknown[]>;
  /**
   * Saves a new user list built from the list as stored now (read again first, so nothing saved elsewhere
   * is lost), then reads the catalog again. Throws the server's coded error; the catalog stays as it was.
   */
  updateUserModels(edit: (current: unknown[]) => unknown[]): Promise<void>;
  /** Imports a LiteLLM price file from the backend's disk, then reads the catalog again. */
  importLiteLlm(path: string): Promise<ImportResult>;
  /** Reads models.list into the app (picker, status bar, cost panel) and bumps `version`. */
  refresh(): Promise<void>;
  reset(): void;
}

const initial = { version: 0, userModels: null, dialogOpen: false };

/** The catalog in force as the user shapes it: their overrides and added models, LiteLLM imports. */
export const useCatalogStore = create<CatalogState>()((set, get) => ({
  ...initial,
  openDialog: () => set({ dialogOpen: true }),
  closeDialog: () => set({ dialogOpen: false }),
  async loadUserModels() {
    const { models } = await api.call('models.userModels');
    set({ userModels: models });
    return models;
  },
  async updateUserModels(edit) {
    const current = await get().loadUserModels();
    const next = edit(current);
    await api.call('models.setUserModels', { models: next });
    set({ userModels: next });
    await get().refresh();
  },
  async importLiteLlm(path) {
    const result = await api.call('models.importLiteLlm', { path });
    await get().refresh();
    return result;
  },
  async refresh() {
    const { models } = await api.call('models.list');
    useTokensStore.getState().applyCatalog(models);
    useModelSelectionStore.getState().retain(models.map((m) => m.id));
    set((s) => ({ version: s.version + 1 }));
  },
  reset: () => set(initial),
}));
