import { create } from 'zustand';
import type { FileContent, SavedFile, TEXT_ENCODINGS } from '../../../shared/contract';
import type { EditorReveal } from '../features/editor/editorHost';
import type { PromptBuffer } from './tabs';

export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

interface EditorState {
  /** Workspace-relative path of the open file, or null for the empty state. */
  path: string | null;
  content: string;
  /** The text as it is on disk (last read or save); `dirty` compares against it. */
  savedContent: string;
  dirty: boolean;
  /** Hash of the bytes on disk at the last read or save, passed back as `baseHash` on save. */
  hash: string | null;
  encoding: TextEncoding;
  /** Bumped whenever a file is (re)opened into a fresh editor document, so the editor resets its undo stack. */
  session: number;
  /** A save is in flight. */
  saving: boolean;
  /** The latest request to show a range of the text (from the cost panel). */
  reveal: EditorReveal | null;
  /** Opens a file: a new document. */
  load(file: FileContent): void;
  /** Shows a document again that was put aside (a tab in the background), with its unsaved edits. */
  restore(buffer: PromptBuffer): void;
  /** The open document, to put aside; null when nothing is open. */
  snapshot(): PromptBuffer | null;
  /** Replaces the text with the file's current state on disk, keeping the document (cursor, undo). */
  replaceFromDisk(file: FileContent): void;
  /** The user edited the text. */
  setContent(content: string): void;
  /** A save of `content` succeeded. */
  markSaved(saved: SavedFile, content: string): void;
  setSaving(saving: boolean): void;
  /** Selects `length` characters from `offset` and scrolls them into view. */
  requestReveal(offset: number, length: number): void;
  close(): void;
  reset(): void;
}

const initial = {
  path: null,
  content: '',
  savedContent: '',
  dirty: false,
  hash: null,
  encoding: 'utf-8' as TextEncoding,
  session: 0,
  saving: false,
  reveal: null as EditorReveal | null,
};

/** The open prompt file: its text, what is on disk, and whether they differ. */
/** Editor sessions are numbered once for the app's life, so a document put aside keeps a unique one. */
let lastSession = 0;
const nextSession = () => ++lastSession;
/** A session number for a document put aside without having been shown (a restored draft). */
export const newEditorSession = nextSession;

export const useEditorStore = create<EditorState>()((set, get) => ({
  ...initial,
  load: (file) =>
    set({
      path: file.path,
      content: file.content,
      savedContent: file.content,
      dirty: false,
      hash: file.hash,
      encoding: file.encoding,
      session: nextSession(),
      reveal: null,
    }),
  restore: (buffer) =>
    set({
      path: buffer.path,
      content: buffer.content,
      savedContent: buffer.savedContent,
      dirty: buffer.dirty,
      hash: buffer.hash,
      encoding: buffer.encoding,
      session: buffer.session,
      reveal: null,
    }),
  snapshot() {
    const s = get();
    if (s.path === null) return null;
    const { path, content, savedContent, hash, encoding, dirty, session } = s;
    return { path, content, savedContent, hash, encoding, dirty, session };
  },
  replaceFromDisk: (file) =>
    set({
      path: file.path,
      content: file.content,
      savedContent: file.content,
      dirty: false,
      hash: file.hash,
      encoding: file.encoding,
    }),
  setContent: (content) =>
    set((s) =>
      s.path === null || content === s.content ? s : { content, dirty: content !== s.savedContent },
    ),
  markSaved: (saved, content) =>
    set((s) =>
      s.path !== saved.path
        ? s
        : { savedContent: content, hash: saved.hash, encoding: saved.encoding, dirty: s.content !== content },
    ),
  setSaving: (saving) => set({ saving }),
  requestReveal: (offset, length) =>
    set((s) => ({ reveal: { id: (s.reveal?.id ?? 0) + 1, offset, length } })),
  close: () => set({ ...initial, session: nextSession() }),
  reset: () => set(initial),
}));

export function languageFor(path: string): 'markdown' | 'plaintext' {
  return /\.(md|markdown)$/i.test(path) ? 'markdown' : 'plaintext';
}
