import { cacheWhatIf, invalidatedByEdit } from '../../core/pricing/cacheWhatIf';
import { findModel, type Catalog, type ModelEntry } from '../../core/pricing/catalog';
import { inputCost } from '../../core/pricing/cost';
import { projectWorkload } from '../../core/pricing/projection';
import { openAiCachedTokens } from '../../core/pricing/requestCost';
import { countOpenAiChatRequest, parseOpenAiChatRequest } from '../../core/tokens/chatRequest';
import type { EncodingId, Tokenizer } from '../../core/tokens/tokenizer';
import type { CostRow, Handlers, Workload } from '../../shared/contract';
import { countText } from '../../core/tokens/count';
import type { AnthropicCounter } from './anthropicCounter';
import type { EstimateErrorStore } from '../storage/estimateErrorStore';

type In<R extends keyof Handlers> = Parameters<Handlers[R]>[0];
type Out<R extends keyof Handlers> = Awaited<ReturnType<Handlers[R]>>;

/** Counts each text once per encoding however many models share it. */
function memoCounter(tokenizer: Tokenizer, text: string) {
  const cache = new Map<EncodingId, number>();
  return (encoding: EncodingId) => {
    let n = cache.get(encoding);
    if (n === undefined) {
      n = tokenizer.count(text, encoding);
      cache.set(encoding, n);
    }
    return n;
  };
}

type ErrorSummary = Awaited<ReturnType<EstimateErrorStore['summary']>>;

function estimateNote(m: ModelEntry, error: ErrorSummary): string {
  const measured = error
    ? `measured error against provider counts: mean ±${error.meanAbsPctError.toFixed(1)}%, bias ${error.meanSignedPctError >= 0 ? '+' : ''}${error.meanSignedPctError.toFixed(1)}%, max ${error.maxAbsPctError.toFixed(1)}% over ${error.samples} request${error.samples === 1 ? '' : 's'}`
    : 'error not yet measured against exact counts';
  return `${m.label}: ≈ counted with ${m.countWith} as a stand-in for the ${m.tokenizer} tokenizer (no public tokenizer; ${measured}).`;
}

export interface ProviderCounters {
  anthropic: AnthropicCounter;
  errorStore: EstimateErrorStore;
}

/**
 * Tokens a cache hit serves for a prompt known only by its length, taken as fully static: the provider's
 * rules still apply (OpenAI caches from 1,024 tokens in 128-token steps; others need their minimum length).
 */
function cacheableOfStaticPrompt(m: ModelEntry, tokens: number): number {
  if (m.caching === 'none') return 0;
  if (m.caching === 'openai-auto') return openAiCachedTokens(tokens, m.minCacheableTokens ?? 1024);
  return tokens >= (m.minCacheableTokens ?? 0) ? tokens : 0;
}

/**
 * The cost routes, over the catalog in force and the tokenizer port. Anthropic models are counted exactly
 * through messages.countTokens when a key is configured (each exact count also measures the offline
 * estimate's error); otherwise, and for other providers without a public tokenizer, the ≈ estimate is used.
 */
