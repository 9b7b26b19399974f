/**
 * A word-level diff of two texts as replacement hunks on the first, so a model's rewrite can be shown and
 * guarded as ordinary edits. Words, whitespace runs and single punctuation marks are the tokens; sentences
 * are aligned first and words within the sentences that differ, which keeps the work near-linear for a long
 * prompt whose rewrite changes a few sentences and bounded for one that changes everything.
 */

/** Replace `before.slice(start, end)` by `after`. */
export interface Hunk {
  start: number;
  end: number;
  after: string;
}

/** Most differences (insertions plus deletions) Myers may explore before a region becomes one hunk. */
const MAX_D = 1500;

const TOKEN = /\s+|[\p{L}\p{M}\p{N}_]+|[^\s\p{L}\p{M}\p{N}_]/gu;

interface Tokens {
  /** Token texts. */
  text: string[];
  /** Start offset of each token, plus the text's length at the end. */
  at: number[];
}

function tokenize(s: string): Tokens {
  const text: string[] = [];
  const at: number[] = [];
  for (const m of s.matchAll(TOKEN)) {
    text.push(m[0]);
    at.push(m.index);
  }
  at.push(s.length);
  return { text, at };
}

/**
 * Matched index pairs of a longest common subsequence of `a` and `b` (Myers' O((N+M)·D) greedy algorithm,
 * keeping only the diagonals each step used), or null when more than `maxD` differences would be needed.
 */
export function lcsPairs(
  a: readonly number[],
  b: readonly number[],
  maxD = MAX_D,
): Array<[number, number]> | null {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, maxD); d++) {
    trace.push(v.slice(off - d, off + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], dEnd: number, n: number, m: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    const prev = trace[d]!; // the diagonals after step d-1, indexed k + d
    const k = x - y;
    const down = k === -d || (k !== d && prev[k - 1 + d]! < prev[k + 1 + d]!);
    const pk = down ? k + 1 : k - 1;
    const px = prev[pk + d]!;
    const py = px - pk;
    // the snake after the move from (px, py)
    const sx = down ? px : px + 1;
    const sy = sx - k;
    while (x > sx && y > sy) pairs.push([--x, --y]);
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) pairs.push([--x, --y]);
  return pairs.reverse();
}

/** Sentence units of a token range: a unit ends after whitespace holding a newline or following . ! ? */
function units(t: Tokens, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = from;
  for (let i = from; i < to; i++) {
    const s = t.text[i]!;
    const ends = /^\s+$/.test(s) && (s.includes('\n') || (i > from && /^[.!?]$/.test(t.text[i - 1]!)));
    if (ends) {
      out.push([start, i + 1]);
      start = i + 1;
    }
  }
  if (start < to) out.push([start, to]);
  return out;
}

/** Interns strings to small integers so the diff compares numbers. */
function interner() {
  const ids = new Map<string, number>();
  return (s: string) => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = ids.size));
    return id;
  };
}

/** Token pairs matched between a[aFrom, aTo) and b[bFrom, bTo): sentences first, then words inside gaps. */
function matchTokens(a: Tokens, b: Tokens, aFrom: number, aTo: number, bFrom: number, bTo: number) {
  const pairs: Array<[number, number]> = [];
  const ua = units(a, aFrom, aTo);
  const ub = units(b, bFrom, bTo);
  const unitId = interner();
  const joined = (t: Tokens, [s, e]: [number, number]) => t.text.slice(s, e).join('');
  const unitPairs =
    lcsPairs(
      ua.map((u) => unitId(joined(a, u))),
      ub.map((u) => unitId(joined(b, u))),
    ) ?? [];
  const tokenId = interner();
  const words = (i: number, j: number, k: number, l: number) => {
    if (i >= j || k >= l) return;
    const got = lcsPairs(a.text.slice(i, j).map(tokenId), b.text.slice(k, l).map(tokenId));
    for (const [x, y] of got ?? []) pairs.push([i + x, k + y]);
  };
  let ai = aFrom;
  let bi = bFrom;
  for (const [x, y] of unitPairs) {
    const [as, ae] = ua[x]!;
    const [bs] = ub[y]!;
    words(ai, as, bi, bs);
    for (let t = 0; t < ae - as; t++) pairs.push([as + t, bs + t]);
    ai = ae;
    bi = ub[y]![1];
  }
  words(ai, aTo, bi, bTo);
  return pairs;
}

/**
 * The hunks that turn `before` into `after`, in order and separated by unchanged text. Two hunks with only
 * a space between them are joined ("the big" → "a large" reads better as one change than two).
 */
export function diffHunks(before: string, after: string): Hunk[] {
  if (before === after) return [];
  const a = tokenize(before);
  const b = tokenize(after);
  let p = 0;
  while (p < a.text.length && p < b.text.length && a.text[p] === b.text[p]) p++;
  let s = 0;
  while (
    s < a.text.length - p &&
    s < b.text.length - p &&
    a.text[a.text.length - 1 - s] === b.text[b.text.length - 1 - s]
  ) {
    s++;
  }
  const pairs = matchTokens(a, b, p, a.text.length - s, p, b.text.length - s);
  pairs.push([a.text.length - s, b.text.length - s]); // sentinel: the common suffix starts here
  const hunks: Hunk[] = [];
  let ai = p;
  let bi = p;
  for (const [x, y] of pairs) {
    if (x > ai || y > bi) {
      const hunk = { start: a.at[ai]!, end: a.at[x]!, after: after.slice(b.at[bi]!, b.at[y]!) };
      const last = hunks[hunks.length - 1];
      const gap = last ? before.slice(last.end, hunk.start) : '';
      if (last && /^[ \t]+$/.test(gap)) {
        last.after += gap + hunk.after;
        last.end = hunk.end;
      } else hunks.push(hunk);
    }
    ai = x + 1;
    bi = y + 1;
  }
  return hunks;
}
