import { DEFAULT_CHAT_SCRIPT, runChatScript, stubCount, type ChatScript } from './stubChat';
import { stubEmbeddingsReply } from './stubEmbeddings';
import { OpenAiPromptCache, openAiPromptSequence } from './stubOpenAiCache';
import { StubHttpError, type RouteTable, type StubRequest } from './stubRoutes';

/**
 * OpenAI's wire protocol for the stub LLM server: non-streaming `POST /v1/chat/completions`, answered by the
 * test's script, with automatic prompt caching (stubOpenAiCache.ts), `response_format` checks, stop
 * sequences and the context window enforced; and `POST /v1/embeddings` (stubEmbeddings.ts). The OpenAI
 * SDK's base URL includes `/v1`, so tests give it `${stub.url}/v1`.
 *
 * prompt_tokens follows the OpenAI cookbook's rule for the gpt-4o family ("How to count tokens with
 * tiktoken"): 3 tokens per message plus its role and content (and 1 per `name`), plus 3 priming the reply,
 * all counted with o200k_base; the cookbook checks that rule against the API's own prompt_tokens.
 */
export const OPENAI_STUB_FRAMING = { perMessage: 3, perName: 1, perReply: 3 } as const;

export interface OpenAiStubOptions {
  /** The key, or keys (one per endpoint a test sets up), the stub accepts (default "sk-openai-stub-key"). */
  apiKey?: string | string[];
  /** Echo the rejected key in the 401 message (a misbehaving proxy), to test that the app scrubs it. */
  echoKeyInErrors?: boolean;
  /** Answers `POST /v1/chat/completions` (default: a reply labelled as the stub's). */
  reply?: ChatScript;
  /** Prompt tokens a request may have before it is refused as too long (default 128,000). */
  contextWindow?: number;
  /** The prompt cache's clock (default Date.now); tests move it forward to expire entries. */
  now?: () => number;
}

const ERRORS: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: null },
};

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export function openAiErrorBody(status: number, message: string, code?: string): unknown {
  const e = ERRORS[status] ?? { type: 'server_error', code: null };
  return { error: { message, type: e.type, param: null, code: code ?? e.code } };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function contentText(content: unknown, where: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown, i) => {
        if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') {
          throw new StubHttpError(400, `${where}[${i}]: only text parts are supported by the stub so far`);
        }
        return part.text;
      })
      .join('');
  }
  throw new StubHttpError(400, `${where}: expected a string or an array of content parts`);
}

/** The stub's prompt_tokens for a chat request body (exported so tests can compute expected values). */
export function stubOpenAiPromptTokens(body: unknown): number {
  if (!isRecord(body)) throw new StubHttpError(400, 'We could not parse the JSON body of your request.');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new StubHttpError(400, "'messages' must contain at least one message");
  }
  const F = OPENAI_STUB_FRAMING;
  let tokens = F.perReply;
  body.messages.forEach((m: unknown, i) => {
    if (!isRecord(m) || typeof m.role !== 'string') {
      throw new StubHttpError(400, `messages[${i}].role: required`);
    }
    tokens += F.perMessage + stubCount(m.role) + stubCount(contentText(m.content, `messages[${i}].content`));
    if (typeof m.name === 'string') tokens += F.perName + stubCount(m.name);
  });
  return tokens;
}

const FINISH = {
  end: 'stop',
  max_tokens: 'length',
  refusal: 'content_filter',
  stop_sequence: 'stop',
} as const;

/** Refuses a `response_format` the API would refuse: JSON mode without "JSON" in the prompt, a bad schema. */
function checkResponseFormat(format: unknown, messages: Array<{ content: string }>): void {
  if (format === undefined) return;
  if (!isRecord(format))
    throw new StubHttpError(400, "Invalid type for 'response_format': expected an object.");
  if (format.type === 'text') return;
  if (format.type === 'json_object') {
    if (!messages.some((m) => /json/i.test(m.content))) {
      throw new StubHttpError(
        400,
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      );
    }
    return;
  }
  if (format.type === 'json_schema') {
    const js = format.json_schema;
    if (!isRecord(js))
      throw new StubHttpError(400, "Missing required parameter: 'response_format.json_schema'.");
    if (typeof js.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(js.name)) {
      throw new StubHttpError(
        400,
        "Invalid 'response_format.json_schema.name': must match ^[a-zA-Z0-9_-]{1,64}$.",
      );
    }
    if (js.schema !== undefined && !isRecord(js.schema)) {
      throw new StubHttpError(
        400,
        "Invalid type for 'response_format.json_schema.schema': expected an object.",
      );
    }
    return;
  }
  throw new StubHttpError(400, `Invalid value for 'response_format.type': ${String(format.type)}.`);
}

