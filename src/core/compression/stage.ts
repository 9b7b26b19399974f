import { AppError } from '../errors';
import { guardEdits, propagateGroups, type GuardResult } from './guards';
import { measureEdits, type Cluster } from './measure';
import type { RuleTables } from './rules';
import type { SpanIndex } from './spanIndex';
import type { RewriteHook, StageError } from './rewriteHook';
import type { Strategy } from './strategy';
import { hashPair } from './text';
import type { BlockedEdit, CountTokens, Edit, ProposedEdit, Range } from './types';

/** An edit the user rejected, followed through later stages so a later round does not redo it. */
export interface Frozen extends Range {
  strategy: string;
  ruleId: string;
}

export interface StageInput {
  text: string;
  strategy: Strategy;
  options: unknown;
  round: number;
  spans: SpanIndex;
  rules: RuleTables;
  count: CountTokens;
  rejected: ReadonlySet<string>;
  frozen: readonly Frozen[];
  similar?: (a: string, b: string) => number;
  only?: readonly Range[];
  rewrite?: RewriteHook;
}

export interface StageOutput {
  text: string;
  edits: Edit[];
  blocked: BlockedEdit[];
  rejected: Edit[];
  clusters: Cluster[];
  /** Why the strategy proposed nothing or will be blocked (StrategyContext.fail). */
  error?: StageError;
}

function toEdits(text: string, strategy: string, round: number, proposals: readonly ProposedEdit[]): Edit[] {
  // earlier edits by rule, then by hash (as a number: a key string per edit cost more than the rest)
  const seen = new Map<string, Map<number, number>>();
  const sorted = [...proposals].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.map((p) => {
    if (
      !Number.isInteger(p.start) ||
      !Number.isInteger(p.end) ||
      p.start < 0 ||
      p.end < p.start ||
      p.end > text.length
    ) {
      throw new AppError(
        'INTERNAL',
        `Strategy ${strategy} proposed an edit outside its text (${p.start}..${p.end}).`,
        {
          strategy,
        },
      );
    }
    const before = text.slice(p.start, p.end);
    const h = hashPair(before, p.after);
    let byHash = seen.get(p.ruleId);
    if (!byHash) seen.set(p.ruleId, (byHash = new Map()));
    const k = byHash.get(h) ?? 0;
    byHash.set(h, k + 1);
    // the same object as { ...p, id, … }, built by Object.assign and assignments: V8 takes microseconds per
    // object for a spread followed by new properties, which dominated a stage of 10,000 edits
    const e = Object.assign({}, p) as Edit;
    e.id = `${strategy}/${p.ruleId}/${h.toString(36)}/${k}${round > 1 ? `/r${round}` : ''}`;
    e.strategy = strategy;
    e.before = before;
    e.tokensSaved = 0;
    e.tokensExact = true;
    return e;
  });
}

function overlapsRange(a: Range, b: Range): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return b.start < a.start && a.start < b.end;
  if (b.start === b.end) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** Runs one strategy over `text`: proposals → rejections → overlaps → guards → groups → measure → apply. */
export function runStage(input: StageInput): StageOutput {
  const { text, strategy, round, spans, count } = input;
  // typed by assertion: assigned in the fail callback, which control-flow narrowing cannot see
  let error = undefined as StageError | undefined;
  const proposals = strategy.run(text, input.options, {
    rules: input.rules,
    spans,
    similar: input.similar,
    only: input.only,
    rewrite: input.rewrite,
    round,
    fail: (e) => void (error ??= e),
  });
  const all = toEdits(text, strategy.id, round, proposals);
  // only a lossy strategy may delete whole units with what is protected inside them
  if (!strategy.lossy) for (const e of all) if (e.dropsUnit) delete e.dropsUnit;
  const rejected: Edit[] = [];
  const candidates: Edit[] = [];
  for (const e of all) {
    const frozen =
      input.frozen.length > 0 &&
      input.frozen.some((f) => f.strategy === e.strategy && f.ruleId === e.ruleId && overlapsRange(f, e));
    if ((input.rejected.size > 0 && input.rejected.has(e.id)) || frozen) rejected.push(e);
    else candidates.push(e);
  }
  const overlapping: GuardResult<Edit>['blocked'] = [];
  const disjoint: Edit[] = [];
  for (const e of candidates) {
    const prev = disjoint[disjoint.length - 1];
    if (prev && (overlapsRange(prev, e) || e.start < prev.end)) {
      overlapping.push({
        edit: e,
        spanKind: 'overlap',
        reason: `Overlaps an earlier edit of the same strategy (${prev.ruleId}).`,
      });
    } else disjoint.push(e);
  }
  const guarded = guardEdits(text, disjoint, spans);
  const final = propagateGroups(guarded.accepted, [...overlapping, ...guarded.blocked], rejected);
  const blocked = final.blocked.sort((a, b) => a.edit.start - b.edit.start);
  const clusters = measureEdits(text, final.accepted, [...blocked.map((b) => b.edit), ...rejected], count);
  return {
    text: applyEdits(text, final.accepted),
    edits: final.accepted,
    blocked,
    rejected,
    clusters,
    ...(error ? { error } : {}),
  };
}

/** Applies sorted, non-overlapping edits in one pass. */
export function applyEdits(text: string, edits: ReadonlyArray<Range & { after: string }>): string {
  if (edits.length === 0) return text;
  const parts: string[] = [];
  let pos = 0;
  for (const e of edits) {
    parts.push(text.slice(pos, e.start), e.after);
    pos = e.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}
