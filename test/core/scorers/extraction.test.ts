import { describe, expect, it } from 'vitest';
import { restaurant8k } from './corpora';
import { both, check } from './helpers';

const examples = restaurant8k();
/** Turns with at least two labelled slots of different values: the interesting extraction cases. */
const multi = examples.filter((e) => new Set(Object.values(e.slots)).size >= 2);

describe('Restaurant-8k as extraction', () => {
  it('reads the real test set with its labelled spans', () => {
    expect(examples).toHaveLength(3731);
    expect(multi.length).toBeGreaterThan(100);
    for (const e of multi) for (const v of Object.values(e.slots)) expect(e.text).toContain(v);
  });

  it('json-equals scores a perfect extraction 1 on every multi-slot turn', async () => {
    for (const e of multi.slice(0, 200)) {
      const output = JSON.stringify(Object.fromEntries(Object.entries(e.slots).reverse()));
      const r = await check('json-equals', { value: e.slots }, output);
      expect(r.score, e.text).toBe(1);
    }
  });

  it('json-equals gives partial credit for a wrong, a missing and an invented slot', async () => {
    const e = multi.find((x) => Object.keys(x.slots).length >= 3)!;
    const keys = Object.keys(e.slots);
    const n = keys.length;
    const wrong = { ...e.slots, [keys[0]!]: 'something else' };
    expect((await check('json-equals', { value: e.slots }, JSON.stringify(wrong))).score).toBeCloseTo(
      (n - 1) / n,
    );
    const missing = Object.fromEntries(keys.slice(1).map((k) => [k, e.slots[k]]));
    // F1: 2(n−1) / (n + n−1).
    expect((await check('json-equals', { value: e.slots }, JSON.stringify(missing))).score).toBeCloseTo(
      (2 * (n - 1)) / (2 * n - 1),
    );
    const invented = { ...e.slots, table: 'by the window' };
    const r = await check(
      'json-equals',
      { value: e.slots },
      `\`\`\`json\n${JSON.stringify(invented)}\n\`\`\``,
    );
    expect(r.score).toBeCloseTo((2 * n) / (2 * n + 1));
    expect(r.pass).toBe(false);
    expect(await both('json-equals', { value: e.slots, extra: 'ignore' }, JSON.stringify(invented))).toEqual([
      true,
      false,
    ]);
  });

  it('contains-all on slot values finds them in a free-text answer', async () => {
    const e = multi.find((x) => Object.keys(x.slots).length >= 2)!;
    const values = Object.values(e.slots);
    const answer = `Booking noted: ${values.join(', ')}.`;
    expect(await both('contains-all', { value: values }, answer)).toEqual([true, false]);
    const r = await check('contains-all', { value: values }, `Booking noted: ${values[0]}.`);
    expect(r.score).toBeCloseTo(1 / values.length);
  });

  it('json-schema checks the shape of an extraction', async () => {
    const value = {
      type: 'object',
      properties: Object.fromEntries(
        ['date', 'time', 'people', 'first_name', 'last_name'].map((s) => [s, { type: 'string' }]),
      ),
      additionalProperties: false,
    };
    const e = multi[0]!;
    expect((await check('json-schema', { value }, JSON.stringify(e.slots))).pass).toBe(true);
    expect(
      (await check('json-schema', { value }, JSON.stringify({ ...e.slots, table: 'window' }))).pass,
    ).toBe(false);
  });
});
