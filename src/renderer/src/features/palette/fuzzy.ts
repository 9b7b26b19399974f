/**
 * Fuzzy matching for the command palette: a query matches a text when its characters appear in order
 * (case-insensitive). A contiguous substring scores best, then matches at word starts; null means no match.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  if (q === '') return 0;
  const t = text.toLowerCase();
  const at = t.indexOf(q);
  if (at !== -1) return 1000 - at + (at === 0 || /[\s/._-]/.test(t[at - 1] ?? '') ? 100 : 0);
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of q) {
    if (ch === ' ') continue;
    const i = t.indexOf(ch, from);
    if (i === -1) return null;
    if (i === previous + 1) score += 5;
    if (i === 0 || /[\s/._-]/.test(t[i - 1] ?? '')) score += 3;
    score -= Math.min(i - from, 10) * 0.1;
    previous = i;
    from = i + 1;
  }
  return score;
}

/** The items whose text matches the query, best first; ties keep their order. */
export function fuzzyFilter<T>(items: readonly T[], query: string, text: (item: T) => string): T[] {
  if (query.trim() === '') return [...items];
  return items
    .map((item, index) => ({ item, index, score: fuzzyScore(query, text(item)) }))
    .filter((m): m is { item: T; index: number; score: number } => m.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((m) => m.item);
}
