import { useEffect, useId, useState } from 'react';

export interface NumberFieldProps {
  label: string;
  /** The value in the store's unit; undefined leaves an optional field empty. */
  value: number | undefined;
  onCommit(value: number | undefined): void;
  /** Bounds in the displayed unit. */
  min?: number;
  max?: number;
  /** Shown value = stored value × scale (0.8 → 80 for percentages). */
  scale?: number;
  integer?: boolean;
  optional?: boolean;
  suffix?: string;
  placeholder?: string;
  id?: string;
  hint?: string;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

/** The stored value as shown: scaled, with thousands separators ("2,000,000"). */
function display(value: number | undefined, scale: number): string {
  if (value === undefined) return '';
  return grouped.format(Math.round(value * scale * 1e6) / 1e6);
}

/** What the user typed as a number: separators and spaces are ignored; anything else is NaN. */
function parse(raw: string): number {
  const cleaned = raw.replace(/[,_\s]/g, '');
  return cleaned === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned) ? NaN : Number(cleaned);
}

/**
 * A labelled number input (text, so it can show thousands separators) that keeps what the user is typing (a half-typed "1." or an empty box) and
 * commits only valid numbers within bounds; an invalid entry is marked and never reaches the store.
 */
export function NumberField({
  label,
  value,
  onCommit,
  min = 0,
  max,
  scale = 1,
  integer,
  optional,
  suffix,
  placeholder,
  id,
  hint,
}: NumberFieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const [draft, setDraft] = useState(() => display(value, scale));
  const [invalid, setInvalid] = useState(false);

  // Follow changes made elsewhere (another tab, a reset) unless the draft already says the same.
  useEffect(() => {
    setDraft((current) => {
      const parsed = current.trim() === '' ? undefined : parse(current) / scale;
      return parsed === value ? current : display(value, scale);
    });
    setInvalid(false);
  }, [value, scale]);

  const onChange = (raw: string) => {
    setDraft(raw);
    const trimmed = raw.trim();
    if (trimmed === '') {
      setInvalid(!optional);
      if (optional) onCommit(undefined);
      return;
    }
    const n = parse(trimmed);
    const ok =
      Number.isFinite(n) && n >= min && (max === undefined || n <= max) && (!integer || Number.isInteger(n));
    setInvalid(!ok);
    if (ok) onCommit(n / scale);
  };

  return (
    <div className="field">
      <label className="field-label" htmlFor={inputId}>
        {label}
      </label>
      <div className={suffix ? 'input-with-suffix' : undefined}>
        <input
          id={inputId}
          className="input"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={draft}
          placeholder={placeholder}
          aria-invalid={invalid || undefined}
          title={hint}
          onChange={(e) => onChange(e.target.value)}
          onBlur={() => {
            setDraft(display(value, scale)); // an invalid entry goes back to the value in force
            setInvalid(false);
          }}
        />
        {suffix && (
          <span className="input-suffix" aria-hidden="true">
            {suffix}
          </span>
        )}
      </div>
    </div>
  );
}
