import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { notConfigured, sdkError, type SdkErrorClasses } from './sdkErrors';
import type { Completion, LlmProvider, ProviderEndpoint, ProviderTransport, StopReason } from './types';

const OPENAI_ERROR_CLASSES: SdkErrorClasses = {
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
};

const STOP: Record<string, StopReason> = {
  stop: 'end',
  length: 'max_tokens',
  content_filter: 'refusal',
};

/**
 * A provider speaking OpenAI's Chat Completions (`chat.completions.create`) through the official SDK: OpenAI
 * itself, or any OpenAI-compatible endpoint (Together, Groq, a local server) given its base URL.
 *
 * OpenAI's own API takes the output limit as `max_completion_tokens` (its reasoning models refuse
 * `max_tokens`); compatible servers mostly know only `max_tokens`, so that is what they get.
 */
export function createOpenAiProvider(
  endpoint: ProviderEndpoint,
  transport: ProviderTransport = {},
): LlmProvider {
  const apiKey = endpoint.apiKey?.trim() || undefined;
  const label = endpoint.label ?? (endpoint.id === 'openai' ? 'OpenAI' : endpoint.id);
  const keyHint = endpoint.keyHint ?? (endpoint.id === 'openai' ? 'OPENAI_API_KEY' : `the key for ${label}`);
  const limitField = endpoint.id === 'openai' ? 'max_completion_tokens' : 'max_tokens';
  const maxRetries = transport.maxRetries ?? 2;
  let client: OpenAI | undefined;
  const getClient = (key: string) =>
    (client ??= new OpenAI({
      apiKey: key,
      baseURL: endpoint.baseURL,
      fetch: transport.fetch,
      maxRetries,
      timeout: transport.timeoutMs ?? 120_000,
      // the SDK's own logging is off whatever OPENAI_LOG says: it could print request headers
      logLevel: 'off',
      // never pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment behind the user's back
      organization: null,
      project: null,
    }));

  return {
    id: endpoint.id,
    label,
    kind: 'openai',
    configured: apiKey !== undefined,
    async complete(req): Promise<Completion> {
      if (apiKey === undefined) throw notConfigured(label, endpoint.id, keyHint);
      const what = req.purpose ?? `Calling ${req.model}`;
      const messages: ChatCompletionMessageParam[] = [
        ...(req.system ? [{ role: 'system' as const, content: req.system }] : []),
        ...req.messages.map((m) => ({ role: m.role, content: m.content })),
      ];
      try {
        const r = await getClient(apiKey).chat.completions.create(
          {
            model: req.model,
            messages,
            ...(limitField === 'max_tokens'
              ? { max_tokens: req.maxTokens }
              : { max_completion_tokens: req.maxTokens }),
            ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
          },
          req.signal ? { signal: req.signal } : undefined,
        );
        const choice = r?.choices?.[0];
        const usage = r?.usage;
        if (!choice || typeof usage?.prompt_tokens !== 'number') {
          throw new Error('the reply has no choices or usage');
        }
        const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
        const refused = typeof choice.message.refusal === 'string' && choice.message.refusal !== '';
        return {
          text: choice.message.content ?? '',
          usage: {
            // prompt_tokens includes the cached part; ours counts it once, under cacheRead
            inputTokens: usage.prompt_tokens - cached,
            outputTokens: usage.completion_tokens,
            ...(cached > 0 ? { cacheRead: cached } : {}),
          },
          stopReason: refused ? 'refusal' : (STOP[choice.finish_reason] ?? 'other'),
          providerStopReason: choice.finish_reason ?? null,
          model: r.model,
          provider: endpoint.id,
          ...(r._request_id ? { requestId: r._request_id } : {}),
        };
      } catch (err) {
        throw sdkError(err, OPENAI_ERROR_CLASSES, {
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
