import { create } from 'zustand';
import type { PolicyInput } from '../../../core/history/policy/schema';
import type { SimulationResult } from '../../../core/history/simulate';
import type { Conversation } from '../../../core/history/types';
import type { FidelityQuestion, FidelityResult, HistoryFileSummary } from '../../../shared/history';
import type { ErrorPayload } from '../../../shared/errors';

type StepDraft = PolicyInput['steps'][number];

/** What a simulation was run on: a result stays shown after an edit, marked as out of date. */
export interface SimulationInput {
  path: string;
  conversationId: string;
  model: string;
  caching: boolean;
  /** The policy as sent (JSON). */
  policyJson: string;
}

export interface FidelityInput {
  path: string;
  conversationId: string;
  policyJson: string;
  models: string[];
  questionsJson: string;
}

interface HistoryState {
  /** The workspace's history and policy files (history.listFiles); null before the first answer. */
  files: { histories: string[]; policies: string[] } | null;
  /** False when the host has no history routes. */
  available: boolean;
  /** The History view is shown in the main area. */
  open: boolean;
  /** The history file shown (workspace path). */
  path: string | null;
  summary: HistoryFileSummary | null;
  loading: boolean;
  loadError: ErrorPayload | null;
  conversationId: string | null;
  conversation: Conversation | null;
  conversationError: ErrorPayload | null;

  /** The policy being edited, as it would be written (defaults spelled out once loaded). */
  policy: PolicyInput;
  /** A stable key per step, for the list while steps move. */
  stepKeys: number[];
  /** The file the policy was loaded from or saved to. */
  policyPath: string | null;
  /** The policy as loaded or last saved (JSON), to tell whether there are unsaved edits. */
  savedJson: string;
  policyDirty: boolean;
  /** A coded error about the policy from the backend (load, save, simulate), shown in the editor. */
  policyError: ErrorPayload | null;
  savingPolicy: boolean;

  /** The target model of the simulation (null: the app's selected model). */
  model: string | null;
  caching: boolean;
  simulating: boolean;
  simulation: { input: SimulationInput; result: SimulationResult } | null;
  simulationError: ErrorPayload | null;

  fidelityQuestions: FidelityQuestion[];
  fidelityModels: string[];
  fidelityBudgetUsd: number;
  fidelityRunning: boolean;
  fidelity: { input: FidelityInput; result: FidelityResult } | null;
  fidelityError: ErrorPayload | null;

  setFiles(files: { histories: string[]; policies: string[] }, available?: boolean): void;
  setOpen(open: boolean): void;
  /** Shows a history file: a new path forgets the previous file's conversation and results. */
  loadStarted(path: string): void;
  loaded(path: string, summary: HistoryFileSummary): void;
  loadFailed(path: string, error: ErrorPayload): void;
  selectConversation(id: string | null): void;
  conversationLoaded(id: string, conversation: Conversation | null, error?: ErrorPayload): void;

  replacePolicy(policy: PolicyInput, path: string | null): void;
  setPolicyMeta(patch: Partial<Pick<PolicyInput, 'name' | 'description'>>): void;
  addStep(step: StepDraft): void;
  updateStep(index: number, step: StepDraft): void;
  removeStep(index: number): void;
  moveStep(index: number, by: -1 | 1): void;
  setPolicyError(error: ErrorPayload | null): void;
  setSavingPolicy(saving: boolean): void;
  policySaved(path: string): void;

  setModel(model: string): void;
  setCaching(caching: boolean): void;
  simulationStarted(): void;
  simulationDone(input: SimulationInput, result: SimulationResult | null, error?: ErrorPayload): void;

  setFidelityQuestions(questions: FidelityQuestion[]): void;
  setFidelityModels(models: string[]): void;
  setFidelityBudget(usd: number): void;
  fidelityStarted(): void;
  fidelityDone(input: FidelityInput, result: FidelityResult | null, error?: ErrorPayload): void;
  reset(): void;
}

const NEW_POLICY: PolicyInput = { version: 1, name: 'New policy', steps: [] };
let nextKey = 1;
const keysFor = (n: number) => Array.from({ length: n }, () => nextKey++);

