import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  STRATEGIES,
  STRATEGY_LIST,
  checkGuardInvariants,
  describeStrategies,
  guardEdits,
  protectedSpans,
  isSafeCut,
  runPipeline,
  type Pipeline,
} from '../../../src/core/compression';
import type { ModelEntry } from '../../../src/core/pricing/catalog';
import { cacheReorderWhatIf } from '../../../src/core/pricing/reorderWhatIf';
import { countO200k } from './corpora';
import { allBlocked, allEdits, runOne, tables } from './helpers';

/** Real prompts (tau-bench MIT, awesome-chatgpt-prompts CC0; see test/fixtures/prompt-proposals/README.md). */
const fixtures = JSON.parse(
  readFileSync(new URL('../../fixtures/prompt-proposals/prompts.json', import.meta.url), 'utf8'),
) as { personas: Record<string, string>; airlinePolicyOpening: string };

const run = (text: string, options: Record<string, unknown> = {}) => runOne(text, 'cache.reorder', options);
const out = (text: string, options: Record<string, unknown> = {}) => run(text, options).text;

const TRAVEL = `Current date: {{date}}
User: {{user_name}}

# Role
You are a helpful travel assistant for Acme Travel. You help travellers plan trips, compare options and understand their bookings.

# Tone
Be warm and concise. Use the traveller's first name and keep answers short.

# Booking rules
Never book without confirmation. Ask for 2 forms of ID.
`;

