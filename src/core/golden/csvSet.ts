import { fromNative } from './build';
import { parseCsvTable } from './csv';
import { WarningList } from './promptfoo';
import { assertionFromString, type NativeAssertion } from './promptfooAssert';
import { invalid } from './schema';
import type { GoldenSet } from './types';

/** How to read a CSV golden set; every field is optional. */
export interface CsvImportOptions {
  /** The column sent as the user message. Default: the first of input, question, prompt, query. */
  inputColumn?: string;
  /** The column holding the expected output. Default: the first of expected, ideal, answer, output, label, target. */
  expectedColumn?: string;
  /** Assertions for every case (the set's defaultTest). Default for a plain CSV: `equals` the expected column. */
  assert?: Record<string, unknown>[];
}

const INPUT_NAMES = ['input', 'question', 'prompt', 'query'];
const EXPECTED_NAMES = ['expected', 'ideal', 'answer', 'output', 'label', 'target'];
const IDENTIFIER = /^[A-Za-z_][\w-]*$/;

/** True when the header has promptfoo's `__expected` assertion columns. */
export function hasPromptfooColumns(header: readonly string[]): boolean {
  return header.some((h) => h.startsWith('__expected'));
}

/**
 * A golden set from CSV. Two conventions share one reader:
 * - promptfoo's: every column is a variable, except `__expected`, `__expected1`... (assertions written as
 *   text: `contains: Paris`; plain text means equals), `__description`, `__threshold`, `__metric`;
 * - plain: an input column (sent as the user message, through its `{{variable}}`) and an expected column,
 *   judged by `equals` unless `options.assert` says otherwise; other columns are variables.
 * Both accept `__id` and `__description`. Errors and warnings name the line and column.
 */
export function fromCsv(text: string, file: string, options: CsvImportOptions = {}): GoldenSet {
  const table = parseCsvTable(text, file);
  const { header } = table;
  const promptfoo = hasPromptfooColumns(header);
  const warn = new WarningList(file);
  const need = (col: string | undefined, what: string) => {
    if (col !== undefined && !header.includes(col))
      throw invalid({ file, line: 1 }, `no column "${col}" for the ${what} (columns: ${header.join(', ')})`);
  };
  need(options.inputColumn, 'input');
  need(options.expectedColumn, 'expected output');
  const inputCol = promptfoo
    ? undefined
    : (options.inputColumn ?? INPUT_NAMES.find((n) => header.includes(n)));
  const expectedCol = promptfoo
    ? options.expectedColumn
    : (options.expectedColumn ?? EXPECTED_NAMES.find((n) => header.includes(n)));
  if (inputCol !== undefined && !IDENTIFIER.test(inputCol))
    throw invalid(
      { file, line: 1 },
      `the input column "${inputCol}" must be a plain name (letters, digits, _ or -) to use as {{${inputCol}}}`,
    );
  const reserved = header.filter((h) => h.startsWith('__'));
  const unknown = reserved.filter((h) => !/^__(id|description|threshold|metric|expected\d*)$/.test(h));
  if (unknown.length) warn.add(1, undefined, `ignored columns ${unknown.join(', ')}`);
  if (!promptfoo && expectedCol === undefined && !options.assert)
    throw invalid(
      { file, line: 1 },
      `no expected-output column: name one ${EXPECTED_NAMES.join(', ')}, add __expected columns, or give assertions`,
    );

  const assertCols: string[][] = [];
  const cases = table.rows.map(({ line, values }) => {
    const vars: Record<string, string> = {};
    for (const h of header) if (!h.startsWith('__') && h !== expectedCol) vars[h] = values[h]!;
    const metric = values.__metric?.trim();
    const assert: NativeAssertion[] = [];
    const cols: string[] = [];
    assertCols.push(cols);
    for (const h of header.filter((x) => x.startsWith('__expected'))) {
      const cell = values[h]!;
      if (cell.trim() === '') continue;
      const m = assertionFromString(cell);
      if (!m.ok) warn.add(line, h, `left out: ${m.reason}`);
      else {
        assert.push({ ...m.assertion, ...(metric ? { name: metric } : {}) });
        cols.push(h);
      }
    }
    let threshold: number | undefined;
    const t = values.__threshold?.trim();
    if (t) {
      threshold = Number(t);
      if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1)
        throw invalid({ file, line, path: ['__threshold'] }, `"${t}" is not a number between 0 and 1`);
    }
    const expected = expectedCol !== undefined ? values[expectedCol] : undefined;
    return {
      ...(values.__id?.trim() ? { id: values.__id.trim() } : {}),
      ...(values.__description ? { description: values.__description } : {}),
      vars,
      ...(inputCol !== undefined ? { messages: [{ role: 'user', content: `{{${inputCol}}}` }] } : {}),
      ...(expected ? { expected } : {}),
      assert,
      ...(threshold !== undefined ? { threshold } : {}),
    };
  });
  const defaultAssert =
    options.assert ?? (!promptfoo && expectedCol !== undefined ? [{ type: 'equals' }] : []);
  return fromNative(
    { defaultTest: { assert: defaultAssert }, cases },
    {
      file,
      format: promptfoo ? 'promptfoo-csv' : 'csv',
      warnings: warn.done(),
      lineOf: (p) => (p[0] === 'cases' && typeof p[1] === 'number' ? table.rows[p[1]]?.line : 1),
      fieldOf: (p) => {
        if (p[0] !== 'cases' || typeof p[1] !== 'number') return undefined;
        const [, i, key, sub] = p;
        if (key === 'assert' && typeof sub === 'number') return assertCols[i]?.[sub];
        if (key === 'vars' && typeof sub === 'string') return sub;
        const columns: Record<string, string | undefined> = {
          expected: expectedCol,
          messages: inputCol,
          id: '__id',
          threshold: '__threshold',
          description: '__description',
        };
        return typeof key === 'string' ? columns[key] : undefined;
      },
    },
  );
}
