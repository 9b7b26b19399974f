import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/core/errors';
import {
  DEFAULT_PIPELINE,
  PipelineSchema,
  STRATEGY_LIST,
  parsePipeline,
  runPipeline,
  type Pipeline,
} from '../../../src/core/compression';
import { countO200k } from './corpora';
import { allEdits, tables } from './helpers';

const SAMPLE = [
  '# Support agent ##',
  '',
  'Please note that the  **agent** must   not share data.  ',
  'It is important to note that you should always reply in JSON.',
  '',
  '---',
  '',
  '## Tools',
  '',
  '| Tool   | Use |',
  '|--------|-----|',
  '| search | 2x  |',
  '',
  '```json',
  '{',
  '  "name": "search",',
  '  "limit": 10',
  '}',
  '```',
  '',
  'In order to help, check `config.yaml` at https://example.com/docs.',
  'Answer in English.',
  'Answer in English.',
  '',
].join('\n');

const run = (text: string, pipeline: Pipeline = DEFAULT_PIPELINE, rejected?: Set<string>) =>
  runPipeline(text, pipeline, { count: countO200k, rules: tables(), rejected });

function invalid(json: unknown): { message: string; field: unknown } {
  try {
    parsePipeline(json);
  } catch (err) {
    if (isAppError(err) && err.code === 'INVALID_INPUT')
      return { message: err.message, field: err.details?.field };
    throw err;
  }
  throw new Error('expected INVALID_INPUT');
}

describe('pipeline files', () => {
  it('has a default pipeline with every strategy, the lossy one off', () => {
    expect(PipelineSchema.parse(DEFAULT_PIPELINE).steps.map((s) => [s.strategy, s.enabled])).toEqual(
      STRATEGY_LIST.map((s) => [s.id, s.defaultEnabled]),
    );
    // lossy strategies are opt-in; the safe core of the default pipeline is on
    expect(STRATEGY_LIST.filter((s) => s.lossy && s.defaultEnabled)).toEqual([]);
    for (const id of ['format.whitespace', 'format.markdown', 'format.data', 'rules.filler', 'rules.dedupe'])
      expect(DEFAULT_PIPELINE.steps.find((s) => s.strategy === id)?.enabled, id).toBe(true);
    const parsed = parsePipeline(JSON.parse(JSON.stringify(DEFAULT_PIPELINE)));
    expect(parsed.steps[1]!.options).toEqual({
      emphasis: true,
      horizontalRules: true,
      tables: true,
      headings: 'keep',
    });
  });

  it('fills in defaults for missing options and enabled', () => {
    const p = parsePipeline({
      version: 1,
      steps: [{ strategy: 'format.markdown', options: { headings: 'label' } }],
    });
    expect(p.steps[0]).toMatchObject({ enabled: true, options: { headings: 'label', emphasis: true } });
  });

  it('names the step and the field of every mistake', () => {
    expect(invalid({ version: 2, steps: [] })).toMatchObject({ field: 'version' });
    expect(
      invalid({ version: 1, steps: [{ strategy: 'format.whitespace' }, { strategy: 'nope.nope' }] }),
    ).toMatchObject({
      field: 'steps[1].strategy',
      message: expect.stringContaining('unknown strategy "nope.nope"'),
    });
    expect(
      invalid({ version: 1, steps: [{ strategy: 'format.markdown', options: { headings: 'big' } }] }),
    ).toMatchObject({
      field: 'steps[0].options.headings',
    });
    expect(
      invalid({ version: 1, steps: [{ strategy: 'rules.dedupe', options: { minChar: 3 } }] }),
    ).toMatchObject({
      field: 'steps[0].options.minChar',
    });
    expect(invalid({ version: 1, steps: [{ strategy: 'rules.dedupe', enabled: 'yes' }] })).toMatchObject({
      field: 'steps[0].enabled',
    });
    expect(() => run('x', { version: 1, steps: [{ strategy: 'nope.nope' }] } as Pipeline)).toThrow(
      /steps\[0\]\.strategy/,
    );
  });
});

