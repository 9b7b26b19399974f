import { create } from 'zustand';
import type { RouteInput, RouteOutput } from '../../../shared/contract';
import type { ErrorPayload } from '../../../shared/errors';
import { createLatest, typingDelay } from '../lib/latest';
import { api, toErrorPayload } from '../transport';

/** Quiet time after the last keystroke before the cost table is recomputed (longer texts: typingDelay). */
export const COST_DEBOUNCE_MS = 200;

export type CostRequest = RouteInput<'cost.estimate'>;
export type CostEstimate = RouteOutput<'cost.estimate'>;

interface CostState {
  /** The latest answer; kept while a newer one is computed so the table never blanks. */
  estimate: CostEstimate | null;
  /** The request that answer is for. */
  estimated: CostRequest | null;
  pending: boolean;
  error: ErrorPayload | null;
  /** Recomputes for `request` after the debounce (at once when only the models or workload changed). */
  schedule(request: CostRequest): void;
  /**
   * Forgets what was last asked, so the next `schedule` is sent at once even for the same request (the
   * catalog changed, so the same text now has other prices). The answer shown stays until then.
   */
  forgetLastRequest(): void;
  clear(): void;
  reset(): void;
}

const initial = { estimate: null, estimated: null, pending: false, error: null };

let lastRequested: CostRequest | null = null;

function sameRequest(a: CostRequest | null, b: CostRequest): boolean {
  return (
    a !== null &&
    a.text === b.text &&
    JSON.stringify([a.models, a.workload]) === JSON.stringify([b.models, b.workload])
  );
}

const latest = createLatest<CostRequest, CostEstimate>({
  send: (request) => api.call('cost.estimate', request),
  onResult: (estimate, estimated) =>
    useCostStore.setState({ estimate, estimated, pending: false, error: null }),
  onError: (err) => useCostStore.setState({ pending: false, error: toErrorPayload(err) }),
});

/** The cost table of the selected models for the editor's text: live, debounced, stale answers dropped. */
export const useCostStore = create<CostState>()((set) => ({
  ...initial,
  schedule(request) {
    if (sameRequest(lastRequested, request)) return;
    // Typing is debounced; a first request, or a change of models or workload, goes out at once.
    const typing = lastRequested !== null && lastRequested.text !== request.text;
    lastRequested = request;
    set({ pending: true });
    latest.schedule(request, typing ? typingDelay(COST_DEBOUNCE_MS, request.text.length) : 0);
  },
  forgetLastRequest() {
    lastRequested = null;
  },
  clear() {
    latest.cancel();
    lastRequested = null;
    set(initial);
  },
  reset() {
    latest.cancel();
    lastRequested = null;
    set(initial);
  },
}));
