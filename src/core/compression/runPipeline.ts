import { AppError } from '../errors';
import { protectedSpans } from './guards';
import { checkGuardInvariants } from './invariants';
import { applyWithin, type Cluster } from './measure';
import { parsePipeline, type ParsedPipeline, type Pipeline } from './pipeline';
import type { RewriteHook, StageError } from './rewriteHook';
import type { RuleTables } from './rules';
import { markdownSections } from './sections';
import { offsetMapper, SpanIndex } from './spanIndex';
import { runStage, type Frozen } from './stage';
import { expandToLines, mergeLineRanges } from './text';
import type { BlockKind, BlockedEdit, CountTokens, Edit, ProtectedSpan, Range, SpanKind } from './types';

/** What runPipeline needs from its host. */
export interface PipelineContext {
  /** Exact token counter (e.g. `(t) => createGptTokenizer().count(t, 'o200k_base')`). */
  count: CountTokens;
  /** Ranges of the input the user protected (editor selection "protect"). */
  protect?: readonly Range[];
  /** Phrase tables, from loadRuleTables over resources/rules/*.json and the user's tables. */
  rules: RuleTables;
  /** Ids of edits the user rejected; they are listed per stage but not applied. */
  rejected?: ReadonlySet<string>;
  /** Optional sentence similarity (embeddings) for rules.dedupe. */
  similar?: (a: string, b: string) => number;
  /** Model rewrites the host computed before the run, for llm.rewrite (see rewriteHook.ts). */
  rewrite?: RewriteHook;
  /** Re-check the output against the input with checkGuardInvariants (default true). */
  verify?: boolean;
}

export interface StageResult {
  strategy: string;
  /** 1, or a later round when the first left something for a strategy to do (see runPipeline). */
  round: number;
  /** Accepted edits, sorted; offsets are into this stage's input. */
  edits: Edit[];
  blocked: BlockedEdit[];
  /** Edits the user rejected (ctx.rejected), measured but not applied. */
  rejected: Edit[];
  tokensBefore: number;
  tokensAfter: number;
  saved: number;
  /** Why the stage changed nothing although enabled (a model error), or why its edits were all blocked. */
  error?: StageError;
}

export interface SectionCount {
  title: string;
  level: number;
  /** Offsets in the input. */
  start: number;
  end: number;
  /** Offsets of the same section in the output. */
  outputStart: number;
  outputEnd: number;
  tokensBefore: number;
  tokensAfter: number;
}

export interface GuardReport {
  protectedSpans: number;
  spansByKind: Partial<Record<SpanKind, number>>;
  blocked: number;
  blockedByKind: Partial<Record<BlockKind, number>>;
  /** Whether the output was re-checked against the input (checkGuardInvariants) and found intact. */
  verified: boolean;
  /** Protected spans that went with a whole unit a lossy strategy deleted (rules.examples). */
  droppedWithUnits: number;
}

export interface PipelineResult {
  text: string;
  stages: StageResult[];
  totals: {
    tokensBefore: number;
    tokensAfter: number;
    saved: number;
    /** tokensAfter / tokensBefore (1 for empty input): 0.8 means 20 % fewer tokens. */
    ratio: number;
  };
  sections: SectionCount[];
  guardReport: GuardReport;
  /** Rounds run; a round runs every enabled step once, and the pipeline stops when a round changes nothing. */
  rounds: number;
}

const MAX_ROUNDS = 3;

/**
 * Runs the enabled steps of `pipeline` in order over `text`. Each stage's edits are proposed on that stage's
 * input, guarded (protected spans, negations, groups), measured, and applied together. When a round changed
 * the text, another round runs (at most three) and its stages are appended with `round: 2`; so running the
 * pipeline on its own output changes nothing. Deterministic: same input, pipeline and context, same result.
 * Token totals are exact: the input is counted once (by sections), and each stage's saving is the sum of
 * its clusters' exact savings (see measure.ts).
 */
