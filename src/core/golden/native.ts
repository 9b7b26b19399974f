import { AppError } from '../errors';
import { jsonErrorOffset, lineColumn } from '../json';
import { fromNative } from './build';
import { loadJson, loadYaml, type DataPath, type Located } from './structured';
import type { GoldenSet } from './types';

/** One JSON Lines record and its 1-based line. */
export interface JsonlRecord {
  line: number;
  value: unknown;
}

/** JSON Lines: one JSON value per non-blank line; a bad line is PARSE_ERROR naming its line and column. */
export function parseJsonl(text: string, fileName: string): JsonlRecord[] {
  const out: JsonlRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const src = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (src.trim() === '') return;
    try {
      out.push({ line: i + 1, value: JSON.parse(src) });
    } catch {
      const at = jsonErrorOffset(src);
      const column = lineColumn(src, at < 0 ? src.length : at).column;
      throw new AppError(
        'PARSE_ERROR',
        `${fileName} is not valid JSON Lines (line ${i + 1}, column ${column}).`,
        {
          file: fileName,
          line: i + 1,
          column,
        },
      );
    }
  });
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A bare list of cases is a set with nothing else: the paths shift by `cases`. */
function asSet(loc: Located): { data: unknown; lineOf: (p: DataPath) => number | undefined } {
  if (Array.isArray(loc.data))
    return {
      data: { cases: loc.data },
      lineOf: (p) => (p[0] === 'cases' ? loc.lineOf(p.slice(1)) : loc.lineOf([])),
    };
  return { data: loc.data, lineOf: loc.lineOf };
}

/** A native golden set from a parsed YAML or JSON document (an object, or a bare list of cases). */
export function fromLocated(loc: Located, fileName: string): GoldenSet {
  const s = asSet(loc);
  return fromNative(s.data, { file: fileName, format: 'golden', lineOf: s.lineOf });
}

/** A native golden set in YAML (`.yaml`/`.yml`). */
export function parseGoldenYaml(text: string, fileName: string): GoldenSet {
  return fromLocated(loadYaml(text, fileName), fileName);
}

/** A native golden set in JSON. */
export function parseGoldenJson(text: string, fileName: string): GoldenSet {
  return fromLocated(loadJson(text, fileName), fileName);
}

/**
 * A native golden set in JSON Lines: one case per line. The first line may instead be a header object with
 * `name`, `description` and `defaultTest`.
 */
export function parseGoldenJsonl(text: string, fileName: string): GoldenSet {
  const records = parseJsonl(text, fileName);
  const first = records[0];
  const header = first && isObject(first.value) && ('defaultTest' in first.value || 'name' in first.value);
  const caseRecords = header ? records.slice(1) : records;
  const data = { ...(header ? (first.value as object) : {}), cases: caseRecords.map((r) => r.value) };
  return fromNative(data, {
    file: fileName,
    format: 'golden',
    lineOf: (p) => (p[0] === 'cases' && typeof p[1] === 'number' ? caseRecords[p[1]]?.line : first?.line),
  });
}
