import { create } from 'zustand';
import type { RouteInput, RouteOutput } from '../../../shared/contract';
import type { ErrorPayload } from '../../../shared/errors';
import { createLatest } from '../lib/latest';
import { api, toErrorPayload } from '../transport';

export const PROJECTION_DEBOUNCE_MS = 300;

export type ProjectionRequest = RouteInput<'cost.project'>;
export type ProjectionResult = RouteOutput<'cost.project'>;

interface ProjectionState {
  /** Workspace path of the prompt compared with the open one, or null. */
  compareWith: string | null;
  /** Its text, once read. */
  compareText: string | null;
  compareError: ErrorPayload | null;
  result: ProjectionResult | null;
  /** Whether `result` includes the comparison. */
  compared: boolean;
  pending: boolean;
  error: ErrorPayload | null;
  /** Picks (or, with null, drops) the prompt to compare with, and reads it. */
  setCompare(path: string | null): Promise<void>;
  schedule(request: ProjectionRequest): void;
  /**
   * Forgets what was last asked, so the next `schedule` is sent at once even for the same request (the
   * catalog changed, so the same text now has other prices). The answer shown stays until then.
   */
  forgetLastRequest(): void;
  clear(): void;
  reset(): void;
}

const initial = {
  compareWith: null,
  compareText: null,
  compareError: null,
  result: null,
  compared: false,
  pending: false,
  error: null,
};

let lastRequested: ProjectionRequest | null = null;
let compareSequence = 0;

type PromptRef = ProjectionRequest['original'];
const textOf = (ref: PromptRef | undefined) => (ref && 'text' in ref ? ref.text : undefined);
const tokensOf = (ref: PromptRef | undefined) => (ref && 'tokens' in ref ? ref.tokens : undefined);

/** Compares the prompts by identity first (they can be long), the small rest as JSON. */
function sameRequest(a: ProjectionRequest | null, b: ProjectionRequest): boolean {
  return (
    a !== null &&
    textOf(a.original) === textOf(b.original) &&
    textOf(a.compressed) === textOf(b.compressed) &&
    JSON.stringify([a.models, a.workload, tokensOf(a.original), tokensOf(a.compressed), !a.compressed]) ===
      JSON.stringify([b.models, b.workload, tokensOf(b.original), tokensOf(b.compressed), !b.compressed])
  );
}

const latest = createLatest<ProjectionRequest, ProjectionResult>({
  send: (request) => api.call('cost.project', request),
  onResult: (result, request) =>
    useProjectionStore.setState({
      result,
      compared: request.compressed !== undefined,
      pending: false,
      error: null,
    }),
  onError: (err) => useProjectionStore.setState({ pending: false, error: toErrorPayload(err) }),
});

/** The projection of the open prompt (and optionally another one) over the workload, per model. */
export const useProjectionStore = create<ProjectionState>()((set) => ({
  ...initial,
  async setCompare(path) {
    const seq = ++compareSequence;
    set({ compareWith: path, compareText: null, compareError: null });
    if (path === null) return;
    try {
      const file = await api.call('file.read', { path });
      if (seq === compareSequence) set({ compareText: file.content });
    } catch (err) {
      if (seq === compareSequence) set({ compareError: toErrorPayload(err) });
    }
  },
  schedule(request) {
    if (sameRequest(lastRequested, request)) return;
    const first = lastRequested === null;
    lastRequested = request;
    set({ pending: true });
    latest.schedule(request, first ? 0 : PROJECTION_DEBOUNCE_MS);
  },
  forgetLastRequest() {
    lastRequested = null;
  },
  clear() {
    latest.cancel();
    lastRequested = null;
    set({ result: null, compared: false, pending: false, error: null });
  },
  reset() {
    latest.cancel();
    lastRequested = null;
    compareSequence++;
    set(initial);
  },
}));
