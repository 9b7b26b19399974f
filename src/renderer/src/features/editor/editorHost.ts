import { createContext, lazy, type ComponentType } from 'react';

/** What the editor pane needs from a text editor; Monaco in the app, a textarea in tests. */
export interface TextEditorProps {
  /** Changes when a different document is opened: the editor starts fresh (undo stack, cursor). */
  documentKey: string;
  value: string;
  language: 'markdown' | 'plaintext';
  ariaLabel: string;
  onChange(value: string): void;
}

export type TextEditorComponent = ComponentType<TextEditorProps>;

/** Monaco is loaded on first use, so the shell paints before the editor's few megabytes are parsed. */
const LazyMonaco = lazy(() => import('./MonacoEditor'));

/** The editor implementation in use; tests provide a plain textarea instead of Monaco. */
export const TextEditorContext = createContext<TextEditorComponent>(LazyMonaco);
