/**
 * What the user can do in the History view (history files, conversations, policies, the cost simulation and
 * the recall check), over the history store and the backend. Errors become notices with their code (see
 * actions.ts) and, where they belong to something on screen, are also kept for the view to show in place.
 */
import type { PolicyInput } from '../../../core/history/policy/schema';
import type { HistoryMessage } from '../../../core/history/types';
import type { FidelityQuestion, HistoryExportTarget } from '../../../shared/history';
import type { ErrorPayload } from '../../../shared/errors';
import { checkPolicy, emptyPolicy, isPolicyPath } from '../features/history/policyModel';
import { useDialogStore } from '../stores/dialog';
import { useHistoryStore, type FidelityInput, type SimulationInput } from '../stores/history';
import { useNoticesStore } from '../stores/notices';
import { useTokensStore } from '../stores/tokens';
import { useWorkspaceStore } from '../stores/workspace';
import { api, isTransportError, toErrorPayload } from '../transport';
import { report } from './actions';
import { runAsJob, withJob } from './jobs';
import { openPromptFile as openPrompt, showEditor } from './benchActions';

const store = () => useHistoryStore.getState();
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

// ---------------------------------------------------------------------------------------------------------
// Files and the view

export async function listHistoryFiles(): Promise<void> {
  if (!useWorkspaceStore.getState().workspace) return;
  try {
    store().setFiles(await api.call('history.listFiles'));
  } catch (err) {
    // a host without the history routes: the section says so instead of a notice each time
    if (isTransportError(err) && err.code === 'UNKNOWN_ROUTE') {
      store().setFiles({ histories: [], policies: [] }, false);
      return;
    }
    report(err, undefined, 'history-files');
  }
}

/** Shows the History view (leaving a Benchmarks screen first); false when the user kept unsaved edits there. */
export async function showHistoryView(): Promise<boolean> {
  if (!(await showEditor())) return false;
  store().setOpen(true);
  return true;
}

/** Back to the prompt editor. The view keeps its state (policy edits included) for when it comes back. */
export function closeHistory(): void {
  store().setOpen(false);
}

/** Opens a prompt from the sidebar: leaves the History view once the prompt is shown. */
export async function openPromptFile(path: string): Promise<boolean> {
  const ok = await openPrompt(path);
  if (ok) closeHistory();
  return ok;
}

/** Opens a history file in the History view, with its first conversation. */
export async function openHistory(path: string): Promise<boolean> {
  if (!(await showHistoryView())) return false;
  const s = store();
  if (s.path === path && s.summary) return true;
  await loadHistory(path);
  return true;
}

let loadSequence = 0;

/** Reads a history file; keeps the conversation shown when it is still there, else shows the first. */
export async function loadHistory(path: string, options: { quiet?: boolean } = {}): Promise<void> {
  const seq = ++loadSequence;
  store().loadStarted(path);
  try {
    const summary = await api.call('history.load', { path });
    if (seq !== loadSequence) return;
    store().loaded(path, summary);
    const current = store().conversationId;
    const keep = current !== null && summary.conversations.some((c) => c.id === current);
    const id = keep ? current : (summary.conversations[0]?.id ?? null);
    if (id !== null) await selectConversation(id, { force: keep });
    else store().selectConversation(null);
  } catch (err) {
    if (seq !== loadSequence) return;
    store().loadFailed(path, toErrorPayload(err));
    if (!options.quiet) report(err, undefined, `history-load:${path}`);
  }
}

