import { z } from 'zod';
import { binary, fold, needle, needles, quote, reference, text, threshold, verdict } from './common';
import type { Scorer } from './types';

const ignoreCase = z.boolean().default(false).describe('Compare without regard to letter case.');

const equalsOptions = z.strictObject({
  value: text.optional().describe('The exact answer; omitted: the case’s expected output.'),
  ignoreCase,
  trim: z.boolean().default(true).describe('Ignore whitespace at both ends (models often add a newline).'),
});

/** The output is exactly the value (after trimming, by default). */
export const equalsScorer: Scorer<typeof equalsOptions> = {
  id: 'equals',
  label: 'Equals',
  description: 'The output is exactly the expected text (trimmed; optionally ignoring case).',
  options: equalsOptions,
  usesExpected: true,
  score(output, o, ctx) {
    const want = reference(o.value, ctx, 'equals');
    const a = fold(o.trim ? output.trim() : output, o.ignoreCase);
    const b = fold(o.trim ? want.trim() : want, o.ignoreCase);
    return binary(
      a === b,
      a === b ? `equals ${quote(want)}` : `expected ${quote(want)}, got ${quote(output)}`,
    );
  },
};

const containsOptions = z.strictObject({
  value: needle.optional().describe('Text that must appear; omitted: the case’s expected output.'),
  ignoreCase,
});

function makeContains(id: string, label: string, forceIgnoreCase: boolean): Scorer<typeof containsOptions> {
  return {
    id,
    label,
    description: forceIgnoreCase
      ? 'The output contains the text, ignoring letter case.'
      : 'The output contains the text.',
    options: containsOptions,
    usesExpected: true,
    score(output, o, ctx) {
      const want = reference(o.value, ctx, id);
      const ic = forceIgnoreCase || o.ignoreCase;
      const ok = fold(output, ic).includes(fold(want, ic));
      return binary(ok, ok ? `contains ${quote(want)}` : `does not contain ${quote(want)}`);
    },
  };
}

/** The output contains the value. */
export const containsScorer = makeContains('contains', 'Contains', false);
/** The output contains the value, ignoring case. */
export const icontainsScorer = makeContains('icontains', 'Contains (any case)', true);

const listOptions = (min: number) =>
  z.strictObject({
    value: needles.describe('The texts to look for.'),
    ignoreCase,
    threshold: threshold(min),
  });
const allOptions = listOptions(1);

/** Every value appears; the score is the fraction that does, so a near miss ranks above a blank answer. */
export const containsAllScorer: Scorer<typeof allOptions> = {
  id: 'contains-all',
  label: 'Contains all',
  description: 'The output contains every listed text; the score is the fraction found.',
  options: allOptions,
  score(output, o) {
    const hay = fold(output, o.ignoreCase);
    const missing = o.value.filter((v) => !hay.includes(fold(v, o.ignoreCase)));
    const found = o.value.length - missing.length;
    return verdict(
      found / o.value.length,
      o.threshold,
      missing.length === 0
        ? `contains all ${o.value.length}`
        : `${found}/${o.value.length} found; missing ${missing.map((m) => quote(m, 30)).join(', ')}`,
      { missing },
    );
  },
};

const anyOptions = z.strictObject({ value: needles.describe('The texts to look for.'), ignoreCase });

/** At least one value appears. */
export const containsAnyScorer: Scorer<typeof anyOptions> = {
  id: 'contains-any',
  label: 'Contains any',
  description: 'The output contains at least one of the listed texts.',
  options: anyOptions,
  score(output, o) {
    const hay = fold(output, o.ignoreCase);
    const hit = o.value.find((v) => hay.includes(fold(v, o.ignoreCase)));
    return binary(
      hit !== undefined,
      hit !== undefined ? `contains ${quote(hit)}` : `contains none of ${o.value.length} texts`,
      { matched: hit ?? null },
    );
  },
};

const regexOptions = z
  .strictObject({
    value: z.string().min(1).describe('A JavaScript regular expression (without slashes).'),
    flags: z
      .string()
      .regex(/^[imsuv]*$/, 'flags may be i, m, s, u or v')
      .default('')
      .describe('Regular expression flags: i, m, s, u, v.'),
  })
  .superRefine((o, ctx) => {
    try {
      new RegExp(o.value, o.flags);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: (err as Error).message });
    }
  });

/** The output matches a regular expression somewhere. */
export const regexScorer: Scorer<typeof regexOptions> = {
  id: 'regex',
  label: 'Regex',
  description: 'The output matches a regular expression.',
  options: regexOptions,
  score(output, o) {
    const m = new RegExp(o.value, o.flags).exec(output.normalize('NFC'));
    return binary(m !== null, m ? `matches at ${quote(m[0], 40)}` : `does not match /${o.value}/${o.flags}`);
  },
};

const startsOptions = z.strictObject({
  value: needles.optional().describe('Accepted beginnings (any one); omitted: the case’s expected output.'),
  ignoreCase,
  trim: z.boolean().default(true).describe('Ignore whitespace before the answer.'),
});

/** The output begins with the value (or one of several: OpenAI Evals' `Match` with a list of ideals). */
export const startsWithScorer: Scorer<typeof startsOptions> = {
  id: 'starts-with',
  label: 'Starts with',
  description: 'The output begins with the text, or with one of several accepted texts.',
  options: startsOptions,
  usesExpected: true,
  score(output, o, ctx) {
    const wants = o.value ?? [reference(undefined, ctx, 'starts-with')];
    const out = fold(o.trim ? output.trimStart() : output, o.ignoreCase);
    const hit = wants.find((w) => out.startsWith(fold(o.trim ? w.trimStart() : w, o.ignoreCase)));
    return binary(
      hit !== undefined,
      hit !== undefined
        ? `starts with ${quote(hit)}`
        : `does not start with ${wants.map((w) => quote(w, 30)).join(' or ')}`,
    );
  },
};
