import { Editor, type OnMount } from '@monaco-editor/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useColorScheme } from '../../lib/useColorScheme';
import type { EditorDecorations, TextEditorProps } from './editorHost';
import { defineThemes, monaco, OPTIONS } from './monacoSetup';

/** The Monaco editor bound to the editor store: one model per opened document, edits reported as text. */
export default function MonacoEditor({
  documentKey,
  value,
  language,
  ariaLabel,
  onChange,
  decorations,
  reveal,
}: TextEditorProps) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const marksRef = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const [mounted, setMounted] = useState(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const valueRef = useRef(value);
  valueRef.current = value;
  const languageRef = useRef(language);
  languageRef.current = language;
  const documentKeyRef = useRef(documentKey);
  documentKeyRef.current = documentKey;
  /** The document the editor's model belongs to. */
  const keyRef = useRef<string | null>(null);
  const keptRef = useRef(keptModels());
  /** The text this editor last reported, so echoes of our own edits skip the full-text comparison. */
  const emittedRef = useRef<string | null>(null);
  const scheme = useColorScheme();
  // A stable object: the wrapper calls editor.updateOptions whenever this prop changes identity.
  const options = useMemo(() => ({ ...OPTIONS, ariaLabel }), [ariaLabel]);

  const handleMount: OnMount = (editor) => {
    editorRef.current = editor;
    editor.onDidChangeModelContent((event) => {
      const text = editor.getValue();
      emittedRef.current = text;
      onChangeRef.current(
        text,
        event.changes.map((c) => ({ offset: c.rangeOffset, deleteCount: c.rangeLength, insert: c.text })),
      );
    });
    replaceModel(editor, valueRef.current, languageRef.current);
    keyRef.current = documentKeyRef.current;
    marksRef.current = editor.createDecorationsCollection();
    editor.focus();
    setMounted(true);
  };

  // A different document: its own model, so undo never crosses files. The model of the document left is
  // kept (a tab in the background), and given back with its undo history and cursor when it returns.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const previous = keyRef.current;
    keyRef.current = documentKey;
    if (previous === documentKey) return;
    const old = editor.getModel();
    if (old && previous !== null) keptRef.current.keep(previous, old, editor.saveViewState());
    const back = keptRef.current.take(documentKey);
    if (back && back.model.getValue() === valueRef.current) {
      editor.setModel(back.model);
      if (back.view) editor.restoreViewState(back.view);
      monaco.editor.setModelLanguage(back.model, languageRef.current);
    } else {
      back?.model.dispose();
      editor.setModel(monaco.editor.createModel(valueRef.current, languageRef.current));
      editor.setScrollTop(0);
    }
  }, [documentKey]);

  useEffect(() => {
    const kept = keptRef.current;
    return () => kept.clear();
  }, []);

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

  // Cache what-if marks. Marks computed for an older text are not placed; the ones shown move with edits.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    const marks = marksRef.current;
    if (!model || !marks) return;
    if (!decorations) {
      marks.clear();
      return;
    }
    if (model.getValue() !== decorations.text) return;
    marks.set(cacheMarks(model, decorations));
  }, [decorations, documentKey, mounted]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!reveal || !editor || !model) return;
    const start = model.getPositionAt(reveal.offset);
    const end = model.getPositionAt(reveal.offset + reveal.length);
    const range = new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
    editor.setSelection(range);
    editor.revealRangeInCenterIfOutsideViewport(range, monaco.editor.ScrollType.Smooth);
    editor.focus();
    // Only a new request moves the selection, not a re-render.
  }, [reveal?.id]);

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

function cacheMarks(
  model: monaco.editor.ITextModel,
  d: EditorDecorations,
): monaco.editor.IModelDeltaDecoration[] {
  const range = (from: number, to: number) => {
    const a = model.getPositionAt(from);
    const b = model.getPositionAt(to);
    return new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column);
  };
  const out: monaco.editor.IModelDeltaDecoration[] = [];
  if (d.prefixEnd > 0) {
    // The gutter bar covers the lines of the cacheable prefix; a prefix ending at a line start stops above it.
    const end = model.getPositionAt(d.prefixEnd);
    const lastLine = end.column === 1 && end.lineNumber > 1 ? end.lineNumber - 1 : end.lineNumber;
    out.push({
      range: new monaco.Range(1, 1, lastLine, 1),
      options: {
        isWholeLine: true,
        linesDecorationsClassName: d.prefixCached ? 'pp-prefix-gutter' : 'pp-prefix-gutter short',
        linesDecorationsTooltip: d.prefixCached
          ? 'Cacheable prefix'
          : 'Static prefix (too short to be cached by this model)',
      },
    });
  }
  for (const s of d.spans) {
    out.push({
      range: range(s.offset, s.offset + s.length),
      options: {
        inlineClassName: s.first ? 'pp-dynamic first' : 'pp-dynamic',
        hoverMessage: { value: s.message },
        overviewRuler: { color: '#d08a1a', position: monaco.editor.OverviewRulerLane.Right },
        stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
      },
    });
  }
  for (const b of d.breakpoints) {
    const at = model.getPositionAt(b.offset);
    const before = at.column === 1 && at.lineNumber > 1;
    out.push({
      range: new monaco.Range(at.lineNumber, 1, at.lineNumber, 1),
      options: {
        isWholeLine: true,
        className: before ? 'pp-breakpoint-line before' : 'pp-breakpoint-line after',
        linesDecorationsClassName: 'pp-breakpoint-gutter',
        linesDecorationsTooltip: b.message,
        hoverMessage: { value: b.message },
      },
    });
  }
  return out;
}

/** Models of documents in the background tabs; the oldest are disposed past this many. */
export const MAX_KEPT_MODELS = 12;

interface KeptModel {
  model: monaco.editor.ITextModel;
  view: monaco.editor.ICodeEditorViewState | null;
}

function keptModels() {
  const kept = new Map<string, KeptModel>();
  return {
    keep(key: string, model: monaco.editor.ITextModel, view: KeptModel['view']) {
      kept.get(key)?.model.dispose();
      kept.delete(key);
      kept.set(key, { model, view });
      while (kept.size > MAX_KEPT_MODELS) {
        const [oldest, entry] = kept.entries().next().value!;
        entry.model.dispose();
        kept.delete(oldest);
      }
    },
    take(key: string): KeptModel | undefined {
      const entry = kept.get(key);
      kept.delete(key);
      return entry;
    },
    clear() {
      for (const entry of kept.values()) entry.model.dispose();
      kept.clear();
    },
  };
}

function replaceModel(editor: monaco.editor.IStandaloneCodeEditor, value: string, language: string): void {
  const old = editor.getModel();
  editor.setModel(monaco.editor.createModel(value, language));
  old?.dispose();
  editor.setScrollTop(0);
}
