import { createHash } from 'node:crypto';
import {
  LLM_REWRITE_ID,
  runPipeline,
  type ParsedPipeline,
  type PipelineContext,
  type PipelineResult,
  type RewriteAnswer,
  type RewriteRequest,
} from '../../core/compression';
import type { Catalog } from '../../core/pricing/catalog';
import { requestCost } from '../../core/pricing/requestCost';
import { resolveModelRef, type LlmCallReport, type ModelRef } from '../../core/providers/modelRef';
import { isAppError } from '../../shared/errors';
import type { ProviderRegistry } from '../providers/registry';
import type { Completion } from '../providers/types';
import { cleanRewrite, rewriteSystemPrompt, rewriteUserMessage } from './rewritePrompt';

/** Model answers kept in memory (rewrites of other texts, models or options); the oldest goes first. */
export const DEFAULT_REWRITE_CACHE_ENTRIES = 100;

/** Room the model gets beyond the input's length, so a faithful rewrite is never cut short. */
const OUTPUT_ROOM = { factor: 1.5, extra: 256, fallbackMax: 16_384 };

export interface RewriteServiceDeps {
  providers: ProviderRegistry;
  getCatalog: () => Promise<Catalog>;
  maxEntries?: number;
}

/** A pipeline result with the model calls its llm.rewrite steps used (new or from the cache). */
export interface RewriteRun {
  result: PipelineResult;
  llmCalls?: LlmCallReport[];
}

export interface RewriteService {
  /**
   * Runs `pipeline` with a model answering its llm.rewrite steps. The engine is synchronous, so the run is
   * repeated: each pass answers the rewrites it already has and notes the first it lacks; that one is asked
   * of the model, and the next pass goes further. A pass that lacks nothing is the result: exactly what
   * runPipeline gives with those answers, so runs are deterministic once the answers are cached.
   */
  run(text: string, pipeline: ParsedPipeline, ctx: PipelineContext): Promise<RewriteRun>;
}

/** One rewrite to ask for, fully determined by its key. */
interface Job {
  key: string;
  ref: ModelRef;
  system: string;
  input: string;
  maxTokens: number;
  inputTokens: number;
  count: (text: string) => number;
}

/** A model's answer as kept in the cache: its text, turned into a RewriteAnswer on every use. */
interface Stored {
  completion: Completion;
  report: LlmCallReport;
}

type Known = { answer: Exclude<RewriteAnswer, undefined>; report?: LlmCallReport };

const errorOf = (err: unknown) =>
  isAppError(err)
    ? { code: err.code, message: err.message }
    : { code: 'INTERNAL', message: `The rewrite failed unexpectedly: ${String(err)}` };

/** The checks on a completed rewrite that need no guard: complete, not empty, and shorter than its input. */
function toAnswer(job: Job, c: Completion): Exclude<RewriteAnswer, undefined> {
  const who = `${job.ref.provider}:${job.ref.model}`;
  if (c.stopReason === 'max_tokens') {
    return {
      error: {
        code: 'REWRITE_INCOMPLETE',
        message: `${who} stopped at its output limit (${job.maxTokens} tokens) before the rewrite was complete, so nothing was changed. Rewrite one section at a time.`,
      },
    };
  }
  if (c.stopReason === 'refusal') {
    return {
      error: {
        code: 'REWRITE_REFUSED',
        message: `${who} declined to rewrite this text; nothing was changed.`,
      },
    };
  }
  const text = cleanRewrite(job.input, c.text);
  if (text === '') {
    return {
      error: { code: 'REWRITE_EMPTY', message: `${who} answered with no text; nothing was changed.` },
    };
  }
  const after = job.count(text);
  if (after >= job.inputTokens) {
    return {
      error: {
        code: 'REWRITE_NOT_SHORTER',
        message: `${who}'s rewrite is not shorter (${job.inputTokens} → ${after} tokens), so nothing was changed.`,
      },
    };
  }
  return { text };
}

/** Whether `pipeline` has an enabled llm.rewrite step. */
export function usesRewrite(pipeline: ParsedPipeline): boolean {
  return pipeline.steps.some((s) => s.enabled && s.strategy.id === LLM_REWRITE_ID);
}