/** The OpenAI routes, checking the bearer key every request must carry. */
export function openAiRoutes(options: OpenAiStubOptions = {}): RouteTable {
  const keys = [options.apiKey ?? 'sk-openai-stub-key'].flat();
  const script = options.reply ?? DEFAULT_CHAT_SCRIPT;
  const cache = new OpenAiPromptCache(options.now);
  const window = options.contextWindow ?? 128_000;
  let seq = 0;
  const authenticate = (req: StubRequest): string => {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!given) throw new StubHttpError(401, "You didn't provide an API key.");
    if (!keys.includes(given)) {
      const shown = options.echoKeyInErrors ? given : `${given.slice(0, 3)}***${given.slice(-2)}`;
      throw new StubHttpError(401, `Incorrect API key provided: ${shown}.`);
    }
    return given;
  };
  return {
    'POST /v1/embeddings': {
      errorBody: openAiErrorBody,
      handle: (req) => {
        authenticate(req);
        return { status: 200, json: stubEmbeddingsReply(req.body) };
      },
    },
    'POST /v1/chat/completions': {
      errorBody: openAiErrorBody,
      handle: (req) => {
        const key = authenticate(req);
        const promptTokens = stubOpenAiPromptTokens(req.body);
        const b = req.body as Record<string, unknown>;
        if (typeof b.model !== 'string' || b.model === '') {
          throw new StubHttpError(400, 'you must provide a model parameter');
        }
        const limit = b.max_completion_tokens ?? b.max_tokens;
        if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) {
          throw new StubHttpError(400, "Invalid 'max_tokens': expected a positive integer.");
        }
        const messages = (b.messages as Array<Record<string, unknown>>).map((m, i) => ({
          role: m.role as string,
          content: contentText(m.content, `messages[${i}].content`),
          ...(typeof m.name === 'string' ? { name: m.name } : {}),
        }));
        if (promptTokens > window) {
          throw new StubHttpError(
            400,
            `This model's maximum context length is ${window} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
            {},
            'context_length_exceeded',
          );
        }
        checkResponseFormat(b.response_format, messages);
        const stop = typeof b.stop === 'string' ? [b.stop] : b.stop;
        if (stop !== undefined && stop !== null && (!Array.isArray(stop) || stop.length > 4)) {
          throw new StubHttpError(400, "Invalid 'stop': expected a string or an array of up to 4 strings.");
        }
        const cached = cache.apply(`${key}\u0000${b.model}`, openAiPromptSequence(messages));
        const out = runChatScript(script, {
          provider: 'openai',
          model: b.model,
          system: messages.find((m) => m.role === 'system' || m.role === 'developer')?.content,
          messages: messages.filter((m) => m.role !== 'system' && m.role !== 'developer'),
          maxTokens: limit as number | undefined,
          stop: (stop ?? undefined) as string[] | undefined,
          body: req.body,
        });
        return {
          status: 200,
          headers: { 'x-request-id': `req_stub_openai_${seq + 1}` },
          json: {
            id: `chatcmpl-stub${String(++seq).padStart(6, '0')}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: b.model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: out.text, refusal: null },
                finish_reason: FINISH[out.stop],
                logprobs: null,
              },
            ],
            usage: {
              prompt_tokens: promptTokens,
              completion_tokens: out.outputTokens,
              total_tokens: promptTokens + out.outputTokens,
              prompt_tokens_details: { cached_tokens: cached },
              completion_tokens_details: { reasoning_tokens: 0 },
            },
          },
        };
      },
    },
  };
}
