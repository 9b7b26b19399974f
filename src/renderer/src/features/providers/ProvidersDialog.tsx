import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ErrorPayload } from '../../../../shared/errors';
import type { ProviderStatus } from '../../../../shared/providers';
import { trapTab } from '../../components/focusTrap';
import { Icon } from '../../components/Icon';
import { useProvidersStore } from '../../stores/providers';
import { toErrorPayload } from '../../transport';
import { FormError } from '../models/FormError';
import { keyLine } from './providerForms';
import { ProviderDetail } from './ProviderDetail';

/** The Model providers dialog: mounted only while open, so every opening reads the settings afresh. */
export function ProvidersDialog() {
  const open = useProvidersStore((s) => s.dialogOpen);
  return open ? <ProvidersDialogBody /> : null;
}

type Selection = { id: string; focusTest?: boolean } | 'new';

/**
 * The providers PromptPress can call and how to change them: a list with each one's key status on the
 * left, the chosen provider's settings on the right. A modal like the Models dialog: focus moves in and
 * stays in, Escape closes, and focus goes back where it was.
 */
function ProvidersDialogBody() {
  const providers = useProvidersStore((s) => s.providers);
  const keyStorage = useProvidersStore((s) => s.keyStorage);
  const load = useProvidersStore((s) => s.load);
  const close = useProvidersStore((s) => s.closeDialog);
  const [selected, setSelected] = useState<Selection | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const focusNext = useRef<string | null>(null);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    // focus lands on the chosen provider once the list is there (the effect below)
    focusNext.current = '[data-testid="provider-item"][aria-current="true"]';
    load().catch((err: unknown) => setError(toErrorPayload(err)));
    return () => before?.focus?.();
  }, [load]);

  const current: ProviderStatus | undefined =
    selected === 'new' ? undefined : providers?.find((p) => p.id === (selected?.id ?? providers[0]?.id));
  const currentId = selected === 'new' ? 'new' : current?.id;

  useEffect(() => {
    const selector = focusNext.current;
    if (!selector || !providers) return;
    focusNext.current = null;
    dialogRef.current?.querySelector<HTMLElement>(selector)?.focus();
  }, [providers, currentId]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      close();
      return;
    }
    trapTab(event, dialogRef.current);
  };

  const described =
    keyStorage === 'encrypted'
      ? "Keys stay in PromptPress's backend, encrypted by your system's keychain; this window only ever sees their last 4 characters."
      : 'Keys come from environment variables, or are kept in memory until PromptPress stops; this window only ever sees their last 4 characters.';

  return (
    <div className="modal-backdrop models-backdrop">
      <div
        className="modal models-dialog providers-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descId}
        data-testid="providers-dialog"
        ref={dialogRef}
        onKeyDown={onKeyDown}
      >
        <header className="models-header">
          <div>
            <h2 id={titleId} className="modal-title">
              Model providers
            </h2>
            <p id={descId} className="models-subtitle">
              {described}
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
        <FormError error={error} testId="providers-error" />
        <div className="providers-body">
          <nav className="providers-list" aria-label="Providers">
            <ul>
              {(providers ?? []).map((p) => (
                <li key={p.id}>
                  <button
                    type="button"
                    className="provider-item"
                    data-testid="provider-item"
                    data-provider={p.id}
                    data-configured={p.configured}
                    aria-current={p.id === currentId ? 'true' : undefined}
                    onClick={() => setSelected({ id: p.id })}
                  >
                    <span className={p.configured ? 'key-dot on' : 'key-dot'} aria-hidden="true" />
                    <span className="provider-item-text">
                      <span className="provider-item-label">{p.label}</span>
                      <span className="provider-item-key">{keyLine(p)}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            <button
              type="button"
              className={
                currentId === 'new'
                  ? 'button button-secondary active add-endpoint'
                  : 'button button-secondary add-endpoint'
              }
              data-testid="add-endpoint"
              onClick={() => {
                setStatus(null);
                setSelected('new');
              }}
            >
              <Icon name="plus" />
              New endpoint
            </button>
          </nav>
          {providers === null ? (
            <p className="panel-empty">Loading the providers…</p>
          ) : (
            keyStorage && (
              <ProviderDetail
                key={currentId}
                provider={current}
                keyStorage={keyStorage}
                focusTest={selected !== 'new' && selected?.focusTest === true}
                onSaved={(saved, message, created) => {
                  setStatus(message);
                  if (created) setSelected({ id: saved.id, focusTest: true });
                }}
                onRemoved={(message) => {
                  setStatus(message);
                  focusNext.current = '[data-testid="provider-item"][aria-current="true"]';
                  setSelected(null);
                }}
              />
            )
          )}
        </div>
        <footer className="models-footer">
          <p className="models-status" role="status" data-testid="providers-status">
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
