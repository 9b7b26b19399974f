import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  STRATEGIES,
  STRATEGY_LIST,
  describeStrategies,
  getStrategy,
  loadRuleTables,
  mergeRuleTables,
} from '../../../src/core/compression';
import { allBlocked, allEdits, runOne, tables } from './helpers';

describe('rules.filler', () => {
  const filler = (text: string, options: Record<string, unknown> = {}) =>
    runOne(text, 'rules.filler', options).text;

  it('rewrites verbose phrases and keeps the case of a sentence start', () => {
    expect(filler('We did it in order to help. In order to help, we did it.')).toBe(
      'We did it to help. To help, we did it.',
    );
    expect(
      filler('Due to the fact that it rained, the agent has the ability to wait in the event that it rains.'),
    ).toBe('Because it rained, the agent can wait if it rains.');
  });

  it('removes filler that opens a sentence and capitalises the next word', () => {
    expect(
      filler('It is important to note that you should answer. Please make sure that you check the ID.'),
    ).toBe('You should answer. Check the ID.');
    expect(filler('I want you to act as a linux terminal. I want you to only reply with the output.')).toBe(
      'Act as a linux terminal. Only reply with the output.',
    );
    expect(filler('Kindly reply. Please note that replies are logged.')).toBe('Reply. Replies are logged.');
  });

  it('does not fire sentence-start rules in the middle of a sentence', () => {
    expect(filler('Tell them what I want you to see, please.')).toBe(
      'Tell them what I want you to see, please.',
    );
  });

  it('has Korean rules that keep the negation', () => {
    expect(
      filler('답변은 한국어로 해 주시기 바랍니다. 개인정보를 공유하지 마십시오. 확인하는 것이 중요합니다.'),
    ).toBe('답변은 한국어로 하라. 개인정보를 공유하지 마라. 확인할 것.');
  });

  it('leaves phrases inside code alone and reports the ones inside quotes as blocked', () => {
    const r = runOne('Write `in order to` and "in order to" but in order to win.', 'rules.filler');
    expect(r.text).toBe('Write `in order to` and "in order to" but to win.');
    expect(allBlocked(r).map((b) => b.spanKind)).toEqual(['inline-code', 'quote']);
  });

  it('honours languages and exclude', () => {
    expect(filler('in order to 해 주세요', { languages: ['ko'] })).toBe('in order to 하라');
    expect(filler('in order to', { exclude: ['en.in-order-to'] })).toBe('in order to');
  });

  it("uses the tables the host passes, the user's extensions included", () => {
    const user = loadRuleTables([
      { id: 'en.utilize', pattern: 'utilize', replacement: 'use', reason: '"Utilize" means "use".' },
    ]);
    const rules = mergeRuleTables(tables(), user);
    const r = runOne('Utilize the tool.', 'rules.filler', {}, { rules });
    expect(r.text).toBe('Use the tool.');
    expect(allEdits(r)[0]).toMatchObject({
      ruleId: 'en.utilize',
      reason: '"Utilize" means "use".',
      before: 'Utilize',
      after: 'Use',
    });
  });
});

