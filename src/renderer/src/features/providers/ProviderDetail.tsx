import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ErrorPayload } from '../../../../shared/errors';
import type { ProviderList, ProviderStatus } from '../../../../shared/providers';
import { useDialogStore } from '../../stores/dialog';
import { useProvidersStore } from '../../stores/providers';
import { toErrorPayload } from '../../transport';
import { SelectField, TextField } from '../models/Field';
import { clientError, FormError } from '../models/FormError';
import {
  buildEndpoint,
  draftFrom,
  errorField,
  isDirty,
  LIMIT_FIELDS,
  type DraftField,
  type FieldErrors,
  type ProviderDraft,
} from './providerForms';
import { KeyFieldset } from './KeyFieldset';
import { TestResult } from './TestResult';

const KINDS = [
  { value: 'openai', label: 'OpenAI-compatible' },
  { value: 'anthropic', label: 'Anthropic Messages' },
];

export const kindLabel = (p: Pick<ProviderStatus, 'kind' | 'builtIn'>) =>
  p.builtIn ? 'Built in' : p.kind === 'anthropic' ? 'Anthropic protocol' : 'OpenAI-compatible';

interface ProviderDetailProps {
  /** The provider to edit; undefined for a new endpoint. */
  provider: ProviderStatus | undefined;
  keyStorage: ProviderList['keyStorage'];
  /** Focus "Test connection" on mount (right after the endpoint was created). */
  focusTest?: boolean;
  onSaved(saved: ProviderStatus, message: string, created: boolean): void;
  onRemoved(message: string): void;
}

/**
 * One provider's settings: where it is (user endpoints only), its key (write-only: the field starts empty
 * and the backend answers with the last 4 at most), its limits, and "Test connection".
 */
