import { describe, expect, it } from 'vitest';
import { EMPTY_RULE_TABLES, protectedSpans, SpanIndex, STRATEGIES } from '../../../src/core/compression';
import { runStage } from '../../../src/core/compression/stage';
import { detectExamples } from '../../../src/core/compression/strategies/examplesDetect';
import { countO200k, systemPrompts } from './corpora';
import { allEdits, runOne } from './helpers';

const detect = (text: string) => detectExamples(text, new SpanIndex(protectedSpans(text)));
const fewShot = systemPrompts(0).filter((p) => /^(gsm8k|bbh) /.test(p.name));

/** A classifier prompt from real CLINC150 test utterances (CC-BY-3.0), free of numbers, quotes and negations. */
const CLINC: Array<[string, string]> = [
  ['how would you say fly in italian', 'translate'],
  ['what is the weather like', 'weather'],
  ['how do you say fast in spanish', 'translate'],
  ['show me what the weather is like', 'weather'],
  ['start the timer', 'timer'],
  ['how does one say wonderful in german', 'translate'],
  ['could you set a timer', 'timer'],
];
const CLASSIFIER =
  "Classify the intent of the user's request.\n\n" +
  CLINC.map(([u, i]) => `Input: ${u}\nOutput: ${i}\n`).join('\n') +
  '\nInput: {request}\nOutput:\n';

describe('rules.examples: finding few-shot examples', () => {
  it('finds the 8 chain-of-thought examples of the GSM8K prompt and the 3 of each BIG-Bench-Hard prompt', () => {
    expect(fewShot).toHaveLength(28);
    for (const p of fewShot) {
      const sets = detect(p.text);
      expect(sets, p.name).toHaveLength(1);
      const { blocks, kind } = sets[0]!;
      expect(kind, p.name).toBe('pair');
      expect(blocks, p.name).toHaveLength(p.name.startsWith('gsm8k') ? 8 : 3);
      for (const b of blocks) {
        expect(b.text, p.name).toMatch(p.name.startsWith('gsm8k') ? /^Question: / : /^Q: /);
        expect(b.text, p.name).toMatch(/[Tt]he answer is [^\n]+$/);
      }
      // the BBH task description is not part of an example
      if (p.name.startsWith('bbh')) expect(blocks[0]!.first).toBeGreaterThan(0);
    }
  });

  it('finds tags, "Example N:" headings, an Examples section and User:/Assistant: demos, never the query', () => {
    const tags = detect('Intro.\n\n<example>\nA\n</example>\n\n<example>\nB\n</example>\n\nNow you.\n');
    expect(tags.map((s) => [s.kind, s.blocks.map((b) => b.text)])).toEqual([
      ['tag', ['<example>\nA\n</example>', '<example>\nB\n</example>']],
    ]);
    const headed = detect('## Example 1\nIn: a\nOut: b\n\n## Example 2\nIn: c\nOut: d\n\n## Task\nDo it.\n');
    expect(headed[0]!.blocks.map((b) => b.text)).toEqual([
      '## Example 1\nIn: a\nOut: b',
      '## Example 2\nIn: c\nOut: d',
    ]);
    const section = detect(
      '# Examples\nSome examples:\n- great product -> positive\n- broke at once -> negative\n\n# Rules\nBe kind.\n',
    );
    expect(section[0]).toMatchObject({ kind: 'section' });
    expect(section[0]!.blocks.map((b) => b.text)).toEqual([
      '- great product -> positive',
      '- broke at once -> negative',
    ]);
    const demos = detect(
      'User: hi\nAssistant: hello\nUser: bye\nAssistant: see you\n\nUser: thanks\nAssistant: welcome\n',
    );
    expect(demos[0]!.blocks.map((b) => b.text.split('\n').length)).toEqual([4, 2]);
    // the prompt's own question (a placeholder, or an empty answer) is not an example
    expect(detect(CLASSIFIER)[0]!.blocks).toHaveLength(7);
    expect(detect('Q: one\nA: 1\n\nQ: two\nA: 2\n\nQ: three\nA:\n')[0]!.blocks).toHaveLength(2);
    expect(detect('For example: this is prose.\n\nFor example: so is this.\n')).toEqual([]);
  });
});

