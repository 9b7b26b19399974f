import { useId, type ReactNode } from 'react';

interface BaseProps {
  /** The entry field this input edits (`inputPerMTok`…): tests and server errors find it by this name. */
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  className?: string;
}

interface TextFieldProps extends BaseProps {
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  type?: 'text' | 'date' | 'url';
  numeric?: boolean;
  readOnly?: boolean;
  suffix?: string;
  inputRef?: (el: HTMLInputElement | null) => void;
}

function FieldFrame({
  id,
  label,
  error,
  errorId,
  hint,
  className,
  children,
}: {
  id: string;
  label: string;
  error: string | undefined;
  errorId: string;
  hint: string | undefined;
  className: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label className="field-label" htmlFor={id} title={hint}>
        {label}
      </label>
      {children}
      {error && (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A labelled text input whose error is announced and tied to it (aria-invalid, aria-describedby). */
export function TextField(props: TextFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const input = (
    <input
      id={id}
      ref={props.inputRef}
      name={props.name}
      className="input"
      type={props.type ?? 'text'}
      inputMode={props.numeric ? 'decimal' : undefined}
      autoComplete="off"
      spellCheck={false}
      value={props.value}
      placeholder={props.placeholder}
      readOnly={props.readOnly}
      aria-invalid={props.error ? true : undefined}
      aria-describedby={props.error ? errorId : undefined}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
  return (
    <FieldFrame
      id={id}
      label={props.label}
      error={props.error}
      errorId={errorId}
      hint={props.hint}
      className={props.className}
    >
      {props.suffix ? (
        <div className="input-with-suffix">
          {input}
          <span className="input-suffix" aria-hidden="true">
            {props.suffix}
          </span>
        </div>
      ) : (
        input
      )}
    </FieldFrame>
  );
}

interface SelectFieldProps extends BaseProps {
  value: string;
  onChange(value: string): void;
  options: ReadonlyArray<{ value: string; label: string }>;
}

/** A labelled select with the same error handling as TextField. */
export function SelectField(props: SelectFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <FieldFrame
      id={id}
      label={props.label}
      error={props.error}
      errorId={errorId}
      hint={props.hint}
      className={props.className}
    >
      <select
        id={id}
        name={props.name}
        className="input"
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
