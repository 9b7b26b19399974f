import { create } from 'zustand';
import type { Pipeline, StrategyInfo } from '../../../core/compression';
import type { CompressResult, RouteInput } from '../../../shared/contract';
import type { ErrorPayload } from '../../../shared/errors';
import { createLatest } from '../lib/latest';
import { runAsJob, withJob } from '../app/jobs';
import { api, toErrorPayload } from '../transport';
import { useEditorStore } from './editor';

/** Quiet time after the last change (typing, an option) before the pipeline runs again. */
export const COMPRESS_DEBOUNCE_MS = 250;

export type CompressRequest = RouteInput<'compress.run'>;
export type PanelTab = 'pipeline' | 'edits' | 'guards' | 'sections';
export interface PipelineStep {
  strategy: string;
  enabled: boolean;
  options: Record<string, unknown>;
}
export interface Range {
  start: number;
  end: number;
}

interface CompressState {
  /** The editor shows the prompt (`edit`) or the compression workbench (`compress`). */
  mode: 'edit' | 'compress';
  strategies: StrategyInfo[] | null;
  /** The pipeline being edited: name and steps in run order. */
  name: string;
  steps: PipelineStep[];
  /** The workspace file the pipeline was loaded from or saved to. */
  pipelinePath: string | null;
  /** Steps changed since the pipeline was loaded or saved. */
  pipelineDirty: boolean;
  /** Ids of edits the user rejected. */
  rejected: string[];
  /** Ranges of the prompt the user protected (offsets into the editor's text). */
  protect: Range[];
  result: CompressResult | null;
  /** The request the result answers. */
  resultFor: CompressRequest | null;
  pending: boolean;
  error: ErrorPayload | null;
  panelTab: PanelTab;
  /** The edit to show in the diff; `seq` changes with every request so the same edit can be shown again. */
  focus: { id: string; seq: number } | null;
  setMode(mode: 'edit' | 'compress'): void;
  setStrategies(list: StrategyInfo[], defaults: Pipeline): void;
  setPipeline(pipeline: Pipeline, path: string | null): void;
  markSaved(path: string): void;
  setStep(index: number, patch: Partial<Omit<PipelineStep, 'strategy'>>): void;
  moveStep(index: number, delta: -1 | 1): void;
  resetStep(index: number): void;
  /** Rejects (or accepts again) edits by id. */
  setRejected(ids: readonly string[], rejected: boolean): void;
  addProtect(range: Range): void;
  clearProtect(): void;
  /** Another document was opened: its edits, rejections and protected ranges start empty. */
  forgetDocument(): void;
  /** Carries the protected ranges through an edit of the prompt. */
  mapProtect(changes: ReadonlyArray<{ offset: number; deleteCount: number; insert: string }>): void;
  setPanelTab(tab: PanelTab): void;
  focusEdit(id: string): void;
  /** Runs the pipeline over `text` (debounced while typing). */
  schedule(text: string, model?: string): void;
  /** The pipeline in `.pipeline.json` form. */
  pipeline(): Pipeline;
  reset(): void;
}

const initial = {
  mode: 'edit' as const,
  strategies: null,
  name: 'Default',
  steps: [] as PipelineStep[],
  pipelinePath: null,
  pipelineDirty: false,
  rejected: [] as string[],
  protect: [] as Range[],
  result: null,
  resultFor: null,
  pending: false,
  error: null,
  panelTab: 'pipeline' as PanelTab,
  focus: null,
};

let lastRequested: CompressRequest | null = null;
let focusSeq = 0;

/** A pipeline that asks a model (an enabled llm.rewrite step) runs as a job: spend shown, cancellable. */
const usesModel = (request: CompressRequest): boolean =>
  ((request.pipeline as Pipeline | undefined)?.steps ?? []).some(
    (s) => s.strategy === 'llm.rewrite' && s.enabled !== false,
  );

function sendAsJob(request: CompressRequest): Promise<CompressResult> {
  const path = useEditorStore.getState().path;
  return runAsJob(
    { kind: 'rewrite', title: path ? path.slice(path.lastIndexOf('/') + 1) : 'the prompt' },
    (jobId) => api.call('compress.run', withJob(request, jobId)),
    {
      // answers from the rewrite cache come back at once and never show in the panel
      showAfterMs: 400,
      summarize: (r) => {
        const fresh = (r.llmCalls ?? []).filter((c) => !c.cached).length;
        return `${fresh} model ${fresh === 1 ? 'call' : 'calls'}, ${r.totals.saved} tokens saved`;
      },
    },
  );
}

const latest = createLatest<CompressRequest, CompressResult>({
  send: (request) => (usesModel(request) ? sendAsJob(request) : api.call('compress.run', request)),
  onResult: (result, resultFor) =>
    useCompressStore.setState({ result, resultFor, pending: false, error: null }),
  onError: (err) => useCompressStore.setState({ pending: false, error: toErrorPayload(err) }),
});

