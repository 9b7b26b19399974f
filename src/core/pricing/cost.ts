import type { ModelEntry } from './catalog';

export interface InputCost {
  /** Dollars, or null when the model has no input price: never shown as $0. */
  usd: number | null;
  perMTok: number | null;
}

/** Cost of sending `tokens` once as uncached input to `model`. */
export function inputCost(model: ModelEntry, tokens: number): InputCost {
  if (model.inputPerMTok === null) return { usd: null, perMTok: null };
  return { usd: (tokens * model.inputPerMTok) / 1_000_000, perMTok: model.inputPerMTok };
}

/** Formats dollars for display with enough digits that small prompts do not read as $0.00. */
export function formatUsd(usd: number | null): string {
  if (usd === null) return 'no price';
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(6)}`;
  if (usd < 1) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}
