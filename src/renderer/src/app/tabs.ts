/**
 * The main area's tabs: every prompt, benchmark, golden set and history the user opened, in their order.
 * The shown one follows the screens (editor, Benchmarks, History); prompts in background tabs keep their
 * text, unsaved edits and (in the editor) undo history until their tab is closed.
 */
import { useBenchStore } from '../stores/bench';
import { useDialogStore } from '../stores/dialog';
import { useEditorStore } from '../stores/editor';
import { useHistoryStore } from '../stores/history';
import { useNoticesStore } from '../stores/notices';
import { dirtyBuffers, itemKey, useTabsStore, type OpenItem, type PromptBuffer } from '../stores/tabs';
import { useTokensStore } from '../stores/tokens';
import { useCompressStore } from '../stores/compress';
import { api, toErrorPayload } from '../transport';
import { confirmDiscard } from './actions';
import { openBench, openGolden, showEditor } from './benchActions';
import { closeHistory, openHistory, openPromptFile } from './historyActions';

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The item the main area shows now, or null for the empty state. */
export function activeItem(): OpenItem | null {
  const history = useHistoryStore.getState();
  if (history.open && history.path !== null) return { kind: 'history', path: history.path };
  const screen = useBenchStore.getState().screen;
  if (screen) return { kind: screen.kind, path: screen.path };
  const path = useEditorStore.getState().path;
  return path !== null ? { kind: 'prompt', path } : null;
}

/**
 * Adds whatever is shown now as a tab, at the end (opening passes through other screens, e.g. History
 * leaves a Benchmarks screen for the editor first, so "next to the one shown before" would be wrong).
 */
export function syncActiveTab(): void {
  const active = activeItem();
  if (active) useTabsStore.getState().add(active);
}

/** Follows the screens: installs the store subscriptions once; returns the uninstaller. */
export function watchTabs(): () => void {
  syncActiveTab();
  const offs = [
    useEditorStore.subscribe((s, p) => s.path !== p.path && syncActiveTab()),
    useBenchStore.subscribe((s, p) => s.screen !== p.screen && syncActiveTab()),
    useHistoryStore.subscribe((s, p) => (s.open !== p.open || s.path !== p.path) && syncActiveTab()),
  ];
  return () => offs.forEach((off) => off());
}

/**
 * Puts the open prompt aside into its tab and shows `path` instead: from its background tab when it has
 * one, else `load` (a read from disk). Nothing is asked: unsaved edits stay in their tab.
 */
export function swapPrompt(path: string, load: () => void): void {
  const editor = useEditorStore.getState();
  if (editor.path === path) return;
  const current = editor.snapshot();
  const back = useTabsStore.getState().take(path);
  if (current) useTabsStore.getState().stash(current);
  if (back) {
    useEditorStore.getState().restore(back);
    void useTokensStore.getState().countNow(back.content);
    if (!back.dirty) void refreshClean(back);
  } else {
    load();
  }
  useCompressStore.getState().forgetDocument();
}

/** A clean document back from the background: brought up to date if the file changed on disk meanwhile. */
async function refreshClean(buffer: PromptBuffer): Promise<void> {
  try {
    const file = await api.call('file.read', { path: buffer.path });
    const editor = useEditorStore.getState();
    if (editor.path !== buffer.path || editor.dirty || file.hash === editor.hash) return;
    editor.replaceFromDisk(file);
    void useTokensStore.getState().countNow(file.content);
  } catch {
    // gone or unreadable now: the workspace watcher reports it; the text stays as it was
  }
}

/** Shows a tab's item (through the screen's own open action, so its guards apply). */
export async function activateTab(item: OpenItem): Promise<boolean> {
  switch (item.kind) {
    case 'prompt':
      return openPromptFile(item.path);
    case 'bench':
      closeHistory();
      return openBench(item.path);
    case 'golden':
      closeHistory();
      return openGolden(item.path);
    case 'history':
      return openHistory(item.path);
  }
}

