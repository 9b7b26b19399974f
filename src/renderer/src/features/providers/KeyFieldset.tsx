import { useId } from 'react';
import type { ProviderList, ProviderStatus } from '../../../../shared/providers';
import { Icon } from '../../components/Icon';
import { keySentence } from './providerForms';

interface KeyFieldsetProps {
  /** The provider (or the new endpoint as drafted): where its key comes from, never the key. */
  provider: ProviderStatus;
  keyStorage: ProviderList['keyStorage'];
  /** What the user typed; the field is write-only and starts empty. */
  value: string;
  error: string | undefined;
  busy: boolean;
  onChange(value: string): void;
  /** Forgets a key typed in the app (the environment's cannot be removed from here). */
  onClear(): void;
}

/** The API key part of the provider form: where the key comes from, and a write-only field to replace it. */
export function KeyFieldset({
  provider: p,
  keyStorage,
  value,
  error,
  busy,
  onChange,
  onClear,
}: KeyFieldsetProps) {
  const id = useId();
  const kept = p.keySource === 'stored' || p.keySource === 'session';
  const placeholder = !p.configured
    ? 'Paste the API key'
    : p.keySource === 'env'
      ? `Type a key to use instead of ${p.keyEnvVar}`
      : `Type a new key to replace …${p.last4 ?? ''}`;
  return (
    <fieldset className="provider-section">
      <legend>API key</legend>
      <p className="provider-key-status" data-testid="key-status" data-source={p.keySource}>
        <Icon name={p.configured ? 'shield' : 'warning'} />
        <span>{keySentence(p, keyStorage)}</span>
      </p>
      <div className="provider-key-row">
        <div className="field grow-field">
          <label className="field-label" htmlFor={id}>
            {p.configured ? 'New API key' : 'API key'}
          </label>
          <input
            id={id}
            name="key"
            className="input mono"
            type="password"
            // not a login password: keep browsers from offering to save or fill it
            autoComplete="new-password"
            spellCheck={false}
            value={value}
            placeholder={placeholder}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => onChange(e.target.value)}
          />
          {error && (
            <span className="field-error" id={`${id}-error`}>
              {error}
            </span>
          )}
        </div>
        {kept && (
          <button type="button" className="button button-secondary" disabled={busy} onClick={onClear}>
            Remove key
          </button>
        )}
      </div>
    </fieldset>
  );
}
