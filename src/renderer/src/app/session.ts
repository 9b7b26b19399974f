/**
 * The workbench as the user left it, per workspace: the open tabs, the one shown, and the unsaved edits of
 * prompts (so a crash, a killed process or a closed window loses no typing). Kept in the renderer's
 * localStorage; restored when the workspace opens again.
 */
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';
import { useBenchStore } from '../stores/bench';
import { newEditorSession, useEditorStore, type TextEncoding } from '../stores/editor';
import { useHistoryStore } from '../stores/history';
import { useNoticesStore } from '../stores/notices';
import { itemKey, useTabsStore, type OpenItem, type OpenItemKind } from '../stores/tabs';
import { useWorkspaceStore } from '../stores/workspace';
import { api } from '../transport';
import { activateTab, activeItem } from './tabs';

export interface Draft {
  path: string;
  content: string;
  /** The hash of the file the edits were made on: a save after a change on disk is caught as a conflict. */
  baseHash: string | null;
  encoding: TextEncoding;
}

export interface StoredSession {
  items: OpenItem[];
  active: OpenItem | null;
  drafts: Draft[];
  savedAt: string;
}

/** Sessions of this many workspaces are kept (the most recent). */
const MAX_WORKSPACES = 8;
/** Unsaved text kept across restarts, in characters; more than that is not written (the file stays dirty). */
export const MAX_DRAFT_CHARS = 4_000_000;
const SAVE_DELAY_MS = 400;
const KINDS: readonly OpenItemKind[] = ['prompt', 'bench', 'golden', 'history'];

type Sessions = Record<string, StoredSession>;

function readSessions(): Sessions {
  const stored = readStored(STORAGE_KEYS.session);
  return stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Sessions) : {};
}

const isItem = (v: unknown): v is OpenItem =>
  typeof v === 'object' &&
  v !== null &&
  KINDS.includes((v as OpenItem).kind) &&
  typeof (v as OpenItem).path === 'string';

const isDraft = (v: unknown): v is Draft =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Draft).path === 'string' &&
  typeof (v as Draft).content === 'string';

/** The session of the workspace open now, as it would be stored. */
export function currentSession(): StoredSession {
  const drafts: Draft[] = [];
  let chars = 0;
  const add = (d: Draft) => {
    if (chars + d.content.length > MAX_DRAFT_CHARS) return;
    chars += d.content.length;
    drafts.push(d);
  };
  const editor = useEditorStore.getState();
  if (editor.path !== null && editor.dirty) {
    add({ path: editor.path, content: editor.content, baseHash: editor.hash, encoding: editor.encoding });
  }
  for (const b of Object.values(useTabsStore.getState().buffers)) {
    if (b.dirty && b.path !== editor.path)
      add({ path: b.path, content: b.content, baseHash: b.hash, encoding: b.encoding });
  }
  return {
    items: useTabsStore.getState().items,
    active: activeItem(),
    drafts,
    savedAt: new Date().toISOString(),
  };
}

/** Writes the current workspace's session now. */
export function saveSession(): void {
  const root = useWorkspaceStore.getState().workspace?.root;
  if (!root || restoring) return;
  const sessions = readSessions();
  delete sessions[root];
  const kept = Object.entries(sessions).slice(-(MAX_WORKSPACES - 1));
  writeStored(STORAGE_KEYS.session, Object.fromEntries([...kept, [root, currentSession()]]));
}

let restoring = false;

/**
 * Brings back the tabs, the shown item and the unsaved edits stored for the workspace open now. Items whose
 * files are gone are left out; a draft is kept even when its file changed on disk (saving it then asks).
 */
export async function restoreSession(): Promise<void> {
  const workspace = useWorkspaceStore.getState().workspace;
  if (!workspace) return;
  const stored = readSessions()[workspace.root];
  if (!stored || !Array.isArray(stored.items)) return;
  restoring = true;
  try {
    const prompts = new Set(workspace.files.map((f) => f.path));
    const items = stored.items
      .filter(isItem)
      .filter((i) => i.kind !== 'prompt' || prompts.has(i.path) || workspace.truncated);
    const drafts = (Array.isArray(stored.drafts) ? stored.drafts : []).filter(isDraft);
    const restored: string[] = [];
    for (const draft of drafts) {
      if (!items.some((i) => i.kind === 'prompt' && i.path === draft.path)) continue;
      try {
        const file = await api.call('file.read', { path: draft.path });
        if (file.content === draft.content) continue; // saved since: nothing unsaved to bring back
        useTabsStore.getState().stash({
          path: draft.path,
          content: draft.content,
          savedContent: file.content,
          hash: draft.baseHash ?? file.hash,
          encoding: draft.encoding ?? file.encoding,
          dirty: true,
          session: newEditorSession(),
        });
        restored.push(draft.path.slice(draft.path.lastIndexOf('/') + 1));
      } catch {
        // the file cannot be read now; its tab reports that when opened
      }
    }
    useTabsStore.getState().setItems(items);
    const active = stored.active && isItem(stored.active) ? stored.active : null;
    const target = active && items.some((i) => itemKey(i) === itemKey(active)) ? active : items[0];
    if (target) await activateTab(target);
    if (restored.length > 0) {
      useNoticesStore.getState().push({
        kind: 'info',
        message: `Unsaved changes from your last session were restored: ${restored.join(', ')}.`,
        key: 'session-drafts',
        timeoutMs: 10_000,
      });
    }
  } finally {
    restoring = false;
  }
}

/** Saves the session shortly after anything in it changes, and at once when the page goes away. */
export function watchSession(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const schedule = () => {
    if (timer !== null) clearTimeout(timer);
    // a long draft costs tens of ms to write (887k characters: 30–75 ms, bench/latency): wait for a longer pause
    const size = useEditorStore.getState().content.length;
    timer = setTimeout(
      () => {
        timer = null;
        saveSession();
      },
      SAVE_DELAY_MS + Math.min(2000, Math.floor(size / 500)),
    );
  };
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    saveSession();
  };
  const offs = [
    useTabsStore.subscribe(schedule),
    useEditorStore.subscribe(
      (s, p) => (s.content !== p.content || s.path !== p.path || s.dirty !== p.dirty) && schedule(),
    ),
    useBenchStore.subscribe((s, p) => s.screen !== p.screen && schedule()),
    useHistoryStore.subscribe((s, p) => (s.open !== p.open || s.path !== p.path) && schedule()),
  ];
  window.addEventListener('pagehide', flush);
  window.addEventListener('beforeunload', flush);
  return () => {
    offs.forEach((off) => off());
    window.removeEventListener('pagehide', flush);
    window.removeEventListener('beforeunload', flush);
    if (timer !== null) clearTimeout(timer);
  };
}
