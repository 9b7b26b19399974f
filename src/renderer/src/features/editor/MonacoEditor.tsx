import { Editor, loader, type BeforeMount, type OnMount } from '@monaco-editor/react';
// The editor core, its standard features and the one language prompts need; not the bundled TypeScript,
// CSS, HTML and JSON language services, whose workers alone weigh 9 MB.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/markdown/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { useEffect, useMemo, useRef } from 'react';
import { useColorScheme } from '../../lib/useColorScheme';
import type { TextEditorProps } from './editorHost';

// Monaco comes from our own bundle, never a CDN (the CSP forbids remote scripts), and its one worker is
// built by Vite next to it.
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });

const defineThemes: BeforeMount = (m) => {
  m.editor.defineTheme('promptpress-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#a0a4ab' },
  });
  m.editor.defineTheme('promptpress-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#1b1c1f', 'editorLineNumber.foreground': '#5c6069' },
  });
};

const OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
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

/** The Monaco editor bound to the editor store: one model per opened document, edits reported as text. */
export default function MonacoEditor({ documentKey, value, language, ariaLabel, onChange }: TextEditorProps) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const valueRef = useRef(value);
  valueRef.current = value;
  const languageRef = useRef(language);
  languageRef.current = language;
  /** The text this editor last reported, so echoes of our own edits skip the full-text comparison. */
  const emittedRef = useRef<string | null>(null);
  const scheme = useColorScheme();
  // A stable object: the wrapper calls editor.updateOptions whenever this prop changes identity.
  const options = useMemo(() => ({ ...OPTIONS, ariaLabel }), [ariaLabel]);

  const handleMount: OnMount = (editor) => {
    editorRef.current = editor;
    editor.onDidChangeModelContent(() => {
      const text = editor.getValue();
      emittedRef.current = text;
      onChangeRef.current(text);
    });
    replaceModel(editor, valueRef.current, languageRef.current);
    editor.focus();
  };

  // A different document: a fresh model, so undo never crosses files.
  useEffect(() => {
    const editor = editorRef.current;
    if (editor) replaceModel(editor, valueRef.current, languageRef.current);
  }, [documentKey]);

  // The same document changed from outside (reloaded from disk): an undoable edit keeps cursor and history.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || value === emittedRef.current || model.getValue() === value) return;
    model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
  }, [value]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) monaco.editor.setModelLanguage(model, language);
  }, [language]);

  return (
    <Editor
      theme={scheme === 'dark' ? 'promptpress-dark' : 'promptpress-light'}
      beforeMount={defineThemes}
      onMount={handleMount}
      options={options}
      loading={<div className="editor-loading">Loading editor…</div>}
    />
  );
}

function replaceModel(editor: monaco.editor.IStandaloneCodeEditor, value: string, language: string): void {
  const old = editor.getModel();
  editor.setModel(monaco.editor.createModel(value, language));
  old?.dispose();
  editor.setScrollTop(0);
}
