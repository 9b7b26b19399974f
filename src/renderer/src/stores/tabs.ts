import { create } from 'zustand';
import type { TextEncoding } from './editor';

/** Something open in the main area: a prompt in the editor, a bench config, a golden set, a history. */
export type OpenItemKind = 'prompt' | 'bench' | 'golden' | 'history';
export interface OpenItem {
  kind: OpenItemKind;
  /** Workspace-relative path. */
  path: string;
}

export const itemKey = (item: OpenItem): string => `${item.kind}:${item.path}`;

/** A prompt's document while its tab is not the one shown: the text, what is on disk, the editor session. */
export interface PromptBuffer {
  path: string;
  content: string;
  savedContent: string;
  hash: string | null;
  encoding: TextEncoding;
  dirty: boolean;
  /** The editor session it was shown in, so the editor can give back its undo history and cursor. */
  session: number;
}

interface TabsState {
  items: OpenItem[];
  /** Documents of prompt tabs that are not shown, by path. */
  buffers: Record<string, PromptBuffer>;
  /** Adds an item at the end; an item already open stays where it is. */
  add(item: OpenItem): void;
  remove(item: OpenItem): void;
  stash(buffer: PromptBuffer): void;
  /** Takes a stashed buffer out (it becomes the editor's again). */
  take(path: string): PromptBuffer | undefined;
  drop(path: string): void;
  /** Replaces the whole list (restoring a session). */
  setItems(items: OpenItem[]): void;
  reset(): void;
}

/** The tabs of the main area, in the user's order, and the documents of the prompt tabs in the background. */
export const useTabsStore = create<TabsState>()((set, get) => ({
  items: [],
  buffers: {},
  add(item) {
    const { items } = get();
    if (items.some((i) => itemKey(i) === itemKey(item))) return;
    set({ items: [...items, item] });
  },
  remove(item) {
    const key = itemKey(item);
    set((s) => {
      const buffers = { ...s.buffers };
      if (item.kind === 'prompt') delete buffers[item.path];
      return { items: s.items.filter((i) => itemKey(i) !== key), buffers };
    });
  },
  stash(buffer) {
    set((s) => ({ buffers: { ...s.buffers, [buffer.path]: buffer } }));
  },
  take(path) {
    const buffer = get().buffers[path];
    if (buffer) get().drop(path);
    return buffer;
  },
  drop(path) {
    set((s) => {
      if (!(path in s.buffers)) return s;
      const buffers = { ...s.buffers };
      delete buffers[path];
      return { buffers };
    });
  },
  setItems: (items) => set({ items }),
  reset: () => set({ items: [], buffers: {} }),
}));

/** Prompt tabs in the background with unsaved edits. */
export const dirtyBuffers = (buffers: Record<string, PromptBuffer>): PromptBuffer[] =>
  Object.values(buffers).filter((b) => b.dirty);