const sameRequest = (a: CompressRequest | null, b: CompressRequest) =>
  a !== null && a.text === b.text && JSON.stringify({ ...a, text: 0 }) === JSON.stringify({ ...b, text: 0 });

function toSteps(pipeline: Pipeline, strategies: readonly StrategyInfo[] | null): PipelineStep[] {
  const steps: PipelineStep[] = pipeline.steps.map((s) => ({
    strategy: s.strategy,
    enabled: s.enabled ?? true,
    options: { ...(strategies?.find((i) => i.id === s.strategy)?.defaults ?? {}), ...(s.options ?? {}) },
  }));
  // strategies the file does not name are listed after its steps, switched off, so they can be tried
  for (const info of strategies ?? []) {
    if (!steps.some((s) => s.strategy === info.id)) {
      steps.push({ strategy: info.id, enabled: false, options: { ...info.defaults } });
    }
  }
  return steps;
}

/** The Compress view's state: the pipeline being edited, the user's decisions, and the latest run. */
export const useCompressStore = create<CompressState>()((set, get) => ({
  ...initial,
  setMode: (mode) => set({ mode }),
  setStrategies(list, defaults) {
    const { steps } = get();
    set({
      strategies: list,
      ...(steps.length === 0 ? { steps: toSteps(defaults, list), name: defaults.name ?? 'Default' } : {}),
    });
  },
  setPipeline(pipeline, path) {
    set({
      steps: toSteps(pipeline, get().strategies),
      name: pipeline.name ?? (path ? path.replace(/^.*\//, '').replace(/\.pipeline\.json$/, '') : 'Pipeline'),
      pipelinePath: path,
      pipelineDirty: false,
      rejected: [],
    });
  },
  markSaved: (path) => set({ pipelinePath: path, pipelineDirty: false }),
  setStep(index, patch) {
    set({
      steps: get().steps.map((s, i) =>
        i === index ? { ...s, ...patch, options: { ...s.options, ...(patch.options ?? {}) } } : s,
      ),
      pipelineDirty: true,
    });
  },
  moveStep(index, delta) {
    const steps = [...get().steps];
    const to = index + delta;
    if (to < 0 || to >= steps.length) return;
    [steps[index], steps[to]] = [steps[to]!, steps[index]!];
    set({ steps, pipelineDirty: true });
  },
  resetStep(index) {
    const step = get().steps[index];
    const info = get().strategies?.find((s) => s.id === step?.strategy);
    if (!step || !info) return;
    get().setStep(index, { options: { ...info.defaults } });
  },
  setRejected(ids, rejected) {
    const current = new Set(get().rejected);
    for (const id of ids) {
      if (rejected) current.add(id);
      else current.delete(id);
    }
    set({ rejected: [...current] });
  },
  addProtect(range) {
    if (range.end <= range.start) return;
    set({ protect: [...get().protect, range].sort((a, b) => a.start - b.start) });
  },
  clearProtect: () => set({ protect: [] }),
  forgetDocument() {
    latest.cancel();
    lastRequested = null;
    set({
      rejected: [],
      protect: [],
      result: null,
      resultFor: null,
      pending: false,
      error: null,
      focus: null,
    });
  },
  mapProtect(changes) {
    if (get().protect.length === 0 || changes.length === 0) return;
    let ranges = get().protect;
    for (const c of changes) {
      const end = c.offset + c.deleteCount;
      const delta = c.insert.length - c.deleteCount;
      ranges = ranges
        .map((r) => ({
          start: r.start >= end ? r.start + delta : Math.min(r.start, c.offset),
          end: r.end >= end ? r.end + delta : r.end > c.offset ? c.offset + c.insert.length : r.end,
        }))
        .filter((r) => r.end > r.start);
    }
    set({ protect: ranges });
  },
  setPanelTab: (panelTab) => set({ panelTab }),
  focusEdit: (id) => set({ focus: { id, seq: ++focusSeq } }),
  schedule(text, model) {
    const request: CompressRequest = {
      text,
      pipeline: get().pipeline(),
      rejected: get().rejected,
      protect: get().protect,
      ...(model ? { model } : {}),
    };
    if (sameRequest(lastRequested, request)) return;
    const typing = lastRequested !== null && lastRequested.text !== request.text;
    lastRequested = request;
    set({ pending: true });
    latest.schedule(request, typing ? COMPRESS_DEBOUNCE_MS : 0);
  },
  pipeline() {
    const { name, steps } = get();
    return { version: 1, name, steps: steps.map((s) => ({ ...s, options: { ...s.options } })) };
  },
  reset() {
    latest.cancel();
    lastRequested = null;
    set({ ...initial });
  },
}));
