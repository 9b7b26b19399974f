import { z } from 'zod';
import { AppError } from '../errors';
import { reference, text, threshold, verdict } from './common';
import type { Scorer } from './types';

/** Cosine similarity of two vectors; 0 when either is all zeros (an empty text embeds to nothing useful). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length)
    throw new AppError('INVALID_INPUT', `Embedding vectors differ in length (${a.length} and ${b.length}).`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

const similarOptions = z.strictObject({
  value: text.optional().describe('The reference text; omitted: the case’s expected output.'),
  threshold: threshold(0.8),
});

/** Cosine similarity of sentence embeddings of the output and the reference, through the host's embed port. */
export const similarScorer: Scorer<typeof similarOptions> = {
  id: 'similar',
  label: 'Semantic similarity',
  description: 'Cosine similarity of the output’s and the reference’s embeddings is at least the threshold.',
  options: similarOptions,
  usesExpected: true,
  needs: 'embed',
  async score(output, o, ctx) {
    const want = reference(o.value, ctx, 'similar');
    if (!ctx.embed)
      throw new AppError(
        'UNSUPPORTED',
        'Semantic similarity needs an embedding model, and none is available here.',
      );
    if (output.trim() === '') return verdict(0, o.threshold, 'the output is empty');
    const vectors = await ctx.embed([output, want]);
    if (vectors.length !== 2)
      throw new AppError(
        'INVALID_INPUT',
        `The embedding model returned ${vectors.length} vectors for 2 texts.`,
      );
    // Negative cosine (opposed meaning) is as bad as unrelated for a 0..1 score.
    const sim = Math.max(0, cosine(vectors[0]!, vectors[1]!));
    return verdict(sim, o.threshold, `similarity ${sim.toFixed(3)} (threshold ${o.threshold})`, {
      similarity: sim,
    });
  },
};

/**
 * Words for ROUGE: runs of letters, digits and combining marks, lower-cased; each Han or kana character is a
 * token of its own, since Chinese and Japanese do not separate words with spaces.
 */
export function rougeTokens(s: string): string[] {
  return (
    s
      .normalize('NFC')
      .toLowerCase()
      .match(
        /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\s\p{P}\p{S}\p{C}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu,
      ) ?? []
  );
}

/** Length of the longest common subsequence, in O(n·m) time and O(min(n, m)) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  let prev = new Array<number>(short.length + 1).fill(0);
  let cur = new Array<number>(short.length + 1).fill(0);
  for (let i = 1; i <= long.length; i++) {
    for (let j = 1; j <= short.length; j++)
      cur[j] = long[i - 1] === short[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
  }
  return prev[short.length]!;
}

/** ROUGE-L (Lin, 2004) of a candidate against a reference: LCS precision, recall and F-measure (β = 1). */
export function rougeL(candidate: string, ref: string): { precision: number; recall: number; f: number } {
  const c = rougeTokens(candidate);
  const r = rougeTokens(ref);
  if (c.length === 0 || r.length === 0) return { precision: 0, recall: 0, f: c.length === r.length ? 1 : 0 };
  const l = lcsLength(c, r);
  const precision = l / c.length;
  const recall = l / r.length;
  return { precision, recall, f: l === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

const rougeOptions = z.strictObject({
  value: text.optional().describe('The reference text; omitted: the case’s expected output.'),
  threshold: threshold(0.5),
});

/** ROUGE-L F-measure of the output against the reference. */
export const rougeLScorer: Scorer<typeof rougeOptions> = {
  id: 'rouge-l',
  label: 'ROUGE-L',
  description: 'Longest-common-subsequence overlap (F-measure) of the output’s words with the reference’s.',
  options: rougeOptions,
  usesExpected: true,
  score(output, o, ctx) {
    const r = rougeL(output, reference(o.value, ctx, 'rouge-l'));
    return verdict(
      r.f,
      o.threshold,
      `ROUGE-L F ${r.f.toFixed(3)} (P ${r.precision.toFixed(2)}, R ${r.recall.toFixed(2)})`,
      r,
    );
  },
};
