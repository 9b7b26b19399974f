import { AppError } from '../errors';
import { getScorer } from '../scorers/registry';
import { parseCsv } from './csv';
import { fromCsv, hasPromptfooColumns, type CsvImportOptions } from './csvSet';
import { fromLocated, parseGoldenJsonl, parseJsonl } from './native';
import { fromOpenAiEvals, isEvalsSample } from './openaiEvals';
import { fromPromptfoo } from './promptfoo';
import { loadJson, loadYaml, type Located } from './structured';
import type { GoldenFormat, GoldenSet } from './types';

/** A file being imported, with its parse done at most once however many importers look at it. */
export interface Probe {
  text: string;
  fileName: string;
  /** Lower-case extension without the dot. */
  ext: string;
  /** The YAML or JSON document (only for .yaml, .yml, .json). */
  located(): Located;
  /** The first record of a JSON Lines file, if any. */
  firstRecord(): unknown;
  /** The header row of a CSV file. */
  csvHeader(): string[];
}

/** Options an importer may take (today: how to read a CSV). */
export interface ImportOptions {
  csv?: CsvImportOptions;
}

/** An importer: one entry of the registry. */
export interface GoldenImporter {
  id: GoldenFormat;
  label: string;
  description: string;
  extensions: readonly string[];
  /** True when this importer should read the file (importers are asked in registry order). */
  detect(probe: Probe): boolean;
  read(probe: Probe, options: ImportOptions): GoldenSet;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const NATIVE_CASE_KEYS = new Set([
  'id',
  'description',
  'vars',
  'messages',
  'expected',
  'assert',
  'threshold',
  'metadata',
]);

/** A bare list of tests is promptfoo's when it uses anything the native format does not have. */
function promptfooList(list: unknown[]): boolean {
  return list.some(
    (t) =>
      isObject(t) &&
      (Object.keys(t).some((k) => !NATIVE_CASE_KEYS.has(k)) ||
        (Array.isArray(t.assert) &&
          t.assert.some(
            (a) =>
              isObject(a) &&
              ('metric' in a ||
                (typeof a.type === 'string' && !getScorer(a.type)) ||
                ((a.type === 'cost' || a.type === 'latency') && 'threshold' in a)),
          ))),
  );
}

const STRUCTURED = ['yaml', 'yml', 'json'];

/** Every importer, asked in this order; the native format comes last, as the fallback for its extensions. */
export const IMPORTER_LIST: readonly GoldenImporter[] = [
  {
    id: 'promptfoo-csv',
    label: 'promptfoo CSV',
    description: 'Columns are variables; __expected columns hold assertions such as "contains: Paris".',
    extensions: ['csv'],
    detect: (p) => p.ext === 'csv' && hasPromptfooColumns(p.csvHeader()),
    read: (p, o) => fromCsv(p.text, p.fileName, o.csv),
  },
  {
    id: 'csv',
    label: 'CSV (input, expected)',
    description: 'An input column sent as the user message and an expected column, judged by equals.',
    extensions: ['csv'],
    detect: (p) => p.ext === 'csv',
    read: (p, o) => fromCsv(p.text, p.fileName, o.csv),
  },
  {
    id: 'openai-evals',
    label: 'OpenAI Evals',
    description: 'JSON Lines samples with input messages and an ideal answer.',
    extensions: ['jsonl'],
    detect: (p) => p.ext === 'jsonl' && isEvalsSample(p.firstRecord()),
    read: (p) => fromOpenAiEvals(p.text, p.fileName),
  },
  {
    id: 'promptfoo',
    label: 'promptfoo tests',
    description: 'A promptfoo config or test file: tests with vars and assert, and defaultTest.',
    extensions: STRUCTURED,
    detect: (p) => {
      if (!STRUCTURED.includes(p.ext)) return false;
      const d = p.located().data;
      return isObject(d) ? 'tests' in d && !('cases' in d) : Array.isArray(d) && promptfooList(d);
    },
    read: (p) => fromPromptfoo(p.located(), p.fileName),
  },
  {
    id: 'golden',
    label: 'PromptPress golden set',
    description: 'The native format (docs/formats/golden-set.md) in YAML, JSON or JSON Lines.',
    extensions: [...STRUCTURED, 'jsonl'],
    detect: (p) => [...STRUCTURED, 'jsonl'].includes(p.ext),
    read: (p) =>
      p.ext === 'jsonl' ? parseGoldenJsonl(p.text, p.fileName) : fromLocated(p.located(), p.fileName),
  },
];

/** The registry: format id → importer. */
export const IMPORTERS: Readonly<Record<string, GoldenImporter>> = Object.fromEntries(
  IMPORTER_LIST.map((i) => [i.id, i]),
);

function probe(text: string, fileName: string): Probe {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  let located: Located | undefined;
  let first: { value: unknown } | undefined;
  let header: string[] | undefined;
  return {
    text,
    fileName,
    ext,
    located: () => (located ??= ext === 'json' ? loadJson(text, fileName) : loadYaml(text, fileName)),
    firstRecord: () => {
      if (!first) {
        const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
        first = { value: line ? parseJsonl(line, fileName)[0]?.value : undefined };
      }
      return first.value;
    },
    csvHeader: () => (header ??= parseCsv(text, fileName)[0]?.fields.map((h) => h.trim()) ?? []),
  };
}

/** The format a file would be imported as. */
export function detectFormat(text: string, fileName: string): GoldenFormat {
  const p = probe(text, fileName);
  const hit = IMPORTER_LIST.find((i) => i.detect(p));
  if (!hit)
    throw new AppError(
      'UNSUPPORTED',
      `${fileName}: a golden set must be a .yaml, .yml, .json, .jsonl or .csv file.`,
      { file: fileName },
    );
  return hit.id;
}

/**
 * Reads a golden set from a file's text, in any supported format: the native one (YAML, JSON, JSON Lines),
 * promptfoo tests (YAML/JSON or CSV with __expected columns), OpenAI Evals samples, or a plain CSV. The
 * format is detected from the extension and content unless `format` names it. Errors are PARSE_ERROR or
 * INVALID_INPUT naming the file, line and field.
 */
export function importGoldenSet(
  text: string,
  fileName: string,
  options: ImportOptions & { format?: GoldenFormat } = {},
): GoldenSet {
  const p = probe(text, fileName);
  const importer = options.format ? IMPORTERS[options.format] : IMPORTER_LIST.find((i) => i.detect(p));
  if (!importer)
    throw new AppError(
      'UNSUPPORTED',
      options.format
        ? `Unknown golden-set format "${options.format}".`
        : `${fileName}: a golden set must be a .yaml, .yml, .json, .jsonl or .csv file.`,
      { file: fileName },
    );
  return importer.read(p, options);
}
