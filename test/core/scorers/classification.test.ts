import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../../../src/core/golden';
import {
  classificationOutcome,
  confusionSummary,
  NONE,
  predictLabel,
  type ClassificationOutcome,
} from '../../../src/core/scorers';
import { banking77Labels, readGolden } from './corpora';
import { both, check } from './helpers';

const labels = banking77Labels();
const rows = parseCsvTable(readGolden('banking77/test.csv'), 'banking77/test.csv').rows.map((r) => r.values);

describe('BANKING77 as classification', () => {
  it('reads the real test set: 3,080 utterances over the 77 labels of categories.json', () => {
    expect(rows).toHaveLength(3080);
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(labels));
    expect(labels).toHaveLength(77);
  });

  it('passes the gold label however the model formats it, and fails a different one', async () => {
    const row = rows.find((r) => r.category === 'card_payment_wrong_exchange_rate')!;
    const opts = { value: row.category, labels };
    for (const out of [
      'card_payment_wrong_exchange_rate',
      'Card payment wrong exchange rate.',
      '"card-payment-wrong-exchange-rate"',
    ])
      expect(await both('classification', opts, out), out).toEqual([true, false]);
    expect(await both('classification', opts, 'exchange_rate')).toEqual([false, true]);
  });

  it('finds the one label named in a longer answer; the longer label wins over one it contains', async () => {
    // "exchange_rate" is a label and also part of "card_payment_wrong_exchange_rate".
    const r = await check(
      'classification',
      { value: 'card_payment_wrong_exchange_rate', labels },
      'Intent: card_payment_wrong_exchange_rate (the customer disputes the rate).',
    );
    expect(r.pass).toBe(true);
    expect(predictLabel('I think this is exchange_rate.', labels, true)).toBe('exchange_rate');
  });

  it('gives no credit to an answer that hedges between labels, or to an empty one', async () => {
    const r = await check(
      'classification',
      { value: 'card_arrival', labels },
      'Either card_arrival or card_delivery_estimate.',
    );
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/names several labels/);
    expect(r.details).toEqual({ expected: 'card_arrival', predicted: null });
    expect(await both('classification', { value: 'card_arrival', labels }, '')).toEqual([false, true]);
  });

  it('is exact when loose is off, and uses the expected output when value is omitted', async () => {
    expect(
      (await check('classification', { loose: false }, 'Card_Arrival', { expected: 'card_arrival' })).pass,
    ).toBe(false);
    expect((await check('classification', {}, 'Card_Arrival', { expected: 'card_arrival' })).pass).toBe(true);
  });

  it('summarises many outcomes: accuracy, per-label recall and precision, the matrix and top confusions', async () => {
    // 300 real rows; a deterministic "model" that answers every 5th utterance with the wrong label
    // (mostly "exchange_rate") and every 17th with no label at all.
    const sample = rows.filter((_, i) => i % 10 === 0).slice(0, 300);
    const outcomes: ClassificationOutcome[] = [];
    let correct = 0;
    for (const [i, row] of sample.entries()) {
      const wrong =
        row.category === 'card_arrival'
          ? 'card_delivery_estimate'
          : row.category === 'exchange_rate'
            ? 'card_arrival'
            : 'exchange_rate';
      const out = i % 17 === 0 ? 'I am not sure.' : i % 5 === 0 ? wrong : row.category!;
      const r = await check('classification', { value: row.category, labels }, out);
      if (r.pass) correct++;
      outcomes.push(classificationOutcome(r)!);
    }
    const s = confusionSummary(outcomes);
    expect(s.total).toBe(300);
    expect(s.accuracy).toBeCloseTo(correct / 300);
    // 300 cases: 18 unsure (i % 17 == 0), 60 − 4 (multiples of 85) wrong on i % 5.
    expect(correct).toBe(300 - 18 - 56);
    expect(s.labels.at(-1)).toBe(NONE);
    expect(s.matrix.flat().reduce((a, b) => a + b, 0)).toBe(300);
    const rowSums = s.matrix.map((r) => r.reduce((a, b) => a + b, 0));
    for (const st of s.perLabel) expect(st.support).toBe(rowSums[s.labels.indexOf(st.label)]);
    const er = s.perLabel.find((p) => p.label === 'exchange_rate')!;
    expect(er.predicted).toBeGreaterThan(er.truePositives);
    expect(er.precision).toBeLessThan(1);
    expect(s.topConfusions[0]!.predicted).toBe('exchange_rate');
    expect(s.macroF1).toBeGreaterThan(0);
    expect(s.macroF1).toBeLessThan(1);
  });

  it('computes precision, recall and F1 as scikit-learn does on a small case', () => {
    const s = confusionSummary([
      { expected: 'a', predicted: 'a' },
      { expected: 'a', predicted: 'b' },
      { expected: 'b', predicted: 'b' },
      { expected: 'b', predicted: null },
    ]);
    expect(s.labels).toEqual(['a', 'b', NONE]);
    expect(s.matrix).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    const [a, b] = s.perLabel;
    expect(a).toMatchObject({ precision: 1, recall: 0.5 });
    expect(b).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(s.accuracy).toBe(0.5);
    expect(s.macroF1).toBeCloseTo((2 / 3 + 0.5) / 2);
    expect(confusionSummary([])).toMatchObject({ total: 0, accuracy: 0, macroF1: 0, labels: [] });
  });
});
