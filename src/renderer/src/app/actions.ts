/**
 * What the user can do, as plain async functions over the stores and the backend client. Components call
 * these; they never call the transport themselves, so every coded error ends up as a visible notice.
 */
import type { EventPayload, Workspace } from '../../../shared/contract';
import { api, isTransportError, toErrorPayload } from '../transport';
import { useCompressStore } from '../stores/compress';
import { useCostPanelStore } from '../stores/costPanel';
import { useDialogStore } from '../stores/dialog';
import { useEditorStore } from '../stores/editor';
import { useNoticesStore, type NoticeAction } from '../stores/notices';
import { useModelSelectionStore } from '../stores/modelSelection';
import { useTokensStore } from '../stores/tokens';
import { useWorkloadStore } from '../stores/workload';
import { useWorkspaceStore } from '../stores/workspace';
import type { TextChange } from '../lib/localCounter';
import { useTabsStore } from '../stores/tabs';
import { restoreSession, saveSession } from './session';
import { confirmBackgroundDiscard, resetTabs, swapPrompt } from './tabs';

const CONFLICT_KEY = 'file-conflict';

/** Shows a thrown error as a notice; returns undefined so callers can `return report(err)`. */
export function report(err: unknown, actions?: NoticeAction[], key?: string): undefined {
  useNoticesStore.getState().pushError(toErrorPayload(err), { actions, key });
  return undefined;
}

async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    return report(err);
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Loads what the app shows at start: host info, the workspace (last or sample), recent folders, models,
 * and the cost panel's layout, models and workload as the user left them.
 */
export async function bootstrap(): Promise<void> {
  const ws = useWorkspaceStore.getState();
  ws.setLoading(true);
  useCostPanelStore.getState().hydrate();
  useWorkloadStore.getState().hydrate();
  await Promise.all([
    attempt(async () => ws.setInfo(await api.call('app.info'))),
    attempt(async () => ws.setWorkspace(await api.call('workspace.current'))),
    attempt(async () => {
      await useTokensStore.getState().loadModels();
      useModelSelectionStore.getState().init(useTokensStore.getState().models.map((m) => m.id));
    }),
  ]);
  ws.setLoading(false);
  await Promise.all([refreshRecent(), restoreSession()]);
}

export async function refreshRecent(): Promise<void> {
  await attempt(async () =>
    useWorkspaceStore.getState().setRecent((await api.call('workspace.recent')).items),
  );
}

/**
 * Asks what to do with unsaved edits before they would be lost. Resolves true when the caller may go on
 * (saved, discarded, or nothing to lose) and false when the user cancelled or the save failed.
 */
export async function confirmDiscard(): Promise<boolean> {
  const editor = useEditorStore.getState();
  if (!editor.dirty || editor.path === null) return true;
  const choice = await useDialogStore.getState().ask({
    title: 'Unsaved changes',
    message: `${baseName(editor.path)} has changes that are not saved. Save them before you go on?`,
    choices: [
      { id: 'save', label: 'Save', primary: true },
      { id: 'discard', label: "Don't save", danger: true },
      { id: 'cancel', label: 'Cancel' },
    ],
    cancelId: 'cancel',
  });
  if (choice === 'cancel') return false;
  if (choice === 'discard') return true;
  return saveFile();
}

function showWorkspace(next: Workspace): void {
  useWorkspaceStore.getState().setWorkspace(next);
  useEditorStore.getState().close();
  resetTabs();
  useTokensStore.getState().clear();
  useNoticesStore.getState().dismissKey(CONFLICT_KEY);
}

async function switchWorkspace(open: () => Promise<Workspace>): Promise<boolean> {
  if (!(await confirmDiscard()) || !(await confirmBackgroundDiscard())) return false;
  saveSession(); // the workspace left opens again as it was
  const ws = useWorkspaceStore.getState();
  ws.setLoading(true);
  try {
    showWorkspace(await open());
    await Promise.all([refreshRecent(), restoreSession()]);
    return true;
  } catch (err) {
    report(err);
    return false;
  } finally {
    ws.setLoading(false);
  }
}

export function openWorkspace(path: string): Promise<boolean> {
  return switchWorkspace(() => api.call('workspace.open', { path }));
}

export function openSampleWorkspace(): Promise<boolean> {
  return switchWorkspace(() => api.call('workspace.openSample'));
}

/** The native folder picker (desktop host only); resolves false when the user cancelled. */
export async function pickAndOpenFolder(): Promise<boolean> {
  const picked = await attempt(() => api.call('workspace.pickFolder'));
  if (!picked?.path) return false;
  return openWorkspace(picked.path);
}

let openSequence = 0;

/**
 * Opens a prompt file in the editor. A file that cannot be opened (missing, binary, invalid UTF-8, too large)
 * shows a notice and leaves the editor exactly as it was.
 */
