/** Monaco from our own bundle: its worker, loader, themes and the options all our editors share. */
import { loader, type BeforeMount } from '@monaco-editor/react';
// The editor core, its standard features and the one language prompts need; not the bundled TypeScript,
// CSS, HTML and JSON language services, whose workers alone weigh 9 MB.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/markdown/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

// Monaco comes from our own bundle, never a CDN (the CSP forbids remote scripts), and its one worker is
// built by Vite next to it.
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });

/** Registers the light and dark themes (Monaco's beforeMount). */
export const defineThemes: BeforeMount = (m) => {
  m.editor.defineTheme('promptpress-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#6e747e' },
  });
  m.editor.defineTheme('promptpress-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#1b1c1f', 'editorLineNumber.foreground': '#5c6069' },
  });
};

/** Options every PromptPress editor shares (the prompt editor and the compression diff). */
export const OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  wordWrap: 'on',
  minimap: { enabled: false },
  fontSize: 13,
  lineHeight: 20,
  fontFamily: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
  padding: { top: 12, bottom: 12 },
  scrollBeyondLastLine: false,
  automaticLayout: true,
  renderLineHighlight: 'line',
  // Prompts are prose: brackets, quotes and word completions would change what the user types.
  autoClosingBrackets: 'never',
  autoClosingQuotes: 'never',
  quickSuggestions: false,
  suggestOnTriggerCharacters: false,
  wordBasedSuggestions: 'off',
  occurrencesHighlight: 'off',
  // Bracket colours are noise in prose. Standalone Monaco takes this model setting only as a flat
  // configuration key; the nested form is silently ignored.
  ...{ 'bracketPairColorization.enabled': false },
  stickyScroll: { enabled: false },
  unicodeHighlight: { invisibleCharacters: true, ambiguousCharacters: false },
};

export { monaco };
