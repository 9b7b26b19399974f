/** Small form controls of the History view: numbers that may be left empty, and a catalog model select. */
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { ModelEntry } from '../../../../core/pricing/catalog';
import { groupByProvider, providerLabel } from '../../lib/providers';

/** A labelled field with its error below. */
export function Field({
  label,
  htmlFor,
  error,
  hint,
  className,
  children,
}: {
  label: string;
  htmlFor: string;
  error?: string | undefined;
  hint?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className ? `hfield ${className}` : 'hfield'}>
      <label className="hfield-label" htmlFor={htmlFor} title={hint}>
        {label}
      </label>
      {children}
      {error && (
        <span className="hfield-error" id={`${htmlFor}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * A number input whose value may be unset (empty). What is typed stays as typed; the value is committed when
 * it parses, and `undefined` when the box is empty.
 */
export function NumberInput({
  label,
  value,
  onChange,
  error,
  hint,
  min,
  step,
  placeholder,
  testId,
  className,
}: {
  label: string;
  value: number | undefined;
  onChange(value: number | undefined): void;
  error?: string | undefined;
  hint?: string;
  min?: number;
  step?: number | 'any';
  placeholder?: string;
  testId?: string;
  className?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [bad, setBad] = useState(false);
  // a value changed elsewhere (a policy loaded) replaces what is typed
  useEffect(() => {
    setText((t) => (t.trim() !== '' && Number(t) === value ? t : value === undefined ? '' : String(value)));
    setBad(false);
  }, [value]);
  const shown = bad ? 'not a number' : error;
  return (
    <Field label={label} htmlFor={id} error={shown} hint={hint} className={className}>
      <input
        id={id}
        className="input"
        type="number"
        inputMode="decimal"
        min={min}
        step={step ?? 1}
        value={text}
        placeholder={placeholder}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown ? `${id}-error` : undefined}
        data-testid={testId}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (t.trim() === '') {
            setBad(false);
            onChange(undefined);
            return;
          }
          const n = Number(t);
          setBad(!Number.isFinite(n));
          if (Number.isFinite(n)) onChange(n);
        }}
      />
    </Field>
  );
}

/** A select of the catalog's models grouped by provider; a value not in the catalog stays selectable. */
export function ModelSelect({
  id,
  models,
  value,
  onChange,
  testId,
  ariaLabel,
  invalid,
  placeholder = 'Choose a model',
}: {
  id?: string;
  models: ModelEntry[];
  value: string;
  onChange(id: string): void;
  testId?: string;
  ariaLabel?: string;
  invalid?: boolean;
  /** Shown when no model is chosen. */
  placeholder?: string;
}) {
  const groups = useMemo(() => groupByProvider(models), [models]);
  const known = models.some((m) => m.id === value);
  return (
    <select
      id={id}
      className="input"
      value={value}
      aria-label={ariaLabel}
      aria-invalid={invalid ? true : undefined}
      data-testid={testId}
      onChange={(e) => onChange(e.target.value)}
    >
      {!known && <option value={value}>{value ? `${value} (not in the catalog)` : placeholder}</option>}
      {groups.map(([provider, list]) => (
        <optgroup key={provider} label={providerLabel(provider)}>
          {list.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label === m.id ? m.id : `${m.label} · ${m.id}`}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
