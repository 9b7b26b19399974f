import { guardedWordCounts } from './guardWords';
import { protectedSpans, type ProtectOptions } from './guards';
import { excerpt } from './text';
import type { ProtectedSpan } from './types';

export interface InvariantViolation {
  kind: 'span' | 'json-block' | 'negation';
  message: string;
}

/**
 * Checks what the guards promise, from the input and the output alone:
 *   - the text of every protected span of the input (overlapping spans merged; JSON blocks aside) occurs in
 *     the output, in the same order, without overlapping;
 *   - every JSON block of the input occurs in the output once whitespace is ignored (only whitespace between
 *     its tokens may go);
 *   - no negation or modal word occurs fewer times in the output than in the input.
 * Pass `spans` when they are already computed for `input`.
 */
export function checkGuardInvariants(
  input: string,
  output: string,
  options: ProtectOptions & {
    spans?: readonly ProtectedSpan[];
    /** The same spans located in `output` (the pipeline maps them): then each is compared in place. */
    mapped?: readonly ProtectedSpan[];
    /** Whole units a lossy strategy deleted (ProposedEdit.dropsUnit): their negations may go. */
    dropped?: readonly string[];
    /**
     * The same units as ranges of `input` (when the caller has no mapped spans): spans wholly inside them,
     * and their negations, may be gone from the output.
     */
    droppedRanges?: ReadonlyArray<{ start: number; end: number }>;
  } = {},
): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  if (options.spans && options.mapped && options.mapped.length === options.spans.length) {
    comparePlaced(input, output, options.spans, options.mapped, violations);
    negations(input, output, violations, options.dropped);
    return violations;
  }
  const units = options.droppedRanges ?? [];
  const gone = (s: ProtectedSpan) => units.some((u) => u.start <= s.start && s.end <= u.end);
  const spans = [...(options.spans ?? protectedSpans(input, options))]
    .filter((s) => !gone(s))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const hard: Array<{ start: number; end: number }> = [];
  for (const s of spans) {
    if (s.jsonWhitespace || s.end <= s.start) continue;
    const last = hard[hard.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else hard.push({ start: s.start, end: s.end });
  }
  let pos = 0;
  for (const h of hard) {
    const piece = input.slice(h.start, h.end);
    const at = output.indexOf(piece, pos);
    if (at < 0) {
      violations.push({
        kind: 'span',
        message: `protected text "${excerpt(piece, 60)}" (input offset ${h.start}) is missing or out of order in the output`,
      });
      continue;
    }
    pos = at + piece.length;
  }
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  const squeezed = spans.some((s) => s.jsonWhitespace) ? squeeze(output) : '';
  let jpos = 0;
  for (const s of spans) {
    if (!s.jsonWhitespace) continue;
    const piece = squeeze(input.slice(s.start, s.end));
    const at = squeezed.indexOf(piece, jpos);
    if (at < 0) {
      violations.push({
        kind: 'json-block',
        message: `JSON block at input offset ${s.start} changed beyond whitespace`,
      });
      continue;
    }
    jpos = at + piece.length;
  }
  negations(input, output, violations, [
    ...(options.dropped ?? []),
    ...units.map((u) => input.slice(u.start, u.end)),
  ]);
  return violations;
}

/** Every span's text at its mapped place in the output; JSON blocks compared without whitespace. */
function comparePlaced(
  input: string,
  output: string,
  spans: readonly ProtectedSpan[],
  mapped: readonly ProtectedSpan[],
  violations: InvariantViolation[],
): void {
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  spans.forEach((s, i) => {
    const m = mapped[i]!;
    const a = input.slice(s.start, s.end);
    const b = output.slice(m.start, m.end);
    if (s.jsonWhitespace ? squeeze(a) !== squeeze(b) : a !== b) {
      violations.push({
        kind: s.jsonWhitespace ? 'json-block' : 'span',
        message: `protected ${s.kind} "${excerpt(a, 60)}" (input offset ${s.start}) reads "${excerpt(b, 60)}" in the output`,
      });
    }
  });
}

function negations(
  input: string,
  output: string,
  violations: InvariantViolation[],
  dropped: readonly string[] = [],
): void {
  const before = guardedWordCounts(input);
  if (before.size === 0) return;
  const after = guardedWordCounts(output);
  // the negations of deleted units count as present: they left with their whole unit, on purpose
  for (const unit of dropped)
    for (const [word, n] of guardedWordCounts(unit)) after.set(word, (after.get(word) ?? 0) + n);
  for (const [word, n] of before) {
    const have = after.get(word) ?? 0;
    if (have < n)
      violations.push({
        kind: 'negation',
        message: `"${word}" occurs ${n} times in the input but ${have} in the output`,
      });
  }
}
