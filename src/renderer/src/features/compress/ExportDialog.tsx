import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { defaultExportNames, exportCompression, type ExportChoice } from '../../app/compressActions';
import { trapTab } from '../../components/focusTrap';

type Kind = keyof ExportChoice;
const KINDS: Array<{ kind: Kind; label: string; hint: string }> = [
  { kind: 'compressed', label: 'Compressed prompt', hint: 'The output text, ready to use in your app.' },
  {
    kind: 'pipeline',
    label: 'Pipeline',
    hint: 'The strategies and options, to rerun with promptpress compress.',
  },
  {
    kind: 'report',
    label: 'Report (Markdown)',
    hint: 'Savings, every edit with its reason, the guard report.',
  },
];

/** Export the compressed prompt, the pipeline and a report into the workspace. */
export function ExportDialog({ source, onClose }: { source: string; onClose(): void }) {
  const defaults = defaultExportNames(source);
  const [paths, setPaths] = useState<Record<Kind, string>>(defaults);
  const [chosen, setChosen] = useState<Record<Kind, boolean>>({
    compressed: true,
    pipeline: true,
    report: true,
  });
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const baseId = useId();

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('input')?.focus();
    return () => before?.focus?.();
  }, []);

  const outputs: ExportChoice = Object.fromEntries(
    KINDS.filter((k) => chosen[k.kind]).map((k) => [k.kind, paths[k.kind].trim()]),
  );
  const nothing = Object.keys(outputs).length === 0;

  const submit = async () => {
    setBusy(true);
    const ok = await exportCompression(outputs);
    setBusy(false);
    if (ok) onClose();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
    trapTab(event, ref.current);
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="modal export-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={ref}
        onKeyDown={onKeyDown}
        data-testid="export-dialog"
      >
        <h2 id={titleId} className="modal-title">
          Export
        </h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!nothing && !busy) void submit();
          }}
        >
          {KINDS.map(({ kind, label, hint }) => (
            <div key={kind} className="export-row">
              <input
                id={`${baseId}-${kind}`}
                type="checkbox"
                checked={chosen[kind]}
                onChange={(e) => setChosen({ ...chosen, [kind]: e.target.checked })}
                data-testid={`export-${kind}`}
              />
              <div className="export-fields">
                <label htmlFor={`${baseId}-${kind}`} className="export-label">
                  {label}
                </label>
                <input
                  className="input"
                  aria-label={`${label}: workspace path`}
                  value={paths[kind]}
                  disabled={!chosen[kind]}
                  onChange={(e) => setPaths({ ...paths, [kind]: e.target.value })}
                  data-testid={`export-${kind}-path`}
                />
                <span className="option-hint">{hint}</span>
              </div>
            </div>
          ))}
          <div className="modal-actions">
            <button type="button" className="button button-secondary" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="button button-primary"
              disabled={nothing || busy}
              data-testid="export-submit"
            >
              {busy ? 'Exporting…' : 'Export'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
