import { formatUsd } from '../../../core/pricing/cost';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1248 → "1,248". */
export function formatInt(n: number): string {
  return integer.format(n);
}

/** 6155 → "6.0 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Dollars per million tokens as providers publish them: 2.5 → "$2.50", 0.075 → "$0.075". */
export function formatPerMTok(perMTok: number): string {
  const fixed = perMTok.toFixed(2);
  return Number(fixed) === perMTok ? `$${fixed}` : `$${String(perMTok)}`;
}

/** The same dollar formatting as the CLI, so both hosts print the same numbers; null reads "no price". */
export { formatUsd };

/** 0.8 → "80%", 0.004 → "0.4%", 0 → "0%". */
export function formatPercent(share: number): string {
  const pct = share * 100;
  if (pct === 0 || pct >= 10 || Number.isInteger(pct)) return `${Math.round(pct)}%`;
  return `${pct.toFixed(1)}%`;
}

/** A token count with the ≈ mark when it is an estimate: "≈ 1,248". */
export function formatTokens(tokens: number, method: 'exact' | 'estimate' | 'provider-reported'): string {
  return `${method === 'estimate' ? '≈ ' : ''}${formatInt(tokens)}`;
}
