import { DiffEditor, type DiffOnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import { useColorScheme } from '../../lib/useColorScheme';
import { defineThemes, monaco, OPTIONS } from '../editor/monacoSetup';
import type { DiffMark, DiffRange, DiffViewProps } from './diffHost';

const DIFF_OPTIONS: monaco.editor.IDiffEditorConstructionOptions = {
  ...OPTIONS,
  readOnly: true,
  originalEditable: false,
  renderSideBySide: true,
  // always side by side: the point of the view is to compare the two. (Monaco starts a diff that is briefly
  // narrower than its breakpoint in inline mode and then never wraps the left side again.)
  useInlineViewWhenSpaceIsLimited: false,
  // whitespace edits are edits: hiding them would hide what format.whitespace did
  ignoreTrimWhitespace: false,
  renderMarginRevertIcon: false,
  diffWordWrap: 'on',
  renderOverviewRuler: true,
  enableSplitViewResizing: true,
};

const CLASS: Record<DiffMark['status'], string> = {
  applied: 'pp-edit applied',
  rejected: 'pp-edit rejected',
  blocked: 'pp-edit blocked',
};
const RULER: Record<DiffMark['status'], string> = {
  applied: '#2a9d8f',
  rejected: '#9aa0ab',
  blocked: '#d08a1a',
};

type Editor = monaco.editor.ICodeEditor;

function toRange(model: monaco.editor.ITextModel, r: DiffRange): monaco.Range {
  const a = model.getPositionAt(r.start);
  const b = model.getPositionAt(Math.max(r.start, r.end));
  return new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column);
}

function marks(
  model: monaco.editor.ITextModel,
  list: readonly DiffMark[],
  protectedRanges: readonly DiffRange[],
): monaco.editor.IModelDeltaDecoration[] {
  const out: monaco.editor.IModelDeltaDecoration[] = list.map((m) => {
    const empty = m.end <= m.start;
    // an edit that removed everything (or inserted at a point) still needs something to hover: its line
    const range = empty ? toRange(model, { start: m.start, end: m.start }) : toRange(model, m);
    return {
      range,
      options: {
        ...(empty
          ? { isWholeLine: true, linesDecorationsClassName: `pp-edit-gutter ${m.status}` }
          : { inlineClassName: CLASS[m.status] }),
        hoverMessage: { value: m.hover },
        overviewRuler: { color: RULER[m.status], position: monaco.editor.OverviewRulerLane.Center },
        stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
      },
    };
  });
  for (const p of protectedRanges) {
    out.push({
      range: toRange(model, p),
      options: {
        inlineClassName: 'pp-protected',
        hoverMessage: { value: 'Protected: no strategy may change this text.' },
      },
    });
  }
  return out;
}

/** The mark under the cursor of `editor`, if any. */
function markAtCursor(editor: Editor, list: readonly DiffMark[]): DiffMark | undefined {
  const model = editor.getModel();
  const pos = editor.getPosition();
  if (!model || !pos) return undefined;
  const at = model.getOffsetAt(pos);
  return list.find((m) => (m.end > m.start ? m.start <= at && at <= m.end : m.start === at));
}

/**
 * Monaco's side-by-side diff of the prompt and the pipeline's output, with every edit marked (hover for its
 * strategy, rule, saving and reason) and context-menu actions to reject or restore the edit under the cursor
 * and to protect a selection.
 */
export default function MonacoDiff(props: DiffViewProps) {
  const diffRef = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  const collections = useRef<{
    original: monaco.editor.IEditorDecorationsCollection;
    modified: monaco.editor.IEditorDecorationsCollection;
  } | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const [mounted, setMounted] = useState(false);
  const scheme = useColorScheme();

  // @monaco-editor/react disposes the text models before the diff widget lets go of them ("TextModel got
  // disposed before DiffEditorWidget model got reset"): it keeps them (keepCurrent*Model) and this unmount
  // detaches them from the widget first, then disposes them.
  useEffect(
    () => () => {
      const diff = diffRef.current;
      const models = diff?.getModel();
      try {
        diff?.setModel(null);
      } catch {
        // the widget was already disposed: nothing holds the models any more
      }
      models?.original.dispose();
      models?.modified.dispose();
      diffRef.current = null;
    },
    [],
  );

  const onMount: DiffOnMount = (diff) => {
    diffRef.current = diff;
    const original = diff.getOriginalEditor();
    const modified = diff.getModifiedEditor();
    // the two sides are text boxes for screen readers: they need names
    original.updateOptions({ ariaLabel: 'Original prompt' });
    modified.updateOptions({ ariaLabel: 'Compressed prompt' });
    collections.current = {
      original: original.createDecorationsCollection(),
      modified: modified.createDecorationsCollection(),
    };
    const toggle = (editor: Editor, list: () => readonly DiffMark[]) => {
      const mark = markAtCursor(editor, list());
      if (mark && mark.status !== 'blocked')
        propsRef.current.onToggleEdit(mark.id, mark.status === 'applied');
    };
    original.addAction({
      id: 'promptpress.toggleEdit',
      label: 'Reject or restore the edit here',
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 1,
      run: (e) => toggle(e, () => propsRef.current.originalMarks),
    });
    modified.addAction({
      id: 'promptpress.rejectEdit',
      label: 'Reject the edit here',
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 1,
      run: (e) => toggle(e, () => propsRef.current.modifiedMarks),
    });
    original.addAction({
      id: 'promptpress.protect',
      label: 'Protect selection from compression',
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 2,
      precondition: 'editorHasSelection',
      run: (e) => {
        const model = e.getModel();
        const sel = e.getSelection();
        if (!model || !sel || sel.isEmpty()) return;
        propsRef.current.onProtect({
          start: model.getOffsetAt(sel.getStartPosition()),
          end: model.getOffsetAt(sel.getEndPosition()),
        });
      },
    });
    setMounted(true);
  };

  // Marks computed for other texts than the models hold are not placed (the wrapper updates models first).
  useEffect(() => {
    const diff = diffRef.current;
    const c = collections.current;
    if (!diff || !c) return;
    const { original, modified } = diff.getModel() ?? {};
    if (original?.getValue() === props.original) {
      c.original.set(marks(original, props.originalMarks, props.protectedRanges));
    }
    if (modified?.getValue() === props.modified) c.modified.set(marks(modified, props.modifiedMarks, []));
  }, [
    mounted,
    props.original,
    props.modified,
    props.originalMarks,
    props.modifiedMarks,
    props.protectedRanges,
  ]);

  useEffect(() => {
    const diff = diffRef.current;
    const reveal = props.reveal;
    if (!diff || !reveal) return;
    const pairs: Array<[Editor, DiffRange]> = [
      [diff.getOriginalEditor(), reveal.original],
      [diff.getModifiedEditor(), reveal.modified],
    ];
    for (const [editor, r] of pairs) {
      const model = editor.getModel();
      if (!model) continue;
      const range = toRange(model, r);
      editor.setSelection(range);
      editor.revealRangeInCenterIfOutsideViewport(range, monaco.editor.ScrollType.Smooth);
    }
    // only a new request moves the selection, not a re-render
  }, [props.reveal?.seq, mounted]);

  return (
    <DiffEditor
      original={props.original}
      modified={props.modified}
      language="markdown"
      theme={scheme === 'dark' ? 'promptpress-dark' : 'promptpress-light'}
      beforeMount={defineThemes}
      onMount={onMount}
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      options={DIFF_OPTIONS}
      loading={<div className="editor-loading">Loading diff…</div>}
    />
  );
}