export function runPipeline(
  text: string,
  pipeline: Pipeline | ParsedPipeline,
  ctx: PipelineContext,
): PipelineResult {
  const parsed = isParsed(pipeline) ? pipeline : parsePipeline(pipeline);
  const steps = parsed.steps.filter((s) => s.enabled);
  const spans0 = protectedSpans(text, { protect: ctx.protect });
  let spans = new SpanIndex(spans0);
  const index0 = spans;
  const sections = markdownSections(text, spans);
  const sectionTokens = sections.map((s) => ctx.count(text.slice(s.start, s.end)));
  const sectionsBefore = [...sectionTokens];
  let bounds = sections.map((s) => s.start);
  const tokensBefore = sectionTokens.reduce((a, b) => a + b, 0);
  let tokens = tokensBefore;
  // windows around edits repeat (the same bullet, the same table row shape): remember short counts
  const memo = new Map<string, number>();
  const countWindow = (t: string) => {
    if (t.length > 200) return ctx.count(t);
    let n = memo.get(t);
    if (n === undefined) memo.set(t, (n = ctx.count(t)));
    return n;
  };
  let cur = text;
  // protected spans (by index) and the text of whole units that a lossy strategy deleted (dropsUnit)
  const waived = new Set<number>();
  const dropped: string[] = [];
  let frozen: Frozen[] = [];
  const stages: StageResult[] = [];
  let rounds = 0;
  // what each step has not seen yet: ranges (of the current text) changed since it last ran
  let dirty: Range[][] = steps.map(() => []);
  for (let round = 1; round <= MAX_ROUNDS && steps.length > 0; round++) {
    rounds = round;
    let changed = false;
    for (const [stepIndex, step] of steps.entries()) {
      const strategy = step.strategy;
      let only: Range[] | undefined;
      if (round > 1) {
        if (dirty[stepIndex]!.length === 0) continue;
        if (strategy.local) only = expandToLines(cur, dirty[stepIndex]!);
      }
      const out = runStage({
        text: cur,
        strategy,
        options: step.options,
        round,
        spans,
        rules: ctx.rules,
        count: countWindow,
        rejected: ctx.rejected ?? new Set(),
        frozen,
        similar: ctx.similar,
        only,
        rewrite: ctx.rewrite,
      });
      const stageBefore = tokens;
      if (out.clusters.every((c) => c.exact)) {
        for (const c of out.clusters) {
          attribute(cur, out.edits, c, bounds, sectionTokens, countWindow);
          tokens -= c.saved;
        }
      }
      if (strategy.idempotent) dirty[stepIndex] = [];
      if (out.edits.length > 0) {
        const mapper = offsetMapper(out.edits);
        bounds = bounds.map((b, i) => (i === 0 ? 0 : mapper.start(b)));
        frozen = [
          ...frozen.map((f) => ({ ...f, start: mapper.start(f.start), end: mapper.end(f.end) })),
          ...out.rejected.map((e) => ({
            strategy: e.strategy,
            ruleId: e.ruleId,
            start: mapper.start(e.start),
            end: mapper.end(e.end),
          })),
        ];
        // joined per line once, not once per step
        const touched = mergeLineRanges(out.text, changedRanges(out.edits), []);
        dirty = dirty.map((list, i) =>
          i === stepIndex && strategy.idempotent
            ? list
            : mergeLineRanges(
                out.text,
                list.map((r) => ({ start: mapper.start(r.start), end: mapper.end(r.end) })),
                touched,
              ),
        );
        for (const e of out.edits) {
          if (!e.dropsUnit) continue;
          for (const i of spans.within(e.start, e.end)) waived.add(i);
          dropped.push(e.before);
        }
        spans = spans.map(out.edits);
        changed = true;
      } else if (out.rejected.length > 0) {
        frozen = [
          ...frozen,
          ...out.rejected.map((e) => ({
            strategy: e.strategy,
            ruleId: e.ruleId,
            start: e.start,
            end: e.end,
          })),
        ];
      }
      if (!out.clusters.every((c) => c.exact)) {
        // no safe cut near some edit: recount the sections of the new text (still exact, just slower)
        bounds.forEach(
          (b, i) => (sectionTokens[i] = ctx.count(out.text.slice(b, bounds[i + 1] ?? out.text.length))),
        );
        tokens = sectionTokens.reduce((a, b) => a + b, 0);
      }
      if (round === 1 || out.edits.length > 0) {
        stages.push({
          strategy: strategy.id,
          round,
          edits: out.edits,
          blocked: out.blocked,
          rejected: out.rejected,
          tokensBefore: stageBefore,
          tokensAfter: tokens,
          saved: stageBefore - tokens,
          ...(out.error ? { error: out.error } : {}),
        });
      }
      cur = out.text;
    }
    if (!changed) break;
  }
  const verified = ctx.verify !== false;
  if (verified && cur !== text) {
    // spans0 and spans.spans are both sorted by (start, end desc) and mapping keeps that order
    const keep = (_: unknown, i: number) => !waived.has(i);
    const violations = checkGuardInvariants(text, cur, {
      spans: waived.size ? index0.spans.filter(keep) : index0.spans,
      mapped: waived.size ? spans.spans.filter(keep) : spans.spans,
      dropped,
    });
    if (violations.length > 0) {
      throw new AppError(
        'INTERNAL',
        `Compression failed its own guard check; nothing was changed. ${violations[0]!.message}.`,
        {
          violations: violations.slice(0, 20).map((v) => v.message),
        },
      );
    }
  }
  return {
    text: cur,
    stages,
    totals: {
      tokensBefore,
      tokensAfter: tokens,
      saved: tokensBefore - tokens,
      ratio: tokensBefore === 0 ? 1 : tokens / tokensBefore,
    },
    sections: sections.map((s, i) => ({
      title: s.title,
      level: s.level,
      start: s.start,
      end: s.end,
      outputStart: bounds[i]!,
      outputEnd: bounds[i + 1] ?? cur.length,
      tokensBefore: sectionsBefore[i]!,
      tokensAfter: sectionTokens[i]!,
    })),
    guardReport: { ...guardReport(spans0, stages, verified), droppedWithUnits: waived.size },
    rounds,
  };
}

