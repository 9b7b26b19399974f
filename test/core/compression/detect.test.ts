import { describe, expect, it } from 'vitest';
import { protectedSpans } from '../../../src/core/compression';
import { parsesAsContainer } from '../../../src/core/compression/detect/json';
import { rng } from './random';

const jsonParse = (s: string) => {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
};

describe('JSON detection', () => {
  it('agrees with JSON.parse on what is a JSON object or array (without throwing)', () => {
    const cases = [
      '[]',
      '{}',
      ' [1, 2] ',
      '{"a": [1, {"b": null}], "c": "x\\"y"}',
      '[1x]',
      '{a:1}',
      '[1,]',
      '[01]',
      '[-0.5e10]',
      '["a\nb"]',
      '[1] [2]',
      '"x"',
      '[1.]',
      '{"a" 1}',
    ];
    for (const c of cases) expect(parsesAsContainer(c), c).toBe(jsonParse(c));
    const r = rng(5);
    const alphabet = [
      '[',
      ']',
      '{',
      '}',
      '"',
      'a',
      ':',
      ',',
      '1',
      '-',
      ' ',
      '\\',
      'true',
      'null',
      '.',
      'e',
      '\n',
      '0',
    ];
    for (let n = 0; n < 20_000; n++) {
      let s = '';
      for (let i = 0, len = 1 + Math.floor(r() * 12); i < len; i++)
        s += alphabet[Math.floor(r() * alphabet.length)];
      expect(parsesAsContainer(s), JSON.stringify(s)).toBe(jsonParse(s));
    }
  });

  it('stays fast on text where thousands of lines open brackets that never make JSON', () => {
    for (const line of ['[1\n', '[x]\n', '[1x]\n', '{ "a":\n']) {
      const text = line.repeat(100_000);
      const t0 = performance.now();
      protectedSpans(text);
      expect(performance.now() - t0, JSON.stringify(line)).toBeLessThan(5_000);
    }
  });
});