describe('rules.dedupe', () => {
  const dedupe = (text: string, options: Record<string, unknown> = {}) =>
    runOne(text, 'rules.dedupe', options);

  it('drops exact and near-duplicate lines and bullets, keeping the first and saying which one they repeat', () => {
    const r = dedupe(
      '- Answer in English.\n- Keep answers short.\n- answer in english!\nKeep answers short.\n',
    );
    expect(r.text).toBe('- Answer in English.\n- Keep answers short.\n');
    const edits = allEdits(r);
    expect(edits.map((e) => e.ruleId)).toEqual(['line.near', 'line.exact']);
    expect(edits[0]!.duplicateOf).toMatchObject({ line: 1 });
    expect(edits[0]!.reason).toContain('line 1');
  });

  it('drops repeated sentences inside lines', () => {
    const r = dedupe('Reply in English. Keep it short. Reply in English.\nBe kind. Keep it short.\n');
    expect(r.text).toBe('Reply in English. Keep it short.\nBe kind.\n');
    expect(allEdits(r).map((e) => e.ruleId)).toEqual(['sentence.exact', 'sentence.exact']);
  });

  it('keeps template lines that repeat in every few-shot example', () => {
    const text =
      "Q: What is 2+2?\nA: Let's think step by step.\nQ: What is 3+3?\nA: Let's think step by step.\nQ: 4+4?\nA: Let's think step by step.\n";
    expect(dedupe(text).text).toBe(text);
    expect(dedupe(text, { structuralRepeats: 0 }).text).toBe(
      "Q: What is 2+2?\nA: Let's think step by step.\nQ: What is 3+3?\nQ: 4+4?\n",
    );
  });

  it('never drops headings, table rows or code, and the guards keep duplicated rules with a negation', () => {
    const text =
      '## Rules\n| a | b |\n| a | b |\n```\nx = 1\nx = 1\n```\nDo not share the data.\nDo not share the data.\n## Rules\n';
    const r = dedupe(text);
    expect(r.text).toBe(text);
    expect(allBlocked(r).map((b) => b.spanKind)).toEqual(['negation']);
  });

  it('keeps one blank line between paragraphs when a paragraph goes', () => {
    expect(dedupe('Be brief and clear.\n\nBe brief and clear.\n\nEnd of rules.\n').text).toBe(
      'Be brief and clear.\n\nEnd of rules.\n',
    );
  });

  it('uses the host similarity function for near-duplicates by meaning', () => {
    const similar = (a: string, b: string) => (a.includes('refund') && b.includes('refund') ? 0.95 : 0);
    const text = 'Offer a refund when asked.\nGive refunds on request.\nEnd here now.\n';
    expect(dedupe(text).text).toBe(text);
    // only when asked to: the host embeds every line the first time
    expect(runOne(text, 'rules.dedupe', {}, { similar }).text).toBe(text);
    const withSimilar = runOne(text, 'rules.dedupe', { byMeaning: true }, { similar });
    expect(withSimilar.text).toBe('Offer a refund when asked.\nEnd here now.\n');
    expect(allEdits(withSimilar)[0]!.ruleId).toBe('line.similar');
  });

  it('asks the similarity only of lines with the same facts that are not near-copies', () => {
    // as sentence embeddings do: every pair on one topic scores high, whatever the detail that differs
    const topic = (t: string) =>
      ['refund|money', 'Airplane', 'member'].findIndex((w) => new RegExp(w).test(t));
    const asked: Array<[string, string]> = [];
    const similar = (a: string, b: string) => (asked.push([a, b]), topic(a) === topic(b) ? 0.99 : 0.1);
    const text = [
      'Offer a refund to the customer.',
      'Offer the customer a refund of 20 dollars.', // a number the first line lacks
      'If Airplane Mode is ON, ask to turn it off.',
      'If Airplane Mode is OFF, go to the next step.', // ON/OFF differ
      'Escalate to a silver member agent today.',
      'Escalate to a gold member agent today.', // a near-copy: the swapped word is the point
      'Give the client their money back.', // a paraphrase of the first line: asked, and dropped
      '',
    ].join('\n');
    const r = runOne(text, 'rules.dedupe', { byMeaning: true }, { similar });
    expect(allEdits(r).map((e) => e.before.trim())).toEqual(['Give the client their money back.']);
    const pairs = asked.map((p) => p.join(' | '));
    expect(pairs).not.toContain(
      'If Airplane Mode is OFF, go to the next step. | If Airplane Mode is ON, ask to turn it off.',
    );
    expect(pairs).not.toContain(
      'Escalate to a gold member agent today. | Escalate to a silver member agent today.',
    );
    expect(asked.some(([a]) => a.includes('20 dollars'))).toBe(false);
  });
});

describe('rules.stopwords', () => {
  it('is lossy, off by default, and drops stop words but never negations, modals or protected text', () => {
    expect(STRATEGIES['rules.stopwords']!.lossy).toBe(true);
    expect(STRATEGIES['rules.stopwords']!.defaultEnabled).toBe(false);
    const r = runOne(
      'The agent must not share the data of the user with a "third  party" at all.',
      'rules.stopwords',
    );
    expect(r.text).toBe('agent must not share data user "third  party" all.');
    expect(r.text).toContain('must not');
  });

  it('takes extra stop words and words to keep', () => {
    const r = runOne('The cat sat on the mat.', 'rules.stopwords', {
      extraStopwords: ['cat'],
      keepWords: ['on'],
    });
    expect(r.text).toBe('sat on mat.');
  });
});

describe('strategy registry', () => {
  it('lists every strategy once, each with a label, a description and options that default', () => {
    const ids = STRATEGY_LIST.map((s) => s.id);
    // other strategies join the list; these must be there, once each, few-shot pruning before dedupe
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'format.whitespace',
        'format.markdown',
        'format.data',
        'rules.filler',
        'rules.examples',
        'rules.dedupe',
        'rules.stopwords',
      ]),
    );
    expect(ids.indexOf('rules.examples')).toBeLessThan(ids.indexOf('rules.dedupe'));
    for (const s of STRATEGY_LIST) {
      expect(s.id).toMatch(/^[a-z]+\.[a-z]+$/);
      expect(s.label.length).toBeGreaterThan(3);
      expect(s.description.length).toBeGreaterThan(20);
      expect(() => s.options.parse({})).not.toThrow();
      expect(getStrategy(s.id)).toBe(s);
    }
    expect(getStrategy('nope.nope')).toBeUndefined();
    expect(getStrategy('toString')).toBeUndefined();
  });

  it('describes strategies for a UI: defaults and a JSON Schema of the options', () => {
    const info = describeStrategies();
    const md = info.find((i) => i.id === 'format.markdown')!;
    expect(md.defaults).toEqual({ emphasis: true, horizontalRules: true, tables: true, headings: 'keep' });
    const schema = md.optionsSchema as { properties: Record<string, { enum?: string[]; default?: unknown }> };
    expect(schema.properties.headings?.enum).toEqual(['keep', 'label']);
    expect(schema.properties.headings?.default).toBe('keep');
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
    expect(z.object({}).safeParse(md.defaults).success).toBe(true);
  });
});
