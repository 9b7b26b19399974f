import { create } from 'zustand';
import type { RouteInput, RouteOutput } from '../../../shared/contract';
import type { ErrorPayload } from '../../../shared/errors';
import { createLatest, typingDelay } from '../lib/latest';
import { api, toErrorPayload } from '../transport';

/**
 * Quiet time after the last keystroke before the what-if (and the invalidation check) is recomputed; longer
 * for long texts (typingDelay), which are sent with their baseline.
 */
export const CACHE_DEBOUNCE_MS = 250;

export type CacheRequest = RouteInput<'cost.cacheWhatIf'> & { text: string };
export type CacheAnalysis = RouteOutput<'cost.cacheWhatIf'>;

export interface Invalidation {
  /** Cached tokens the edits since the baseline throw away. */
  tokens: number;
  model: string;
}

interface CacheState {
  /** The model analysed in the Cache tab (null until the selection is known). */
  model: string | null;
  hitRate: number;
  ttl: '5m' | '1h';
  outputTokens: number;
  analysis: CacheAnalysis | null;
  /** The text `analysis` describes: editor decorations are placed on it. */
  analyzedText: string | null;
  pending: boolean;
  error: ErrorPayload | null;
  /**
   * The text before the current burst of edits: the last saved text, or the text when the user dismissed
   * the invalidation notice. Edits are compared against it.
   */
  baseline: string | null;
  invalidated: Invalidation | null;
  setModel(model: string | null): void;
  setHitRate(hitRate: number): void;
  setTtl(ttl: '5m' | '1h'): void;
  setOutputTokens(tokens: number): void;
  /** A new baseline (opened, saved, dismissed): the invalidation notice clears. */
  setBaseline(text: string | null): void;
  /**
   * Recomputes after the debounce; a request without `previousText` clears the invalidation. The first
   * request (after a file is opened or saved) goes out at once unless `typing` says an edit caused it.
   */
  schedule(request: CacheRequest, options?: { typing?: boolean }): void;
  /**
   * Forgets what was last asked, so the next `schedule` is sent at once even for the same request (the
   * catalog changed, so the same text now has other prices). The answer shown stays until then.
   */
  forgetLastRequest(): void;
  clear(): void;
  reset(): void;
}

const initial = {
  model: null,
  hitRate: 0.8,
  ttl: '5m' as const,
  outputTokens: 500,
  analysis: null,
  analyzedText: null,
  pending: false,
  error: null,
  baseline: null,
  invalidated: null,
};

let lastRequested: CacheRequest | null = null;

function sameRequest(a: CacheRequest | null, b: CacheRequest): boolean {
  return (
    a !== null &&
    a.text === b.text &&
    a.previousText === b.previousText &&
    a.model === b.model &&
    a.hitRate === b.hitRate &&
    a.ttl === b.ttl &&
    a.outputTokens === b.outputTokens
  );
}

const latest = createLatest<CacheRequest, CacheAnalysis>({
  send: (request) => api.call('cost.cacheWhatIf', request),
  onResult: (analysis, request) =>
    useCacheStore.setState({
      analysis,
      analyzedText: request.text,
      pending: false,
      error: null,
      invalidated:
        request.previousText !== undefined && analysis.invalidatedTokens > 0
          ? { tokens: analysis.invalidatedTokens, model: analysis.model }
          : null,
    }),
  onError: (err) => useCacheStore.setState({ pending: false, error: toErrorPayload(err) }),
});

/** The prompt-cache what-if of the editor's text, and whether the edits since the baseline break the cache. */
export const useCacheStore = create<CacheState>()((set, get) => ({
  ...initial,
  setModel: (model) => set({ model }),
  setHitRate: (hitRate) => set({ hitRate: Math.min(1, Math.max(0, hitRate)) }),
  setTtl: (ttl) => set({ ttl }),
  setOutputTokens: (outputTokens) => set({ outputTokens: Math.max(0, Math.round(outputTokens)) }),
  setBaseline(baseline) {
    if (baseline === get().baseline) return;
    // An answer still in flight was measured against the old baseline.
    latest.cancel();
    lastRequested = null;
    set({ baseline, invalidated: null, pending: false });
  },
  schedule(request, options = {}) {
    if (sameRequest(lastRequested, request)) return;
    const typing = options.typing || (lastRequested !== null && lastRequested.text !== request.text);
    lastRequested = request;
    set({ pending: true });
    const chars = request.text.length + (request.previousText?.length ?? 0);
    latest.schedule(request, typing ? typingDelay(CACHE_DEBOUNCE_MS, chars) : 0);
  },
  forgetLastRequest() {
    lastRequested = null;
  },
  clear() {
    latest.cancel();
    lastRequested = null;
    set({ analysis: null, analyzedText: null, pending: false, error: null, invalidated: null });
  },
  reset() {
    latest.cancel();
    lastRequested = null;
    set(initial);
  },
}));