describe('cache.reorder', () => {
  it('is a proposal: off by default, not lossy, idempotent, kind "suggestion"', () => {
    expect(STRATEGIES['cache.reorder']).toMatchObject({
      defaultEnabled: false,
      lossy: false,
      kind: 'suggestion',
      idempotent: true,
    });
    expect(describeStrategies().find((i) => i.id === 'cache.reorder')).toMatchObject({
      kind: 'suggestion',
      defaults: { unit: 'auto', dates: true, markers: [], minGainChars: 200 },
    });
  });

  it('moves static sections in front of the dynamic preamble, as one group, and says what stays', () => {
    const r = run(TRAVEL);
    expect(r.text).toBe(`# Role
You are a helpful travel assistant for Acme Travel. You help travellers plan trips, compare options and understand their bookings.

# Tone
Be warm and concise. Use the traveller's first name and keep answers short.

Current date: {{date}}
User: {{user_name}}

# Booking rules
Never book without confirmation. Ask for 2 forms of ID.
`);
    const edits = allEdits(r);
    expect(edits.map((e) => e.ruleId)).toEqual(['move.insert', 'move.remove', 'move.remove']);
    expect(new Set(edits.map((e) => e.group)).size).toBe(1);
    const insert = edits[0]!;
    expect(insert.suggestion?.prefixChars).toEqual({ before: 14, after: 237 });
    expect(insert.reason).toMatch(/grows from 14 to 237 characters/);
    // the rules hold a negation and a number: they stay, and the reason says so
    expect(insert.reason).toMatch(/1 other static block stays .* would reach 310 characters/);
    expect(r.guardReport.verified).toBe(true);
    // the per-section token counts still add up: one deletion per section
    for (const s of r.sections) {
      if (isSafeCut(r.text, s.outputStart) && isSafeCut(r.text, s.outputEnd))
        expect(s.tokensAfter, s.title).toBe(countO200k(r.text.slice(s.outputStart, s.outputEnd)));
    }
  });

  it('moves paragraphs within the section of a real policy, leaving those with negations or numbers', () => {
    const policy = fixtures.airlinePolicyOpening;
    const r = run(policy, { unit: 'paragraph', minGainChars: 0 });
    const moved = [
      'As an airline agent, you can help users book, modify, or cancel flight reservations.',
      '- You should deny user requests that are against this policy.',
    ];
    expect(r.text.startsWith(`# Airline Agent Policy\n\n${moved.join('\n\n')}\n\nThe current time is`)).toBe(
      true,
    );
    expect(r.text.endsWith('you should not make a tool call at the same time.\n')).toBe(true);
    expect(r.text.length).toBe(policy.length);
    expect(checkGuardInvariants(policy, r.text)).toEqual([]);
    expect(allEdits(r)[0]!.suggestion?.prefixChars).toEqual({ before: 44, after: 193 });
    expect(allEdits(r)[0]!.reason).toMatch(/3 other static blocks stay/);
    // with sections (auto: the policy has a heading) the date sits under the title: nothing can move
    expect(allEdits(run(policy))).toEqual([]);
  });

  it('keeps a list with the sentence that introduces it (real persona prompts)', () => {
    const dark = fixtures.personas['Dark Style Image Prompt']!;
    expect(out(dark, { minGainChars: 0 })).toBe(dark);
    const code = fixtures.personas['Code Translator: Any Language to Any Language']!;
    expect(out(code)).toBe(
      [
        'You will:\n- Analyze the syntax and semantics of the source code.\n- Convert the code into the target language while preserving functionality.\n- Add comments to explain key parts of the translated code.',
        code.split('\n\n')[0],
        code.split('\n\n')[2],
      ].join('\n\n'),
    );
  });

  it('classifies with markers and the dates option, and honours minGainChars', () => {
    const text = 'Customer tier: gold.\n\nGreet the customer warmly and answer in plain words.\n';
    expect(out(text, { minGainChars: 0 })).toBe(text);
    expect(out(text, { minGainChars: 0, markers: ['customer TIER:'] })).toBe(
      'Greet the customer warmly and answer in plain words.\n\nCustomer tier: gold.\n',
    );
    const dated = 'Policy of March 3, 2024.\n\nGreet the customer warmly and answer in plain words.\n';
    expect(allEdits(run(dated, { minGainChars: 0 }))).toHaveLength(2);
    expect(allEdits(run(dated, { minGainChars: 0, dates: false }))).toEqual([]);
    expect(allEdits(run(text, { minGainChars: 500, markers: ['Customer tier:'] }))).toEqual([]);
  });

  it('proposes nothing without dynamic content, or when it already comes last', () => {
    expect(
      allEdits(run('Be kind.\n\nAnswer briefly and warmly, in plain words.\n', { minGainChars: 0 })),
    ).toEqual([]);
    const last = 'Be kind and answer briefly and warmly, in plain words.\n\nToday is {{date}}.\n';
    expect(out(last, { minGainChars: 0 })).toBe(last);
  });

  it('moves single lines with unit "line", and never splits or moves code', () => {
    expect(
      out('Hello {{name}}.\nBe kind and answer in plain words.\n', { unit: 'line', minGainChars: 0 }),
    ).toBe('Be kind and answer in plain words.\nHello {{name}}.\n');
    const code =
      'Hello {{name}}.\n\n```js\nconst a = b;\n\nrun(a);\n```\n\nBe kind and answer in plain words.\n';
    expect(out(code, { minGainChars: 0 })).toBe(
      'Be kind and answer in plain words.\n\nHello {{name}}.\n\n```js\nconst a = b;\n\nrun(a);\n```\n',
    );
  });

  it('may insert whole lines before a line (the guards allow it), but not a code fence', () => {
    const text = 'Today is {{date}}.\nMore.\n';
    const guard = (after: string) => guardEdits(text, [{ start: 0, end: 0, after }], protectedSpans(text));
    expect(guard('# Role\nBe kind.\n\n').accepted).toHaveLength(1);
    expect(guard('- a list item\n').accepted).toHaveLength(1);
    // a fence would swallow what follows; part of a line would change how the line starts
    expect(guard('```\n').blocked[0]?.spanKind).toBe('structure');
    expect(guard('# Role ').blocked[0]?.spanKind).toBe('structure');
  });

  it('proposes nothing new on its own output, alone and with every strategy', () => {
    const everything: Pipeline = { version: 1, steps: STRATEGY_LIST.map((s) => ({ strategy: s.id })) };
    for (const text of [TRAVEL, fixtures.airlinePolicyOpening, ...Object.values(fixtures.personas)]) {
      for (const options of [{}, { unit: 'paragraph', minGainChars: 0 }, { unit: 'line', minGainChars: 0 }]) {
        const first = out(text, options);
        const again = run(first, options);
        expect(again.text).toBe(first);
        expect(allEdits(again)).toEqual([]);
      }
      const r = runPipeline(text, everything, { count: countO200k, rules: tables() });
      expect(runPipeline(r.text, everything, { count: countO200k, rules: tables() }).text).toBe(r.text);
    }
  });

  it('survives bad input: empty, huge, right-to-left, emoji, unbalanced fences', () => {
    expect(out('')).toBe('');
    expect(out('\n\n  \n')).toBe('\n\n  \n');
    const rtl =
      'שלום {{name}}.\n\nענה בקצרה ובנימוס, בשפה פשוטה וברורה לכל משתמש.\n\nأجب بإيجاز وبلطف 👍🏽 بلغة بسيطة.\n';
    const moved = out(rtl, { minGainChars: 0 });
    expect(moved).toBe(
      'ענה בקצרה ובנימוס, בשפה פשוטה וברורה לכל משתמש.\n\nأجب بإيجاز وبلطف 👍🏽 بلغة بسيطة.\n\nשלום {{name}}.\n',
    );
    expect(checkGuardInvariants(rtl, moved)).toEqual([]);
    // an unclosed fence protects everything after it: nothing there can move
    const fence = 'Hello {{name}}.\n\n```\nBe kind and answer in plain words.\n\nStay brief.\n';
    expect(out(fence, { minGainChars: 0 })).toBe(fence);
    // 20,000 paragraphs after one variable: one insertion, one deletion, in linear time
    const para = 'Answer warmly and briefly, in plain words that anyone can follow.';
    const big = `Hello {{name}}.\n\n${Array.from({ length: 20_000 }, () => para).join('\n\n')}\n`;
    const t0 = performance.now();
    const r = run(big);
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(allEdits(r)).toHaveLength(2);
    expect(r.text.endsWith('\n\nHello {{name}}.\n')).toBe(true);
    expect(allBlocked(r)).toEqual([]);
  }, 60_000);
});

