import { formatUsd } from '../core/pricing/cost';
import type { ErrorPayload } from '../shared/errors';

export const int = (n: number): string => n.toLocaleString('en-US');

export function perMTok(price: number | null): string {
  if (price === null) return 'no price';
  // Whole cents print with two decimals ($2.50); sub-cent prices keep their digits ($0.075).
  const text = Number.isInteger(Math.round(price * 1e6) / 1e4) ? price.toFixed(2) : String(price);
  return `$${text}/1M`;
}

export { formatUsd };

export function errorLine(error: ErrorPayload): string {
  return `promptpress: ${error.code}: ${error.message}\n`;
}
