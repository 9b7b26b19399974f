import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming, Tool } from '@anthropic-ai/sdk/resources/messages';
import { anthropicContent } from '../../core/providers/cacheBreakpoints';
import type { CompletionRequest, StopReason } from '../../core/providers/types';
import { ANTHROPIC_ERROR_CLASSES } from '../services/anthropicErrors';
import { reservedTokens, createRuntime } from './runtime';
import { completeWith, DEFAULT_TIMEOUT_MS, type CompletionReading, type SdkProviderContext } from './sdkCall';
import type { LlmProvider, ProviderEndpoint, ProviderTransport } from './types';

const STOP: Record<string, StopReason> = {
  end_turn: 'end',
  stop_sequence: 'end',
  max_tokens: 'max_tokens',
  model_context_window_exceeded: 'max_tokens',
  refusal: 'refusal',
  tool_use: 'tool_use',
};

/**
 * The Messages API body for `req`: system and messages as blocks with `cache_control` where the request's
 * breakpoints say (plain strings otherwise), tools passed through (the last one carrying a tools
 * breakpoint), and only the options the caller set. Throws INVALID_INPUT for breakpoints it cannot place.
 */
export function anthropicBody(req: CompletionRequest): MessageCreateParamsNonStreaming {
  const content = anthropicContent(req.system, req.messages, req.cache, (req.tools?.length ?? 0) > 0);
  const tools = req.tools?.map((t, i, all): Tool => ({
    ...t,
    input_schema: t.input_schema as Tool['input_schema'],
    ...(i === all.length - 1 && content.toolsCacheControl
      ? { cache_control: content.toolsCacheControl }
      : {}),
  }));
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    ...(content.system !== undefined ? { system: content.system } : {}),
    messages: content.messages,
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.stopSequences?.length ? { stop_sequences: req.stopSequences } : {}),
    ...(tools?.length ? { tools } : {}),
  };
}

/** Text, tool calls, usage and stop reason of a Messages answer; throws when it lacks content or usage. */
function readMessage(r: Message & { _request_id?: string | null }): CompletionReading {
  const usage = r?.usage;
  if (!r || !Array.isArray(r.content) || typeof usage?.input_tokens !== 'number') {
    throw new Error('the reply has no content or usage');
  }
  const text = r.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  const toolCalls = r.content.flatMap((b) =>
    b.type === 'tool_use' ? [{ id: b.id, name: b.name, input: b.input }] : [],
  );
  const write1h = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  return {
    text,
    toolCalls,
    usage: {
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      ...(usage.cache_read_input_tokens ? { cacheRead: usage.cache_read_input_tokens } : {}),
      ...(usage.cache_creation_input_tokens ? { cacheWrite: usage.cache_creation_input_tokens } : {}),
      ...(write1h ? { cacheWrite1h: write1h } : {}),
    },
    providerUsage: usage,
    stopReason: (r.stop_reason && STOP[r.stop_reason]) || 'other',
    providerStopReason: r.stop_reason ?? null,
    model: r.model,
    ...(r._request_id ? { requestId: r._request_id } : {}),
  };
}

/**
 * A provider speaking Anthropic's Messages API through the official SDK (`messages.create`). The SDK's
 * retries are off: retries, limits, timeouts and measurement are the shared call machinery's.
 */
export function createAnthropicProvider(
  endpoint: ProviderEndpoint,
  transport: ProviderTransport = {},
): LlmProvider {
  const apiKey = endpoint.apiKey?.trim() || undefined;
  const label = endpoint.label ?? 'Anthropic';
  const ctx: SdkProviderContext = {
    endpoint,
    transport,
    runtime: createRuntime(endpoint, transport),
    label,
    keyHint: endpoint.keyHint ?? 'ANTHROPIC_API_KEY',
    apiKey,
    classes: ANTHROPIC_ERROR_CLASSES,
  };
  let client: Anthropic | undefined;
  const getClient = (key: string) =>
    (client ??= new Anthropic({
      apiKey: key,
      baseURL: endpoint.baseURL,
      maxRetries: 0,
      timeout: transport.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // the SDK's own logging is off whatever ANTHROPIC_LOG says: it could print request headers
      logLevel: 'off',
    }));

  return {
    id: endpoint.id,
    label,
    kind: 'anthropic',
    configured: apiKey !== undefined,
    async complete(req) {
      // built before anything is queued, so a request it cannot express fails at once
      const body = apiKey === undefined ? undefined : anthropicBody(req);
      return completeWith(
        ctx,
        req,
        reservedTokens(req),
        (fetch, signal) =>
          getClient(apiKey!)
            .withOptions({ fetch })
            .messages.create(body!, signal ? { signal } : undefined),
        readMessage,
      );
    },
  };
}
