import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ErrorPayload } from '../../../../shared/errors';
import { useCatalogStore } from '../../stores/catalog';
import { useTokensStore } from '../../stores/tokens';
import { isTransportError, toErrorPayload } from '../../transport';
import { SelectField, TextField } from './Field';
import { clientError, FormError } from './FormError';
import {
  buildNewModel,
  CACHING_KINDS,
  draftOf,
  ENCODING_CHOICES,
  errorField,
  fieldMessage,
  NEW_MODEL_LABELS,
  PRICE_FIELDS,
  replaceEntry,
  type Drafts,
  type FieldErrors,
} from './modelForms';

const CACHING_LABELS: Record<(typeof CACHING_KINDS)[number], string> = {
  'anthropic-explicit': 'Anthropic breakpoints',
  'openai-auto': 'OpenAI automatic',
  auto: 'Automatic prefix',
  none: 'None',
};

const TEXT_FIELDS = [
  { key: 'id', placeholder: 'acme-large-2' },
  { key: 'label', placeholder: 'Acme Large 2' },
  { key: 'provider', placeholder: 'acme' },
  { key: 'host', placeholder: 'optional: together, groq…' },
  { key: 'tokenizer', placeholder: 'llama3, claude, o200k_base…' },
] as const;

const MANAGED = new Set([
  ...TEXT_FIELDS.map((f) => f.key),
  ...PRICE_FIELDS.map((f) => f.key),
  'countWith',
  'tokenCountMethod',
  'caching',
  'contextWindow',
  'maxOutputTokens',
  'source',
  'asOf',
  'origin',
]);

function unmanaged(entry: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry ?? {}).filter(([k]) => !MANAGED.has(k)));
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

interface AddModelFormProps {
  /** A model the user added earlier, to edit (its id stays); otherwise a new one. */
  editing?: Record<string, unknown>;
  onClose(message?: string): void;
}

/**
 * "Add model": a complete new catalog entry. Checked here as the schema would check it, so a negative or
 * non-numeric price never leaves the form; the server checks again and its refusal is shown here too.
 */
export function AddModelForm({ editing, onClose }: AddModelFormProps) {
  const catalog = useTokensStore((s) => s.models);
  const updateUserModels = useCatalogStore((s) => s.updateUserModels);
  const editingId = typeof editing?.id === 'string' ? editing.id : undefined;
  const [drafts, setDrafts] = useState<Drafts>(() =>
    editing
      ? Object.fromEntries(Object.entries(editing).map(([k, v]) => [k, draftOf(v)]))
      : { countWith: 'o200k_base', tokenCountMethod: 'estimate', caching: 'none', asOf: today() },
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement | null>(null);
  const taken = useMemo(
    () => new Set(catalog.map((m) => m.id).filter((id) => id !== editingId)),
    [catalog, editingId],
  );

  useEffect(() => first.current?.focus(), []);

  const set = (key: string) => (value: string) => {
    setDrafts((d) => ({ ...d, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const text = (
    key: string,
    extra: { placeholder?: string; className?: string; type?: 'date' | 'url' } = {},
  ) => (
    <TextField
      key={key}
      name={key}
      label={NEW_MODEL_LABELS[key] ?? key}
      value={drafts[key] ?? ''}
      error={errors[key]}
      readOnly={key === 'id' && editingId !== undefined}
      inputRef={key === 'id' ? (el) => (first.current = el) : undefined}
      onChange={set(key)}
      {...extra}
    />
  );

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildNewModel(drafts, taken);
    if ('errors' in built) {
      setErrors(built.errors);
      setError(clientError(Object.keys(built.errors).length));
      return;
    }
    // The server marks user entries itself; fields this form does not show (tiers, notes…) are kept.
    const { origin: _origin, ...checked } = built.entry;
    const entry = { ...unmanaged(editing), ...checked };
    setBusy(true);
    setError(null);
    try {
      await updateUserModels((list) => replaceEntry(list, entry.id, entry));
      onClose(
        editingId
          ? `${entry.label}: saved.`
          : `${entry.label} added. Pick it in the cost panel’s model list to compare it.`,
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
    event.preventDefault();
    onClose();
  };

  return (
    <form
      className="models-panel add-model-form"
      aria-label={editingId ? `Edit ${editingId}` : 'Add a model'}
      data-testid="add-model-form"
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      onKeyDown={onKeyDown}
    >
      <h3 className="models-panel-title">{editingId ? `Edit ${editingId}` : 'Add a model'}</h3>
      <FormError error={error} testId="add-model-error" />
      <div className="models-form-grid">
        {TEXT_FIELDS.map(({ key, placeholder }) => text(key, { placeholder }))}
        <SelectField
          name="countWith"
          label="Count with"
          value={drafts.countWith ?? 'o200k_base'}
          options={ENCODING_CHOICES.map((e) => ({ value: e, label: e }))}
          error={errors.countWith}
          onChange={set('countWith')}
        />
        <SelectField
          name="tokenCountMethod"
          label="Count method"
          value={drafts.tokenCountMethod ?? 'estimate'}
          options={[
            { value: 'estimate', label: '≈ estimate' },
            { value: 'exact', label: 'exact' },
          ]}
          error={errors.tokenCountMethod}
          hint="Exact only when the model's own tokenizer is the one counted with"
          onChange={set('tokenCountMethod')}
        />
        <SelectField
          name="caching"
          label="Caching"
          value={drafts.caching ?? 'none'}
          options={CACHING_KINDS.map((k) => ({ value: k, label: CACHING_LABELS[k] }))}
          error={errors.caching}
          onChange={set('caching')}
        />
        {PRICE_FIELDS.map(({ key, label }) => (
          <TextField
            key={key}
            name={key}
            label={`${label} $/1M`}
            value={drafts[key] ?? ''}
            placeholder={key === 'inputPerMTok' || key === 'outputPerMTok' ? 'required' : 'optional'}
            numeric
            error={errors[key]}
            onChange={set(key)}
          />
        ))}
        <TextField
          name="contextWindow"
          label="Context window"
          value={drafts.contextWindow ?? ''}
          placeholder="128,000"
          numeric
          error={errors.contextWindow}
          onChange={set('contextWindow')}
        />
        {text('source', { placeholder: 'https://…/pricing', className: 'span-2', type: 'url' })}
        {text('asOf', { type: 'date' })}
        <TextField
          name="maxOutputTokens"
          label="Max output"
          value={drafts.maxOutputTokens ?? ''}
          placeholder="optional"
          numeric
          error={errors.maxOutputTokens}
          onChange={set('maxOutputTokens')}
        />
      </div>
      <div className="models-form-actions">
        <span className="models-form-hint">
          Prices in dollars per 1M tokens; “none” if the provider publishes none (never counted as $0).
        </span>
        <button type="button" className="button button-secondary small" onClick={() => onClose()}>
          Cancel
        </button>
        <button type="submit" className="button button-primary small" disabled={busy}>
          {busy ? 'Saving…' : editingId ? 'Save model' : 'Add model'}
        </button>
      </div>
    </form>
  );
}
