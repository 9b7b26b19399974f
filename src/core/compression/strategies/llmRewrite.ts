import { z } from 'zod';
import { guardEdits } from '../guards';
import { checkGuardInvariants } from '../invariants';
import type { StageError } from '../rewriteHook';
import { markdownSections } from '../sections';
import type { Strategy, StrategyContext } from '../strategy';
import type { ProposedEdit, ProtectedSpan, Range } from '../types';
import { diffHunks } from '../wordDiff';

/** The registry id, also what the host looks for to know a run needs a model. */
export const LLM_REWRITE_ID = 'llm.rewrite';

const options = z
  .strictObject({
    model: z
      .string()
      .max(200)
      .default('')
      .describe(
        'Model that rewrites: a catalog id (claude-haiku-4-5) or provider:model (openai:gpt-4o-mini)',
      ),
    targetTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Token budget of the rewritten text (overrides targetRatio)'),
    targetRatio: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.7)
      .describe('Token budget as a share of the input: 0.7 asks for 30 % fewer tokens'),
    section: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Rewrite only the Markdown section with this heading; the heading line stays'),
    range: z
      .strictObject({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() })
      .optional()
      .describe(
        "Rewrite only this range of the step's input (offsets; the pipeline input if the step runs first)",
      ),
    instructions: z
      .string()
      .max(4000)
      .default('')
      .describe('Extra instructions for the model (e.g. "keep the examples")'),
  })
  .refine((o) => !(o.section !== undefined && o.range !== undefined), {
    message: 'give a section or a range, not both',
    path: ['range'],
  })
  .refine((o) => o.range === undefined || o.range.start <= o.range.end, {
    message: 'range.start must not be after range.end',
    path: ['range'],
  });

type Options = z.output<typeof options>;

/** The part of `text` to rewrite, or why there is none. */
function scopeOf(text: string, o: Options, ctx: StrategyContext): Range | StageError {
  if (o.range) {
    if (o.range.end > text.length) {
      return {
        code: 'INVALID_INPUT',
        message: `The range ${o.range.start}..${o.range.end} to rewrite ends after the text (${text.length} characters).`,
      };
    }
    return o.range;
  }
  if (o.section !== undefined) {
    const want = o.section.trim().toLowerCase();
    const sections = markdownSections(text, ctx.spans);
    const s = sections.find((x) => x.level > 0 && x.title.toLowerCase() === want);
    if (!s) {
      const titles = sections.filter((x) => x.level > 0).map((x) => `"${x.title}"`);
      return {
        code: 'INVALID_INPUT',
        message: `No section titled "${o.section}" to rewrite${titles.length ? ` (sections: ${titles.slice(0, 8).join(', ')})` : ' (the text has no headings)'}.`,
      };
    }
    const nl = text.indexOf('\n', s.start);
    return { start: nl < 0 || nl >= s.end ? s.end : nl + 1, end: s.end };
  }
  return { start: 0, end: text.length };
}

/** The protected spans inside `scope`, in the scope's own offsets. */
function spansWithin(ctx: StrategyContext, scope: Range): ProtectedSpan[] {
  return ctx.spans.spans
    .filter((s) => s.start >= scope.start && s.end <= scope.end)
    .map((s) => ({ ...s, start: s.start - scope.start, end: s.end - scope.start }));
}

/**
 * llm.rewrite: a model rewrites the prompt, or one section or range of it, toward a token budget under
 * instructions to keep every constraint. The engine cannot wait for a model, so the host answers through
 * `ctx.rewrite` (see rewriteHook.ts). The rewrite becomes word-level hunks, one edit each, all in one group:
 * the guards check every hunk, and if one is blocked (or the user rejects one) the whole rewrite stays out.
 * The hunks are also checked together against the guards' promises (checkGuardInvariants), and what a
 * rejected rewrite broke is said in the stage's error. Runs in round 1 only: one model call per run.
 */
export const llmRewriteStrategy: Strategy<typeof options> = {
  id: LLM_REWRITE_ID,
  label: 'Model rewrite',
  description:
    'A model you choose rewrites the prompt (or one section) to a token budget, keeping every constraint; the guards check the result, which is applied whole or not at all.',
  lossy: true,
  defaultEnabled: false,
  options,
  run(text, o, ctx) {
    if ((ctx.round ?? 1) > 1 || !ctx.rewrite) return [];
    const scope = scopeOf(text, o, ctx);
    if ('code' in scope) {
      ctx.fail?.(scope);
      return [];
    }
    const input = text.slice(scope.start, scope.end);
    if (input.trim() === '') return [];
    const answer = ctx.rewrite(input, {
      model: o.model,
      ...(o.targetTokens !== undefined ? { targetTokens: o.targetTokens } : {}),
      targetRatio: o.targetRatio,
      instructions: o.instructions,
      scope: o.range ? 'range' : o.section !== undefined ? 'section' : 'all',
    });
    if (!answer) return [];
    if ('error' in answer) {
      ctx.fail?.(answer.error);
      return [];
    }
    const hunks = diffHunks(input, answer.text);
    const group = `rewrite@${scope.start}`;
    const target =
      o.targetTokens !== undefined
        ? `${o.targetTokens} tokens`
        : `${Math.round(o.targetRatio * 100)} % of its tokens`;
    const edits: ProposedEdit[] = hunks.map((h, i) => ({
      ruleId: 'rewrite',
      start: scope.start + h.start,
      end: scope.start + h.end,
      after: h.after,
      group,
      reason: `Part ${i + 1} of ${hunks.length} of ${o.model}'s rewrite toward ${target}; the parts are applied together or not at all.`,
    }));
    if (edits.length === 0) return [];
    // the guards will judge every hunk; say here, once and in words, why a rewrite they reject is rejected
    const guarded = guardEdits(text, edits, ctx.spans);
    const problems = [
      ...checkGuardInvariants(input, answer.text, { spans: spansWithin(ctx, scope) }).map((v) => v.message),
      ...guarded.blocked.filter((b) => b.spanKind !== 'linked').map((b) => b.reason.replace(/\.$/, '')),
    ];
    if (problems.length === 0) return edits;
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
    ctx.fail?.({
      code: 'GUARD_VIOLATION',
      message: `${o.model}'s rewrite was rejected, so that text is unchanged: ${problems.slice(0, 3).join('; ')}${more}.`,
    });
    // the invariants see the whole rewrite; should no single hunk trip a guard, nothing may be proposed
    return guarded.blocked.length > 0 ? edits : [];
  },
};
