import type { DataPath } from './common';

/**
 * Lines of paths in a JSON text that is already known to be valid, found by walking the text along the path
 * and skipping every sibling on the way. golden/structured's `loadJson` maps a whole document at once through
 * js-yaml, which takes about a second on tau-bench's 4 MB file; here one look-up reads only the conversation
 * it is in, so warnings on a large file cost next to nothing. Same contract as `Located.lineOf`: the line of
 * the value at the path (of its key, when the path ends in a key), else of its nearest ancestor that exists.
 */
export interface JsonLineIndex {
  lineOf(path: DataPath): number | undefined;
  /** Line of each element of a top-level array (empty for any other document). */
  rootLines(): number[];
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;

export function indexJson(text: string): JsonLineIndex {
  const n = text.length;
  let newlines: number[] | undefined;
  let rootItems: number[] | undefined;

  const ws = (i: number): number => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    return i;
  };
  const endOfString = (i: number): number => {
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 34) return i + 1;
    }
    return n;
  };
  const endOfValue = (i: number): number => {
    const c = text.charCodeAt(i);
    if (c === 34) return endOfString(i);
    if (c === 123 || c === 91) {
      let depth = 0;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 34) i = endOfString(i) - 1;
        else if (d === 123 || d === 91) depth++;
        else if ((d === 125 || d === 93) && --depth === 0) return i + 1;
      }
      return n;
    }
    while (i < n && !',}] \t\r\n'.includes(text[i]!)) i++;
    return i;
  };
  /** Offsets of the elements of the array opening at `i`, up to `upTo` (all when undefined). */
  const elements = (i: number, upTo?: number): number[] => {
    const out: number[] = [];
    i = ws(i + 1);
    while (i < n && text[i] !== ']') {
      out.push(i);
      if (upTo !== undefined && out.length > upTo) break;
      i = ws(endOfValue(i));
      if (text[i] === ',') i = ws(i + 1);
    }
    return out;
  };
  const member = (i: number, key: string): { key: number; value: number } | undefined => {
    i = ws(i + 1);
    while (i < n && text[i] === '"') {
      const end = endOfString(i);
      const name = JSON.parse(text.slice(i, end)) as string;
      const value = ws(ws(end) + 1);
      if (name === key) return { key: i, value };
      i = ws(endOfValue(value));
      if (text[i] === ',') i = ws(i + 1);
    }
    return undefined;
  };
  const lineAt = (offset: number): number => {
    if (!newlines) {
      newlines = [];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
    }
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const root = ws(0);
  const rootElements = (): number[] => (rootItems ??= text[root] === '[' ? elements(root) : []);

  return {
    lineOf(path) {
      let at = root;
      let keyAt: number | undefined;
      for (let s = 0; s < path.length; s++) {
        const step = path[s]!;
        keyAt = undefined;
        let next: number | undefined;
        if (typeof step === 'number' && text[at] === '[')
          next = s === 0 ? rootElements()[step] : elements(at, step)[step];
        else if (typeof step === 'string' && text[at] === '{') {
          const m = member(at, step);
          if (m) {
            next = m.value;
            keyAt = m.key;
          }
        }
        if (next === undefined) break;
        at = next;
      }
      return at < n ? lineAt(keyAt ?? at) : undefined;
    },
    rootLines: () => rootElements().map(lineAt),
  };
}