describe('runPipeline', () => {
  it('compresses a prompt with every kind of edit, exact totals and per-section counts', () => {
    const r = run(SAMPLE);
    expect(r.text).toBe(
      [
        '# Support agent',
        '',
        'The agent must not share data.',
        'You should always reply in JSON.',
        '',
        '## Tools',
        '',
        '|Tool|Use|',
        '|search|2x|',
        '',
        '```json',
        '{"name":"search","limit":10}',
        '```',
        '',
        'To help, check `config.yaml` at https://example.com/docs.',
        'Answer in English.',
        '',
      ].join('\n'),
    );
    expect(r.totals.tokensBefore).toBe(countO200k(SAMPLE));
    expect(r.totals.tokensAfter).toBe(countO200k(r.text));
    expect(r.totals.saved).toBe(r.totals.tokensBefore - r.totals.tokensAfter);
    expect(r.totals.ratio).toBeCloseTo(r.totals.tokensAfter / r.totals.tokensBefore, 10);
    expect(r.sections.map((s) => [s.title, s.level])).toEqual([
      ['Support agent', 1],
      ['Tools', 2],
    ]);
    for (const s of r.sections) {
      expect(s.tokensBefore).toBe(countO200k(SAMPLE.slice(s.start, s.end)));
      expect(s.tokensAfter).toBe(countO200k(r.text.slice(s.outputStart, s.outputEnd)));
    }
    expect(r.stages.map((s) => s.strategy)).toEqual([
      'format.whitespace',
      'format.markdown',
      'format.data',
      'rules.filler',
      'rules.dedupe',
    ]);
    expect(r.guardReport).toMatchObject({ verified: true, blocked: 0 });
    expect(r.guardReport.spansByKind).toMatchObject({ 'inline-code': 1, url: 1, 'json-block': 1 });
  });

  it('gives every edit an id, a rule, offsets into its stage input, a reason and an exact saving', () => {
    const r = run(SAMPLE);
    let input = SAMPLE;
    for (const stage of r.stages) {
      for (const e of stage.edits) {
        expect(e.strategy).toBe(stage.strategy);
        expect(input.slice(e.start, e.end)).toBe(e.before);
        expect(e.reason.length).toBeGreaterThan(10);
        expect(e.tokensExact).toBe(true);
        expect(e.id.startsWith(`${stage.strategy}/${e.ruleId}/`)).toBe(true);
        const alone = input.slice(0, e.start) + e.after + input.slice(e.end);
        expect(e.tokensSaved, e.id).toBe(countO200k(input) - countO200k(alone));
      }
      input = applyAll(input, stage.edits);
    }
    const ids = allEdits(r).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('skips rejected edits, lists them, and keeps ids stable so a rejection survives a re-run', () => {
    const first = run(SAMPLE);
    const filler = first.stages.find((s) => s.strategy === 'rules.filler')!;
    const target = filler.edits.find((e) => e.ruleId === 'en.in-order-to')!;
    const second = run(SAMPLE, DEFAULT_PIPELINE, new Set([target.id]));
    expect(second.text).toContain('In order to help');
    const stage = second.stages.find((s) => s.strategy === 'rules.filler')!;
    expect(stage.rejected.map((e) => e.id)).toEqual([target.id]);
    // every other edit keeps its id
    const others = allEdits(first)
      .filter((e) => e.id !== target.id)
      .map((e) => e.id);
    expect(allEdits(second).map((e) => e.id)).toEqual(
      expect.arrayContaining(others.filter((id) => !id.startsWith('rules.filler'))),
    );
  });

  it('never changes the ranges the user protected', () => {
    const text = 'Keep   this   exact.  And   not   this.';
    const r = runPipeline(text, DEFAULT_PIPELINE, {
      count: countO200k,
      rules: tables(),
      protect: [{ start: 0, end: 20 }],
    });
    expect(r.text).toBe('Keep   this   exact. And not this.');
  });

  it('is deterministic and idempotent', () => {
    const a = run(SAMPLE);
    expect(JSON.stringify(run(SAMPLE))).toBe(JSON.stringify(a));
    const again = run(a.text);
    expect(again.text).toBe(a.text);
    expect(allEdits(again)).toEqual([]);
  });

  it('runs disabled steps not at all, and an empty pipeline changes nothing', () => {
    const off: Pipeline = {
      version: 1,
      steps: STRATEGY_LIST.map((s) => ({ strategy: s.id, enabled: false })),
    };
    const r = run(SAMPLE, off);
    expect(r.text).toBe(SAMPLE);
    expect(r.stages).toEqual([]);
    expect(r.totals.saved).toBe(0);
    expect(run(SAMPLE, { version: 1, steps: [] }).text).toBe(SAMPLE);
  });
});

function applyAll(text: string, edits: ReadonlyArray<{ start: number; end: number; after: string }>): string {
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += text.slice(pos, e.start) + e.after;
    pos = e.end;
  }
  return out + text.slice(pos);
}

describe('docs/formats/pipeline.md', () => {
  it('documents every strategy and every option', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../docs/formats/pipeline.md', import.meta.url), 'utf8');
    for (const s of STRATEGY_LIST) {
      expect(doc).toContain(`\`${s.id}\``);
      for (const key of Object.keys(s.options.parse({}) as object))
        expect(doc, `${s.id}.${key}`).toContain(`\`${key}\``);
    }
  });
});
