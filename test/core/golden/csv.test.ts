import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvTable } from '../../../src/core/golden';
import { readGolden } from '../scorers/corpora';
import { failure as error } from './helpers';

describe('parseCsv (RFC 4180)', () => {
  it('splits fields and records, with quoted commas, doubled quotes and line breaks', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\n2,"two\nlines",\n';
    expect(parseCsv(text, 't.csv')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', ''] },
    ]);
  });

  it('numbers records by the line they start on, across multi-line fields and CR-only breaks', () => {
    const recs = parseCsv('h\r"a\r\nb\rc"\rnext', 't.csv');
    expect(recs.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(recs[1]!.fields[0]).toBe('a\r\nb\rc');
  });

  it('keeps empty quoted fields, a final record without a newline, and ignores a BOM', () => {
    expect(parseCsv('\uFEFFa,""\n"",b', 't.csv')).toEqual([
      { line: 1, fields: ['a', ''] },
      { line: 2, fields: ['', 'b'] },
    ]);
  });

  it('keeps a stray quote inside an unquoted field as text', () => {
    expect(parseCsv('5" screen,x', 't.csv')[0]!.fields).toEqual(['5" screen', 'x']);
  });

  it('fails on an unclosed quote at the line and column where it opened', () => {
    const e = error(() => parseCsv('a,b\n1,"open\n2,3\n', 'data.csv'));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.details).toEqual({ file: 'data.csv', line: 2, column: 3 });
    expect(e.message).toBe('data.csv is not valid CSV (line 2, column 3): a quoted field is never closed.');
  });

  it('fails on text after a closing quote', () => {
    const e = error(() => parseCsv('a\n"x"y\n', 'data.csv'));
    expect(e.details).toEqual({ file: 'data.csv', line: 2, column: 4 });
  });
});

describe('parseCsvTable', () => {
  it('maps rows to columns and skips blank lines', () => {
    const t = parseCsvTable('q,a\n\n1,2\n', 't.csv');
    expect(t).toEqual({ header: ['q', 'a'], rows: [{ line: 3, values: { q: '1', a: '2' } }] });
  });

  it('names the line of a row with the wrong number of fields', () => {
    const e = error(() => parseCsvTable('q,a\n1,2\n3,4,5\n', 'x.csv'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/^x\.csv, line 3: 3 fields, but the header has 2 columns/);
  });

  it('refuses a blank or repeated column name and an empty file', () => {
    expect(error(() => parseCsvTable('a,,b\n', 'x.csv')).message).toMatch(/column 2 has no name/);
    expect(error(() => parseCsvTable('a,a\n', 'x.csv')).message).toMatch(/column "a" appears twice/);
    expect(error(() => parseCsvTable('\n\n', 'x.csv')).message).toMatch(/is empty/);
  });

  it('reads the real BANKING77 file, quoted rows included, with the right line numbers', () => {
    const text = readGolden('banking77/test.csv');
    const t = parseCsvTable(text, 'test.csv');
    expect(t.header).toEqual(['text', 'category']);
    expect(t.rows).toHaveLength(3080);
    const lines = text.split('\n');
    // The second row is quoted (it holds a comma): its line in the file is line 3.
    expect(t.rows[1]).toEqual({
      line: 3,
      values: {
        text: 'I still have not received my new card, I ordered over a week ago.',
        category: 'card_arrival',
      },
    });
    expect(lines[2]!.startsWith('"I still have not received')).toBe(true);
    // Three real utterances start with line breaks inside their quotes: later rows start 4 lines lower.
    const pin = t.rows.find((r) => r.values.text === '\nWhere can I get my PIN unblocked?')!;
    const at = text.indexOf('"\nWhere can I get my PIN unblocked?"');
    expect(pin.line).toBe(text.slice(0, at).split('\n').length);
    expect(t.rows.at(-1)!.line).toBe(lines.length - 1);
    expect(lines.length - 1).toBe(3085);
  });
});
