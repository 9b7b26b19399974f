import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/core/errors';
import { loadRuleTables, mergeRuleTables } from '../../../src/core/compression';

const RULES = path.resolve(import.meta.dirname, '../../../resources/rules');

function error(fn: () => unknown): {
  code: string;
  message: string;
  details: Record<string, unknown> | undefined;
} {
  try {
    fn();
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('phrase tables', () => {
  it('loads the bundled English and Korean tables', () => {
    for (const [file, lang] of [
      ['filler.en.json', 'en'],
      ['filler.ko.json', 'ko'],
    ] as const) {
      const t = loadRuleTables(JSON.parse(readFileSync(path.join(RULES, file), 'utf8')), file);
      expect(t.filler.length).toBeGreaterThan(5);
      for (const r of t.filler) {
        expect(r.language).toBe(lang);
        expect(r.reason.length).toBeGreaterThan(10);
        expect(r.source).toBe(file);
      }
    }
  });

  it('accepts literals, regular expressions and lists of them, with defaults', () => {
    const t = loadRuleTables([
      { id: 'en.a', pattern: 'in order to', replacement: 'to', reason: 'shorter' },
      { id: 'en.b', pattern: '/\\bvery (\\w+)/i', replacement: '$1', reason: 'hedge' },
      {
        id: 'en.c',
        pattern: ['a', 'b'],
        reason: 'list',
        caseInsensitive: false,
        wholeWord: false,
        sentenceStart: true,
      },
    ]);
    expect(t.filler.map((r) => r.matchers.map((m) => m.kind))).toEqual([
      ['literal'],
      ['regex'],
      ['literal', 'literal'],
    ]);
    expect(t.filler[0]!.matchers[0]).toMatchObject({ caseInsensitive: true, wordStart: true, wordEnd: true });
    expect(t.filler[2]!.sentenceStart).toBe(true);
    expect(t.filler[1]!.replacement).toBe('$1');
    // { filler: [...] } works too
    expect(loadRuleTables({ filler: [{ id: 'x.y', pattern: 'p', reason: 'r' }] }).filler[0]!.language).toBe(
      'x',
    );
  });

  it('rejects bad tables with a coded error naming the entry and the field', () => {
    expect(error(() => loadRuleTables('nope', 'my.json'))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('my.json'),
    });
    const missing = error(() =>
      loadRuleTables(
        [
          { id: 'ok.1', pattern: 'x', reason: 'r' },
          { id: 'bad.2', pattern: 'y' },
        ],
        't.json',
      ),
    );
    expect(missing.message).toContain('entry 1 ("bad.2")');
    expect(missing.message).toContain('reason');
    expect(missing.details).toMatchObject({ index: 1, id: 'bad.2', field: 'reason' });
    expect(
      error(() => loadRuleTables([{ id: 'r.1', pattern: '/(unclosed/', reason: 'r' }])).message,
    ).toContain('pattern');
    expect(error(() => loadRuleTables([{ id: 'r.1', pattern: '/x/y', reason: 'r' }])).message).toContain(
      'flag',
    );
    expect(error(() => loadRuleTables([{ id: 'r.1', pattern: '/x*/', reason: 'r' }])).message).toContain(
      'empty',
    );
    expect(
      error(() =>
        loadRuleTables([
          { id: 'r.1', pattern: 'a', reason: 'r' },
          { id: 'r.1', pattern: 'b', reason: 'r' },
        ]),
      ).message,
    ).toContain('more than once');
    expect(error(() => loadRuleTables([{ id: 'r 1', pattern: 'a', reason: 'r' }])).details).toMatchObject({
      field: 'id',
    });
    expect(error(() => loadRuleTables([{ id: 'r.1', pattern: 'a', reason: 'r', extra: 1 }])).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('lets a later table replace an entry by id (users extend and override the bundled tables)', () => {
    const bundled = loadRuleTables([
      { id: 'en.a', pattern: 'in order to', replacement: 'to', reason: 'r' },
      { id: 'en.b', pattern: 'kindly ', reason: 'r' },
    ]);
    const user = loadRuleTables([
      { id: 'en.b', pattern: 'kindly ', reason: 'mine' },
      { id: 'en.c', pattern: 'basically ', reason: 'r' },
    ]);
    const merged = mergeRuleTables(bundled, user);
    expect(merged.filler.map((r) => [r.id, r.reason])).toEqual([
      ['en.a', 'r'],
      ['en.b', 'mine'],
      ['en.c', 'r'],
    ]);
  });
});