/** The llm.rewrite host: resolves models, calls providers, caches answers by what determines them. */
export function createRewriteService(deps: RewriteServiceDeps): RewriteService {
  const cache = new Map<string, Stored>();
  const maxEntries = Math.max(1, deps.maxEntries ?? DEFAULT_REWRITE_CACHE_ENTRIES);
  const inFlight = new Map<string, Promise<Known>>();

  const remember = (key: string, stored: Stored) => {
    cache.delete(key);
    cache.set(key, stored);
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  };
  const recall = (key: string): Stored | undefined => {
    const hit = cache.get(key);
    if (hit) remember(key, hit); // most recently used goes last
    return hit;
  };

  const prepare = (input: string, req: RewriteRequest, catalog: Catalog, ctx: PipelineContext): Job => {
    const ref = resolveModelRef(req.model, catalog);
    deps.providers.get(ref.provider); // an unknown provider fails here, before any call
    const inputTokens = ctx.count(input);
    const targetTokens = req.targetTokens ?? Math.max(1, Math.round(req.targetRatio * inputTokens));
    const system = rewriteSystemPrompt({
      targetTokens,
      inputTokens,
      scope: req.scope,
      instructions: req.instructions,
    });
    const limit = ref.entry?.maxOutputTokens ?? OUTPUT_ROOM.fallbackMax;
    const maxTokens = Math.min(limit, Math.ceil(inputTokens * OUTPUT_ROOM.factor) + OUTPUT_ROOM.extra);
    const key = createHash('sha256')
      .update([ref.provider, ref.model, String(maxTokens), system, input].join('\u0000'))
      .digest('hex');
    return { key, ref, system, input, maxTokens, inputTokens, count: ctx.count };
  };

  const call = async (job: Job): Promise<Known> => {
    try {
      const completion = await deps.providers.get(job.ref.provider).complete({
        model: job.ref.model,
        system: job.system,
        messages: [{ role: 'user', content: rewriteUserMessage(job.input) }],
        maxTokens: job.maxTokens,
        purpose: 'Rewriting the prompt',
      });
      const u = completion.usage;
      const usd = job.ref.entry
        ? requestCost(job.ref.entry, {
            inputTokens: u.inputTokens,
            outputTokens: u.outputTokens,
            cacheReadTokens: u.cacheRead ?? 0,
            cacheWrite5mTokens: u.cacheWrite ?? 0,
          }).totalUsd
        : null;
      const report: LlmCallReport = {
        purpose: LLM_REWRITE_ID,
        provider: completion.provider,
        model: completion.model,
        cached: false,
        usage: u,
        usageMethod: 'provider-reported',
        usd,
        stopReason: completion.stopReason,
      };
      // kept even when unusable (cut short, not shorter): asking again would cost the same for the same answer
      remember(job.key, { completion, report });
      return { answer: toAnswer(job, completion), report };
    } catch (err) {
      // errors are not cached: the next run asks again (the key may be fixed, the rate limit over)
      return { answer: { error: errorOf(err) } };
    }
  };

  const ask = (job: Job): Promise<Known> => {
    const joined = inFlight.get(job.key);
    if (joined) return joined;
    const p = call(job).finally(() => inFlight.delete(job.key));
    inFlight.set(job.key, p);
    return p;
  };

  return {
    async run(text, pipeline, ctx) {
      const catalog = await deps.getCatalog();
      const answers = new Map<string, Known>();
      const passes = pipeline.steps.filter((s) => s.enabled && s.strategy.id === LLM_REWRITE_ID).length + 1;
      for (let pass = 1; ; pass++) {
        let missing: Job | undefined;
        const used: LlmCallReport[] = [];
        const result = runPipeline(text, pipeline, {
          ...ctx,
          rewrite: (input, req) => {
            let job: Job;
            try {
              job = prepare(input, req, catalog, ctx);
            } catch (err) {
              return { error: errorOf(err) };
            }
            let known = answers.get(job.key);
            if (!known) {
              const stored = recall(job.key);
              if (stored) {
                known = {
                  answer: toAnswer(job, stored.completion),
                  report: { ...stored.report, cached: true },
                };
                answers.set(job.key, known);
              }
            }
            if (known) {
              if (known.report) used.push(known.report);
              return known.answer;
            }
            missing ??= job;
            return undefined;
          },
        });
        // each pass answers one more step, so `passes` passes always suffice; the bound guards the loop
        if (!missing || pass >= passes) return { result, llmCalls: used };
        answers.set(missing.key, await ask(missing));
      }
    },
  };
}

/** Runs `pipeline` through `service` when it has an enabled llm.rewrite step, and plainly otherwise. */
export async function runWithRewrites(
  service: RewriteService | undefined,
  text: string,
  pipeline: ParsedPipeline,
  ctx: PipelineContext,
): Promise<RewriteRun> {
  if (service && usesRewrite(pipeline)) return service.run(text, pipeline, ctx);
  return { result: runPipeline(text, pipeline, ctx) };
}
