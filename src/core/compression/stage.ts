import { AppError } from '../errors';
import { guardEdits, propagateGroups, type GuardResult } from './guards';
import { measureEdits, type Cluster } from './measure';
import type { RuleTables } from './rules';
import type { SpanIndex } from './spanIndex';
import type { Strategy } from './strategy';
import { hash36 } from './text';
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
}

export interface StageOutput {
  text: string;
  edits: Edit[];
  blocked: BlockedEdit[];
  rejected: Edit[];
  clusters: Cluster[];
}

function toEdits(text: string, strategy: string, round: number, proposals: readonly ProposedEdit[]): Edit[] {
  const seen = new Map<string, number>();
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
    const base = `${strategy}/${p.ruleId}/${hash36(`${before}\u0000${p.after}`)}`;
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    return {
      ...p,
      id: `${base}/${k}${round > 1 ? `/r${round}` : ''}`,
      strategy,
      before,
      tokensSaved: 0,
      tokensExact: true,
    };
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
  const proposals = strategy.run(text, input.options, {
    rules: input.rules,
    spans,
    similar: input.similar,
    only: input.only,
  });
  const all = toEdits(text, strategy.id, round, proposals);
  const rejected: Edit[] = [];
  const candidates: Edit[] = [];
  for (const e of all) {
    const frozen = input.frozen.some(
      (f) => f.strategy === e.strategy && f.ruleId === e.ruleId && overlapsRange(f, e),
    );
    if (input.rejected.has(e.id) || frozen) rejected.push(e);
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
  return { text: applyEdits(text, final.accepted), edits: final.accepted, blocked, rejected, clusters };
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
