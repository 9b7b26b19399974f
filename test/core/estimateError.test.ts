import { describe, expect, it } from 'vitest';
import {
  EMPTY_ERROR_STATS,
  EstimateErrorStatsSchema,
  recordSample,
  summarize,
} from '../../src/core/tokens/estimateError';

describe('estimate error stats', () => {
  it('has no summary before the first sample', () => {
    expect(summarize(EMPTY_ERROR_STATS, 'claude')).toBeNull();
  });

  it('computes mean absolute, mean signed (bias) and max error in percent of the exact count', () => {
    let s = EMPTY_ERROR_STATS;
    s = recordSample(s, 'claude', 90, 100); // −10 %
    s = recordSample(s, 'claude', 110, 100); // +10 %
    s = recordSample(s, 'claude', 50, 40); // +25 %
    const sum = summarize(s, 'claude')!;
    expect(sum.samples).toBe(3);
    expect(sum.meanAbsPctError).toBeCloseTo((10 + 10 + 25) / 3, 10);
    expect(sum.meanSignedPctError).toBeCloseTo((-10 + 10 + 25) / 3, 10);
    expect(sum.maxAbsPctError).toBeCloseTo(25, 10);
  });

  it('keeps families apart', () => {
    let s = recordSample(EMPTY_ERROR_STATS, 'claude', 95, 100);
    s = recordSample(s, 'gemini', 120, 100);
    expect(summarize(s, 'claude')).toEqual({
      samples: 1,
      meanAbsPctError: 5,
      meanSignedPctError: -5,
      maxAbsPctError: 5,
    });
    expect(summarize(s, 'gemini')?.meanSignedPctError).toBeCloseTo(20, 10);
    expect(summarize(s, 'llama3')).toBeNull();
  });

  it('never mutates its input', () => {
    const before = recordSample(EMPTY_ERROR_STATS, 'claude', 90, 100);
    const snapshot = JSON.stringify(before);
    const after = recordSample(before, 'claude', 200, 100);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after).not.toBe(before);
    expect(summarize(after, 'claude')?.samples).toBe(2);
    expect(EMPTY_ERROR_STATS).toEqual({});
  });

  it('ignores pairs without a relative error (exact 0) and invalid numbers', () => {
    const s = recordSample(EMPTY_ERROR_STATS, 'claude', 10, 100);
    expect(recordSample(s, 'claude', 5, 0)).toBe(s);
    expect(recordSample(s, 'claude', -1, 10)).toBe(s);
    expect(recordSample(s, 'claude', Number.NaN, 10)).toBe(s);
    expect(recordSample(s, 'claude', 10, Number.POSITIVE_INFINITY)).toBe(s);
  });

  it('an exact estimate has zero error', () => {
    const sum = summarize(recordSample(EMPTY_ERROR_STATS, 'claude', 42, 42), 'claude')!;
    expect(sum).toEqual({ samples: 1, meanAbsPctError: 0, meanSignedPctError: 0, maxAbsPctError: 0 });
  });

  it('round-trips through JSON and its schema', () => {
    let s = recordSample(EMPTY_ERROR_STATS, 'claude', 90, 100);
    s = recordSample(s, 'claude', 130, 100);
    const back = EstimateErrorStatsSchema.parse(JSON.parse(JSON.stringify(s)));
    expect(summarize(back, 'claude')).toEqual(summarize(s, 'claude'));
    expect(EstimateErrorStatsSchema.safeParse({ claude: { samples: -1 } }).success).toBe(false);
  });
});
