/**
 * promptfoo's assertion types mapped onto ours. Types with the same meaning keep their name; the rest are
 * translated (`icontains-any` → `contains-any` ignoring case, `cost` threshold → `max`) or reported as
 * unsupported, so an import never silently changes what a test checks.
 */

/** An assertion in our native shape (type, weight, name, options...). */
export type NativeAssertion = { type: string } & Record<string, unknown>;

/** A promptfoo assertion as ours (with the keys that were dropped), or why it has no counterpart. */
export type Mapped =
  { ok: true; assertion: NativeAssertion; ignored: string[] } | { ok: false; reason: string };

/** Same name, same meaning. */
const SAME = new Set([
  'equals',
  'contains',
  'icontains',
  'contains-all',
  'contains-any',
  'regex',
  'starts-with',
]);
/** Ours with a graded score and so a `threshold` option. */
const GRADED = new Set(['similar', 'llm-rubric', 'contains-all', 'json-equals', 'rouge-l']);
/** promptfoo's own types that have no counterpart here (code, other metrics, other formats, other judges). */
export const PROMPTFOO_ONLY = new Set([
  'answer-relevance',
  'assert-set',
  'bleu',
  'classifier',
  'contains-html',
  'contains-json',
  'contains-sql',
  'contains-xml',
  'context-faithfulness',
  'context-recall',
  'context-relevance',
  'conversation-relevance',
  'factuality',
  'f-score',
  'finish-reason',
  'g-eval',
  'gleu',
  'guardrails',
  'is-html',
  'is-refusal',
  'is-sql',
  'is-valid-function-call',
  'is-valid-openai-function-call',
  'is-valid-openai-tools-call',
  'is-xml',
  'javascript',
  'levenshtein',
  'max-score',
  'meteor',
  'model-graded-closedqa',
  'model-graded-factuality',
  'moderation',
  'perplexity',
  'perplexity-score',
  'pi',
  'python',
  'rouge-n',
  'select-best',
  'tool-call-f1',
  'trace-error-spans',
  'trace-span-count',
  'trace-span-duration',
  'webhook',
  'word-count',
]);

/** Types we translate into one of ours. */
const TRANSLATED = new Set([
  'icontains-all',
  'icontains-any',
  'is-json',
  'cost',
  'latency',
  'similar',
  'llm-rubric',
]);

/** Keys of a promptfoo assertion that we read; others (transform, provider, rubricPrompt, config) are dropped. */
const READ = new Set(['type', 'value', 'threshold', 'weight', 'metric']);

/**
 * One promptfoo assertion (`{ type, value, threshold, weight, metric, ... }`) as ours, or why it cannot be.
 * A `file://` value cannot be read by a pure parser: it is reported rather than compared as literal text.
 */
export function mapPromptfooAssertion(a: Record<string, unknown>): Mapped {
  const full = typeof a.type === 'string' ? a.type : '';
  if (!full) return { ok: false, reason: 'the assertion has no type' };
  const not = full.startsWith('not-');
  const base = not ? full.slice(4) : full;
  const { value, threshold } = a;
  if (typeof value === 'string' && value.startsWith('file://'))
    return {
      ok: false,
      reason: `${full} reads its value from ${value}; paste the value into the set instead`,
    };
  const ignored = Object.keys(a).filter((k) => !READ.has(k));
  const out: NativeAssertion = { type: base };
  if (SAME.has(base)) {
    if (base === 'equals' && typeof value === 'object' && value !== null) out.type = 'json-equals';
    if (value !== undefined) out.value = value;
  } else if (base === 'icontains-all' || base === 'icontains-any') {
    out.type = base.slice(1);
    out.value = value;
    out.ignoreCase = true;
  } else if (base === 'is-json') {
    if (value !== undefined) {
      out.type = 'json-schema';
      out.value = value;
    }
  } else if (base === 'cost' || base === 'latency') {
    if (typeof threshold !== 'number') return { ok: false, reason: `${full} has no threshold (the maximum)` };
    out.max = threshold;
  } else if (base === 'similar' || base === 'llm-rubric') {
    if (value !== undefined) out.value = value;
  } else {
    return {
      ok: false,
      reason: PROMPTFOO_ONLY.has(base)
        ? `promptfoo's ${full} assertion has no counterpart here`
        : `unknown assertion type "${full}"`,
    };
  }
  if (typeof threshold === 'number' && GRADED.has(out.type)) out.threshold = threshold;
  else if (threshold !== undefined && out.max === undefined) ignored.push('threshold');
  if (not) out.type = `not-${out.type}`;
  if (a.weight !== undefined) out.weight = a.weight;
  if (typeof a.metric === 'string') out.name = a.metric;
  return { ok: true, assertion: out, ignored };
}

const TYPE_RE = /^(not-)?([a-z][a-z0-9-]*)(?:\((\d+(?:\.\d+)?)\))?(?::([\s\S]*))?$/;

/**
 * An assertion written as text in a promptfoo CSV `__expected` column: `contains: Paris`,
 * `not-icontains:x`, `similar(0.9): text`, `contains-any: a, b`, `grade: rubric`; anything that is not a
 * known type prefix means "equals this text", as in promptfoo.
 */
export function assertionFromString(s: string): Mapped {
  if (s.startsWith('grade:') || s.startsWith('llm-rubric:'))
    return mapPromptfooAssertion({ type: 'llm-rubric', value: s.slice(s.indexOf(':') + 1).trim() });
  if (/^(fn|javascript|eval|python):/.test(s) || s.startsWith('file://'))
    return { ok: false, reason: `code assertions (${s.slice(0, s.indexOf(':'))}) cannot run here` };
  const m = TYPE_RE.exec(s);
  const base = m?.[2];
  if (!m || !base || !(SAME.has(base) || PROMPTFOO_ONLY.has(base) || TRANSLATED.has(base)))
    return mapPromptfooAssertion({ type: 'equals', value: s });
  const type = `${m[1] ?? ''}${base}`;
  const raw = m[4]?.trim();
  const value =
    raw === undefined || raw === ''
      ? undefined
      : /^(i?contains-(all|any))$/.test(base)
        ? raw.split(',').map((x) => x.trim())
        : raw;
  return mapPromptfooAssertion({
    type,
    ...(value !== undefined ? { value } : {}),
    ...(m[3] !== undefined ? { threshold: Number(m[3]) } : {}),
  });
}
