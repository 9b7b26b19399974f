import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../../src/core/compression';
import { countO200k } from './corpora';
import { allBlocked, allEdits, runOne, tables } from './helpers';

const TABLE = [
  'Plans:',
  '',
  '| name | price | data |',
  '|------|------:|------|',
  '| Basic | $10/month | 5 GB |',
  '| Plus | $25/month | `unlimited` |',
  '',
  'Pick one.',
  '',
].join('\n');

describe('format.data tablesToLines', () => {
  it('rewrites a pipe table as header:value lines, keeping every cell as it is', () => {
    const r = runOne(TABLE, 'format.data', { tablesToLines: true });
    expect(r.text).toBe(
      'Plans:\n\nname:Basic|price:$10/month|data:5 GB\nname:Plus|price:$25/month|data:`unlimited`\n\nPick one.\n',
    );
    expect(r.guardReport.verified).toBe(true);
    expect(new Set(allEdits(r).map((e) => e.group)).size).toBe(1);
    // idempotent: no table is left
    expect(runOne(r.text, 'format.data', { tablesToLines: true }).text).toBe(r.text);
  });

  it('is off by default, and leaves tables alone when a pipe is escaped, in code, or rows disagree', () => {
    expect(runOne(TABLE, 'format.data').text).toBe(TABLE);
    const escaped = '| a | b |\n|---|---|\n| x \\| y | z |\n';
    expect(runOne(escaped, 'format.data', { tablesToLines: true }).text).toBe(escaped);
    const fenced = '```\n| a | b |\n|---|---|\n| 1 | 2 |\n```\n';
    expect(runOne(fenced, 'format.data', { tablesToLines: true }).text).toBe(fenced);
    const ragged = '| a | b |\n|---|---|\n| 1 | 2 | 3 |\n';
    expect(runOne(ragged, 'format.data', { tablesToLines: true }).text).toBe(ragged);
  });

  it('a rejected edit keeps its whole table as it was (the user picks per table)', () => {
    const two = `${TABLE}\n| k | v |\n|---|---|\n| a | 1 |\n`;
    const first = runOne(two, 'format.data', { tablesToLines: true });
    const groups = [...new Set(allEdits(first).map((e) => e.group))];
    expect(groups).toHaveLength(2);
    const reject = allEdits(first).find((e) => e.group === groups[0])!;
    const r = runPipeline(
      two,
      { version: 1, steps: [{ strategy: 'format.data', options: { tablesToLines: true } }] },
      { count: countO200k, rules: tables(), rejected: new Set([reject.id]) },
    );
    expect(r.text).toContain('| Basic | $10/month | 5 GB |');
    expect(r.text).toContain('k:a|v:1');
  });
});

describe('format.data qaLabels', () => {
  it('shortens transcript labels when both of a pair open lines, only the label', () => {
    const text = 'User: Where is my order?\nAssistant: It ships on 2024-05-15.\nUser: Thanks.\n';
    const r = runOne(text, 'format.data', { qaLabels: true });
    expect(r.text).toBe('Q: Where is my order?\nA: It ships on 2024-05-15.\nQ: Thanks.\n');
    expect(runOne(r.text, 'format.data', { qaLabels: true }).text).toBe(r.text);
    // one label alone is not a transcript; labels in code stay
    const alone = 'User: a person who uses the app.\n';
    expect(runOne(alone, 'format.data', { qaLabels: true }).text).toBe(alone);
    const code = '```\nUser: x\nAssistant: y\n```\n';
    expect(runOne(code, 'format.data', { qaLabels: true }).text).toBe(code);
    expect(allBlocked(runOne(text, 'format.data', { qaLabels: true }))).toEqual([]);
  });
});
