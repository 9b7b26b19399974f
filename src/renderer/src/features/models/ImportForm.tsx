import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ErrorPayload } from '../../../../shared/errors';
import { formatInt } from '../../lib/format';
import { useCatalogStore, type ImportResult } from '../../stores/catalog';
import { useWorkspaceStore } from '../../stores/workspace';
import { toErrorPayload } from '../../transport';
import { FormError } from './FormError';

/** "Added 3, updated 12, skipped 9; catalog now 51 models". */
export function importSummary(result: ImportResult): string {
  return `Added ${formatInt(result.added.length)}, updated ${formatInt(result.updated.length)}, skipped ${formatInt(result.skipped)}; catalog now ${formatInt(result.total)} ${result.total === 1 ? 'model' : 'models'}`;
}

/** Where a PARSE_ERROR points, when the message does not already say it. */
function position(error: ErrorPayload): string {
  const d = error.details ?? {};
  if (typeof d.line === 'number' && !/line \d+/.test(error.message)) {
    return ` (line ${d.line}${typeof d.column === 'number' ? `, column ${d.column}` : ''})`;
  }
  return '';
}

/** Says that nothing changed, unless the message already does. */
function unchanged(error: ErrorPayload): string {
  return /stays in force|left (unchanged|as it was)/.test(error.message)
    ? ''
    : ' The catalog was left as it was.';
}

/**
 * "Import LiteLLM prices…": a model_prices_and_context_window.json on the backend's disk, given by its path
 * (the backend reads it, so this works the same in the browser and the desktop host). A refused file leaves
 * the catalog exactly as it was.
 */
export function ImportForm({ onClose }: { onClose(): void }) {
  const importLiteLlm = useCatalogStore((s) => s.importLiteLlm);
  const desktop = useWorkspaceStore((s) => s.info?.nativeDialogs ?? false);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => inputRef.current?.focus(), []);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = path.trim();
    if (!trimmed) {
      setResult(null);
      setError({ code: 'INVALID_INPUT', message: 'Give the path of the price file to import.' });
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await importLiteLlm(trimmed));
    } catch (err) {
      setError(toErrorPayload(err));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onClose();
  };

  return (
    <form
      className="models-panel import-form"
      aria-label="Import LiteLLM prices"
      data-testid="import-form"
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      onKeyDown={onKeyDown}
    >
      <h3 className="models-panel-title">Import LiteLLM prices</h3>
      <p className="models-panel-text">
        Merges LiteLLM’s <code>model_prices_and_context_window.json</code> into the catalog, replacing an
        earlier import. Your own overrides still win.
      </p>
      <div className="import-row">
        <div className="field grow-field">
          <label className="field-label" htmlFor={id}>
            Path of the price file{desktop ? '' : ' (on the computer running PromptPress)'}
          </label>
          <input
            id={id}
            ref={inputRef}
            name="path"
            className="input mono"
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="/home/me/Downloads/model_prices_and_context_window.json"
            value={path}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setPath(e.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {result && (
        <p className="form-success" role="status" data-testid="import-result">
          {importSummary(result)}.
        </p>
      )}
      {error && (
        <FormError
          error={{ ...error, message: `${error.message}${position(error)}${unchanged(error)}` }}
          testId="import-error"
        />
      )}
    </form>
  );
}
