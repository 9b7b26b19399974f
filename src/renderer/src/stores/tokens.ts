import { create } from 'zustand';
import type { TokenCount } from '../../../shared/contract';
import type { ModelEntry } from '../../../core/pricing/catalog';
import { inputCost } from '../../../core/pricing/cost';
import { api, toErrorPayload } from '../transport';
import type { LocalCounter, TextChange } from '../lib/localCounter';
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
  /**
   * Takes a new catalog (after an override or an import): prices may have changed, so the current text is
   * counted again; a selected model that is gone falls back to the first one.
   */
  applyCatalog(models: ModelEntry[]): void;
  /** Picks a model, persists it in the settings and recounts the current text. */
  selectModel(id: string): Promise<void>;
  /**
   * Counts `text` after an edit. Models with an exact local tokenizer are counted at once in the window,
   * incrementally from the editor's `changes`; the others go to the backend after the debounce (where a
   * provider may count them exactly), and a newer call replaces an older one.
   */
  schedule(text: string, changes?: readonly TextChange[]): void;
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
/** The in-window exact counter, once enableLocalCounting has loaded it; null means every count goes to the backend. */
let local: LocalCounter | null = null;

/**
 * Loads the in-window exact counter (its tokenizer tables are a separate chunk). The app turns it on at start;
 * unit tests leave it off and see every count go through the transport.
 */
export async function enableLocalCounting(): Promise<void> {
  const { LocalCounter } = await import('../lib/localCounter');
  local = new LocalCounter();
  if (lastText !== null) local.reset(lastText);
}

/** Turns in-window counting off again (tests that enabled it). */
export function disableLocalCounting(): void {
  local = null;
}

/** The local exact count for `model`, or null when the model has no exact local tokenizer. */
function localCount(model: ModelEntry | undefined, text: string): TokenCount | null {
  if (!local || !model || model.tokenCountMethod !== 'exact') return null;
  const tokens = local.count(model.countWith);
  return {
    model: model.id,
    encoding: model.countWith,
    tokens,
    method: 'exact',
    counter: `${local.id}, in the window`,
    characters: text.length,
    cost: inputCost(model, tokens),
  };
}

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
  applyCatalog(models) {
    const selected = get().selectedModel;
    const known = models.some((m) => m.id === selected);
    set({ models, selectedModel: known ? selected : (models[0]?.id ?? selected) });
    if (lastText !== null) void get().countNow(lastText);
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
  schedule(text, changes) {
    if (local) {
      if (changes && lastText !== null) local.apply(changes, text);
      else local.reset(text);
    }
    lastText = text;
    const model = get().models.find((m) => m.id === get().selectedModel);
    const exact = localCount(model, text);
    if (exact) {
      cancelTimer();
      sequence++; // an answer still in flight for an older text is now stale
      set({ result: exact, pending: false });
      return;
    }
    cancelTimer();
    const seq = ++sequence; // any answer still in flight is now stale
    set({ pending: true });
    timer = setTimeout(() => {
      timer = undefined;
      if (seq === sequence) void get().countNow(text);
    }, COUNT_DEBOUNCE_MS);
  },
  async countNow(text) {
    if (local && text !== lastText) local.reset(text);
    lastText = text;
    cancelTimer();
    const seq = ++sequence;
    const model = get().selectedModel;
    const exact = localCount(
      get().models.find((m) => m.id === model),
      text,
    );
    if (exact) {
      set({ result: exact, pending: false });
      return;
    }
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