/** Where the edits' replacements sit in the edited text. */
function changedRanges(edits: readonly Edit[]): Range[] {
  let delta = 0;
  return edits.map((e) => {
    const start = e.start + delta;
    delta += e.after.length - (e.end - e.start);
    return { start, end: start + e.after.length };
  });
}

function isParsed(p: Pipeline | ParsedPipeline): p is ParsedPipeline {
  return p.steps.every((s) => typeof s.strategy === 'object');
}

/**
 * Subtracts a cluster's saving from the sections it touches. A cluster whose window crosses section starts
 * is split there (a section start is a safe cut, so the pieces add up); if they do not add up (an edit
 * changed the characters around the cut), the whole saving goes to the section of its first edit.
 */
function attribute(
  text: string,
  edits: readonly Edit[],
  c: Cluster,
  bounds: readonly number[],
  sectionTokens: number[],
  count: CountTokens,
): void {
  const k0 = sectionAt(bounds, c.start);
  const k1 = sectionAt(bounds, c.end - 1);
  if (k0 === k1) {
    sectionTokens[k0]! -= c.saved;
    return;
  }
  const members = edits.slice(c.first, c.last + 1);
  const inside = bounds.slice(k0 + 1, k1 + 1);
  if (members.some((e) => inside.some((b) => e.start < b && b < e.end))) {
    sectionTokens[sectionAt(bounds, c.at)]! -= c.saved;
    return;
  }
  const after = applyWithin(text, c, members);
  const mapped = (b: number) => {
    let p = b - c.start;
    for (const e of members) if (e.end <= b) p += e.after.length - (e.end - e.start);
    return p;
  };
  const parts: number[] = [];
  for (let k = k0; k <= k1; k++) {
    const from = k === k0 ? c.start : bounds[k]!;
    const to = k === k1 ? c.end : bounds[k + 1]!;
    const a0 = k === k0 ? 0 : mapped(from);
    const a1 = k === k1 ? after.length : mapped(to);
    parts.push(count(text.slice(from, to)) - count(after.slice(a0, a1)));
  }
  if (parts.reduce((a, b) => a + b, 0) !== c.saved) {
    sectionTokens[sectionAt(bounds, c.at)]! -= c.saved;
    return;
  }
  parts.forEach((p, i) => (sectionTokens[k0 + i]! -= p));
}

/** Index of the section holding `offset` (bounds are sorted section starts, the first is 0). */
function sectionAt(bounds: readonly number[], offset: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}

function guardReport(
  spans: readonly ProtectedSpan[],
  stages: readonly StageResult[],
  verified: boolean,
): GuardReport {
  const spansByKind: Partial<Record<SpanKind, number>> = {};
  for (const s of spans) spansByKind[s.kind] = (spansByKind[s.kind] ?? 0) + 1;
  const blockedByKind: Partial<Record<BlockKind, number>> = {};
  let blocked = 0;
  for (const st of stages) {
    for (const b of st.blocked) {
      blockedByKind[b.spanKind] = (blockedByKind[b.spanKind] ?? 0) + 1;
      blocked++;
    }
  }
  return { protectedSpans: spans.length, spansByKind, blocked, blockedByKind, verified, droppedWithUnits: 0 };
}