export function costHandlers(
  getCatalog: () => Promise<Catalog>,
  tokenizer: Tokenizer,
  providers: ProviderCounters,
) {
  /** Exact provider count for `m`, or null to keep the estimate; a provider failure becomes a warning. */
  const providerCount = async (m: ModelEntry, text: string, estimate: number, warnings?: string[]) => {
    if (m.provider !== 'anthropic' || m.tokenCountMethod !== 'estimate' || !providers.anthropic.configured)
      return null;
    try {
      return await providers.anthropic.countExact(m.id, undefined, text, estimate);
    } catch (err) {
      warnings?.push(
        `${m.label}: exact count unavailable (${err instanceof Error ? err.message : String(err)}); showing the ≈ estimate.`,
      );
      return null;
    }
  };

  const countWithProvider = async (m: ModelEntry, text: string) => {
    const base = countText(tokenizer, m, text);
    const exact = await providerCount(m, text, base.tokens);
    if (!exact) return base;
    return {
      ...base,
      tokens: exact.tokens,
      method: exact.method,
      counter: 'anthropic count_tokens',
      cost: inputCost(m, exact.tokens),
    };
  };

  const estimate = async ({ text, models, workload }: In<'cost.estimate'>): Promise<Out<'cost.estimate'>> => {
    const catalog = await getCatalog();
    const entries = models.map((id) => findModel(catalog, id));
    const countBy = memoCounter(tokenizer, text);
    const warnings: string[] = [];
    const rows: CostRow[] = [];
    for (const m of entries) {
      const estimateTokens = countBy(m.countWith);
      const exact = await providerCount(m, text, estimateTokens, warnings);
      const tokens = exact?.tokens ?? estimateTokens;
      const error =
        m.tokenCountMethod === 'estimate' ? await providers.errorStore.summary(m.tokenizer) : null;
      const cached =
        workload.cacheHitRate > 0
          ? cacheWhatIf({
              text,
              model: m,
              count: (t) => (t === text ? tokens : tokenizer.count(t, m.countWith)),
              hitRate: workload.cacheHitRate,
              outputTokens: workload.outputTokens,
              ttl: workload.ttl,
            }).cachedTokensOnHit
          : 0;
      const month = projectWorkload({
        model: m,
        inputTokens: tokens,
        cacheableTokens: cached,
        ...workload,
        days: 30,
      });
      if (month.unpriced.length)
        warnings.push(
          `${m.label} has no price for ${month.unpriced.join(', ')}: shown as "no price" and left out of totals.`,
        );
      if (m.tokenCountMethod === 'estimate' && !exact) warnings.push(estimateNote(m, error));
      rows.push({
        model: m.id,
        label: m.label,
        provider: m.host ? `${m.provider} via ${m.host}` : m.provider,
        tokens,
        method: exact ? exact.method : m.tokenCountMethod,
        counter: exact
          ? 'anthropic count_tokens'
          : m.tokenCountMethod === 'exact'
            ? tokenizer.id
            : `${m.countWith} stand-in`,
        encoding: m.countWith,
        perRequestUsd: month.perRequestUsd,
        per1kUsd: month.per1kRequestsUsd,
        perMonthUsd: month.totalUsd,
        unpriced: month.unpriced,
        cachedTokensOnHit: cached,
        source: m.source,
        asOf: m.asOf,
        estimateError: error,
      });
    }
    return { rows, warnings: [...new Set(warnings)] };
  };

  const whatIf = async (input: In<'cost.cacheWhatIf'>): Promise<Out<'cost.cacheWhatIf'>> => {
    const m = findModel(await getCatalog(), input.model);
    const count = (t: string) => tokenizer.count(t, m.countWith);
    const r = cacheWhatIf({
      text: input.text,
      model: m,
      count,
      hitRate: input.hitRate,
      outputTokens: input.outputTokens,
      ttl: input.ttl,
    });
    const invalidatedTokens =
      input.previousText === undefined
        ? 0
        : invalidatedByEdit(
            input.previousText,
            input.text,
            cacheWhatIf({
              text: input.previousText,
              model: m,
              count,
              hitRate: input.hitRate,
              outputTokens: input.outputTokens,
              ttl: input.ttl,
            }),
            count,
          );
    return { ...r, invalidatedTokens, method: m.tokenCountMethod };
  };

  const project = async ({
    models,
    original,
    compressed,
    workload,
  }: In<'cost.project'>): Promise<Out<'cost.project'>> => {
    const catalog = await getCatalog();
    const tokensOf = (ref: { text: string } | { tokens: number }, m: ModelEntry) =>
      'tokens' in ref ? ref.tokens : tokenizer.count(ref.text, m.countWith);
    const cacheable = (ref: { text: string } | { tokens: number }, m: ModelEntry, tokens: number) =>
      'text' in ref && workload.cacheHitRate > 0
        ? cacheWhatIf({
            text: ref.text,
            model: m,
            count: (t) => tokenizer.count(t, m.countWith),
            hitRate: workload.cacheHitRate,
            outputTokens: workload.outputTokens,
          }).cachedTokensOnHit
        : 'tokens' in ref && workload.cacheHitRate > 0
          ? cacheableOfStaticPrompt(m, tokens)
          : 0;
    const rows = models.map((id) => {
      const m = findModel(catalog, id);
      const run = (ref: { text: string } | { tokens: number }) => {
        const tokens = tokensOf(ref, m);
        return projectWorkload({
          model: m,
          inputTokens: tokens,
          cacheableTokens: cacheable(ref, m, tokens),
          ...workload,
        });
      };
      const o = run(original);
      const c = compressed ? run(compressed) : null;
      return {
        model: id,
        original: o,
        compressed: c,
        savingUsd: c && o.totalUsd !== null && c.totalUsd !== null ? o.totalUsd - c.totalUsd : null,
      };
    });
    return { rows };
  };

  const countRequest = async ({
    request,
    model,
  }: In<'tokens.countRequest'>): Promise<Out<'tokens.countRequest'>> => {
    const m = findModel(await getCatalog(), model);
    const r = countOpenAiChatRequest(parseOpenAiChatRequest(request), (t) => tokenizer.count(t, m.countWith));
    const method = m.tokenCountMethod === 'estimate' ? 'estimate' : r.method;
    const notes =
      m.tokenCountMethod === 'estimate'
        ? [...r.notes, estimateNote(m, await providers.errorStore.summary(m.tokenizer))]
        : r.notes;
    return {
      model,
      tokens: r.tokens,
      method,
      parts: r.parts,
      messageCount: r.messageCount,
      notes,
      cost: inputCost(m, r.tokens),
    };
  };

  return {
    handlers: {
      'cost.estimate': estimate,
      'cost.cacheWhatIf': whatIf,
      'cost.project': project,
      'tokens.countRequest': countRequest,
    } satisfies Partial<Handlers>,
    countWithProvider,
  };
}

export type { Workload };