describe('rules.examples: pruning', () => {
  it('is lossy and off by default, and leaves sets of at most `keep` examples alone', () => {
    expect(STRATEGIES['rules.examples']).toMatchObject({
      lossy: true,
      defaultEnabled: false,
      idempotent: true,
    });
    for (const p of fewShot.filter((x) => x.name.startsWith('bbh'))) {
      expect(allEdits(runOne(p.text, 'rules.examples'))).toEqual([]);
    }
  });

  it('keeps the first example and the most different ones, one edit per example with its exact saving', () => {
    const r = runOne(CLASSIFIER, 'rules.examples', { keep: 3 });
    const edits = allEdits(r);
    expect(edits).toHaveLength(4);
    // one example of each intent stays, the first among them
    for (const [u] of [CLINC[0]!, CLINC[3]!, CLINC[6]!]) expect(r.text).toContain(u);
    expect(r.text).toContain('Input: {request}\nOutput:\n');
    for (const e of edits) {
      expect(e.ruleId).toBe('example.pair');
      const alone = CLASSIFIER.slice(0, e.start) + CLASSIFIER.slice(e.end);
      expect(e.tokensSaved).toBe(countO200k(CLASSIFIER) - countO200k(alone));
      expect(e.tokensSaved).toBeGreaterThan(5);
      expect(e.reason).toMatch(
        /^Example \d of 7 \(".+"\) is closest to example [147], which stays \(shared words/,
      );
    }
    // each removed translate example is covered by the kept translate example (example 1)
    const translate = edits.filter((e) => e.before.includes('translate'));
    expect(translate.map((e) => e.duplicateOf?.line)).toEqual([3, 3]);
    expect(r.totals.saved).toBe(edits.reduce((n, e) => n + e.tokensSaved, 0));
    // idempotent: the output has 3 examples left, so a second run removes nothing
    expect(allEdits(runOne(r.text, 'rules.examples', { keep: 3 }))).toEqual([]);
  });

  it('chooses by the host similarity when byMeaning, and by shared words without it', () => {
    // a similarity that calls every example like the first except the timer ones
    const similar = (a: string, b: string) => (a.includes('timer') === b.includes('timer') ? 0.9 : 0.1);
    const kept = (o: Record<string, unknown>) => {
      const r = runOne(CLASSIFIER, 'rules.examples', { keep: 2, ...o }, { similar });
      return CLINC.filter(([u]) => r.text.includes(u)).map(([u]) => u);
    };
    expect(kept({})).toEqual([CLINC[0]![0], CLINC[4]![0]]);
    const reason = allEdits(runOne(CLASSIFIER, 'rules.examples', { keep: 2 }, { similar }))[0]!.reason;
    expect(reason).toContain('similarity by meaning 0.90');
    expect(kept({ byMeaning: false })).not.toEqual([CLINC[0]![0], CLINC[4]![0]]);
  });

  it('prunes the GSM8K prompt to 3 whole examples, numbers and all, with the saving of each', () => {
    const gsm = fewShot.find((p) => p.name.startsWith('gsm8k'))!;
    const r = runOne(gsm.text, 'rules.examples', { keep: 3 });
    const edits = allEdits(r);
    expect(edits).toHaveLength(5);
    expect(r.stages[0]!.blocked).toEqual([]);
    for (const e of edits) {
      expect(e.dropsUnit).toBe(true);
      expect(e.before).toMatch(/^Question: [\s\S]*[Tt]he answer is [^\n]+\n/);
      // each example's own saving, exactly: the prompt without it alone
      expect(e.tokensSaved).toBe(countO200k(gsm.text) - countO200k(gsm.text.replace(e.before, '')));
    }
    expect(detect(r.text)[0]!.blocks).toHaveLength(3);
    expect(r.totals.tokensAfter).toBe(countO200k(r.text));
    // the numbers of the dropped examples went with them, and the guard report says so; the run is verified
    expect(r.guardReport.droppedWithUnits).toBeGreaterThan(0);
    expect(r.guardReport.verified).toBe(true);
    // idempotent: 3 examples left, nothing more to drop
    expect(runOne(r.text, 'rules.examples', { keep: 3 }).text).toBe(r.text);
  });

  it('never lets a lossless strategy drop a unit, and keeps an example that would cut through protected text', () => {
    const text = 'Keep it short.\nNever share the password 1234.\nBye.\n';
    const start = text.indexOf('Never');
    const drop = { start, end: text.indexOf('Bye'), after: '', ruleId: 'x', reason: 'test', dropsUnit: true };
    const stage = (lossy: boolean) =>
      runStage({
        text,
        strategy: { ...STRATEGIES['rules.examples']!, lossy, run: () => [drop] },
        options: {},
        round: 1,
        spans: new SpanIndex(protectedSpans(text)),
        rules: EMPTY_RULE_TABLES,
        count: countO200k,
        rejected: new Set(),
        frozen: [],
      });
    expect(stage(false).text).toBe(text);
    expect(stage(false).blocked.map((b) => b.spanKind)).toEqual(['number']);
    expect(stage(true).text).toBe('Keep it short.\nBye.\n');
    // an example whose last line opens a code fence that runs on past it cannot go
    const fenced = CLASSIFIER.replace(
      'Output: timer\n\nInput: how does',
      'Output: timer\n```\nInput: how does',
    );
    const m = runOne(fenced, 'rules.examples', { keep: 3 });
    expect(m.text).toContain('```');
    expect(m.guardReport.verified).toBe(true);
  });
});