const gpt: ModelEntry = {
  source: 'https://example.com',
  asOf: '2025-09-29',
  contextWindow: 128_000,
  countWith: 'o200k_base',
  id: 'gpt-4o',
  provider: 'openai',
  label: 'GPT-4o',
  tokenizer: 'o200k_base',
  tokenCountMethod: 'exact',
  inputPerMTok: 2.5,
  outputPerMTok: 10,
  cacheReadPerMTok: 1.25,
  caching: 'openai-auto',
  minCacheableTokens: 1024,
};

describe('cache what-if of a reorder', () => {
  const topics = ['flight', 'hotel', 'train', 'car', 'cruise', 'museum', 'tour', 'beach', 'mountain', 'city'];
  const statics = Array.from(
    { length: 80 },
    (_, i) =>
      `Explain the ${topics[i % 10]} choices with care and warmth, then offer help with the ${topics[(i + 3) % 10]} questions as well.`,
  );
  const text = `Today is {{date}}.\n\n${statics.join('\n\n')}\n`;

  it('prices the prefix before and after the move for a model', () => {
    const r = run(text);
    const w = cacheReorderWhatIf(text, r.stages, { model: gpt, count: countO200k })!;
    expect(w).toMatchObject({ model: 'gpt-4o', hitRate: 0.8, outputTokens: 500, applied: true });
    expect(w.before).toMatchObject({ prefixChars: 0, prefixTokens: 0, cachedTokensOnHit: 0 });
    expect(w.after.prefixTokens).toBe(countO200k(r.text.slice(0, w.after.prefixChars)));
    expect(w.after.cachedTokensOnHit).toBeGreaterThanOrEqual(1024);
    expect(w.after.savingPerRequestUsd!).toBeGreaterThan(0);
    expect(w.after.expectedUsd!).toBeLessThan(w.before.expectedUsd!);
  });

  it('gives the what-if of accepting a rejected move, and nothing without a move', () => {
    const insert = allEdits(run(text)).find((e) => e.ruleId === 'move.insert')!;
    const accepted = run(text).stages;
    const r = runOne(text, 'cache.reorder', {}, { rejected: new Set([insert.id]) });
    expect(r.text).toBe(text);
    const w = cacheReorderWhatIf(text, r.stages, { model: gpt, count: countO200k })!;
    expect(w.applied).toBe(false);
    expect(w.after.cachedTokensOnHit).toBe(
      cacheReorderWhatIf(text, accepted, { model: gpt, count: countO200k })!.after.cachedTokensOnHit,
    );
    expect(
      cacheReorderWhatIf(text, runOne(text, 'format.whitespace').stages, { model: gpt, count: countO200k }),
    ).toBe(null);
  });
});
