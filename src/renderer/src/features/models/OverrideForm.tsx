import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ModelEntry } from '../../../../core/pricing/catalog';
import type { ErrorPayload } from '../../../../shared/errors';
import { formatPerMTok } from '../../lib/format';
import { useCatalogStore } from '../../stores/catalog';
import { toErrorPayload, isTransportError } from '../../transport';
import { TextField } from './Field';
import { clientError, FormError } from './FormError';
import {
  buildOverride,
  draftOf,
  errorField,
  fieldMessage,
  OVERRIDE_KEYS,
  PRICE_FIELDS,
  replaceEntry,
  userEntryFor,
  type Drafts,
  type FieldErrors,
} from './modelForms';

interface OverrideFormProps {
  model: ModelEntry;
  /** The user's current override of this model, if any. */
  existing: Record<string, unknown> | undefined;
  /** Closes the form; `message` says what was saved. */
  onClose(message?: string): void;
}

function placeholderFor(model: ModelEntry, key: string, overridden: boolean): string {
  if (overridden) return 'not overridden';
  const value = (model as Record<string, unknown>)[key];
  if (value === null) return 'no price';
  if (typeof value !== 'number') return '—';
  return key === 'contextWindow' ? new Intl.NumberFormat('en-US').format(value) : formatPerMTok(value);
}

/**
 * "Override price": the model's prices and context window as a partial override. A field left empty is not
 * overridden (the catalog's value shows as its placeholder); "none" records that there is no price.
 */
export function OverrideForm({ model, existing, onClose }: OverrideFormProps) {
  const updateUserModels = useCatalogStore((s) => s.updateUserModels);
  const [drafts, setDrafts] = useState<Drafts>(() =>
    Object.fromEntries(OVERRIDE_KEYS.map((k) => [k, draftOf(existing?.[k])])),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement | null>(null);

  useEffect(() => first.current?.focus(), []);

  const set = (key: string) => (value: string) => {
    setDrafts((d) => ({ ...d, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildOverride(model.id, drafts, existing);
    if ('errors' in built) {
      setErrors(built.errors);
      setError(clientError(Object.keys(built.errors).length));
      return;
    }
    if (built.entry === null && existing === undefined) {
      setError({
        code: 'INVALID_INPUT',
        message: 'Fill in at least one field to override; nothing was sent.',
      });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await updateUserModels((list) => {
        // Built again on the list as stored now, so fields saved meanwhile are merged, not lost.
        const fresh = buildOverride(model.id, drafts, userEntryFor(list, model.id));
        return replaceEntry(list, model.id, 'entry' in fresh ? fresh.entry : null);
      });
      onClose(
        built.entry === null
          ? `${model.label}: override removed; the catalog's prices apply again.`
          : `${model.label}: override saved. The cost panel uses it now.`,
      );
    } catch (err) {
      const payload = toErrorPayload(err);
      setError(payload);
      const field = isTransportError(err) ? errorField(err.details) : undefined;
      if (field) setErrors({ [field]: fieldMessage(payload.message) });
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault(); // the dialog stays open: Escape leaves the form only
    onClose();
  };

  return (
    <form
      className="override-form"
      aria-label={`Override the prices of ${model.label}`}
      data-testid="override-form"
      data-model={model.id}
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      onKeyDown={onKeyDown}
    >
      <FormError error={error} testId="override-error" />
      <div className="models-form-grid">
        {PRICE_FIELDS.map(({ key, label }, i) => (
          <TextField
            key={key}
            name={key}
            label={`${label} $/1M`}
            value={drafts[key] ?? ''}
            placeholder={placeholderFor(model, key, existing?.[key] !== undefined)}
            numeric
            error={errors[key]}
            inputRef={i === 0 ? (el) => (first.current = el) : undefined}
            onChange={set(key)}
          />
        ))}
        <TextField
          name="contextWindow"
          label="Context window"
          value={drafts.contextWindow ?? ''}
          placeholder={placeholderFor(model, 'contextWindow', existing?.contextWindow !== undefined)}
          numeric
          error={errors.contextWindow}
          onChange={set('contextWindow')}
        />
      </div>
      <div className="models-form-actions">
        <span className="models-form-hint">
          Dollars per 1M tokens. Empty keeps the catalog’s value; “none” means no price (left out of totals).
        </span>
        <button type="button" className="button button-secondary small" onClick={() => onClose()}>
          Cancel
        </button>
        <button type="submit" className="button button-primary small" disabled={busy}>
          {busy ? 'Saving…' : 'Save override'}
        </button>
      </div>
    </form>
  );
}
