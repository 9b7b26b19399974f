import { Suspense, useContext, useEffect, useMemo, useState } from 'react';
import { loadStrategies } from '../../app/compressActions';
import { Icon } from '../../components/Icon';
import { formatInt } from '../../lib/format';
import { useCompressStore, type PanelTab } from '../../stores/compress';
import { useEditorStore } from '../../stores/editor';
import { useTokensStore } from '../../stores/tokens';
import { CompressSummary } from './CompressSummary';
import { DiffViewContext, type DiffRange } from './diffHost';
import { EditList } from './EditList';
import { ExportDialog } from './ExportDialog';
import { GuardReport } from './GuardReport';
import { PipelinePanel } from './PipelinePanel';
import { compressView, type HeatSegment } from './viewModel';

const TABS: Array<{ id: PanelTab; label: string }> = [
  { id: 'pipeline', label: 'Pipeline' },
  { id: 'edits', label: 'Edits' },
  { id: 'guards', label: 'Guards' },
  { id: 'sections', label: 'Sections' },
];

/** Runs the pipeline whenever the prompt, the pipeline, a decision or the counting model changes. */
function useCompressSync(text: string) {
  const steps = useCompressStore((s) => s.steps);
  const rejected = useCompressStore((s) => s.rejected);
  const protect = useCompressStore((s) => s.protect);
  const ready = useCompressStore((s) => s.strategies !== null);
  const model = useTokensStore((s) => s.selectedModel);
  useEffect(() => {
    void loadStrategies();
  }, []);
  useEffect(() => {
    if (ready) useCompressStore.getState().schedule(text, model);
  }, [text, steps, rejected, protect, model, ready]);
}

function SectionsTable({ onPick }: { onPick(s: HeatSegment): void }) {
  const result = useCompressStore((s) => s.result);
  if (!result) return null;
  return (
    <table className="sections-table" data-testid="sections-table">
      <thead>
        <tr>
          <th scope="col">Section</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
          <th scope="col">Saved</th>
        </tr>
      </thead>
      <tbody>
        {result.sections.map((s, i) => (
          <tr key={`${i}:${s.start}`}>
            <td>
              <button
                type="button"
                className="link-button section-link"
                style={{ paddingLeft: `${Math.max(0, s.level - 1) * 10}px` }}
                onClick={() =>
                  onPick({
                    title: s.title,
                    start: s.start,
                    outputStart: s.outputStart,
                    tokensBefore: s.tokensBefore,
                    tokensAfter: s.tokensAfter,
                    share: 0,
                    saved: 0,
                  })
                }
              >
                {s.title || '(top)'}
              </button>
            </td>
            <td>{formatInt(s.tokensBefore)}</td>
            <td>{formatInt(s.tokensAfter)}</td>
            <td className={s.tokensBefore > s.tokensAfter ? 'positive' : ''}>
              {formatInt(s.tokensBefore - s.tokensAfter)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The Compress view: the pipeline's output next to the prompt in a diff, every edit explained and
 * reversible, the heat bar of savings by section, the guard report, and the exports.
 */
export function CompressView() {
  const path = useEditorStore((s) => s.path);
  const content = useEditorStore((s) => s.content);
  useCompressSync(content);
  const result = useCompressStore((s) => s.result);
  const resultFor = useCompressStore((s) => s.resultFor);
  const error = useCompressStore((s) => s.error);
  const tab = useCompressStore((s) => s.panelTab);
  const setTab = useCompressStore((s) => s.setPanelTab);
  const focus = useCompressStore((s) => s.focus);
  const protect = useCompressStore((s) => s.protect);
  const setRejected = useCompressStore((s) => s.setRejected);
  const addProtect = useCompressStore((s) => s.addProtect);
  const DiffView = useContext(DiffViewContext);
  const [exporting, setExporting] = useState(false);
  const [sectionReveal, setSectionReveal] = useState<{
    original: DiffRange;
    modified: DiffRange;
    seq: number;
  } | null>(null);

  const view = useMemo(() => (result ? compressView(result) : null), [result]);
  // the diff compares the text the result was computed for, so marks and sides always agree
  const original = resultFor?.text ?? content;
  const reveal = useMemo(() => {
    const located = focus && view?.located.find((l) => l.edit.id === focus.id);
    const fromEdit = located
      ? { original: located.original, modified: located.output, seq: focus.seq }
      : null;
    if (!sectionReveal) return fromEdit;
    return !fromEdit || sectionReveal.seq > fromEdit.seq ? sectionReveal : fromEdit;
  }, [focus, view, sectionReveal]);
  const pickSection = (s: HeatSegment) =>
    setSectionReveal({
      original: { start: s.start, end: s.start },
      modified: { start: s.outputStart, end: s.outputStart },
      seq: Date.now(),
    });

  return (
    <div className="compress-view" data-testid="compress-view">
      <CompressSummary
        original={original}
        result={result}
        onExport={() => setExporting(true)}
        onPickSection={pickSection}
      />
      {error && (
        <p className="compress-error" role="alert" data-testid="compress-error">
          <Icon name="warning" /> {error.message} <span className="muted">({error.code})</span>
        </p>
      )}
      <div className="compress-body">
        <div className="compress-diff" data-testid="compress-diff">
          {result ? (
            <Suspense fallback={<div className="editor-loading">Loading diff…</div>}>
              <DiffView
                original={original}
                modified={result.text}
                originalMarks={view?.originalMarks ?? []}
                modifiedMarks={view?.modifiedMarks ?? []}
                protectedRanges={protect}
                reveal={reveal}
                onToggleEdit={(id, reject) => setRejected([id], reject)}
                onProtect={addProtect}
              />
            </Suspense>
          ) : (
            <div className="editor-loading">{error ? 'No result.' : 'Compressing…'}</div>
          )}
        </div>
        <aside className="compress-side" aria-label="Compression">
          <div className="panel-tabs" role="tablist" aria-label="Compression panels">
            {TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                aria-selected={tab === t.id}
                className={tab === t.id ? 'panel-tab active' : 'panel-tab'}
                onClick={() => setTab(t.id)}
                data-testid={`compress-tab-${t.id}`}
              >
                {t.label}
                {t.id === 'edits' && view && (
                  <span className="tab-count">
                    {view.located.filter((l) => l.status !== 'blocked').length}
                  </span>
                )}
                {t.id === 'guards' && result && result.guardReport.blocked > 0 && (
                  <span className="tab-count warning">{result.guardReport.blocked}</span>
                )}
              </button>
            ))}
          </div>
          <div className="compress-side-body" role="tabpanel">
            {tab === 'pipeline' && <PipelinePanel />}
            {tab === 'edits' && view && <EditList groups={view.groups} />}
            {tab === 'guards' && result && view && <GuardReport result={result} located={view.located} />}
            {tab === 'sections' && <SectionsTable onPick={pickSection} />}
          </div>
        </aside>
      </div>
      {exporting && path && <ExportDialog source={path} onClose={() => setExporting(false)} />}
    </div>
  );
}