export function ProviderDetail({ provider: p, keyStorage, focusTest, ...on }: ProviderDetailProps) {
  const save = useProvidersStore((s) => s.save);
  const setKey = useProvidersStore((s) => s.setKey);
  const remove = useProvidersStore((s) => s.remove);
  const runTest = useProvidersStore((s) => s.test);
  const test = useProvidersStore((s) => (p ? s.tests[p.id] : undefined));
  const ask = useDialogStore((s) => s.ask);
  const [draft, setDraft] = useState<ProviderDraft>(() => draftFrom(p));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement | null>(null);
  const testButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const dirty = isDirty(draft, p);
  const custom = p === undefined || !p.builtIn;

  useEffect(() => {
    if (!p) first.current?.focus();
    else if (focusTest) testButton.current?.focus();
  }, [p, focusTest]);

  const set = (key: DraftField) => (value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const field = (key: DraftField, label: string, extra: Record<string, unknown> = {}) => (
    <TextField
      name={key}
      label={label}
      value={draft[key]}
      error={errors[key]}
      onChange={set(key)}
      readOnly={!custom}
      {...extra}
    />
  );
  const fail = (err: unknown) => {
    const payload = toErrorPayload(err);
    const at = errorField(payload);
    if (at) setErrors((e) => ({ ...e, [at]: payload.message }));
    setError(payload);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildEndpoint(draft, p);
    if ('errors' in built) {
      setErrors(built.errors);
      setError(clientError(Object.keys(built.errors).length));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await save(p === undefined, built.endpoint, draft.key.trim());
      setDraft(draftFrom(saved));
      on.onSaved(saved, `${saved.label} saved${draft.key.trim() ? ' with its key' : ''}.`, p === undefined);
    } catch (err) {
      setDraft((d) => ({ ...d, key: '' })); // a refused key is not kept in the page either
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const onClearKey = async () => {
    if (!p) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await setKey(p.id, '');
      on.onSaved(saved, `${p.label}: key removed.`, false);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const onRemove = async () => {
    if (!p) return;
    const choice = await ask({
      title: `Remove ${p.label}?`,
      message: `Its settings${p.keySource === 'stored' || p.keySource === 'session' ? ' and its key' : ''} are removed. Models named ${p.id}:… stop working.`,
      choices: [
        { id: 'cancel', label: 'Cancel' },
        { id: 'remove', label: 'Remove', danger: true },
      ],
      cancelId: 'cancel',
    });
    if (choice !== 'remove') return;
    setBusy(true);
    try {
      await remove(p.id);
      on.onRemoved(`${p.label} removed.`);
    } catch (err) {
      fail(err);
      setBusy(false);
    }
  };

  return (
    <form
      className="provider-detail"
      aria-labelledby={titleId}
      data-testid="provider-form"
      data-provider={p?.id ?? 'new'}
      onSubmit={(e) => void onSubmit(e)}
      noValidate
    >
      <div className="provider-detail-scroll">
        <header className="provider-detail-head">
          <h3 id={titleId} className="provider-detail-title">
            {p ? p.label : 'New endpoint'}
          </h3>
          <span className="provider-kind">{p ? kindLabel(p) : 'OpenAI-compatible or Anthropic'}</span>
        </header>

        <fieldset className="provider-section">
          <legend>Connection</legend>
          <div className="provider-grid">
            {field('label', 'Name', {
              placeholder: 'Groq, Ollama, OpenRouter…',
              inputRef: (el: HTMLInputElement | null) => (first.current = el),
            })}
            {p ? (
              field('id', 'ID (for provider:model)', { readOnly: true, className: 'mono-field' })
            ) : (
              <TextField
                name="id"
                label="ID (for provider:model)"
                value={draft.id}
                error={errors.id}
                onChange={set('id')}
                placeholder="from the name"
                className="mono-field"
              />
            )}
            {custom && (
              <SelectField
                name="kind"
                label="Protocol"
                value={draft.kind}
                options={KINDS}
                onChange={set('kind')}
              />
            )}
            {field('baseURL', 'Base URL', {
              type: 'url',
              placeholder: 'https://api.groq.com/openai/v1',
              className: 'span-2 mono-field',
            })}
            {field('keyEnvVar', 'Key environment variable', {
              placeholder: custom ? 'GROQ_API_KEY (optional)' : '',
              className: 'mono-field',
            })}
          </div>
        </fieldset>

        <KeyFieldset
          provider={p ?? draftStatus(draft)}
          keyStorage={keyStorage}
          value={draft.key}
          error={errors.key}
          busy={busy}
          onChange={set('key')}
          onClear={() => void onClearKey()}
        />

        <fieldset className="provider-section">
          <legend>Limits</legend>
          <div className="provider-grid provider-limits">
            {LIMIT_FIELDS.map((f) => (
              <TextField
                key={f.key}
                name={f.key}
                label={f.label}
                value={draft[f.key]}
                error={errors[f.key]}
                onChange={set(f.key)}
                placeholder={f.placeholder}
                numeric
              />
            ))}
          </div>
          <p className="provider-hint">
            Calls wait for room instead of going over a limit. Empty means no limit.
          </p>
        </fieldset>
      </div>
      {/* outside the scrolling part, so an outcome is seen however far the form was scrolled */}
      <div className="provider-outcome">
        <FormError error={error} testId="provider-error" />
        {p && <TestResult test={test} />}
      </div>

      <footer className="provider-actions">
        <button
          ref={testButton}
          type="button"
          className="button button-secondary"
          data-testid="test-connection"
          disabled={!p || dirty || test?.state === 'running'}
          title={!p || dirty ? 'Save first: the test uses the saved settings.' : undefined}
          onClick={() => p && void runTest(p.id)}
        >
          Test connection
        </button>
        {p && dirty && <span className="provider-hint">Save to test these changes.</span>}
        <span className="grow-space" />
        {p && !p.builtIn && (
          <button
            type="button"
            className="button button-ghost danger-text"
            disabled={busy}
            onClick={() => void onRemove()}
          >
            Remove endpoint
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy || !dirty}>
          {p ? 'Save' : 'Add endpoint'}
        </button>
      </footer>
    </form>
  );
}

/** What a new endpoint's key sentence describes before it exists. */
function draftStatus(d: ProviderDraft): ProviderStatus {
  return {
    id: d.id,
    kind: d.kind,
    label: d.label,
    builtIn: false,
    baseURL: d.baseURL,
    keyEnvVar: d.keyEnvVar.trim() || null,
    limits: {},
    configured: false,
    last4: null,
    keySource: 'none',
  };
}
