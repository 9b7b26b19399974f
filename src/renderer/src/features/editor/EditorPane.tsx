import { Suspense, useCallback, useContext, useMemo } from 'react';
import { editText, saveFile } from '../../app/actions';
import { Icon } from '../../components/Icon';
import { useCacheStore } from '../../stores/cacheWhatIf';
import { useCostPanelStore } from '../../stores/costPanel';
import { languageFor, useEditorStore } from '../../stores/editor';
import { cacheDecorations } from '../costs/decorations';
import { setCompressMode } from '../../app/compressActions';
import { useCompressStore } from '../../stores/compress';
import { CompressView } from '../compress/CompressView';
import { TextEditorContext, type TextEditorProps } from './editorHost';
import { EmptyState } from './EmptyState';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const SAVE_SHORTCUT = isMac ? '⌘S' : 'Ctrl+S';

/** The open prompt: a tab with its name and dirty state, the Save button, and the text editor. */
export function EditorPane() {
  const path = useEditorStore((s) => s.path);
  const content = useEditorStore((s) => s.content);
  const dirty = useEditorStore((s) => s.dirty);
  const saving = useEditorStore((s) => s.saving);
  const session = useEditorStore((s) => s.session);
  const reveal = useEditorStore((s) => s.reveal);
  const TextEditor = useContext(TextEditorContext);
  const onChange = useCallback<TextEditorProps['onChange']>((text, changes) => editText(text, changes), []);
  const panelOpen = useCostPanelStore((s) => s.open);
  const togglePanel = useCostPanelStore((s) => s.toggle);
  const showCache = useCostPanelStore((s) => s.open && s.tab === 'cache');
  const analysis = useCacheStore((s) => s.analysis);
  const analyzedText = useCacheStore((s) => s.analyzedText);
  const compressing = useCompressStore((s) => s.mode === 'compress');
  // Cache marks only while the Cache tab is open; closing it removes them.
  const decorations = useMemo(
    () => (showCache && analysis && analyzedText !== null ? cacheDecorations(analysis, analyzedText) : null),
    [showCache, analysis, analyzedText],
  );

  if (path === null) return <EmptyState />;

  const name = path.slice(path.lastIndexOf('/') + 1);
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';

  return (
    <section className="editor-pane" aria-label={`Editor: ${name}`}>
      <div className="tab-strip">
        <div className="tab-strip-fill" title={path}>
          <span className="breadcrumb">
            {folder && <span className="breadcrumb-folder">{folder}/</span>}
            <span className="breadcrumb-name">{name}</span>
          </span>
        </div>
        <div className="mode-switch" role="group" aria-label="View">
          <button
            type="button"
            className={compressing ? 'mode-button' : 'mode-button active'}
            aria-pressed={!compressing}
            onClick={() => setCompressMode(false)}
            data-testid="mode-edit"
          >
            <Icon name="file" />
            Edit
          </button>
          <button
            type="button"
            className={compressing ? 'mode-button active' : 'mode-button'}
            aria-pressed={compressing}
            onClick={() => setCompressMode(true)}
            data-testid="mode-compress"
          >
            <Icon name="compress" />
            Compress
          </button>
        </div>
        <button
          type="button"
          hidden={compressing}
          className={panelOpen ? 'button button-ghost active' : 'button button-ghost'}
          onClick={togglePanel}
          aria-pressed={panelOpen}
          aria-controls="cost-panel"
          title={panelOpen ? 'Hide the cost panel' : 'Show the cost panel'}
          data-testid="cost-panel-toggle"
        >
          <Icon name="panel" />
          Costs
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void saveFile()}
          disabled={!dirty || saving}
          title={`Save (${SAVE_SHORTCUT})`}
          data-testid="save-button"
        >
          <Icon name="save" />
          {saving ? 'Saving…' : 'Save'}
          <kbd>{SAVE_SHORTCUT}</kbd>
        </button>
      </div>
      {compressing && <CompressView />}
      <div className="editor-container" data-testid="editor" hidden={compressing}>
        <Suspense fallback={<div className="editor-loading">Loading editor…</div>}>
          <TextEditor
            documentKey={`${session}:${path}`}
            value={content}
            language={languageFor(path)}
            ariaLabel={`Prompt text of ${name}`}
            onChange={onChange}
            decorations={decorations}
            reveal={reveal}
          />
        </Suspense>
      </div>
    </section>
  );
}
