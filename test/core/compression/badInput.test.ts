import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PIPELINE,
  STRATEGY_LIST,
  checkGuardInvariants,
  runPipeline,
  type Pipeline,
} from '../../../src/core/compression';
import { countO200k, longPrompt } from './corpora';
import { tables } from './helpers';

const EVERYTHING: Pipeline = { version: 1, steps: STRATEGY_LIST.map((s) => ({ strategy: s.id })) };

/** No crash, guards hold, exact totals, idempotent. */
function survives(text: string, pipeline: Pipeline = EVERYTHING) {
  const r = runPipeline(text, pipeline, { count: countO200k, rules: tables() });
  expect(checkGuardInvariants(text, r.text)).toEqual([]);
  expect(r.totals.tokensAfter).toBe(countO200k(r.text));
  expect(runPipeline(r.text, pipeline, { count: countO200k, rules: tables() }).text).toBe(r.text);
  return r;
}

describe('bad input', () => {
  it('handles empty and blank text', () => {
    const r = survives('');
    expect(r).toMatchObject({ text: '', totals: { tokensBefore: 0, tokensAfter: 0, saved: 0, ratio: 1 } });
    expect(r.sections).toHaveLength(1);
    expect(survives(' \n\n\t\n').text).toBe('');
  });

  it('handles 5 MB of text in reasonable time', () => {
    const base = longPrompt(60_000);
    let text = base;
    while (text.length < 5_000_000) text += '\n\n' + base;
    const t0 = performance.now();
    const r = runPipeline(text, DEFAULT_PIPELINE, { count: countO200k, rules: tables() });
    const ms = performance.now() - t0;
    expect(r.totals.tokensAfter).toBe(countO200k(r.text));
    expect(r.totals.saved).toBeGreaterThan(0);
    expect(ms).toBeLessThan(30_000);
  }, 60_000);

  it('handles mixed scripts, right-to-left text and emoji sequences', () => {
    const text =
      'English  text, 한국어  텍스트는 반드시 지켜야 한다, 日本語の  テキスト, Ελληνικά  κείμενα.\n' +
      'مرحبا   بالعالم، لا تشارك البيانات.  \nשלום   עולם, אל   תשתף.\u200f\n' +
      'Family 👨‍👩‍👧‍👦, flag 🏳️‍🌈, skin 👍🏽, keycap 1️⃣, ZWNJ می‌خواهم.\n';
    const r = survives(text);
    for (const keep of ['👨‍👩‍👧‍👦', '🏳️‍🌈', '👍🏽', '1️⃣', 'می‌خواهم', 'مرحبا', 'שלום', '반드시'])
      expect(r.text).toContain(keep);
  });

  it('handles unbalanced code fences without touching what follows them', () => {
    const text =
      'Intro   text.\n```python\ndef f():  \n    return   1\n\n\n\nPlease note that   this is still code.\n';
    const r = survives(text);
    expect(r.text).toBe(
      'Intro text.\n```python\ndef f():  \n    return   1\n\n\n\nPlease note that   this is still code.\n',
    );
  });

  it('handles malformed JSON blocks by leaving them alone', () => {
    const text = 'Return:\n```json\n{\n  "a": 1,\n  "b": [1, 2,\n}\n```\n{\n  "c": \n}\n[1, 2\n';
    const r = survives(text);
    expect(r.text).toContain('```json\n{\n  "a": 1,\n  "b": [1, 2,\n}\n```');
  });

  it('handles control characters, lone surrogates and odd line endings', () => {
    survives('a\u0000b\u0007c \ud800 d\udc00e\r\rf\u2028g\u2029h   ');
  });
});
