import { locateEdits, type LocatedEdit } from '../../../../core/compression/locate';
import type { CompressResult } from '../../../../shared/contract';
import type { DiffMark } from './diffHost';

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What an edit saved, in words: "saves 3 tokens", "costs 1 token". */
export function savingText(tokens: number, exact = true): string {
  const approx = exact ? '' : '≈';
  if (tokens === 0) return 'saves no token';
  return tokens > 0
    ? `saves ${approx}${plural(tokens, 'token')}`
    : `costs ${approx}${plural(-tokens, 'token')}`;
}

const mdEscape = (s: string) => s.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');

function hoverFor(l: LocatedEdit): string {
  const e = l.edit;
  const head = `**${e.strategy}** · \`${e.ruleId}\` · ${savingText(e.tokensSaved, e.tokensExact)}`;
  const status =
    l.status === 'applied'
      ? '_Applied._ Right-click → Reject the edit here.'
      : l.status === 'rejected'
        ? '_Rejected by you._ Right-click → Reject or restore the edit here.'
        : `_Blocked by a guard (${l.blockedBy?.kind ?? 'guard'}):_ ${mdEscape(l.blockedBy?.reason ?? '')}`;
  return `${head}\n\n${mdEscape(e.reason)}\n\n${status}`;
}

export interface StrategyGroup {
  strategy: string;
  applied: LocatedEdit[];
  rejected: LocatedEdit[];
  blocked: LocatedEdit[];
  saved: number;
}

export interface CompressView {
  located: LocatedEdit[];
  originalMarks: DiffMark[];
  modifiedMarks: DiffMark[];
  /** Edits by strategy, in pipeline order; strategies that proposed nothing are left out. */
  groups: StrategyGroup[];
}

/** Everything the Compress view shows about one pipeline run, derived once per result. */
export function compressView(result: CompressResult): CompressView {
  const located = locateEdits(result);
  const originalMarks: DiffMark[] = [];
  const modifiedMarks: DiffMark[] = [];
  for (const l of located) {
    const hover = hoverFor(l);
    originalMarks.push({ ...l.original, id: l.edit.id, status: l.status, hover });
    if (l.status === 'applied') modifiedMarks.push({ ...l.output, id: l.edit.id, status: l.status, hover });
  }
  const groups = new Map<string, StrategyGroup>();
  for (const s of result.stages) {
    if (!groups.has(s.strategy))
      groups.set(s.strategy, { strategy: s.strategy, applied: [], rejected: [], blocked: [], saved: 0 });
    groups.get(s.strategy)!.saved += s.saved;
  }
  for (const l of located) groups.get(l.edit.strategy)?.[l.status].push(l);
  return {
    located,
    originalMarks,
    modifiedMarks,
    groups: [...groups.values()].filter((g) => g.applied.length + g.rejected.length + g.blocked.length > 0),
  };
}

export interface HeatSegment {
  title: string;
  start: number;
  outputStart: number;
  tokensBefore: number;
  tokensAfter: number;
  /** Share of the prompt's tokens (0..1), for the segment's width. */
  share: number;
  /** Share of the section's tokens saved (0..1; negative when it grew). */
  saved: number;
}

/** The heat bar: one segment per section, as wide as its share of the tokens, as hot as its saving. */
export function heatSegments(result: CompressResult): HeatSegment[] {
  const total = result.sections.reduce((a, s) => a + s.tokensBefore, 0);
  return result.sections.map((s) => ({
    title: s.title || '(top)',
    start: s.start,
    outputStart: s.outputStart,
    tokensBefore: s.tokensBefore,
    tokensAfter: s.tokensAfter,
    share: total === 0 ? 1 / Math.max(1, result.sections.length) : s.tokensBefore / total,
    saved: s.tokensBefore === 0 ? 0 : (s.tokensBefore - s.tokensAfter) / s.tokensBefore,
  }));
}
