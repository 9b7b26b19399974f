import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { AnthropicPromptCache, anthropicSegments, toolsWithoutCacheControl } from './stubAnthropicCache';
import { DEFAULT_CHAT_SCRIPT, runChatScript, type ChatScript } from './stubChat';
import { StubHttpError, type RouteTable, type StubRequest, type StubRoute } from './stubRoutes';

/**
 * Anthropic's wire protocol for the stub LLM server: `POST /v1/messages/count_tokens` and non-streaming
 * `POST /v1/messages` (answered by the test's script, with prompt caching simulated by stubAnthropicCache.ts).
 *
 * Token counts are honest in the sense that matters for tests: every text is counted with a real tokenizer
 * (o200k_base via gpt-tokenizer, standing in for Claude's unpublished one), and the request adds a fixed
 * framing overhead, as Anthropic's own count does (its count of "Hello" is a handful of tokens more than the
 * word). The overheads below are this stub's documented constants, not figures Anthropic publishes.
 */
export const ANTHROPIC_STUB_FRAMING = {
  /** Once per request (start of the conversation and the assistant turn it primes). */
  perRequest: 4,
  /** Per message (role markers). */
  perMessage: 3,
  /** When a system prompt is present. */
  perSystem: 2,
  /** When tools are present: Anthropic documents a tool-use system prompt of about this size. */
  perTools: 346,
} as const;

