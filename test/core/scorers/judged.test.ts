import { describe, expect, it } from 'vitest';
import type { JudgePort, JudgeRequest } from '../../../src/core/scorers';
import { both, check } from './helpers';

/** A judge that scores by the share of rubric words the output uses, and bills a fixed amount. */
function fakeJudge(log: JudgeRequest[] = []): JudgePort {
  return async (req) => {
    log.push(req);
    const words = req.rubric.toLowerCase().split(/\W+/).filter(Boolean);
    const hits = words.filter((w) => req.output.toLowerCase().includes(w)).length;
    return {
      score: hits / words.length,
      reason: `${hits}/${words.length} rubric words`,
      usage: { inputTokens: 120, outputTokens: 30 },
      costUsd: 0.0004,
    };
  };
}

describe('llm-rubric', () => {
  it('asks the judge with the rubric, output, vars and expected, and returns its score, usage and cost', async () => {
    const log: JudgeRequest[] = [];
    const r = await check(
      'llm-rubric',
      { value: 'polite apology refund' },
      'We apologise; a refund is on its way.',
      {
        judge: fakeJudge(log),
        vars: { customer: 'Ana' },
        expected: 'An apology and a refund',
      },
    );
    expect(log).toEqual([
      {
        rubric: 'polite apology refund',
        output: 'We apologise; a refund is on its way.',
        vars: { customer: 'Ana' },
        expected: 'An apology and a refund',
      },
    ]);
    expect(r.score).toBeCloseTo(1 / 3);
    expect(r.pass).toBe(false);
    expect(r.usage).toEqual({ inputTokens: 120, outputTokens: 30 });
    expect(r.costUsd).toBe(0.0004);
  });

  it('passes at the threshold; not-llm-rubric keeps the judge’s cost', async () => {
    const opts = { value: 'refund', threshold: 0.5 };
    expect(await both('llm-rubric', opts, 'Refund issued', { judge: fakeJudge() })).toEqual([true, false]);
    const n = await check('not-llm-rubric', opts, 'Refund issued', { judge: fakeJudge() });
    expect(n.costUsd).toBe(0.0004);
  });

  it('lets the judge decide pass itself', async () => {
    const judge: JudgePort = async () => ({ score: 0.9, reason: 'close but wrong', pass: false });
    expect((await check('llm-rubric', { value: 'x' }, 'y', { judge })).pass).toBe(false);
  });

  it('errors without a judge, and on a score outside 0..1 (keeping what the call cost)', async () => {
    expect((await check('llm-rubric', { value: 'x' }, 'y')).error?.code).toBe('UNSUPPORTED');
    const judge: JudgePort = async () => ({ score: 7, reason: 'on a 1-10 scale', costUsd: 0.001 });
    const r = await check('llm-rubric', { value: 'x' }, 'y', { judge });
    expect(r.pass).toBe(false);
    expect(r.error?.message).toMatch(/between 0 and 1/);
    expect(r.costUsd).toBe(0.001);
  });

  it('turns a judge that throws into a failed assertion, not a failed run', async () => {
    const judge: JudgePort = async () => {
      throw new Error('socket hang up');
    };
    const r = await check('not-llm-rubric', { value: 'x' }, 'y', { judge });
    expect(r).toMatchObject({
      pass: false,
      score: 0,
      error: { code: 'INTERNAL', message: 'socket hang up' },
    });
  });

  it('requires a rubric', async () => {
    expect((await check('llm-rubric', {}, 'y', { judge: fakeJudge() })).error?.code).toBe('INVALID_INPUT');
  });
});

describe('cost and latency', () => {
  it('compare the cell’s metadata with the maximum', async () => {
    expect(await both('cost', { max: 0.01 }, 'x', { metadata: { costUsd: 0.004 } })).toEqual([true, false]);
    expect(await both('cost', { max: 0.01 }, 'x', { metadata: { costUsd: 0.02 } })).toEqual([false, true]);
    expect((await check('cost', { max: 0.01 }, 'x', { metadata: { costUsd: 0.01 } })).pass).toBe(true);
    expect(await both('latency', { max: 1500 }, 'x', { metadata: { latencyMs: 900 } })).toEqual([
      true,
      false,
    ]);
    const slow = await check('latency', { max: 1500 }, 'x', { metadata: { latencyMs: 2100.4 } });
    expect(slow.reason).toBe('latency 2100 ms > 1500 ms');
  });

  it('cannot judge an unknown cost or latency, and the negation fails too', async () => {
    expect((await check('cost', { max: 1 }, 'x')).error?.code).toBe('NO_PRICE');
    expect((await check('not-latency', { max: 1 }, 'x', { metadata: { costUsd: 1 } })).pass).toBe(false);
  });

  it('take max, and refuse promptfoo’s threshold spelling with a clear error', async () => {
    const r = await check('cost', { threshold: 0.01 }, 'x', { metadata: { costUsd: 0 } });
    expect(r.error?.message).toMatch(/max/);
  });
});