const initial = {
  files: null,
  available: true,
  open: false,
  path: null,
  summary: null,
  loading: false,
  loadError: null,
  conversationId: null,
  conversation: null,
  conversationError: null,
  policy: NEW_POLICY,
  stepKeys: [] as number[],
  policyPath: null,
  savedJson: JSON.stringify(NEW_POLICY),
  policyDirty: false,
  policyError: null,
  savingPolicy: false,
  model: null,
  caching: true,
  simulating: false,
  simulation: null,
  simulationError: null,
  fidelityQuestions: [] as FidelityQuestion[],
  fidelityModels: [] as string[],
  fidelityBudgetUsd: 0.25,
  fidelityRunning: false,
  fidelity: null,
  fidelityError: null,
};

/**
 * The History view: the history file and conversation shown, the policy being edited (with its file and
 * unsaved state), and the last simulation and fidelity check with what they were run on.
 */
export const useHistoryStore = create<HistoryState>()((set, get) => {
  const edit = (policy: PolicyInput, stepKeys = get().stepKeys) =>
    set({ policy, stepKeys, policyDirty: JSON.stringify(policy) !== get().savedJson, policyError: null });
  return {
    ...initial,
    setFiles: (files, available = true) => set({ files, available }),
    setOpen: (open) => set({ open }),
    loadStarted(path) {
      const same = get().path === path;
      set({
        path,
        loading: true,
        loadError: null,
        ...(same
          ? {}
          : {
              summary: null,
              conversationId: null,
              conversation: null,
              conversationError: null,
              simulationError: null,
              fidelityError: null,
            }),
      });
    },
    loaded(path, summary) {
      if (get().path !== path) return;
      set({ summary, loading: false, loadError: null });
    },
    loadFailed(path, error) {
      if (get().path !== path) return;
      set({ loading: false, loadError: error });
    },
    selectConversation(id) {
      if (id === get().conversationId) return;
      set({ conversationId: id, conversation: null, conversationError: null });
    },
    conversationLoaded(id, conversation, error) {
      if (get().conversationId !== id) return;
      set({ conversation, conversationError: error ?? null });
    },

    replacePolicy(policy, path) {
      set({
        policy,
        stepKeys: keysFor(policy.steps.length),
        policyPath: path,
        savedJson: JSON.stringify(policy),
        policyDirty: false,
        policyError: null,
      });
    },
    setPolicyMeta(patch) {
      const next = { ...get().policy, ...patch };
      if (next.name === '') delete next.name;
      if (next.description === '') delete next.description;
      edit(next);
    },
    addStep(step) {
      const { policy, stepKeys } = get();
      edit({ ...policy, steps: [...policy.steps, step] }, [...stepKeys, nextKey++]);
    },
    updateStep(index, step) {
      const { policy } = get();
      edit({ ...policy, steps: policy.steps.map((s, i) => (i === index ? step : s)) });
    },
    removeStep(index) {
      const { policy, stepKeys } = get();
      edit(
        { ...policy, steps: policy.steps.filter((_, i) => i !== index) },
        stepKeys.filter((_, i) => i !== index),
      );
    },
    moveStep(index, by) {
      const { policy, stepKeys } = get();
      const to = index + by;
      if (to < 0 || to >= policy.steps.length) return;
      const steps = [...policy.steps];
      const keys = [...stepKeys];
      [steps[index], steps[to]] = [steps[to]!, steps[index]!];
      [keys[index], keys[to]] = [keys[to]!, keys[index]!];
      edit({ ...policy, steps }, keys);
    },
    setPolicyError: (policyError) => set({ policyError }),
    setSavingPolicy: (savingPolicy) => set({ savingPolicy }),
    policySaved(path) {
      set({
        policyPath: path,
        savedJson: JSON.stringify(get().policy),
        policyDirty: false,
        policyError: null,
        savingPolicy: false,
      });
    },

    setModel: (model) => set({ model }),
    setCaching: (caching) => set({ caching }),
    simulationStarted: () => set({ simulating: true, simulationError: null }),
    simulationDone(input, result, error) {
      set({
        simulating: false,
        ...(result
          ? { simulation: { input, result }, simulationError: null }
          : { simulationError: error ?? null }),
      });
    },

    setFidelityQuestions: (fidelityQuestions) => set({ fidelityQuestions }),
    setFidelityModels: (fidelityModels) => set({ fidelityModels }),
    setFidelityBudget: (fidelityBudgetUsd) => set({ fidelityBudgetUsd }),
    fidelityStarted: () => set({ fidelityRunning: true, fidelityError: null }),
    fidelityDone(input, result, error) {
      set({
        fidelityRunning: false,
        ...(result ? { fidelity: { input, result }, fidelityError: null } : { fidelityError: error ?? null }),
      });
    },
    reset: () => set({ ...initial }),
  };
});
