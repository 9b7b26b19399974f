import type { ModelEntry } from '../../pricing/catalog';
import type { CountMethod } from '../../tokens/tokenizer';
import type { RequestCounter } from '../policy/count';
import type { Policy } from '../policy/schema';
import type { RequestProvider } from '../policy/structure';
import type { SummaryCache, SummarisePort } from '../policy/summarise';
import type { HistoryMessage } from '../types';

export interface SimulationInput {
  conversation: { system?: string | undefined; messages: readonly HistoryMessage[] };
  policy: Policy;
  /** The target model: its prices, caching rules, context window and provider. */
  model: ModelEntry;
  /** Counts with the target model's encoding (createRequestCounter). */
  counter: RequestCounter;
  /** Whose request rules apply; by default the model's provider's. */
  provider?: RequestProvider;
  /** Model prompt caching (default true); false prices every input token as uncached. */
  caching?: boolean;
  /** Anthropic cache-write lifetime (default 5 minutes). */
  cacheTtl?: '5m' | '1h';
  /** Tokens of the tool definitions sent with every request (default 0). */
  toolTokens?: number;
  /** Price the requests at batch rates. */
  batch?: boolean;
  summarise?: SummarisePort;
  summaryCache?: SummaryCache;
}

/** Per-turn figures of one side (original or policy), one entry per turn: ready for a chart. */
export interface SimulationSeries {
  /** Messages sent after the system prompt. */
  messages: number[];
  /** All input tokens of the request (uncached + cache write + cache read). */
  inputTokens: number[];
  uncachedTokens: number[];
  cacheReadTokens: number[];
  cacheWriteTokens: number[];
  outputTokens: number[];
  /** The request's cost (input, cache and output lines; for the policy, without the summariser). */
  requestUsd: number[];
  /** The turn's whole cost: the request, plus on the policy side the summaries made on that turn. */
  costUsd: number[];
  cumulativeUsd: number[];
}

export interface SimulationTotals {
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  costUsd: number;
  peakInputTokens: number;
}

export interface SimulationResult {
  model: string;
  /** The policy's name, if it has one. */
  policyName: string | undefined;
  provider: RequestProvider;
  /** The caching rules applied, or "off". */
  caching: ModelEntry['caching'] | 'off';
  /** 1-based turn numbers: one per assistant message, each a model call. */
  turn: number[];
  /** Index in the conversation of the assistant message each turn produces. */
  messageIndex: number[];
  original: SimulationSeries;
  policy: SimulationSeries & {
    summariserCalls: number[];
    summariserCached: number[];
    summariserUsd: number[];
    /** True where the budget could not be met without breaking a tool call or the provider's rules. */
    overBudget: boolean[];
  };
  /** First turn from which the policy's cumulative cost stays below the original's; null if it never does. */
  breakEvenTurn: number | null;
  summary: {
    turns: number;
    original: SimulationTotals;
    policy: SimulationTotals & { summariserCalls: number; summariserCached: number; summariserUsd: number };
    savedUsd: number;
    /** savedUsd / original cost (0 when the original costs nothing). */
    savedFraction: number;
    savedInputTokens: number;
    breakEvenTurn: number | null;
    overBudgetTurns: number;
    /** How the token numbers were obtained: exact only when the model and every message count exactly. */
    method: CountMethod;
    notes: string[];
  };
}