async function askDiscard(names: string[]): Promise<'save' | 'discard' | 'cancel'> {
  const one = names.length === 1;
  return useDialogStore.getState().ask({
    title: 'Unsaved changes',
    message: one
      ? `${names[0]} has changes that are not saved. Save them before you close it?`
      : `${names.length} files have changes that are not saved (${names.join(', ')}). Save them before you go on?`,
    choices: [
      { id: 'save', label: one ? 'Save' : 'Save all', primary: true },
      { id: 'discard', label: "Don't save", danger: true },
      { id: 'cancel', label: 'Cancel' },
    ],
    cancelId: 'cancel',
  }) as Promise<'save' | 'discard' | 'cancel'>;
}

/** Saves a background prompt with the hash it was read with; false (and a notice) when it fails. */
async function saveBuffer(buffer: PromptBuffer): Promise<boolean> {
  try {
    const saved = await api.call('file.save', {
      path: buffer.path,
      content: buffer.content,
      encoding: buffer.encoding,
      ...(buffer.hash !== null ? { baseHash: buffer.hash } : {}),
    });
    useTabsStore.getState().stash({
      ...buffer,
      savedContent: buffer.content,
      hash: saved.hash,
      encoding: saved.encoding,
      dirty: false,
    });
    return true;
  } catch (err) {
    useNoticesStore.getState().pushError(toErrorPayload(err));
    return false;
  }
}

/**
 * Before the background prompts' edits would be lost (another workspace): save them all, drop them, or
 * stop. The shown prompt is asked about by confirmDiscard.
 */
export async function confirmBackgroundDiscard(): Promise<boolean> {
  const dirty = dirtyBuffers(useTabsStore.getState().buffers);
  if (dirty.length === 0) return true;
  const choice = await askDiscard(dirty.map((b) => baseName(b.path)));
  if (choice === 'cancel') return false;
  if (choice === 'discard') return true;
  for (const buffer of dirty) if (!(await saveBuffer(buffer))) return false;
  return true;
}

/** Closes a tab: asks about unsaved edits, then shows its neighbour (or the empty state). */
export async function closeTab(item: OpenItem): Promise<boolean> {
  const tabs = useTabsStore.getState();
  const key = itemKey(item);
  const index = tabs.items.findIndex((i) => itemKey(i) === key);
  if (index < 0) return false;
  const active = activeItem();
  const isActive = active !== null && itemKey(active) === key;

  if (item.kind === 'prompt' && !isActive) {
    const buffer = tabs.buffers[item.path];
    if (buffer?.dirty) {
      const choice = await askDiscard([baseName(item.path)]);
      if (choice === 'cancel' || (choice === 'save' && !(await saveBuffer(buffer)))) return false;
    }
    useTabsStore.getState().remove(item);
    return true;
  }
  if (item.kind === 'prompt' && useEditorStore.getState().path === item.path) {
    // shown, or behind a Benchmarks / History screen: its edits are the editor's
    if (!(await confirmDiscard())) return false;
  }
  if ((item.kind === 'bench' || item.kind === 'golden') && isActive) {
    if (!(await showEditor())) return false;
  }
  if (item.kind === 'history' && isActive) closeHistory();

  const neighbour = tabs.items[index + 1] ?? tabs.items[index - 1] ?? null;
  useTabsStore.getState().remove(item);
  if (item.kind === 'prompt' && useEditorStore.getState().path === item.path) {
    useEditorStore.getState().close();
    useTokensStore.getState().clear();
  }
  if (isActive && neighbour) await activateTab(neighbour);
  return true;
}

/** Ctrl+Tab / Ctrl+Shift+Tab: the next or previous tab, wrapping around. */
export function cycleTab(step: 1 | -1): Promise<boolean> | undefined {
  const { items } = useTabsStore.getState();
  if (items.length < 2) return undefined;
  const active = activeItem();
  const index = active ? items.findIndex((i) => itemKey(i) === itemKey(active)) : -1;
  const next = items[(index + step + items.length) % items.length]!;
  return activateTab(next);
}

/** Forgets every tab (another workspace opened). */
export function resetTabs(): void {
  useTabsStore.getState().reset();
}
