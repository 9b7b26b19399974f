import { useEffect, useId, useState } from 'react';
import { parseList, parseNumberField, schemaFields, type FormField } from '../../lib/schemaForm';

interface OptionsFormProps {
  /** The strategy's options JSON Schema. */
  schema: Record<string, unknown>;
  values: Record<string, unknown>;
  onChange(patch: Record<string, unknown>): void;
  /** Prefix for the inputs' test ids: `<testPrefix>-<key>`. */
  testPrefix: string;
}

/** A text input that commits valid values and shows why an invalid one is not used. */
function TextInput({
  id,
  value,
  parse,
  onCommit,
  testId,
  placeholder,
  describedBy,
  inputMode,
}: {
  id: string;
  value: string;
  parse(text: string): { ok: true; value: unknown } | { ok: false; error: string };
  onCommit(value: unknown): void;
  testId: string;
  placeholder?: string;
  describedBy?: string;
  inputMode?: 'decimal' | 'numeric' | 'text';
}) {
  const [text, setText] = useState(value);
  const [error, setError] = useState<string | null>(null);
  // a value changed elsewhere (a pipeline loaded, reset) replaces what is typed
  useEffect(() => {
    setText(value);
    setError(null);
  }, [value]);
  return (
    <>
      <input
        id={id}
        className={error ? 'input invalid' : 'input'}
        value={text}
        inputMode={inputMode}
        placeholder={placeholder}
        aria-invalid={error !== null}
        aria-describedby={describedBy}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          const r = parse(e.target.value);
          setError(r.ok ? null : r.error);
          if (r.ok) onCommit(r.value);
        }}
      />
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

function numberHint(f: Extract<FormField, { kind: 'number' }>): string {
  const kind = f.integer ? 'a whole number' : 'a number';
  if (f.min !== undefined && f.max !== undefined) return `Enter ${kind} from ${f.min} to ${f.max}.`;
  if (f.min !== undefined) return `Enter ${kind} of at least ${f.min}.`;
  if (f.max !== undefined) return `Enter ${kind} of at most ${f.max}.`;
  return `Enter ${kind}.`;
}

function FieldInput({
  field,
  value,
  onChange,
  testId,
  id,
  hintId,
}: {
  field: FormField;
  value: unknown;
  onChange(v: unknown): void;
  testId: string;
  id: string;
  hintId: string;
}) {
  switch (field.kind) {
    case 'boolean':
      return (
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          aria-describedby={hintId}
          data-testid={testId}
          onChange={(e) => onChange(e.target.checked)}
        />
      );
    case 'enum':
      return (
        <select
          id={id}
          className="input"
          value={typeof value === 'string' ? value : field.options[0]}
          aria-describedby={hintId}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
        >
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'number':
      return (
        <TextInput
          id={id}
          testId={testId}
          describedBy={hintId}
          inputMode={field.integer ? 'numeric' : 'decimal'}
          value={typeof value === 'number' ? String(value) : ''}
          parse={(t) => {
            const n = parseNumberField(field, t);
            return n === null ? { ok: false, error: numberHint(field) } : { ok: true, value: n };
          }}
          onCommit={onChange}
        />
      );
    case 'string':
      return (
        <TextInput
          id={id}
          testId={testId}
          describedBy={hintId}
          value={typeof value === 'string' ? value : ''}
          parse={(t) => ({ ok: true, value: t })}
          onCommit={onChange}
        />
      );
    case 'list':
      return (
        <TextInput
          id={id}
          testId={testId}
          describedBy={hintId}
          placeholder="comma-separated"
          value={Array.isArray(value) ? value.join(', ') : ''}
          parse={(t) => ({ ok: true, value: parseList(t) })}
          onCommit={onChange}
        />
      );
    case 'json':
      return (
        <TextInput
          id={id}
          testId={testId}
          describedBy={hintId}
          value={value === undefined ? '' : JSON.stringify(value)}
          parse={(t) => {
            if (t.trim() === '') return { ok: true, value: undefined };
            try {
              return { ok: true, value: JSON.parse(t) as unknown };
            } catch {
              return { ok: false, error: 'Enter valid JSON.' };
            }
          }}
          onCommit={onChange}
        />
      );
  }
}

/** The options of one strategy, as a form built from its JSON Schema. */
export function OptionsForm({ schema, values, onChange, testPrefix }: OptionsFormProps) {
  const baseId = useId();
  const fields = schemaFields(schema);
  if (fields.length === 0) return <p className="muted small">This strategy has no options.</p>;
  return (
    <div className="options-form">
      {fields.map((f) => {
        const id = `${baseId}-${f.key}`;
        const hintId = `${id}-hint`;
        const input = (
          <FieldInput
            field={f}
            value={values[f.key]}
            onChange={(v) => onChange({ [f.key]: v })}
            testId={`${testPrefix}-${f.key}`}
            id={id}
            hintId={hintId}
          />
        );
        return f.kind === 'boolean' ? (
          <div key={f.key} className="option-row checkbox">
            {input}
            <label htmlFor={id}>
              {f.label}
              {f.description && (
                <span id={hintId} className="option-hint">
                  {f.description}
                </span>
              )}
            </label>
          </div>
        ) : (
          <div key={f.key} className="option-row">
            <label htmlFor={id}>{f.label}</label>
            {input}
            {f.description && (
              <span id={hintId} className="option-hint">
                {f.description}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}