export async function openFile(path: string): Promise<boolean> {
  const editor = useEditorStore.getState();
  if (editor.path === path) return true;
  const seq = ++openSequence;
  // the open prompt goes to its tab, unsaved edits included: nothing needs asking
  if (useTabsStore.getState().buffers[path]) {
    swapPrompt(path, () => undefined);
    useNoticesStore.getState().dismissKey(CONFLICT_KEY);
    return true;
  }
  let file;
  try {
    file = await api.call('file.read', { path });
  } catch (err) {
    return report(err) ?? false;
  }
  if (seq !== openSequence) return false; // another file was clicked meanwhile
  const read = file;
  swapPrompt(path, () => {
    useEditorStore.getState().load(read);
    void useTokensStore.getState().countNow(read.content);
  });
  useNoticesStore.getState().dismissKey(CONFLICT_KEY);
  return true;
}

/** The user typed in the editor; `changes` are the edits when the editor reports them. */
export function editText(text: string, changes?: readonly TextChange[]): void {
  const editor = useEditorStore.getState();
  if (editor.path === null || text === editor.content) return;
  editor.setContent(text);
  useTokensStore.getState().schedule(text, changes);
  if (changes) useCompressStore.getState().mapProtect(changes);
  else useCompressStore.getState().clearProtect();
}

let saveInFlight: Promise<boolean> | null = null;

/**
 * Saves the open file with the hash it was read with, so a change made on disk meanwhile is detected
 * (FILE_CHANGED_ON_DISK) instead of silently overwritten. `force` overwrites anyway.
 */
export function saveFile(options: { force?: boolean } = {}): Promise<boolean> {
  const run = async (): Promise<boolean> => {
    const { path, content, hash, encoding } = useEditorStore.getState();
    if (path === null) return false;
    useEditorStore.getState().setSaving(true);
    try {
      const saved = await api.call('file.save', {
        path,
        content,
        encoding,
        ...(hash !== null ? { baseHash: hash } : {}),
        ...(options.force ? { force: true } : {}),
      });
      useEditorStore.getState().markSaved(saved, content);
      useNoticesStore.getState().dismissKey(CONFLICT_KEY);
      return true;
    } catch (err) {
      if (isTransportError(err) && err.code === 'FILE_CHANGED_ON_DISK') {
        report(err, conflictActions(), CONFLICT_KEY);
      } else {
        report(err);
      }
      return false;
    } finally {
      useEditorStore.getState().setSaving(false);
    }
  };
  const previous = saveInFlight ?? Promise.resolve(true);
  const next = previous.then(run, run);
  saveInFlight = next;
  void next.finally(() => {
    if (saveInFlight === next) saveInFlight = null;
  });
  return next;
}

function conflictActions(): NoticeAction[] {
  return [
    { label: 'Overwrite', primary: true, run: () => void saveFile({ force: true }) },
    { label: 'Reload', run: () => void reloadFromDisk() },
  ];
}

/** Discards the edits and shows the file as it is on disk now. */
export async function reloadFromDisk(): Promise<void> {
  const path = useEditorStore.getState().path;
  if (path === null) return;
  const file = await attempt(() => api.call('file.read', { path }));
  if (!file || useEditorStore.getState().path !== path) return;
  useEditorStore.getState().replaceFromDisk(file);
  useNoticesStore.getState().dismissKey(CONFLICT_KEY);
  void useTokensStore.getState().countNow(file.content);
}

/**
 * Files changed on disk: refresh the list; bring the open file up to date when it has no unsaved edits,
 * and tell the user when it has.
 */
export async function onWorkspaceChanged(payload: EventPayload<'workspace.changed'>): Promise<void> {
  const current = useWorkspaceStore.getState().workspace;
  if (!current || current.root !== payload.root) return;
  const fresh = await attempt(() => api.call('workspace.refresh'));
  if (fresh && useWorkspaceStore.getState().workspace?.root === fresh.root) {
    useWorkspaceStore.getState().setWorkspace(fresh);
  }
  const path = useEditorStore.getState().path;
  if (path === null || !payload.paths.includes(path)) return;
  if (saveInFlight) await saveInFlight; // our own save also shows up as a change
  let file;
  try {
    file = await api.call('file.read', { path });
  } catch (err) {
    if (isTransportError(err) && err.code === 'FILE_NOT_FOUND') {
      report(err, [], `gone:${path}`);
    }
    return;
  }
  const editor = useEditorStore.getState();
  if (editor.path !== path || file.hash === editor.hash) return;
  if (!editor.dirty || file.content === editor.content) {
    editor.replaceFromDisk(file);
    void useTokensStore.getState().countNow(file.content);
    return;
  }
  useNoticesStore.getState().push({
    kind: 'warning',
    code: 'FILE_CHANGED_ON_DISK',
    message: `${path} changed on disk while you were editing it. Your edits are kept: overwrite the file with them, or reload and lose them.`,
    key: CONFLICT_KEY,
    actions: conflictActions(),
  });
}
