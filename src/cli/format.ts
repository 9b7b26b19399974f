import { formatUsd } from '../core/pricing/cost';
import type { ErrorPayload } from '../shared/errors';

export const int = (n: number): string => n.toLocaleString('en-US');

export function perMTok(price: number | null): string {
  if (price === null) return 'no price';
  return `${dollars(price)}/1M`;
}

/** A price as published: whole cents with two decimals ($2.50), sub-cent prices with their digits ($0.075). */
export function dollars(price: number): string {
  const text = Number.isInteger(Math.round(price * 1e6) / 1e4) ? price.toFixed(2) : String(price);
  return `$${text}`;
}

/**
 * Dollars for a cost cell: "no price" for null (never $0), thousands separators from $1 up, and enough digits
 * below a cent that a small prompt does not read as $0.00.
 */
export function usd(value: number | null): string {
  if (value === null) return 'no price';
  if (value < 0) return `-${usd(-value)}`;
  if (value >= 1)
    return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return formatUsd(value);
}

/** A share 0..1 as a percentage ("80%", "12.5%"). */
export const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/** A token count with its provenance: "1,234" when exact, "≈1,234" when estimated. */
export const tokens = (n: number, method: string): string => `${method === 'exact' ? '' : '≈'}${int(n)}`;

/**
 * A plain-text table: columns padded to their widest cell, numbers right-aligned where `align` says 'r'.
 * Lines are indented by `indent` spaces and never end with trailing blanks.
 */
export function table(header: string[], rows: string[][], align: Array<'l' | 'r'> = [], indent = 0): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    ' '.repeat(indent) +
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd() +
    '\n';
  return line(header) + rows.map(line).join('');
}

export { formatUsd };

export function errorLine(error: ErrorPayload): string {
  return `promptpress: ${error.code}: ${error.message}\n`;
}
