import { useEffect, useId, useState } from 'react';
import { exportPolicy, renderPolicy } from '../../app/historyActions';
import { Icon } from '../../components/Icon';
import { useHistoryStore } from '../../stores/history';
import type { ErrorPayload } from '../../../../shared/errors';
import { HISTORY_EXPORT_TARGETS, type HistoryExportTarget } from '../../../../shared/history';

const TARGET_LABEL: Record<HistoryExportTarget, string> = {
  json: 'Policy file (JSON)',
  yaml: 'Policy file (YAML)',
  ts: 'TypeScript function',
  py: 'Python function',
  langchain: 'LangChain trim_messages',
  anthropic: 'Anthropic context editing',
};

/** Quiet time after an edit before the preview is rendered again. */
const PREVIEW_DEBOUNCE_MS = 250;

type Preview = { text: string; notes: string[]; extension: string };

/** `exports/summarise-old-turns.ts`, from the policy's file or name. */
function defaultPath(policyPath: string | null, name: string | undefined, extension: string): string {
  const base = policyPath
    ? policyPath.slice(policyPath.lastIndexOf('/') + 1).replace(/\.policy\.(json|ya?ml)$/i, '')
    : (name ?? 'policy')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
  return `exports/${base || 'policy'}.${extension}`;
}

/**
 * The policy in a form an app can use (the policy file, a TypeScript or Python function, LangChain's
 * trim_messages, Anthropic's context editing): a preview, what the target cannot express, and the file
 * written into the workspace.
 */
export function ExportPanel() {
  const policy = useHistoryStore((s) => s.policy);
  const policyPath = useHistoryStore((s) => s.policyPath);
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState<HistoryExportTarget>('ts');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [path, setPath] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<{ path: string; notes: string[] } | null>(null);
  const targetId = useId();
  const pathId = useId();

  useEffect(() => {
    if (!open) return;
    let live = true;
    const timer = setTimeout(() => {
      void renderPolicy(target).then((r) => {
        if (!live) return;
        if ('error' in r) {
          setError(r.error);
          setPreview(null);
        } else {
          setError(null);
          setPreview(r);
        }
      });
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, target, policy]);

  const shownPath = path ?? (preview ? defaultPath(policyPath, policy.name, preview.extension) : '');
  const submit = async () => {
    setBusy(true);
    const r = await exportPolicy(target, shownPath.trim());
    setBusy(false);
    if (r) setWritten(r);
  };

  return (
    <details
      className="history-card export-card"
      data-testid="export-panel"
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary className="card-head">
        <h2 className="history-section-title">Export</h2>
        <span className="sim-context">The policy as code or settings for your app</span>
      </summary>
      <div className="export-row">
        <label className="hfield-label" htmlFor={targetId}>
          As
        </label>
        <select
          id={targetId}
          className="input small"
          value={target}
          onChange={(e) => {
            setTarget(e.target.value as HistoryExportTarget);
            setPath(null);
            setWritten(null);
          }}
          data-testid="export-target"
        >
          {HISTORY_EXPORT_TARGETS.map((t) => (
            <option key={t} value={t}>
              {TARGET_LABEL[t]}
            </option>
          ))}
        </select>
      </div>
      {error && (
        <p className="history-error" role="alert" data-testid="export-error">
          <Icon name="warning" />
          <span>{error.message}</span> <code>{error.code}</code>
        </p>
      )}
      {preview && (
        <>
          {preview.notes.length > 0 && (
            <ul className="export-notes" data-testid="export-notes">
              {preview.notes.map((n) => (
                <li key={n} className={n.startsWith('Not expressed') ? 'not-expressed' : undefined}>
                  {n}
                </li>
              ))}
            </ul>
          )}
          <pre className="tl-text export-preview" data-testid="export-preview">
            {preview.text}
          </pre>
          <form
            className="export-row"
            onSubmit={(e) => {
              e.preventDefault();
              if (shownPath.trim() && !busy) void submit();
            }}
          >
            <label className="hfield-label" htmlFor={pathId}>
              Write to
            </label>
            <input
              id={pathId}
              className="input small export-path"
              value={shownPath}
              onChange={(e) => {
                setPath(e.target.value);
                setWritten(null);
              }}
              data-testid="export-path"
            />
            <button
              type="submit"
              className="button button-secondary small"
              disabled={!shownPath.trim() || busy}
              data-testid="export-button"
            >
              {busy ? 'Writing…' : 'Export'}
            </button>
          </form>
          {written && (
            <p className="history-note" data-testid="export-written">
              Written to <code>{written.path}</code>.
            </p>
          )}
        </>
      )}
      {open && !preview && !error && <p className="history-note">Rendering…</p>}
    </details>
  );
}
