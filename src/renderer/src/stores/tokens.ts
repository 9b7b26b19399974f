import { create } from 'zustand';
import type { TokenCount } from '../../../shared/contract';
import type { ModelEntry } from '../../../core/pricing/catalog';
import { inputCost } from '../../../core/pricing/cost';
import { api, toErrorPayload } from '../transport';
import type { LocalCounter, TextChange } from '../lib/localCounter';
import { useNoticesStore } from './notices';

/** Quiet time after the last keystroke before the text is counted. */
export const COUNT_DEBOUNCE_MS = 120;
/**
 * Texts up to this length are encoded in the window at once when no counter is ready for them (a few ms);
 * longer ones are warmed up in slices (LocalCounter.warm) and shown as pending meanwhile, so that neither
 * opening nor the first keystroke in a 200k-token prompt blocks the window for a second.
 */
export const SYNC_COUNT_MAX_CHARS = 20_000;
/** Quiet time after the last edit before the in-window counts are checked against the whole text. */
export const VERIFY_AFTER_MS = 1000;

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
let verifyTimer: ReturnType<typeof setTimeout> | undefined;
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
  if (lastText === null) return;
  // A file opened before the counter loaded was counted by the backend: get ready for its first edit.
  local.reset(lastText);
  const model = selected();
  if (model?.tokenCountMethod === 'exact') warmThenShow(model.countWith);
}

/** Turns in-window counting off again (tests that enabled it). */
export function disableLocalCounting(): void {
  local = null;
  warmups.clear();
}

/** The selected model's catalog entry. */
function selected(): ModelEntry | undefined {
  const { models, selectedModel } = useTokensStore.getState();
  return models.find((m) => m.id === selectedModel);
}

/**
 * The local exact count for `model`; null when the model has no exact local tokenizer; 'warming' when the
 * text is long and not counted yet: the count is then made in slices and shown when ready (warmThenShow).
 */
function localCount(model: ModelEntry | undefined, text: string): TokenCount | 'warming' | null {
  if (!local || !model || model.tokenCountMethod !== 'exact') return null;
  if (!local.has(model.countWith) && text.length > SYNC_COUNT_MAX_CHARS) {
    warmThenShow(model.countWith);
    return 'warming';
  }
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

/** The warm-ups under way whose count is shown when they finish, one per encoding. */
const warmups = new Map<ModelEntry['countWith'], Promise<void>>();

/** Warms the local counter for `encoding` and shows its count, if it is still the one wanted then. */
function warmThenShow(encoding: ModelEntry['countWith']): void {
  const counter = local;
  if (!counter || warmups.has(encoding)) return;
  const shown = counter
    .warm(encoding)
    .then(() => {
      const model = selected();
      if (local !== counter || lastText === null || model?.countWith !== encoding) return;
      const exact = localCount(model, lastText);
      if (!exact || exact === 'warming') return;
      cancelTimer();
      sequence++; // an answer still in flight for this text is no longer needed
      useTokensStore.setState({ result: exact, pending: false });
    })
    .finally(() => {
      if (warmups.get(encoding) === shown) warmups.delete(encoding);
    });
  warmups.set(encoding, shown);
}

/** Resolves once the counts being prepared in the window are shown (tests and benchmarks wait on it). */
export async function localCountsShown(): Promise<void> {
  while (warmups.size) await Promise.all([...warmups.values()]);
}

/** After a pause in typing, checks the counted text against the editor's in full; recounts if it drifted. */
function scheduleVerify(): void {
  if (verifyTimer !== undefined) clearTimeout(verifyTimer);
  verifyTimer = setTimeout(() => {
    verifyTimer = undefined;
    if (local && lastText !== null && !local.verify()) void useTokensStore.getState().countNow(lastText);
  }, VERIFY_AFTER_MS);
}

function cancelTimer(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

function cancelVerify(): void {
  if (verifyTimer !== undefined) clearTimeout(verifyTimer);
  verifyTimer = undefined;
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
      scheduleVerify();
    }
    lastText = text;
    const model = get().models.find((m) => m.id === get().selectedModel);
    const exact = localCount(model, text);
    if (exact === 'warming') {
      cancelTimer();
      sequence++;
      set({ pending: true });
      return;
    }
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
    if (exact === 'warming') {
      set({ pending: true });
      return;
    }
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
    cancelVerify();
    sequence++;
    lastText = null;
    set({ result: null, pending: false });
  },
  reset() {
    cancelTimer();
    cancelVerify();
    sequence++;
    lastText = null;
    set(initial);
  },
}));
