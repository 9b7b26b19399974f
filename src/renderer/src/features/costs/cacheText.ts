import { formatPercent, formatUsd } from '../../lib/format';
import type { CacheAnalysis } from '../../stores/cacheWhatIf';

const KIND_LABELS: Record<string, string> = {
  variable: 'Template variable',
  date: 'Date',
  time: 'Time',
  id: 'Identifier',
  'user-line': 'User-specific line',
};

/** "user-line" → "User-specific line". */
export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Where a breakpoint sits, in words: breakpoints close a block, so one at the start of a line reads
 * "After line 12" (the last line it caches); elsewhere "Line 12".
 */
export function breakpointLabel(text: string, offset: number): string {
  if (offset > 0 && text.charCodeAt(offset - 1) === 10) return `After line ${lineOf(text, offset - 1)}`;
  return `Line ${lineOf(text, offset)}`;
}

/** "Saves $0.0021 per request (23%)", or "Costs $0.0004 more per request" when caching costs more. */
export function savingText(
  analysis: Pick<CacheAnalysis, 'savingPerRequestUsd' | 'perRequest' | 'hitRate' | 'cachedTokensOnHit'>,
): {
  text: string;
  tone: 'good' | 'bad' | 'neutral';
} {
  const saving = analysis.savingPerRequestUsd;
  if (saving === null) return { text: 'No price: the saving cannot be computed', tone: 'neutral' };
  if (analysis.cachedTokensOnHit === 0) return { text: 'No saving: nothing is cached', tone: 'neutral' };
  const base = analysis.perRequest.noCache.totalUsd;
  const share = base ? ` (${formatPercent(Math.abs(saving) / base)})` : '';
  // Below a millionth of a dollar the difference is rounding, not a saving.
  if (Math.abs(saving) < 5e-7)
    return { text: `No saving at ${formatPercent(analysis.hitRate)} hits`, tone: 'neutral' };
  if (saving > 0) return { text: `Saves ${formatUsd(saving)} per request${share}`, tone: 'good' };
  return { text: `Costs ${formatUsd(-saving)} more per request${share}`, tone: 'bad' };
}
