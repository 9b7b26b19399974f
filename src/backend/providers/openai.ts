import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CompletionRequest, ResponseFormat, StopReason, ToolCall } from '../../core/providers/types';
import { createOpenAiEmbed } from './openaiEmbeddings';
import { createRuntime, reservedTokens } from './runtime';
import { completeWith, DEFAULT_TIMEOUT_MS, type CompletionReading, type SdkProviderContext } from './sdkCall';
import type { SdkErrorClasses } from './sdkErrors';
import type { LlmProvider, ProviderEndpoint, ProviderTransport } from './types';

export const OPENAI_ERROR_CLASSES: SdkErrorClasses = {
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
};

const STOP: Record<string, StopReason> = {
  stop: 'end',
  length: 'max_tokens',
  content_filter: 'refusal',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
};

function responseFormat(f: ResponseFormat): ChatCompletionCreateParamsNonStreaming['response_format'] {
  if (f.type === 'json_object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      name: f.name,
      schema: f.schema,
      strict: f.strict ?? true,
      ...(f.description ? { description: f.description } : {}),
    },
  };
}

/**
 * The Chat Completions body for `req`. OpenAI's own API takes the output limit as `max_completion_tokens`
 * (its reasoning models refuse `max_tokens`); compatible servers mostly know only `max_tokens`, so that is
 * what they get. Cache breakpoints are ignored: OpenAI caches prompts automatically.
 */
export function openAiBody(
  req: CompletionRequest,
  limitField: 'max_tokens' | 'max_completion_tokens',
): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionMessageParam[] = [
    ...(req.system ? [{ role: 'system' as const, content: req.system }] : []),
    ...req.messages.map((m) => ({ role: m.role, content: m.content })),
  ];
  return {
    model: req.model,
    messages,
    ...(limitField === 'max_tokens'
      ? { max_tokens: req.maxTokens }
      : { max_completion_tokens: req.maxTokens }),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.stopSequences?.length ? { stop: req.stopSequences } : {}),
    ...(req.tools?.length
      ? {
          tools: req.tools.map((t) => ({
            type: 'function' as const,
            function: {
              name: t.name,
              ...(t.description ? { description: t.description } : {}),
              parameters: t.input_schema,
            },
          })),
        }
      : {}),
    ...(req.responseFormat ? { response_format: responseFormat(req.responseFormat) } : {}),
  };
}

function toolCallsOf(r: ChatCompletion['choices'][number]['message']): ToolCall[] {
  return (r.tool_calls ?? []).flatMap((c) => {
    if (c.type !== 'function') return [];
    let input: unknown = c.function.arguments;
    try {
      input = JSON.parse(c.function.arguments);
    } catch {
      // kept as the string the model wrote: the caller decides what a malformed call means
    }
    return [{ id: c.id, name: c.function.name, input }];
  });
}

/** Text, usage and stop reason of a chat completion; throws when it lacks choices or usage. */
function readChat(r: ChatCompletion & { _request_id?: string | null }): CompletionReading {
  const choice = r?.choices?.[0];
  const usage = r?.usage;
  if (!choice || typeof usage?.prompt_tokens !== 'number')
    throw new Error('the reply has no choices or usage');
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const refusal = typeof choice.message.refusal === 'string' && choice.message.refusal !== '';
  return {
    text: choice.message.content ?? (refusal ? choice.message.refusal! : ''),
    toolCalls: toolCallsOf(choice.message),
    usage: {
      // prompt_tokens includes the cached part; ours counts it once, under cacheRead
      inputTokens: usage.prompt_tokens - cached,
      outputTokens: usage.completion_tokens,
      ...(cached > 0 ? { cacheRead: cached } : {}),
    },
    providerUsage: usage,
    stopReason: refusal ? 'refusal' : (STOP[choice.finish_reason] ?? 'other'),
    providerStopReason: choice.finish_reason ?? null,
    model: r.model,
    ...(r._request_id ? { requestId: r._request_id } : {}),
  };
}

/**
 * A provider speaking OpenAI's Chat Completions (`chat.completions.create`) and Embeddings through the
 * official SDK: OpenAI itself, or any OpenAI-compatible endpoint (Together, Groq, a local server) given its
 * base URL. The SDK's retries are off: retries, limits, timeouts and measurement are the shared machinery's.
 */
export function createOpenAiProvider(
  endpoint: ProviderEndpoint,
  transport: ProviderTransport = {},
): LlmProvider {
  const apiKey = endpoint.apiKey?.trim() || undefined;
  const label = endpoint.label ?? (endpoint.id === 'openai' ? 'OpenAI' : endpoint.id);
  const official = endpoint.id === 'openai';
  const ctx: SdkProviderContext = {
    endpoint,
    transport,
    runtime: createRuntime(endpoint, transport),
    label,
    keyHint: endpoint.keyHint ?? (official ? 'OPENAI_API_KEY' : `the key for ${label}`),
    apiKey,
    classes: OPENAI_ERROR_CLASSES,
  };
  let client: OpenAI | undefined;
  const getClient = () =>
    (client ??= new OpenAI({
      apiKey: apiKey!,
      baseURL: endpoint.baseURL,
      maxRetries: 0,
      timeout: transport.timeoutMs ?? DEFAULT_TIMEOUT_MS,
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
    complete(req) {
      const body = openAiBody(req, official ? 'max_completion_tokens' : 'max_tokens');
      return completeWith(
        ctx,
        req,
        reservedTokens(req),
        (fetch, signal) =>
          getClient()
            .withOptions({ fetch })
            .chat.completions.create(body, signal ? { signal } : undefined),
        readChat,
      );
    },
    embed: createOpenAiEmbed(ctx, getClient, official),
  };
}
