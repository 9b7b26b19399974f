import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/core/errors';
import {
  SpanIndex,
  checkGuardInvariants,
  guardEdits,
  guardedWordCounts,
  missingGuardWords,
  protectedSpans,
  type SpanKind,
} from '../../../src/core/compression';
import { rng } from './random';

/** The texts of the spans of one kind. */
function found(text: string, kind?: SpanKind): string[] {
  return protectedSpans(text)
    .filter((s) => !kind || s.kind === kind)
    .map((s) => text.slice(s.start, s.end));
}

/** True when [start, end) of `needle` inside `text` lies within one span. */
function isProtected(text: string, needle: string): boolean {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in the text`);
  return protectedSpans(text).some((s) => s.start <= at && s.end >= at + needle.length);
}

describe('protectedSpans', () => {
  it('protects fenced code with ``` and ~~~, and an unclosed fence to the end of the text', () => {
    const text = 'a\n```python\nx  =  1\n```\nb\n~~~\ny  = 2\n~~~\nc\n```\nopen   forever\n\nstill code';
    expect(found(text, 'code-block')).toEqual([
      '```python\nx  =  1\n```',
      '~~~\ny  = 2\n~~~',
      '```\nopen   forever\n\nstill code',
    ]);
  });

  it('treats a fenced json block that parses as a JSON block with its tokens protected', () => {
    const text = '```json\n{ "name": "Kim", "age": 30, "ok": true }\n```\n';
    const spans = protectedSpans(text);
    expect(spans.find((s) => s.kind === 'json-block')?.jsonWhitespace).toBe(true);
    expect(found(text, 'json-key')).toEqual(['"name"', '"age"', '"ok"']);
    expect(found(text, 'json-value')).toEqual(['"Kim"', 'true']);
    expect(found(text, 'number')).toEqual(['30']);
    // malformed JSON in a json fence is plain code
    expect(found('```json\n{ "a": }\n```', 'code-block')).toEqual(['```json\n{ "a": }\n```']);
  });

  it('finds standalone JSON objects and arrays in prose, and leaves what does not parse', () => {
    expect(found('Example:\n{\n  "a": [1, 2]\n}\nDone', 'json-block')).toEqual(['{\n  "a": [1, 2]\n}']);
    expect(found('Example:\n{ not: json }\nDone', 'json-block')).toEqual([]);
  });

  it('protects inline code, URLs (without trailing punctuation), emails and file paths', () => {
    const text =
      'Run `npm  test` then see https://example.com/a_(b)?x=1. Or (www.example.org), mail me@example.com, ' +
      'edit /etc/hosts, ./src/a.ts, ~/x, C:\\Users\\me\\file.txt and config.yaml.';
    expect(found(text, 'inline-code')).toEqual(['`npm  test`']);
    expect(found(text, 'url')).toEqual(['https://example.com/a_(b)?x=1', 'www.example.org']);
    expect(found(text, 'email')).toEqual(['me@example.com']);
    for (const p of ['/etc/hosts', './src/a.ts', '~/x', 'C:\\Users\\me\\file.txt', 'config.yaml']) {
      expect(isProtected(text, p), p).toBe(true);
    }
  });

  it('protects every number, with units, dates and times', () => {
    const text =
      'Wait 30 minutes, pay $10.50 or 1,000 KRW, 5ms, 10 GB, 99%, ٣ and x². On 2024-05-01, May 1, 2024 at 12:30 PM; 2024년 5월 1일.';
    for (const p of [
      '30 minutes',
      '$10.50',
      '1,000 KRW',
      '5ms',
      '10 GB',
      '99%',
      '٣',
      '²',
      '2024-05-01',
      'May 1, 2024',
      '12:30 PM',
      '2024년 5월 1일',
    ]) {
      expect(isProtected(text, p), p).toBe(true);
    }
    expect(found(text, 'time')).toContain('12:30 PM');
    expect(found(text, 'date')).toContain('2024-05-01');
  });

  it('protects quoted strings but not apostrophes', () => {
    const text = `Say "hello  world", 'single  quote', “curly  one” and 「括弧」. Don't touch the users' data.`;
    expect(found(text, 'quote')).toEqual(['"hello  world"', "'single  quote'", '“curly  one”', '「括弧」']);
    // an unpaired straight quote protects to the end of its line
    expect(found('He is 5\'10" tall and\nfree', 'quote')).toEqual(['" tall and']);
  });

  it('protects template placeholders, tags with attributes and <keep> regions', () => {
    const text =
      'Hi {{name}} from {city}, ${HOME} and $USER, %s and %(count)d. <USER NAME> sees <a href="x">y</a> <!-- note -->\n' +
      '<keep>Do   not   touch.</keep> after <keep>to the end';
    for (const p of ['{{name}}', '{city}', '${HOME}', '$USER', '%s', '%(count)d', '<USER NAME>']) {
      expect(isProtected(text, p), p).toBe(true);
    }
    expect(found(text, 'tag')).toEqual(expect.arrayContaining(['<a href="x">', '</a>', '<!-- note -->']));
    expect(found(text, 'keep')).toEqual(['<keep>Do   not   touch.</keep>', '<keep>to the end']);
  });

  it('adds the ranges the user protected, and refuses ranges outside the text with a coded error', () => {
    const text = 'please   keep   this';
    const spans = protectedSpans(text, { protect: [{ start: 0, end: 6 }] });
    expect(spans.filter((s) => s.kind === 'user').map((s) => text.slice(s.start, s.end))).toEqual(['please']);
    try {
      protectedSpans(text, { protect: [{ start: 0, end: 99 }] });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('INVALID_INPUT');
      expect((err as Error).message).toContain('protect[0]');
    }
  });

  it('leaves no digit outside a span, in random text (seeded)', () => {
    const r = rng(7);
    const pieces = [
      'a',
      ' ',
      '7',
      '42',
      '3.14',
      '-',
      '/',
      ':',
      '\n',
      '"',
      '`',
      '٣',
      '²',
      'x',
      '.',
      ',',
      '%',
      'GB',
    ];
    for (let n = 0; n < 200; n++) {
      let text = '';
      for (let i = 0; i < 60; i++) text += pieces[Math.floor(r() * pieces.length)];
      const index = new SpanIndex(protectedSpans(text));
      for (let i = 0; i < text.length; i++) {
        if (/\p{N}/u.test(text[i]!)) expect(index.touches(i, i + 1), JSON.stringify(text)).toBe(true);
      }
    }
  });
});

