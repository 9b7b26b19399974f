import type OpenAI from 'openai';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { estimateTokens } from '../../core/providers/limits';
import type { Embedder, EmbeddingsRequest, EmbeddingsResponse } from '../../core/providers/types';
import { AppError } from '../../shared/errors';
import { runSdkCall, type SdkProviderContext } from './sdkCall';
import type { LlmProvider } from './types';

/**
 * `embeddings.create` through the shared call machinery (limits, retries, measurement, cost). OpenAI's own
 * API gets the SDK's default base64 transfer (a quarter of the bytes); compatible servers are asked for
 * plain floats, which all of them speak.
 */
export function createOpenAiEmbed(
  ctx: SdkProviderContext,
  getClient: () => OpenAI,
  official: boolean,
): (req: EmbeddingsRequest) => Promise<EmbeddingsResponse> {
  return async (req) => {
    if (req.input.length === 0) {
      throw new AppError('INVALID_INPUT', 'Give at least one text to embed.', { field: 'input' });
    }
    const { outcome, cost } = await runSdkCall(ctx, {
      model: req.model,
      what: req.purpose ?? `Embedding ${req.input.length} texts with ${req.model}`,
      signal: req.signal,
      reserveTokens: req.estimatedInputTokens ?? estimateTokens(req.input.reduce((n, t) => n + t.length, 0)),
      send: (fetch, signal) =>
        getClient()
          .withOptions({ fetch })
          .embeddings.create(
            {
              model: req.model,
              input: req.input,
              ...(req.dimensions ? { dimensions: req.dimensions } : {}),
              ...(official ? {} : { encoding_format: 'float' as const }),
            },
            signal ? { signal } : undefined,
          ),
      read: (r: CreateEmbeddingResponse) => {
        if (!r || !Array.isArray(r.data) || r.data.length !== req.input.length) {
          throw new Error(
            `expected ${req.input.length} vectors, got ${Array.isArray(r?.data) ? r.data.length : 'none'}`,
          );
        }
        const vectors: number[][] = [];
        for (const d of r.data) vectors[d.index] = Array.from(d.embedding);
        if (vectors.some((v) => !Array.isArray(v))) throw new Error('the vectors are not numbered 0..n-1');
        const tokens = r.usage?.prompt_tokens ?? 0;
        return {
          vectors,
          usage: { inputTokens: tokens, outputTokens: 0 },
          providerUsage: r.usage,
          model: r.model,
        };
      },
    });
    return {
      vectors: outcome.value.vectors,
      usage: outcome.value.usage,
      cost,
      latency: outcome.latency,
      attempts: outcome.attempts,
      model: outcome.value.model,
      provider: ctx.endpoint.id,
      ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
      request: outcome.request,
    };
  };
}

/**
 * A provider's embeddings model as an Embedder, the interface the embedded offline model also implements,
 * so the embeddings service can run on either. UNSUPPORTED for a provider without an embeddings endpoint.
 */
export function providerEmbedder(
  provider: LlmProvider,
  model: string,
  options: { dimensions?: number } = {},
): Embedder {
  const embed = provider.embed;
  if (!embed) {
    throw new AppError(
      'UNSUPPORTED',
      `${provider.label} has no embeddings endpoint in PromptPress; use an OpenAI or OpenAI-compatible provider, or the built-in offline model.`,
      { provider: provider.id },
    );
  }
  return {
    embed: async (texts) =>
      (
        await embed({
          model,
          input: texts,
          ...(options.dimensions ? { dimensions: options.dimensions } : {}),
        })
      ).vectors,
  };
}
