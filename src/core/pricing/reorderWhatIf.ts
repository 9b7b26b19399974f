import { applyEdits } from '../compression/stage';
import type { StageResult } from '../compression/runPipeline';
import type { Edit } from '../compression/types';
import type { ModelEntry } from './catalog';
import { cacheWhatIf, type CacheWhatIf } from './cacheWhatIf';

/** The figures of a cache what-if that a reorder changes. */
export type CacheSummary = Pick<
  CacheWhatIf,
  | 'prefixChars'
  | 'prefixTokens'
  | 'cachedTokensOnHit'
  | 'meetsMinimum'
  | 'savingPerRequestUsd'
  | 'explanation'
> & { expectedUsd: number | null };

/** What cache.reorder's proposal does to prompt caching on one model. */
export interface CacheReorderWhatIf {
  model: string;
  hitRate: number;
  outputTokens: number;
  /** The text cache.reorder received (after the steps before it), and that text with its move applied. */
  before: CacheSummary;
  after: CacheSummary;
  /** False when the move was blocked or rejected: `after` is then what accepting it would give. */
  applied: boolean;
}

const summary = (w: CacheWhatIf): CacheSummary => ({
  prefixChars: w.prefixChars,
  prefixTokens: w.prefixTokens,
  cachedTokensOnHit: w.cachedTokensOnHit,
  meetsMinimum: w.meetsMinimum,
  expectedUsd: w.perRequest.expectedUsd,
  savingPerRequestUsd: w.savingPerRequestUsd,
  explanation: w.explanation,
});

/**
 * The cache what-if before and after the first cache.reorder stage of a run that proposed a move, or null
 * when none did. The stages are replayed from `input` to find the text that stage received; its proposal
 * (applied, blocked or rejected: one group) is applied to that text for `after`.
 */
export function cacheReorderWhatIf(
  input: string,
  stages: readonly StageResult[],
  opts: { model: ModelEntry; count: (text: string) => number; hitRate?: number; outputTokens?: number },
): CacheReorderWhatIf | null {
  let cur = input;
  for (const st of stages) {
    if (st.strategy === 'cache.reorder') {
      const proposed: Edit[] = [...st.edits, ...st.blocked.map((b) => b.edit), ...st.rejected];
      const group = proposed.find((e) => e.ruleId === 'move.insert')?.group;
      if (group !== undefined) {
        const move = proposed.filter((e) => e.group === group).sort((a, b) => a.start - b.start);
        const hitRate = opts.hitRate ?? 0.8;
        const outputTokens = opts.outputTokens ?? 500;
        const whatIf = (text: string) =>
          summary(cacheWhatIf({ text, model: opts.model, count: opts.count, hitRate, outputTokens }));
        return {
          model: opts.model.id,
          hitRate,
          outputTokens,
          before: whatIf(cur),
          after: whatIf(applyEdits(cur, move)),
          applied: st.edits.some((e) => e.group === group),
        };
      }
    }
    cur = applyEdits(cur, st.edits);
  }
  return null;
}
