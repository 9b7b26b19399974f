import { describe, expect, it } from 'vitest';
import { allBlocked, allEdits, runOne } from './helpers';

describe('format.whitespace', () => {
  const ws = (text: string, options: Record<string, unknown> = {}) =>
    runOne(text, 'format.whitespace', options).text;

  it('removes trailing spaces, collapses inner runs and keeps one blank line', () => {
    expect(ws('Hello   world.  \nNext\tline\t\n\n\n\nEnd  ')).toBe('Hello world.\nNext\tline\n\nEnd');
    expect(ws('\n\n\nStart\n\n\n')).toBe('Start\n');
  });

  it('never shortens leading indentation or the spacing after list markers', () => {
    const yaml = 'root:\n  child:  1\n    grand:   2\n';
    expect(ws(yaml)).toBe('root:\n  child: 1\n    grand: 2\n');
    const py = 'def f():\n    if x:\n        return  1\n';
    expect(ws(py)).toBe('def f():\n    if x:\n        return 1\n');
    const list = '*   item\n    -   nested  item\n1.  first\n';
    expect(ws(list)).toBe('*   item\n    -   nested item\n1.  first\n');
  });

  it('removes zero-width characters but keeps joiners inside emoji and words that need them', () => {
    expect(ws('ze\u200bro wi\u2060dth\ufeff')).toBe('zero width');
    const family = '👨\u200d👩\u200d👧 and می\u200cخواهم';
    expect(ws(family)).toBe(family);
    expect(ws('a \u200d b')).toBe('a b');
  });

  it('turns non-breaking spaces into spaces and CRLF into LF', () => {
    expect(ws('a\u00a0b\u202fc\r\nd\r\n')).toBe('a b c\nd\n');
    expect(ws('\u00a0\u00a0indented')).toBe('  indented');
  });

  it('leaves tabs that may separate columns unless asked', () => {
    expect(ws('a\t\tb')).toBe('a\t\tb');
    expect(ws('a\t\tb', { collapseTabs: true })).toBe('a b');
  });

  it('never touches code blocks or JSON blocks', () => {
    const text = '```\ncode   here  \n\n\n\nmore\r\n```\n{\n  "a":  1\n}\n';
    expect(ws(text)).toBe(text);
  });

  it('records each edit with its reason and exact saving', () => {
    const r = runOne('one   two  \n\n\n\nthree', 'format.whitespace');
    const edits = allEdits(r);
    expect(edits.map((e) => e.ruleId).sort()).toEqual(['blank-lines', 'inner-run', 'trailing']);
    for (const e of edits) {
      expect(e.reason).toMatch(/\w+ .+/);
      expect(e.id).toMatch(/^format\.whitespace\/[\w.-]+\/[0-9a-z]+\/\d+$/);
    }
    expect(r.totals.saved).toBe(r.totals.tokensBefore - r.totals.tokensAfter);
  });
});

describe('format.markdown', () => {
  const md = (text: string, options: Record<string, unknown> = {}) =>
    runOne(text, 'format.markdown', options).text;

  it('drops emphasis markers, nested ones too, and keeps the words', () => {
    expect(md('**Note:** be *brief* and __very clear__, _please_.')).toBe(
      'Note: be brief and very clear, please.',
    );
    expect(md('**a *b* c** and *d **e** f*')).toBe('a b c and d e f');
  });

  it('leaves snake_case, math, dunder names (a lone __word__ reads as one), bullets and code alone', () => {
    const text = 'use my_var_name and 2*3*4 or a * b * c, call __init__.\n* bullet\n`**kept**`\n';
    expect(md(text)).toBe(text);
  });

  it('drops horizontal rules but not a setext underline or YAML front matter', () => {
    expect(md('A\n\n---\n\nB\n\n***\nC\n')).toBe('A\n\nB\n\nC\n');
    expect(md('Title\n---\ntext\n')).toBe('Title\n---\ntext\n');
    expect(md('---\ntitle: x\n---\nBody\n')).toBe('---\ntitle: x\n---\nBody\n');
  });

  it('drops table padding and the alignment row, keeping every cell', () => {
    const table = '| Name   | Age |\n|:-------|----:|\n| Kim    | 30  |\n| Lee Ho | 41  |\n';
    expect(md(table)).toBe('|Name|Age|\n|Kim|30|\n|Lee Ho|41|\n');
  });

  it('trims closing heading hashes, and turns headings into labels only when asked', () => {
    expect(md('## Rules ##\ntext')).toBe('## Rules\ntext');
    expect(md('## Rules\ntext\n### Done.\n', { headings: 'label' })).toBe('Rules:\ntext\nDone.\n');
  });

  it('keeps list nesting and ignores headings inside code', () => {
    const text = '- a\n  - **b**\n    - c\n```sh\n# not a heading ##\n```\n';
    expect(md(text)).toBe('- a\n  - b\n    - c\n```sh\n# not a heading ##\n```\n');
  });
});

describe('format.data', () => {
  it('minifies fenced and standalone JSON; keys and values stay byte-identical', () => {
    const text =
      'Reply as:\n```json\n{\n  "name": "Kim  Lee",\n  "tags": [ "a", "b" ],\n  "n": 1.50\n}\n```\nor\n[\n  1,\n  2\n]\n';
    const r = runOne(text, 'format.data');
    expect(r.text).toBe(
      'Reply as:\n```json\n{"name":"Kim  Lee","tags":["a","b"],"n":1.50}\n```\nor\n[1,2]\n',
    );
    const block = /```json\n([\s\S]*?)\n```/;
    expect(JSON.parse(block.exec(r.text)![1]!)).toEqual(JSON.parse(block.exec(text)![1]!));
    // a block's edits form one group, so it is minified entirely or not at all
    expect(new Set(allEdits(r).map((e) => e.group)).size).toBe(2);
  });

  it('leaves malformed JSON and untagged code fences alone', () => {
    const text = '```json\n{ "a": 1, }\n```\n```\n{ "b": 2 }\n```\n{ "c": }\n';
    expect(runOne(text, 'format.data').text).toBe(text);
  });

  it('does nothing when switched off', () => {
    const text = '{\n  "a": 1\n}\n';
    expect(runOne(text, 'format.data', { minifyJson: false }).text).toBe(text);
  });

  it('keeps the whole block when one of its edits is rejected', () => {
    const text = '{\n  "a": 1,\n  "b": 2\n}\n';
    const first = runOne(text, 'format.data');
    const rejected = new Set([allEdits(first)[0]!.id]);
    const again = runOne(text, 'format.data', {}, { rejected });
    expect(again.text).toBe(text);
    expect(again.stages[0]!.rejected.map((e) => e.id)).toEqual([...rejected]);
    expect(allBlocked(again).every((b) => b.spanKind === 'linked')).toBe(true);
  });
});