describe('guarded words', () => {
  it('counts negations and modal words, in English and Korean', () => {
    const counts = guardedWordCounts(
      "You must not, never, NO; don't/can’t; cannot; only; always; none nor without. 하지 않는다, 말라, 금지, 반드시, 절대, 안 된다, 못 한다. Notice nothing knows",
    );
    expect(Object.fromEntries(counts)).toEqual({
      must: 1,
      not: 1,
      never: 1,
      no: 1,
      "don't": 1,
      "can't": 1,
      cannot: 1,
      only: 1,
      always: 1,
      none: 1,
      nor: 1,
      without: 1,
      않: 1,
      말: 1,
      금지: 1,
      반드시: 1,
      절대: 1,
      안: 1,
      못: 1,
    });
  });

  it('reports what an edit would lose', () => {
    expect(missingGuardWords('do not do it', 'do it')).toEqual([{ word: 'not', missing: 1 }]);
    expect(missingGuardWords('do not do it', "don't do it")).toEqual([{ word: 'not', missing: 1 }]);
    expect(missingGuardWords('in order to', 'to')).toEqual([]);
    expect(missingGuardWords('at all times', 'always')).toEqual([]);
  });
});

describe('guardEdits', () => {
  const text = 'Use `a  b` and never   share   https://x.com/a  b. Do not  stop.';
  const at = (needle: string) => text.indexOf(needle);

  it('drops an edit touching a protected span and says which span', () => {
    const inside = { start: at('a  b') + 1, end: at('a  b') + 3, after: ' ' };
    const outside = { start: at('never') + 5, end: at('never') + 8, after: ' ' };
    const { accepted, blocked } = guardEdits(text, [inside, outside], protectedSpans(text));
    expect(accepted).toEqual([outside]);
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.spanKind).toBe('inline-code');
    expect(blocked[0]!.reason).toContain('inline code');
  });

  it('blocks an insertion strictly inside a span but not at its edge', () => {
    const url = at('https');
    const spans = protectedSpans(text);
    expect(guardEdits(text, [{ start: url + 3, end: url + 3, after: 'x' }], spans).blocked).toHaveLength(1);
    expect(guardEdits(text, [{ start: url, end: url, after: ' ' }], spans).accepted).toHaveLength(1);
  });

  it('blocks an edit that removes or breaks a negation, also by cutting a word', () => {
    const spans = protectedSpans(text);
    const remove = { start: at('not '), end: at('not ') + 4, after: '' };
    const cut = { start: at('not ') + 2, end: at('not ') + 3, after: '' }; // "not" → "no" + ...
    const join = { start: at('never') + 5, end: at('never') + 8, after: '' }; // "nevershare"
    const { accepted, blocked } = guardEdits(text, [remove, cut, join], spans);
    expect(accepted).toEqual([]);
    expect(blocked.map((b) => b.spanKind)).toEqual(['negation', 'negation', 'negation']);
    expect(blocked[0]!.reason).toContain('"not"');
  });

  it('blocks Korean negation markers the same way', () => {
    const ko = '절대 공유하지 않는다. 안 된다.';
    const spans = protectedSpans(ko);
    const r = guardEdits(
      ko,
      [
        { start: 0, end: 3, after: '' },
        { start: ko.indexOf('안'), end: ko.indexOf('안') + 2, after: '' },
      ],
      spans,
    );
    expect(r.blocked.map((b) => b.spanKind)).toEqual(['negation', 'negation']);
  });

  it('inside a JSON block, allows only deleting whitespace between tokens', () => {
    const json = '```json\n{\n  "a": 1,\n  "b": "x  y"\n}\n```';
    const spans = protectedSpans(json);
    const ws = { start: json.indexOf('{') + 1, end: json.indexOf('"a"'), after: '' };
    const insideString = { start: json.indexOf('x  y') + 1, end: json.indexOf('x  y') + 3, after: ' ' };
    const comma = { start: json.indexOf(','), end: json.indexOf(',') + 1, after: '' };
    const r = guardEdits(json, [ws, insideString, comma], spans);
    expect(r.accepted).toEqual([ws]);
    expect(r.blocked.map((b) => b.spanKind)).toEqual(['json-value', 'json-block']);
  });

  it('blocks an edit that would open a code fence or a heading at a line start', () => {
    const t = 'has ```js\nx\n';
    const r = guardEdits(t, [{ start: 0, end: 4, after: '' }], protectedSpans(t));
    expect(r.blocked[0]?.spanKind).toBe('structure');
    expect(r.blocked[0]?.reason).toContain('code fence');
  });

  it('blocks an edit that would make a neighbouring span unrecognisable', () => {
    // 'quoted' is a quote only because no letter follows it; removing the underscore would join "id" to it
    const t = "say 'quoted  text'_id_ now";
    const spans = protectedSpans(t);
    const i = t.indexOf('_id_');
    const r = guardEdits(t, [{ start: i, end: i + 1, after: '' }], spans);
    expect(r.blocked[0]?.spanKind).toBe('quote');
  });

  it('drops the rest of a group when one member is blocked', () => {
    const t = '**"quoted**" and more';
    const spans = protectedSpans(t);
    const open = { start: 0, end: 2, after: '', group: 'g' };
    const close = { start: 9, end: 11, after: '', group: 'g' }; // inside the quote
    const r = guardEdits(t, [open, close], spans);
    expect(r.accepted).toEqual([]);
    expect(r.blocked.map((b) => b.spanKind).sort()).toEqual(['linked', 'quote']);
  });
});

describe('checkGuardInvariants', () => {
  it('passes when every span and negation survives, and names what changed otherwise', () => {
    const input = 'Never   share   `a  b` at https://x.com. Wait 10 minutes.';
    expect(checkGuardInvariants(input, 'Never share `a  b` at https://x.com. Wait 10 minutes.')).toEqual([]);
    const broken = checkGuardInvariants(input, 'Share `a b` at https://x.com. Wait 1 minutes.');
    expect(broken.map((v) => v.kind).sort()).toEqual(['negation', 'span', 'span']);
  });
});
