import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PIPELINE,
  STRATEGY_LIST,
  applyEdits,
  checkGuardInvariants,
  locateEdits,
  isSafeCut,
  runPipeline,
  type Pipeline,
  type PipelineResult,
} from '../../../src/core/compression';
import { bundledRules, countO200k, systemPrompts } from './corpora';
import { randomPrompt } from './random';

const rules = bundledRules();
/** Every strategy, the lossy one included: the guards must hold for all of them. */
const EVERYTHING: Pipeline = { version: 1, steps: STRATEGY_LIST.map((s) => ({ strategy: s.id })) };
const LABEL: Pipeline = {
  version: 1,
  steps: STRATEGY_LIST.map((s) => ({
    strategy: s.id,
    options: s.id === 'format.markdown' ? { headings: 'label' } : {},
  })),
};

function run(text: string, pipeline: Pipeline): PipelineResult {
  // verify: false so that a broken invariant shows up in the assertions below, with the input that broke it
  return runPipeline(text, pipeline, { count: countO200k, rules, verify: false });
}

/** Everything the engine promises about one input, for one pipeline (`replay`: also re-count every stage). */
function checkAll(text: string, pipeline: Pipeline, label: string, replay = true): PipelineResult {
  const r = run(text, pipeline);
  const where = `${label}: ${JSON.stringify(text.slice(0, 300))}`;
  // whole units a lossy strategy deleted (rules.examples) take their protected spans with them: say where
  const droppedRanges = locateEdits(r)
    .filter((l) => l.status === 'applied' && l.edit.dropsUnit)
    .map((l) => l.original);
  expect(checkGuardInvariants(text, r.text, { droppedRanges }), where).toEqual([]);
  // totals are exact and the sections add up to them
  expect(r.totals.tokensAfter, where).toBe(countO200k(r.text));
  expect(r.totals.tokensBefore, where).toBe(countO200k(text));
  expect(
    r.sections.reduce((n, s) => n + s.tokensAfter, 0),
    where,
  ).toBe(r.totals.tokensAfter);
  // each section is exact when its ends are safe cuts of the output (a heading turned into a label that
  // starts with "/" is not: the tokenizer may join it to the line break before it)
  for (const s of r.sections) {
    if (!isSafeCut(r.text, s.outputStart) || !isSafeCut(r.text, s.outputEnd)) continue;
    expect(s.tokensAfter, where).toBe(countO200k(r.text.slice(s.outputStart, s.outputEnd)));
  }
  expect(
    r.stages.reduce((n, st) => n + st.saved, 0),
    where,
  ).toBe(r.totals.saved);
  // each stage's edits, applied to the stage's input, give the next stage's input
  let cur = text;
  for (const st of r.stages) {
    for (const e of st.edits) expect(cur.slice(e.start, e.end), where).toBe(e.before);
    const next = applyEdits(cur, st.edits);
    if (replay) expect(countO200k(cur) - countO200k(next), `${where} stage ${st.strategy}`).toBe(st.saved);
    cur = next;
  }
  expect(cur, where).toBe(r.text);
  // idempotent: the output is a fixed point
  const again = run(r.text, pipeline);
  expect(again.text, `${where} (second run)`).toBe(r.text);
  return r;
}

describe('compression properties over random prompts', () => {
  it('guards hold, totals are exact, stages replay, and a second run changes nothing (400 seeds)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      checkAll(randomPrompt(seed), seed % 2 ? EVERYTHING : LABEL, `seed ${seed}`);
    }
  }, 60_000);

  it('is deterministic: same input, same output, same edit ids', () => {
    for (let seed = 500; seed < 520; seed++) {
      const text = randomPrompt(seed, 200);
      const a = run(text, DEFAULT_PIPELINE);
      const b = run(text, DEFAULT_PIPELINE);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });
});

describe('compression properties over every real prompt in ../shared/corpora', () => {
  const prompts = systemPrompts(Infinity);

  it('has the prompts the bench reports on', () => {
    expect(prompts.length).toBeGreaterThan(1000);
  });

  it('guards hold, totals are exact and the output is a fixed point, default pipeline', () => {
    for (const [i, p] of prompts.entries()) checkAll(p.text, DEFAULT_PIPELINE, p.name, i < 40);
  }, 60_000);

  it('guards hold with every strategy on, the lossy one included', () => {
    for (const p of prompts.slice(0, 120)) checkAll(p.text, EVERYTHING, p.name, false);
  }, 60_000);
});
