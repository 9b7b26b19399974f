import Anthropic from '@anthropic-ai/sdk';
import { ANTHROPIC_ERROR_CLASSES } from '../services/anthropicErrors';
import { notConfigured, sdkError } from './sdkErrors';
import type { Completion, LlmProvider, ProviderEndpoint, ProviderTransport, StopReason } from './types';

const STOP: Record<string, StopReason> = {
  end_turn: 'end',
  stop_sequence: 'end',
  max_tokens: 'max_tokens',
  model_context_window_exceeded: 'max_tokens',
  refusal: 'refusal',
};

/** A provider speaking Anthropic's Messages API through the official SDK (`messages.create`). */
export function createAnthropicProvider(
  endpoint: ProviderEndpoint,
  transport: ProviderTransport = {},
): LlmProvider {
  const apiKey = endpoint.apiKey?.trim() || undefined;
  const label = endpoint.label ?? 'Anthropic';
  const keyHint = endpoint.keyHint ?? 'ANTHROPIC_API_KEY';
  const maxRetries = transport.maxRetries ?? 2;
  let client: Anthropic | undefined;
  const getClient = (key: string) =>
    (client ??= new Anthropic({
      apiKey: key,
      baseURL: endpoint.baseURL,
      fetch: transport.fetch,
      maxRetries,
      timeout: transport.timeoutMs ?? 120_000,
      // the SDK's own logging is off whatever ANTHROPIC_LOG says: it could print request headers
      logLevel: 'off',
    }));

  return {
    id: endpoint.id,
    label,
    kind: 'anthropic',
    configured: apiKey !== undefined,
    async complete(req): Promise<Completion> {
      if (apiKey === undefined) throw notConfigured(label, endpoint.id, keyHint);
      const what = req.purpose ?? `Calling ${req.model}`;
      try {
        const r = await getClient(apiKey).messages.create(
          {
            model: req.model,
            max_tokens: req.maxTokens,
            ...(req.system ? { system: req.system } : {}),
            messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
            ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
          },
          req.signal ? { signal: req.signal } : undefined,
        );
        const usage = r?.usage;
        if (!r || !Array.isArray(r.content) || typeof usage?.input_tokens !== 'number') {
          throw new Error('the reply has no content or usage');
        }
        const text = r.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
        return {
          text,
          usage: {
            inputTokens: usage.input_tokens,
            outputTokens: usage.output_tokens,
            ...(usage.cache_read_input_tokens ? { cacheRead: usage.cache_read_input_tokens } : {}),
            ...(usage.cache_creation_input_tokens ? { cacheWrite: usage.cache_creation_input_tokens } : {}),
          },
          stopReason: (r.stop_reason && STOP[r.stop_reason]) || 'other',
          providerStopReason: r.stop_reason ?? null,
          model: r.model,
          provider: endpoint.id,
          ...(r._request_id ? { requestId: r._request_id } : {}),
        };
      } catch (err) {
        throw sdkError(err, ANTHROPIC_ERROR_CLASSES, {
          provider: endpoint.id,
          label,
          keyHint,
          what,
          apiKey,
          retries: maxRetries,
        });
      }
    },
  };
}
