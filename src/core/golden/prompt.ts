import { AppError } from '../errors';
import { getScorer } from '../scorers/registry';
import type { AssertionSpec, ScoreContext, ScorerPort } from '../scorers/types';
import { renderDeep, renderTemplate, type TemplateSource } from './template';
import type { GoldenCase, GoldenMessage, GoldenSet } from './types';

/** A case's variables: defaultTest's, overridden by the case's own. */
export function caseVars(set: GoldenSet, c: GoldenCase): Record<string, unknown> {
  return { ...set.defaultTest.vars, ...c.vars };
}

/** The part of a ScoreContext that comes from the case (the runner adds metadata and ports). */
export function caseContext(set: GoldenSet, c: GoldenCase): Pick<ScoreContext, 'vars' | 'expected'> {
  return { vars: caseVars(set, c), ...(c.expected !== undefined ? { expected: c.expected } : {}) };
}

/** The case's pass threshold: its own, else defaultTest's, else none (every assertion must pass). */
export function caseThreshold(set: GoldenSet, c: GoldenCase): number | undefined {
  return c.threshold ?? set.defaultTest.threshold;
}

const assertionCache = new WeakMap<GoldenCase, AssertionSpec[]>();

/**
 * The assertions that judge a case: defaultTest's first, then the case's, with `{{var}}` in their options
 * filled from the case's variables. The list is computed once per case object and then returned as is, so
 * the scorers' parsed options are reused across every model, variant and repeat of a run; treat a set as
 * immutable (an editor makes a new case object for a changed case).
 */
export function caseAssertions(set: GoldenSet, c: GoldenCase): AssertionSpec[] {
  const hit = assertionCache.get(c);
  if (hit) return hit;
  const vars = caseVars(set, c);
  const source = { file: set.source.file, ...(c.line !== undefined ? { line: c.line } : {}) };
  const list = [...set.defaultTest.assert, ...c.assert].map((a) =>
    JSON.stringify(a.options).includes('{{')
      ? {
          ...a,
          options: renderDeep(a.options, vars, { ...source, field: `case ${c.id} ${a.type}` }) as Record<
            string,
            unknown
          >,
        }
      : a,
  );
  assertionCache.set(c, list);
  return list;
}

/** A request's text parts: the system prompt (if any) and the messages after it. */
export interface PromptParts {
  system?: string;
  messages: GoldenMessage[];
}

/**
 * What a variant sends for a case. With input messages, the rendered variant is the system prompt (followed
 * by the case's own system messages, if any) and the case's other messages follow it. Without, the rendered
 * variant is the one user message, as in promptfoo. `{{var}}` everywhere comes from the case's variables;
 * an undefined one is INVALID_INPUT naming the variant or message and the case.
 */
export function buildPrompt(
  variant: string,
  set: GoldenSet,
  c: GoldenCase,
  variantName = 'variant',
): PromptParts {
  const vars = caseVars(set, c);
  const at = (field: string): TemplateSource => ({
    file: set.source.file,
    ...(c.line !== undefined ? { line: c.line } : {}),
    field,
  });
  const rendered = renderTemplate(variant, vars, at(`${variantName} for case ${c.id}`));
  if (!c.messages) {
    if (rendered.trim() === '')
      throw new AppError(
        'INVALID_INPUT',
        `Case ${c.id} has no input messages and ${variantName} is empty: nothing to send.`,
        {
          case: c.id,
        },
      );
    return { messages: [{ role: 'user', content: rendered }] };
  }
  const messages = c.messages.map((m, j) => ({
    role: m.role,
    content: renderTemplate(m.content, vars, at(`case ${c.id} messages[${j}]`)),
  }));
  const system = [rendered, ...messages.filter((m) => m.role === 'system').map((m) => m.content)]
    .filter((s) => s.trim() !== '')
    .join('\n\n');
  const turns = messages.filter((m) => m.role !== 'system');
  if (turns.length === 0)
    throw new AppError(
      'INVALID_INPUT',
      `Case ${c.id} has only system messages: a model needs a user message.`,
      {
        case: c.id,
      },
    );
  return { ...(system ? { system } : {}), messages: turns };
}

/**
 * The host ports a set's assertions call (an embedding model for `similar`, a judge for `llm-rubric`), so a
 * runner can refuse to start, or include the judge in its estimate, before spending anything.
 */
export function requiredPorts(set: GoldenSet): ScorerPort[] {
  const out = new Set<ScorerPort>();
  for (const a of [...set.defaultTest.assert, ...set.cases.flatMap((c) => c.assert)]) {
    const needs = getScorer(a.type)?.needs;
    if (needs) out.add(needs);
  }
  return [...out].sort();
}