/** Shows one conversation of the open file in full. */
export async function selectConversation(id: string, options: { force?: boolean } = {}): Promise<void> {
  const path = store().path;
  if (path === null) return;
  if (!options.force && store().conversationId === id && store().conversation) return;
  store().selectConversation(id);
  try {
    const { conversation } = await api.call('history.conversation', { path, id });
    if (store().path === path) store().conversationLoaded(id, conversation);
  } catch (err) {
    if (store().path === path) store().conversationLoaded(id, null, toErrorPayload(err));
    report(err, undefined, `history-conversation:${path}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Policies

/**
 * Asks what to do with unsaved policy edits before they would be lost. Resolves true when the caller may go
 * on (saved, discarded, or nothing to lose).
 */
export async function confirmPolicyDiscard(): Promise<boolean> {
  const s = store();
  if (!s.policyDirty) return true;
  const name = s.policyPath ? baseName(s.policyPath) : 'The policy';
  const canSave = s.policyPath !== null;
  const choice = await useDialogStore.getState().ask({
    title: 'Unsaved policy',
    message: `${name} has changes that are not saved.${canSave ? ' Save them before you go on?' : ' Discard them?'}`,
    choices: [
      ...(canSave ? [{ id: 'save' as const, label: 'Save', primary: true }] : []),
      { id: 'discard' as const, label: canSave ? "Don't save" : 'Discard', danger: true },
      { id: 'cancel' as const, label: 'Cancel', primary: !canSave },
    ],
    cancelId: 'cancel',
  });
  if (choice === 'cancel') return false;
  if (choice === 'discard') return true;
  return savePolicy();
}

/** Opens a policy file from the sidebar: the History view, with the first history if none is shown. */
export async function openPolicyFile(path: string): Promise<boolean> {
  // the policy being edited: just show it (its edits stay; "Load…" reads the file again)
  if (store().policyPath === path) return showHistoryView();
  if (!(await confirmPolicyDiscard())) return false;
  if (!(await showHistoryView())) return false;
  const first = store().files?.histories[0];
  await Promise.all([
    loadPolicy(path),
    store().path === null && first !== undefined ? loadHistory(first) : Promise.resolve(),
  ]);
  return true;
}

/** Loads a policy into the editor; a file that does not validate keeps the editor as it was. */
export async function loadPolicy(path: string): Promise<boolean> {
  try {
    const { policy } = await api.call('history.loadPolicy', { path });
    store().replacePolicy(policy as PolicyInput, path);
    return true;
  } catch (err) {
    store().setPolicyError(toErrorPayload(err));
    report(err, undefined, `history-policy:${path}`);
    return false;
  }
}

/** Starts a new, empty policy (asks about unsaved edits first). */
export async function newPolicy(): Promise<boolean> {
  if (!(await confirmPolicyDiscard())) return false;
  store().replacePolicy(emptyPolicy(), null);
  return true;
}

function policyInvalid(message: string, field?: string): ErrorPayload {
  return { code: 'INVALID_INPUT', message, ...(field ? { details: { field } } : {}) };
}

/**
 * Saves the policy to `path` (Save as) or to the file it came from. A different existing file is only
 * replaced after the user says so. Resolves false when nothing was written.
 */
export async function savePolicy(path?: string): Promise<boolean> {
  const s = store();
  const target = (path ?? s.policyPath ?? '').trim();
  if (!target) return false;
  if (!isPolicyPath(target)) {
    const error = policyInvalid(
      `A history policy is saved as NAME.policy.json or NAME.policy.yaml: ${target}.`,
    );
    report(error, undefined, 'history-policy-save');
    return false;
  }
  const check = checkPolicy(s.policy, target);
  if (!check.ok) {
    const error = policyInvalid(check.message, check.issues[0]?.field);
    s.setPolicyError(error);
    report(error, undefined, 'history-policy-save');
    return false;
  }
  s.setSavingPolicy(true);
  const write = (overwrite: boolean) =>
    api.call('history.savePolicy', { path: target, policy: s.policy, overwrite });
  try {
    try {
      await write(target === s.policyPath);
    } catch (err) {
      if (!isTransportError(err) || err.code !== 'FILE_EXISTS') throw err;
      const choice = await useDialogStore.getState().ask({
        title: 'Replace the file?',
        message: `${target} already exists. Replace it with this policy?`,
        choices: [
          { id: 'replace', label: 'Replace', danger: true },
          { id: 'cancel', label: 'Cancel', primary: true },
        ],
        cancelId: 'cancel',
      });
      if (choice !== 'replace') {
        store().setSavingPolicy(false);
        return false;
      }
      await write(true);
    }
    store().policySaved(target);
    useNoticesStore.getState().push({
      kind: 'info',
      message: `Policy saved to ${target}.`,
      key: 'history-policy-save',
      timeoutMs: 4000,
    });
    void listHistoryFiles();
    return true;
  } catch (err) {
    store().setSavingPolicy(false);
    if (isTransportError(err) && err.code === 'INVALID_INPUT') store().setPolicyError(toErrorPayload(err));
    report(err, undefined, 'history-policy-save');
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Simulation

/** The target model: the one picked in the view, else the app's selected model. */
export function targetModel(): string {
  return store().model ?? useTokensStore.getState().selectedModel;
}

/** What a simulation of the current state would be run on; null when something is missing. */
export function simulationInput(): SimulationInput | null {
  const s = store();
  if (s.path === null || s.conversationId === null) return null;
  return {
    path: s.path,
    conversationId: s.conversationId,
    model: targetModel(),
    caching: s.caching,
    policyJson: JSON.stringify(s.policy),
  };
}

/** True when an error is about the policy itself (its fields), not the history or the model. */
function isPolicyError(error: ErrorPayload): boolean {
  return error.code === 'INVALID_INPUT' && error.details?.file === 'policy';
}

/**
 * Replays the conversation with and without the policy on the target model. A summarising policy calls its
 * model through the configured providers (the backend caches summaries, so a re-run costs nothing).
 */
export async function simulate(): Promise<boolean> {
  const input = simulationInput();
  if (!input || store().simulating) return false;
  const check = checkPolicy(store().policy);
  if (!check.ok) {
    const error = policyInvalid(check.message, check.issues[0]?.field);
    store().setPolicyError(error);
    report(error, undefined, 'history-simulate');
    return false;
  }
  store().simulationStarted();
  try {
    const request = {
      path: input.path,
      conversationId: input.conversationId,
      policy: JSON.parse(input.policyJson) as unknown,
      model: input.model,
      caching: input.caching,
    };
    // a summarising policy asks a model: that run is a job (spend, cancel); summaries from the cache are instant
    const summarises = (store().policy.steps ?? []).some((step) => step.type === 'summarise');
    const result = summarises
      ? await runAsJob(
          { kind: 'summarise', title: `${baseName(input.path)} · ${input.conversationId}` },
          (jobId) => api.call('history.simulate', withJob(request, jobId)),
          { showAfterMs: 400, open: () => void openHistory(input.path) },
        )
      : await api.call('history.simulate', request);
    store().simulationDone(input, result);
    useNoticesStore.getState().dismissKey('history-simulate');
    return true;
  } catch (err) {
    const error = toErrorPayload(err);
    store().simulationDone(input, null, error);
    if (isPolicyError(error)) store().setPolicyError(error);
    report(err, undefined, 'history-simulate');
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Recall check (planted facts)

const ID_KEY = /(^|_)(id|number|code)$/i;
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/**
 * Questions about facts stated early in the conversation (ids and numbers in the arguments of its first tool
 * calls), the kind a summary must keep. Each names which call it means (`the second reservation id passed to
 * get_reservation_details`), so no two questions have the same text. A starting point for the user to edit;
 * nothing is sent.
 */
export function suggestQuestions(messages: readonly HistoryMessage[], max = 3): FidelityQuestion[] {
  const out: FidelityQuestion[] = [];
  const seen = new Set<string>();
  /** How many distinct values each (tool, argument) has had so far. */
  const counts = new Map<string, number>();
  const early = messages.slice(0, Math.max(1, Math.ceil(messages.length / 2)));
  for (const m of early) {
    for (const b of m.content) {
      if (b.type !== 'tool_use' || typeof b.input !== 'object' || b.input === null) continue;
      for (const [key, value] of Object.entries(b.input as Record<string, unknown>)) {
        if (!ID_KEY.test(key) || (typeof value !== 'string' && typeof value !== 'number')) continue;
        const expected = String(value);
        if (expected.length < 3 || seen.has(expected)) continue;
        seen.add(expected);
        const slot = `${b.name}\u0000${key}`;
        const n = (counts.get(slot) ?? 0) + 1;
        counts.set(slot, n);
        const nth = ORDINALS[n - 1] ?? `#${n}`;
        out.push({
          question: `Earlier in this conversation, what was the ${nth} ${key.replace(/_/g, ' ')} passed to ${b.name}? Answer with the value only.`,
          expected,
        });
        if (out.length >= max) return out;
      }
    }
  }
  return out;
}