export interface AnthropicStubOptions {
  /** The one key the stub accepts (default "sk-ant-stub-key"). */
  apiKey?: string;
  /**
   * Simulate a misbehaving proxy that echoes the rejected key in its 401 message, to test that the app
   * scrubs keys from whatever a server sends back.
   */
  echoKeyInErrors?: boolean;
  /** Answers `POST /v1/messages` (default: a reply labelled as the stub's). */
  reply?: ChatScript;
  /** Input tokens a request may have before it is refused as too long (default 200,000, Claude's window). */
  contextWindow?: number;
  /** The prompt cache's clock (default Date.now); tests move it forward to expire entries. */
  now?: () => number;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Anthropic's error body: `{ type: "error", error: { type, message } }`. */
export function anthropicErrorBody(status: number, message: string): unknown {
  return { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const count = (text: string) => countTokens(text, { disallowedSpecial: new Set() });

/** Texts of a `content` (string or blocks), failing like the API on what it would refuse. */
function contentTexts(content: unknown, where: string): string[] {
  if (typeof content === 'string') {
    if (content.length === 0) throw new StubHttpError(400, `${where}: text content blocks must be non-empty`);
    return [content];
  }
  if (!Array.isArray(content) || content.length === 0) {
    throw new StubHttpError(400, `${where}: Input should be a valid string or a non-empty list of blocks`);
  }
  return content.map((block: unknown, i) => {
    if (!isRecord(block) || block.type !== 'text' || typeof block.text !== 'string') {
      throw new StubHttpError(400, `${where}.${i}: only text blocks are supported by the stub so far`);
    }
    if (block.text.length === 0)
      throw new StubHttpError(400, `${where}.${i}: text content blocks must be non-empty`);
    return block.text;
  });
}

/** The stub's count of a count_tokens request body (exported so tests can compute expected values). */
export function stubAnthropicInputTokens(body: unknown): number {
  if (!isRecord(body)) throw new StubHttpError(400, 'Request body must be a JSON object');
  if (typeof body.model !== 'string' || !body.model) throw new StubHttpError(400, 'model: Field required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new StubHttpError(400, 'messages: at least one message is required');
  }
  const F = ANTHROPIC_STUB_FRAMING;
  let tokens = F.perRequest;
  if (body.system !== undefined)
    tokens += F.perSystem + contentTexts(body.system, 'system').reduce((n, t) => n + count(t), 0);
  body.messages.forEach((m: unknown, i) => {
    if (!isRecord(m) || (m.role !== 'user' && m.role !== 'assistant')) {
      throw new StubHttpError(400, `messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    tokens +=
      F.perMessage + contentTexts(m.content, `messages.${i}.content`).reduce((n, t) => n + count(t), 0);
  });
  // cache_control is an instruction, not prompt text: it is not counted
  if (Array.isArray(body.tools) && body.tools.length > 0)
    tokens += F.perTools + count(JSON.stringify(toolsWithoutCacheControl(body.tools)));
  return tokens;
}

const STOP_REASON = {
  end: 'end_turn',
  max_tokens: 'max_tokens',
  refusal: 'refusal',
  stop_sequence: 'stop_sequence',
} as const;

/**
 * A Messages API reply to `body`: the script's text, usage counted like count_tokens for the input and with
 * the same tokenizer for the output, the output cut at `max_tokens` or a stop sequence as the API does, and
 * the input split into cache reads, cache writes and the rest by `cache` (stubAnthropicCache.ts; without
 * one, nothing is cached). A prompt over `contextWindow` tokens is refused with the API's 400.
 */
export function stubAnthropicMessage(
  body: unknown,
  script: ChatScript,
  seq: number,
  cache?: AnthropicPromptCache,
  contextWindow = 200_000,
): unknown {
  const inputTokens = stubAnthropicInputTokens(body);
  const b = body as Record<string, unknown>;
  if (typeof b.max_tokens !== 'number' || !Number.isInteger(b.max_tokens) || b.max_tokens < 1) {
    throw new StubHttpError(400, 'max_tokens: Field required (a positive integer)');
  }
  if (inputTokens > contextWindow) {
    throw new StubHttpError(400, `prompt is too long: ${inputTokens} tokens > ${contextWindow} maximum`);
  }
  const stop = b.stop_sequences;
  if (stop !== undefined && (!Array.isArray(stop) || stop.some((x) => typeof x !== 'string'))) {
    throw new StubHttpError(400, 'stop_sequences: Input should be a valid list of strings');
  }
  const cached = cache?.apply(b.model as string, anthropicSegments(b, ANTHROPIC_STUB_FRAMING)) ?? {
    input: inputTokens,
    read: 0,
    write: 0,
    write5m: 0,
    write1h: 0,
  };
  const join = (c: unknown, where: string) => contentTexts(c, where).join('');
  const out = runChatScript(script, {
    provider: 'anthropic',
    model: b.model as string,
    system: b.system === undefined ? undefined : join(b.system, 'system'),
    messages: (b.messages as Array<{ role: string; content: unknown }>).map((m, i) => ({
      role: m.role,
      content: join(m.content, `messages.${i}.content`),
    })),
    maxTokens: b.max_tokens,
    stop: stop as string[] | undefined,
    body,
  });
  return {
    id: `msg_stub_${String(seq).padStart(6, '0')}`,
    type: 'message',
    role: 'assistant',
    model: b.model,
    content: out.text === '' ? [] : [{ type: 'text', text: out.text }],
    stop_reason: STOP_REASON[out.stop],
    stop_sequence: out.stopSequence ?? null,
    usage: {
      input_tokens: cached.input,
      output_tokens: out.outputTokens,
      cache_creation_input_tokens: cached.write,
      cache_read_input_tokens: cached.read,
      cache_creation: {
        ephemeral_5m_input_tokens: cached.write5m,
        ephemeral_1h_input_tokens: cached.write1h,
      },
    },
  };
}

/** The Anthropic routes, checking the headers every Anthropic request must carry. */
export function anthropicRoutes(options: AnthropicStubOptions = {}): RouteTable {
  const key = options.apiKey ?? 'sk-ant-stub-key';
  let messageSeq = 0;
  const cache = new AnthropicPromptCache(options.now);
  // The key comes as `x-api-key` (the long-standing header) or `Authorization: Bearer` (how SDK 1.x sends an
  // `apiKey`); the API takes either.
  const authenticate = (req: StubRequest) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const given = req.headers['x-api-key'] ?? bearer;
    if (typeof given !== 'string' || given === '') {
      throw new StubHttpError(401, 'x-api-key or Authorization header is required');
    }
    if (given !== key) {
      throw new StubHttpError(
        401,
        options.echoKeyInErrors ? `invalid x-api-key: ${given}` : 'invalid x-api-key',
      );
    }
    if (typeof req.headers['anthropic-version'] !== 'string') {
      throw new StubHttpError(400, 'anthropic-version: header is required');
    }
  };
  const route = (handle: StubRoute['handle']): StubRoute => ({
    handle: (req) => {
      authenticate(req);
      return handle(req);
    },
    errorBody: anthropicErrorBody,
  });
  return {
    'POST /v1/messages/count_tokens': route((req) => ({
      status: 200,
      json: { input_tokens: stubAnthropicInputTokens(req.body) },
    })),
    'POST /v1/messages': route((req) => ({
      status: 200,
      json: stubAnthropicMessage(
        req.body,
        options.reply ?? DEFAULT_CHAT_SCRIPT,
        ++messageSeq,
        cache,
        options.contextWindow,
      ),
    })),
  };
}
