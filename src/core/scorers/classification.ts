import { z } from 'zod';
import { binary, quote, reference, text } from './common';
import type { Scorer, ScoreResult } from './types';

const options = z.strictObject({
  value: text.optional().describe('The expected label; omitted: the case’s expected output.'),
  labels: z
    .array(text)
    .optional()
    .describe('Every label of the task; lets a label be found inside a longer answer.'),
  loose: z
    .boolean()
    .default(true)
    .describe('Ignore case, quotes and end punctuation; treat "_", "-" and spaces alike.'),
});

/** What a classification result records for the confusion summary. */
export interface ClassificationOutcome {
  expected: string;
  /** The label the output gave; null when it gave none or several. */
  predicted: string | null;
}

function normalize(s: string, loose: boolean): string {
  const t = s.normalize('NFC').trim();
  if (!loose) return t;
  return t
    .toLowerCase()
    .replace(/^[\s"'`*“”‘’([{]+|[\s"'`*“”‘’.,;:!?)\]}]+$/gu, '')
    .replace(/[\s_-]+/g, ' ');
}

const boundary = (s: string, i: number) => i < 0 || i >= s.length || !/[\p{L}\p{N}]/u.test(s[i]!);

/** The labels mentioned in `out` as whole words, a longer label hiding a shorter one it contains. */
function mentioned(out: string, labels: readonly string[], loose: boolean): string[] {
  const spans: { label: string; from: number; to: number }[] = [];
  for (const label of labels) {
    const n = normalize(label, loose);
    if (n === '') continue;
    for (let at = out.indexOf(n); at >= 0; at = out.indexOf(n, at + 1)) {
      if (boundary(out, at - 1) && boundary(out, at + n.length)) {
        spans.push({ label, from: at, to: at + n.length });
        break;
      }
    }
  }
  const kept = spans.filter(
    (s) => !spans.some((o) => o !== s && o.from <= s.from && o.to >= s.to && o.to - o.from > s.to - s.from),
  );
  return [...new Set(kept.map((s) => s.label))];
}

/** The label an output gives: the whole answer, else the one label of `labels` it mentions. */
export function predictLabel(
  output: string,
  labels: readonly string[] | undefined,
  loose: boolean,
): string | null {
  const out = normalize(output, loose);
  if (out === '') return null;
  if (labels) {
    const exact = labels.find((l) => normalize(l, loose) === out);
    if (exact !== undefined) return exact;
    const hits = mentioned(out, labels, loose);
    return hits.length === 1 ? hits[0]! : null;
  }
  return output.trim().split('\n')[0]!.trim();
}

/** The predicted label equals the expected one. Records both for confusionSummary. */
export const classificationScorer: Scorer<typeof options> = {
  id: 'classification',
  label: 'Classification label',
  description: 'The output is the expected label (or, given the label set, names it and no other).',
  options,
  usesExpected: true,
  score(output, o, ctx): ScoreResult {
    const want = reference(o.value, ctx, 'classification');
    const out = normalize(output, o.loose);
    let predicted: string | null;
    if (out !== '' && out === normalize(want, o.loose)) predicted = want;
    else predicted = predictLabel(output, o.labels, o.loose);
    const ok = predicted !== null && normalize(predicted, o.loose) === normalize(want, o.loose);
    const several = predicted === null && o.labels ? mentioned(out, o.labels, o.loose) : [];
    const reason = ok
      ? `label ${quote(want)}`
      : several.length > 1
        ? `names several labels (${several.slice(0, 3).join(', ')}), expected ${quote(want)}`
        : `expected ${quote(want)}, got ${predicted === null ? 'no label' : quote(predicted)}`;
    const outcome: ClassificationOutcome = { expected: want, predicted: ok ? want : predicted };
    return binary(ok, reason, { ...outcome });
  },
};

/** The outcome a classification (or not-classification) result recorded, for confusionSummary. */
export function classificationOutcome(
  result: Pick<ScoreResult, 'details'>,
): ClassificationOutcome | undefined {
  const d = result.details;
  if (!d || typeof d.expected !== 'string' || !(typeof d.predicted === 'string' || d.predicted === null))
    return undefined;
  return { expected: d.expected, predicted: d.predicted };
}

export interface LabelStats {
  label: string;
  /** Cases whose expected label is this. */
  support: number;
  /** Cases predicted as this. */
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Accuracy, per-label precision/recall/F1 and the confusion matrix over many classification outcomes. */
export interface ConfusionSummary {
  total: number;
  accuracy: number;
  /** Unweighted mean F1 over the labels that were expected or predicted (scikit-learn's "macro"). */
  macroF1: number;
  /** Row and column order of `matrix`; `NONE` is the column for outputs that gave no label. */
  labels: string[];
  /** matrix[i][j]: cases expected labels[i] and predicted labels[j]. */
  matrix: number[][];
  perLabel: LabelStats[];
  /** The most frequent mistakes, largest first (at most 10). */
  topConfusions: { expected: string; predicted: string; count: number }[];
}

/** The column for outputs that named no label (or several). */
export const NONE = '(none)';

/** Summarises outcomes across cases (a pure function: the runner calls it once per variant × model). */
export function confusionSummary(outcomes: readonly ClassificationOutcome[]): ConfusionSummary {
  const seen = new Set<string>();
  for (const o of outcomes) seen.add(o.expected);
  for (const o of outcomes) if (o.predicted !== null) seen.add(o.predicted);
  const real = [...seen].sort();
  const labels = outcomes.some((o) => o.predicted === null) ? [...real, NONE] : real;
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const o of outcomes) matrix[index.get(o.expected)!]![index.get(o.predicted ?? NONE)!]!++;
  const perLabel = real.map((label): LabelStats => {
    const i = index.get(label)!;
    const tp = matrix[i]![i]!;
    const support = matrix[i]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, support, predicted, truePositives: tp, precision, recall, f1 };
  });
  const correct = perLabel.reduce((a, s) => a + s.truePositives, 0);
  const topConfusions: ConfusionSummary['topConfusions'] = [];
  labels.forEach((e, i) =>
    labels.forEach((p, j) => {
      if (i !== j && matrix[i]![j]! > 0)
        topConfusions.push({ expected: e, predicted: p, count: matrix[i]![j]! });
    }),
  );
  topConfusions.sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected));
  return {
    total: outcomes.length,
    accuracy: outcomes.length ? correct / outcomes.length : 0,
    macroF1: perLabel.length ? perLabel.reduce((a, s) => a + s.f1, 0) / perLabel.length : 0,
    labels,
    matrix,
    perLabel,
    topConfusions: topConfusions.slice(0, 10),
  };
}
