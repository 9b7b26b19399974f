import { z } from 'zod';
import type { Strategy } from '../strategy';
import { cacheReorderStrategy } from './cacheReorder';
import { dataStrategy } from './data';
import { dedupeStrategy } from './dedupe';
import { examplesStrategy } from './examples';
import { fillerStrategy } from './filler';
import { llmRewriteStrategy } from './llmRewrite';
import { markdownStrategy } from './markdown';
import { stopwordsStrategy } from './stopwords';
import { structuredOutputStrategy } from './structuredOutput';
import { whitespaceStrategy } from './whitespace';

/**
 * Every compression strategy, in the order the default pipeline runs them. Adding a strategy means adding
 * one entry here (and its tests); the pipeline, the CLI and the UI pick it up from this list.
 */
export const STRATEGY_LIST: readonly Strategy[] = [
  whitespaceStrategy,
  markdownStrategy,
  dataStrategy,
  fillerStrategy,
  // few-shot pruning before dedupe: fewer examples left, fewer repeats for it to judge
  examplesStrategy,
  dedupeStrategy,
  // after the rule-based cleanup (the model is sent fewer tokens), before the lossiest rules
  llmRewriteStrategy,
  stopwordsStrategy,
  // proposals, off by default: they run last, on the compressed text, and reorder only what stays
  structuredOutputStrategy,
  cacheReorderStrategy,
];

/** The registry: strategy id → strategy. */
export const STRATEGIES: Readonly<Record<string, Strategy>> = Object.fromEntries(
  STRATEGY_LIST.map((s) => [s.id, s]),
);

export function getStrategy(id: string): Strategy | undefined {
  return Object.hasOwn(STRATEGIES, id) ? STRATEGIES[id] : undefined;
}

/** What a UI or a remote client needs to show a strategy and build its options form (JSON Schema). */
export interface StrategyInfo {
  id: string;
  label: string;
  description: string;
  lossy: boolean;
  defaultEnabled: boolean;
  /** `'suggestion'` for strategies whose edits are proposals to weigh (see Strategy.kind). */
  kind?: 'suggestion';
  defaults: Record<string, unknown>;
  optionsSchema: Record<string, unknown>;
}

/** Serialisable descriptions of every registered strategy. */
export function describeStrategies(): StrategyInfo[] {
  return STRATEGY_LIST.map((s) => ({
    id: s.id,
    label: s.label,
    description: s.description,
    lossy: s.lossy,
    defaultEnabled: s.defaultEnabled,
    ...(s.kind ? { kind: s.kind } : {}),
    defaults: s.options.parse({}) as Record<string, unknown>,
    optionsSchema: z.toJSONSchema(s.options, { io: 'input' }) as Record<string, unknown>,
  }));
}