export function fidelityInput(): FidelityInput | null {
  const s = store();
  if (s.path === null || s.conversationId === null) return null;
  return {
    path: s.path,
    conversationId: s.conversationId,
    policyJson: JSON.stringify(s.policy),
    models: s.fidelityModels.length ? s.fidelityModels : [targetModel()],
    questionsJson: JSON.stringify(s.fidelityQuestions),
  };
}

/**
 * Asks each question after the whole conversation and after the policy's version of it, on each model, and
 * scores the answers. The backend refuses before any call when the worst case is above the budget.
 */
export async function runFidelity(): Promise<boolean> {
  const input = fidelityInput();
  const s = store();
  if (!input || s.fidelityRunning) return false;
  const questions = s.fidelityQuestions.filter((q) => q.question.trim() && q.expected.trim());
  if (questions.length === 0) return false;
  const check = checkPolicy(s.policy);
  if (!check.ok) {
    const error = policyInvalid(check.message, check.issues[0]?.field);
    s.setPolicyError(error);
    report(error, undefined, 'history-fidelity');
    return false;
  }
  s.fidelityStarted();
  try {
    const request = {
      path: input.path,
      conversationId: input.conversationId,
      policy: JSON.parse(input.policyJson) as unknown,
      models: input.models,
      questions,
      budgetUsd: s.fidelityBudgetUsd,
    };
    const result = await runAsJob(
      { kind: 'recall', title: `${baseName(input.path)} · ${input.models.length} model(s)` },
      (jobId) => api.call('history.fidelity', withJob(request, jobId)),
      { showAfterMs: 400, open: () => void openHistory(input.path) },
    );
    store().fidelityDone(input, result);
    useNoticesStore.getState().dismissKey('history-fidelity');
    return true;
  } catch (err) {
    const error = toErrorPayload(err);
    store().fidelityDone(input, null, error);
    if (isPolicyError(error)) store().setPolicyError(error);
    report(err, undefined, 'history-fidelity');
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Export

/** The policy as the target's text (nothing is written); null with the error when it cannot be rendered. */
export async function renderPolicy(
  target: HistoryExportTarget,
): Promise<{ text: string; notes: string[]; extension: string } | { error: ErrorPayload }> {
  const check = checkPolicy(store().policy);
  if (!check.ok) return { error: policyInvalid(check.message, check.issues[0]?.field) };
  try {
    return await api.call('history.renderPolicy', { policy: store().policy, target });
  } catch (err) {
    return { error: toErrorPayload(err) };
  }
}

/**
 * Writes the policy in the target's form into the workspace. An existing file is only replaced after the user
 * says so. Resolves with what the target cannot express, or null when nothing was written.
 */
export async function exportPolicy(
  target: HistoryExportTarget,
  path: string,
): Promise<{ path: string; notes: string[] } | null> {
  const policy = store().policy;
  const check = checkPolicy(policy);
  if (!check.ok) {
    const error = policyInvalid(check.message, check.issues[0]?.field);
    store().setPolicyError(error);
    return report(error, undefined, 'history-export') ?? null;
  }
  const write = (overwrite: boolean) => api.call('history.exportPolicy', { policy, target, path, overwrite });
  try {
    let result;
    try {
      result = await write(false);
    } catch (err) {
      if (!isTransportError(err) || err.code !== 'FILE_EXISTS') throw err;
      const choice = await useDialogStore.getState().ask({
        title: 'Replace the file?',
        message: `${path} already exists. Replace it with this export?`,
        choices: [
          { id: 'replace', label: 'Replace', danger: true },
          { id: 'cancel', label: 'Cancel', primary: true },
        ],
        cancelId: 'cancel',
      });
      if (choice !== 'replace') return null;
      result = await write(true);
    }
    useNoticesStore.getState().push({
      kind: 'info',
      message: `Policy exported to ${result.path}.`,
      key: 'history-export',
      timeoutMs: 4000,
    });
    void listHistoryFiles();
    return result;
  } catch (err) {
    return report(err, undefined, 'history-export') ?? null;
  }
}
