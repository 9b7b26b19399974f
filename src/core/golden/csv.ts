import { AppError } from '../errors';

/** One CSV record and the (1-based) line it starts on; a quoted field may carry it over several lines. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF or LF (a lone CR too); a field in double quotes
 * may hold commas, line breaks and doubled quotes. A quote inside an unquoted field is kept as text (common in
 * hand-written files and harmless); text after a closing quote, or a quote never closed, is a PARSE_ERROR that
 * names the line and column. A UTF-8 BOM is ignored.
 */
export function parseCsv(text: string, fileName: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let recordLine = 1;
  let line = 1;
  let lineStart = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const fail = (what: string, at: number, atLine: number, atLineStart: number): never => {
    const column = at - atLineStart + 1;
    throw new AppError(
      'PARSE_ERROR',
      `${fileName} is not valid CSV (line ${atLine}, column ${column}): ${what}.`,
      {
        file: fileName,
        line: atLine,
        column,
      },
    );
  };
  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  // True once the current field was a quoted one that has closed: only a separator may follow.
  let closed = false;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' && field === '' && !closed) {
      const openLine = line;
      const openLineStart = lineStart;
      const open = i++;
      for (;;) {
        if (i >= n) fail('a quoted field is never closed', open, openLine, openLineStart);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] !== '"') break;
          field += '"';
          i += 2;
          continue;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) {
          line++;
          lineStart = i + 1;
        }
        field += q;
        i++;
      }
      i++;
      closed = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      closed = false;
      i++;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      closed = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = i;
      recordLine = line;
    } else {
      if (closed)
        fail('text after a closing quote (write a quote inside a quoted field as "")', i, line, lineStart);
      field += c;
      i++;
    }
  }
  if (field !== '' || fields.length > 0 || closed) endRecord();
  return records;
}

/** A CSV file with a header: each row as a column → value map, with its line. */
export interface CsvTable {
  header: string[];
  rows: { line: number; values: Record<string, string> }[];
}

/**
 * A CSV file whose first record names the columns. Blank lines are skipped; a row with a different number of
 * fields than the header, a blank or repeated column name is INVALID_INPUT naming the line.
 */
export function parseCsvTable(text: string, fileName: string): CsvTable {
  const records = parseCsv(text, fileName).filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  const head = records[0];
  if (!head)
    throw new AppError('INVALID_INPUT', `${fileName} is empty: a CSV golden set needs a header row.`, {
      file: fileName,
    });
  const header = head.fields.map((h) => h.trim());
  header.forEach((h, i) => {
    const where = { file: fileName, line: head.line, field: h };
    if (h === '')
      throw new AppError(
        'INVALID_INPUT',
        `${fileName}, line ${head.line}: column ${i + 1} has no name.`,
        where,
      );
    if (header.indexOf(h) !== i)
      throw new AppError(
        'INVALID_INPUT',
        `${fileName}, line ${head.line}: column "${h}" appears twice.`,
        where,
      );
  });
  const rows = records.slice(1).map((r) => {
    if (r.fields.length !== header.length)
      throw new AppError(
        'INVALID_INPUT',
        `${fileName}, line ${r.line}: ${r.fields.length} fields, but the header has ${header.length} columns (quote a field that holds a comma).`,
        { file: fileName, line: r.line },
      );
    return { line: r.line, values: Object.fromEntries(header.map((h, i) => [h, r.fields[i]!])) };
  });
  return { header, rows };
}
