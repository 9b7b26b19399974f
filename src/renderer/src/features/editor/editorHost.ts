import { createContext, lazy, type ComponentType } from 'react';

/** A span of the text to mark (dynamic content that breaks the prompt-cache prefix). */
export interface EditorMark {
  offset: number;
  length: number;
  /** The first dynamic span is the one that ends the cacheable prefix. */
  first: boolean;
  message: string;
}

/** Marks for the prompt-cache what-if, placed on `text` (they are skipped while the editor holds another). */
export interface EditorDecorations {
  text: string;
  /** End of the cacheable prefix (characters), and whether it is long enough to be cached. */
  prefixEnd: number;
  prefixCached: boolean;
  spans: EditorMark[];
  breakpoints: Array<{ offset: number; message: string }>;
}

/** A request to select and scroll to a range; `id` changes for every request. */
export interface EditorReveal {
  id: number;
  offset: number;
  length: number;
}

/** What the editor pane needs from a text editor; Monaco in the app, a textarea in tests. */
export interface TextEditorProps {
  /** Changes when a different document is opened: the editor starts fresh (undo stack, cursor). */
  documentKey: string;
  value: string;
  language: 'markdown' | 'plaintext';
  ariaLabel: string;
  /** The new text, and the edits that led to it when the editor knows them (offsets into the previous text). */
  onChange(
    value: string,
    changes?: ReadonlyArray<{ offset: number; deleteCount: number; insert: string }>,
  ): void;
  /** Cache what-if marks, shown while the Cache tab is open; null removes them. */
  decorations?: EditorDecorations | null;
  reveal?: EditorReveal | null;
}

export type TextEditorComponent = ComponentType<TextEditorProps>;

/** Monaco is loaded on first use, so the shell paints before the editor's few megabytes are parsed. */
const LazyMonaco = lazy(() => import('./MonacoEditor'));

/** The editor implementation in use; tests provide a plain textarea instead of Monaco. */
export const TextEditorContext = createContext<TextEditorComponent>(LazyMonaco);
