import { load, type LoadOptions } from 'js-yaml';
import { AppError } from '../errors';
import { parseJson } from '../json';

/** A path into parsed data: object keys and array indexes. */
export type DataPath = readonly (string | number)[];

/** Parsed YAML or JSON with a way back from a path to the line it was written on. */
export interface Located {
  data: unknown;
  /** 1-based line of the value at `path` (or of its key), else of its nearest located ancestor. */
  lineOf(path: DataPath): number | undefined;
}

/** Past this many values (counting every use of a YAML alias) a file is refused: an alias bomb expands forever. */
const MAX_NODES = 2_000_000;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineAt(starts: number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Builds lineOf from the positions js-yaml reports while composing each collection: its listener sees a
 * node open (with the position) and close (with the value), so object identity maps back to where it began.
 */
function locate(text: string, yamlData: unknown, positions: Map<object, number>): Located['lineOf'] {
  const starts = lineStarts(text);
  const byPath = new Map<string, number>();
  const seen = new Set<object>();
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    const pos = positions.get(v);
    if (pos !== undefined) byPath.set(JSON.stringify(path), pos);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(yamlData, []);
  const nearest = (path: DataPath): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const pos = byPath.get(JSON.stringify(path.slice(0, n)));
      if (pos !== undefined) return pos;
    }
    return undefined;
  };
  return (path) => {
    const key = path[path.length - 1];
    // Only a key that is there has a line of its own; a missing one is reported at its object.
    if (typeof key === 'string' && hasKey(yamlData, path)) {
      // A field's own line is its key's, searched from where its object starts (a block value starts below).
      const from = nearest(path.slice(0, -1));
      if (from !== undefined) {
        const re = new RegExp(`(?:^|[\\s{,-])(["']?)${escapeRe(key)}\\1\\s*:`, 'g');
        re.lastIndex = Math.max(0, from - 1);
        const m = re.exec(text);
        if (m) return lineAt(starts, m.index + m[0].length - 1);
      }
    }
    const pos = nearest(path);
    return pos === undefined ? undefined : lineAt(starts, pos);
  };
}

function hasKey(data: unknown, path: DataPath): boolean {
  let cur = data;
  for (const p of path.slice(0, -1)) {
    if (typeof cur !== 'object' || cur === null) return false;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return typeof cur === 'object' && cur !== null && Object.hasOwn(cur, path[path.length - 1]!);
}

function tracked(text: string, extra: LoadOptions): { data: unknown; positions: Map<object, number> } {
  const positions = new Map<object, number>();
  const open: number[] = [];
  const data = load(text, {
    ...extra,
    listener(event, state) {
      if (event === 'open') {
        let p = state.position;
        while (p < text.length && ' \t\r\n-'.includes(text[p]!)) p++;
        open.push(p);
      } else {
        const p = open.pop()!;
        const r = state.result as unknown;
        if (typeof r === 'object' && r !== null && !positions.has(r)) positions.set(r, p);
      }
    },
  });
  return { data, positions };
}

function countNodes(v: unknown, fileName: string): void {
  let n = 0;
  const stack = [v];
  while (stack.length) {
    const x = stack.pop();
    if (++n > MAX_NODES)
      throw new AppError(
        'FILE_TOO_LARGE',
        `${fileName} expands to more than ${MAX_NODES} values (YAML aliases?).`,
        {
          file: fileName,
        },
      );
    if (typeof x === 'object' && x !== null) stack.push(...(Array.isArray(x) ? x : Object.values(x)));
  }
}

/** YAML text parsed, or PARSE_ERROR naming the file, line and column. */
export function loadYaml(text: string, fileName: string): Located {
  let parsed: { data: unknown; positions: Map<object, number> };
  try {
    parsed = tracked(text, { filename: fileName });
  } catch (err) {
    const e = err as { reason?: string; mark?: { line: number; column: number }; message?: string };
    const line = (e.mark?.line ?? 0) + 1;
    const column = (e.mark?.column ?? 0) + 1;
    throw new AppError(
      'PARSE_ERROR',
      `${fileName} is not valid YAML (line ${line}, column ${column}): ${e.reason ?? e.message ?? 'syntax error'}.`,
      { file: fileName, line, column },
    );
  }
  countNodes(parsed.data, fileName);
  return { data: parsed.data, lineOf: locate(text, parsed.data, parsed.positions) };
}

/**
 * JSON text parsed by the JSON grammar (errors with line and column from parseJson); lines come from a second
 * read as YAML, which JSON almost always is. When that read fails, errors just carry no line.
 */
export function loadJson(text: string, fileName: string): Located {
  const data = parseJson(text, fileName);
  try {
    const y = tracked(text, { json: true });
    return { data, lineOf: locate(text, y.data, y.positions) };
  } catch {
    return { data, lineOf: () => undefined };
  }
}
