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

/**
 * Registers the light and dark themes (Monaco's beforeMount). Their colours are the app's palette
 * (styles/base.css: --bg-editor, --fg, --fg-subtle, --accent, --bg-elevated, --border-strong) so the editor
 * reads as part of the window; line numbers keep 4.5:1 against the editor background.
 */
export const defineThemes: BeforeMount = (m) => {
  m.editor.defineTheme('promptpress-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': '#ffffff',
      'editor.foreground': '#1d2027',
      'editorLineNumber.foreground': '#6e747e',
      'editorLineNumber.activeForeground': '#1d2027',
      'editorCursor.foreground': '#2f5bd3',
      'editor.lineHighlightBackground': '#f6f7f9',
      'editor.lineHighlightBorder': '#00000000',
      'editor.selectionBackground': '#2f5bd333',
      'editor.inactiveSelectionBackground': '#2f5bd31f',
      'editorWidget.background': '#ffffff',
      'editorWidget.border': '#c9ccd3',
      'editorHoverWidget.background': '#ffffff',
      'editorHoverWidget.border': '#c9ccd3',
      focusBorder: '#2f5bd3',
    },
  });
  m.editor.defineTheme('promptpress-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': '#1b1c1f',
      'editor.foreground': '#e4e6ea',
      'editorLineNumber.foreground': '#8a909b',
      'editorLineNumber.activeForeground': '#e4e6ea',
      'editorCursor.foreground': '#6e96ff',
      'editor.lineHighlightBackground': '#222327',
      'editor.lineHighlightBorder': '#00000000',
      'editor.selectionBackground': '#6e96ff40',
      'editor.inactiveSelectionBackground': '#6e96ff24',
      'editorWidget.background': '#24262a',
      'editorWidget.border': '#3a3d44',
      'editorHoverWidget.background': '#24262a',
      'editorHoverWidget.border': '#3a3d44',
      'scrollbarSlider.background': '#ffffff1f',
      'scrollbarSlider.hoverBackground': '#ffffff2e',
      'scrollbarSlider.activeBackground': '#ffffff3d',
      // the compression diff in the app's success and danger colours, soft enough to read the text on
      'diffEditor.insertedTextBackground': '#5cc18b33',
      'diffEditor.insertedLineBackground': '#5cc18b14',
      'diffEditor.removedTextBackground': '#f0736b40',
      'diffEditor.removedLineBackground': '#f0736b17',
      'diffEditor.diagonalFill': '#3a3d4499',
      focusBorder: '#6e96ff',
    },
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
