import { create } from 'zustand';
import type { TokenCount } from '../../../shared/contract';
import type { ModelEntry } from '../../../core/pricing/catalog';
import { api, toErrorPayload } from '../transport';
import { useNoticesStore } from './notices';

/** Quiet time after the last keystroke before the text is counted. */
export const COUNT_DEBOUNCE_MS = 120;

interface TokensState {
  models: ModelEntry[];
  selectedModel: string;
  /** The latest count for the latest text and model, or null before the first one. */
  result: TokenCount | null;
  /** A count is scheduled or in flight; the shown result may be for an older text. */
  pending: boolean;
  /** Loads the model list and the persisted model choice. */
  loadModels(): Promise<void>;
  /** Picks a model, persists it in the settings and recounts the current text. */
  selectModel(id: string): Promise<void>;
  /** Counts `text` after the debounce; a newer call replaces an older one. */
  schedule(text: string): void;
  /** Counts `text` now; answers to older requests that arrive later are dropped. */
  countNow(text: string): Promise<void>;
  /** Forgets the count (no file open). */
  clear(): void;
  reset(): void;
}

const initial = { models: [] as ModelEntry[], selectedModel: 'gpt-4o', result: null, pending: false };

let timer: ReturnType<typeof setTimeout> | undefined;
let sequence = 0;
let lastText: string | null = null;

function cancelTimer(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

/** The model list, the selected model and the live token count of the editor's text. */
export const useTokensStore = create<TokensState>()((set, get) => ({
  ...initial,
  async loadModels() {
    const [list, settings] = await Promise.all([api.call('models.list'), api.call('settings.get')]);
    const known = list.models.some((m) => m.id === settings.selectedModel);
    set({
      models: list.models,
      selectedModel: known ? settings.selectedModel : (list.models[0]?.id ?? 'gpt-4o'),
    });
  },
  async selectModel(id) {
    const previous = get().selectedModel;
    if (id === previous) return;
    set({ selectedModel: id });
    if (lastText !== null) void get().countNow(lastText);
    try {
      await api.call('settings.update', { selectedModel: id });
    } catch (err) {
      useNoticesStore.getState().pushError(toErrorPayload(err));
    }
  },
  schedule(text) {
    lastText = text;
    cancelTimer();
    const seq = ++sequence; // any answer still in flight is now stale
    set({ pending: true });
    timer = setTimeout(() => {
      timer = undefined;
      if (seq === sequence) void get().countNow(text);
    }, COUNT_DEBOUNCE_MS);
  },
  async countNow(text) {
    lastText = text;
    cancelTimer();
    const seq = ++sequence;
    const model = get().selectedModel;
    set({ pending: true });
    try {
      const result = await api.call('tokens.count', { text, model });
      if (seq === sequence) set({ result, pending: false });
    } catch (err) {
      if (seq !== sequence) return;
      set({ pending: false });
      useNoticesStore.getState().pushError(toErrorPayload(err), { key: 'tokens.count' });
    }
  },
  clear() {
    cancelTimer();
    sequence++;
    lastText = null;
    set({ result: null, pending: false });
  },
  reset() {
    cancelTimer();
    sequence++;
    lastText = null;
    set(initial);
  },
}));
