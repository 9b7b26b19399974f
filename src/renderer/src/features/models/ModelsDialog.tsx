import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ModelEntry } from '../../../../core/pricing/catalog';
import type { ErrorPayload } from '../../../../shared/errors';
import { trapTab } from '../../components/focusTrap';
import { Icon } from '../../components/Icon';
import { searchModels } from '../../lib/providers';
import { useCatalogStore } from '../../stores/catalog';
import { useTokensStore } from '../../stores/tokens';
import { toErrorPayload } from '../../transport';
import { AddModelForm } from './AddModelForm';
import { CatalogTable } from './CatalogTable';
import { FormError } from './FormError';
import { ImportForm } from './ImportForm';
import { isAddedEntry, replaceEntry, userEntryFor } from './modelForms';

type Panel = { kind: 'add'; editing?: Record<string, unknown> } | { kind: 'import' } | null;

function counts(models: ModelEntry[]): string {
  const by = (origin: string) => models.filter((m) => (m.origin ?? 'bundled') === origin).length;
  const parts = [`${models.length} models`];
  if (by('user')) parts.push(`${by('user')} yours`);
  if (by('litellm')) parts.push(`${by('litellm')} from LiteLLM`);
  return parts.join(' · ');
}

/** The Models dialog: mounted only while open, so every opening starts fresh. */
export function ModelsDialog() {
  const open = useCatalogStore((s) => s.dialogOpen);
  return open ? <ModelsDialogBody /> : null;
}

/**
 * The catalog in force and how to change it: override a model's prices, add a model, import LiteLLM
 * prices. A modal: focus moves in and stays in, Escape closes (or first leaves an open form), and focus
 * goes back where it was.
 */
function ModelsDialogBody() {
  const models = useTokensStore((s) => s.models);
  const userModels = useCatalogStore((s) => s.userModels);
  const loadUserModels = useCatalogStore((s) => s.loadUserModels);
  const updateUserModels = useCatalogStore((s) => s.updateUserModels);
  const close = useCatalogStore((s) => s.closeDialog);
  const [query, setQuery] = useState('');
  const [panel, setPanel] = useState<Panel>(null);
  const [overriding, setOverriding] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [busy, setBusy] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const focusNext = useRef<string | null>(null);
  const titleId = useId();
  const descId = useId();
  const searchId = useId();

  const shown = useMemo(() => searchModels(models, query), [models, query]);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    searchRef.current?.focus();
    loadUserModels().catch((err: unknown) => setError(toErrorPayload(err)));
    return () => before?.focus?.();
  }, [loadUserModels]);

  // After a form closes, focus goes back to the button that opened it.
  useEffect(() => {
    const selector = focusNext.current;
    if (!selector) return;
    focusNext.current = null;
    dialogRef.current?.querySelector<HTMLElement>(selector)?.focus();
  }, [panel, overriding]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      close();
      return;
    }
    trapTab(event, dialogRef.current);
  };

  const togglePanel = (kind: 'add' | 'import') => {
    setOverriding(null);
    setPanel((p) => (p?.kind === kind && !('editing' in p && p.editing) ? null : { kind }));
  };
  const closePanel = (message?: string) => {
    focusNext.current = `[data-panel-toggle="${panel?.kind ?? 'add'}"]`;
    setPanel(null);
    if (message) setStatus(message);
  };
  const onOverride = (id: string | null, message?: string) => {
    if (id === null && overriding) focusNext.current = `[data-override-for="${CSS.escape(overriding)}"]`;
    if (id !== null) setPanel(null);
    setOverriding(id);
    if (message) setStatus(message);
  };
  const onReset = async (model: ModelEntry) => {
    const added = isAddedEntry(userEntryFor(userModels ?? [], model.id));
    setBusy(true);
    setError(null);
    setOverriding(null);
    try {
      await updateUserModels((list) => replaceEntry(list, model.id, null));
      setStatus(
        added
          ? `${model.label} removed from the catalog.`
          : `${model.label}: override removed; the catalog's prices apply again.`,
      );
      focusNext.current = `[data-override-for="${CSS.escape(model.id)}"]`;
    } catch (err) {
      setError(toErrorPayload(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop models-backdrop">
      <div
        className="modal models-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descId}
        data-testid="models-dialog"
        ref={dialogRef}
        onKeyDown={onKeyDown}
      >
        <header className="models-header">
          <div>
            <h2 id={titleId} className="modal-title">
              Models and prices
            </h2>
            <p id={descId} className="models-subtitle">
              The catalog in force, in US dollars per 1M tokens. Your overrides win over LiteLLM imports,
              which win over the bundled catalog.
            </p>
          </div>
          <button
            type="button"
            className="button icon-button button-ghost"
            aria-label="Close"
            title="Close (Esc)"
            onClick={close}
          >
            <Icon name="close" />
          </button>
        </header>
        <div className="models-toolbar">
          <div className="models-search">
            <Icon name="search" className="combo-icon" />
            <label htmlFor={searchId} className="visually-hidden">
              Search models
            </label>
            <input
              id={searchId}
              ref={searchRef}
              className="input"
              type="search"
              placeholder="Search by name, id, provider or host…"
              autoComplete="off"
              spellCheck={false}
              value={query}
              data-testid="models-search"
              onChange={(e) => setQuery(e.target.value)}
            />
          </div>
          <span className="models-count" aria-live="polite">
            {query ? `${shown.length} of ${models.length} models` : counts(models)}
          </span>
          <button
            type="button"
            className={panel?.kind === 'add' ? 'button button-secondary active' : 'button button-secondary'}
            aria-expanded={panel?.kind === 'add'}
            data-panel-toggle="add"
            onClick={() => togglePanel('add')}
          >
            <Icon name="plus" />
            Add model
          </button>
          <button
            type="button"
            className={
              panel?.kind === 'import' ? 'button button-secondary active' : 'button button-secondary'
            }
            aria-expanded={panel?.kind === 'import'}
            data-panel-toggle="import"
            onClick={() => togglePanel('import')}
          >
            <Icon name="import" />
            Import LiteLLM prices…
          </button>
        </div>
        {panel?.kind === 'add' && (
          <AddModelForm
            key={String(panel.editing?.id ?? 'new')}
            editing={panel.editing}
            onClose={closePanel}
          />
        )}
        {panel?.kind === 'import' && <ImportForm onClose={closePanel} />}
        <FormError error={error} testId="models-error" />
        <div className="catalog-scroll">
          {shown.length === 0 ? (
            <p className="panel-empty">
              {models.length === 0 ? 'Loading the catalog…' : `No model matches “${query}”.`}
            </p>
          ) : (
            <CatalogTable
              models={shown}
              userModels={userModels ?? []}
              overriding={overriding}
              onOverride={onOverride}
              onReset={(m) => void onReset(m)}
              onEdit={(entry) => {
                setOverriding(null);
                setPanel({ kind: 'add', editing: entry });
              }}
              busy={busy}
            />
          )}
        </div>
        <footer className="models-footer">
          <p className="models-status" role="status" data-testid="models-status">
            {status}
          </p>
          <button type="button" className="button button-primary" onClick={close}>
            Done
          </button>
        </footer>
      </div>
    </div>
  );
}
