import { openAiErrorBody } from './stubOpenAi';
import { StubHttpError, type RouteTable, type StubRequest } from './stubRoutes';

/**
 * `GET /v1/models` for the stub LLM server, in both wire formats: Anthropic's (`{ data, has_more, first_id,
 * last_id }`, when the request carries `anthropic-version`) and OpenAI's (`{ object: "list", data }`, for
 * OpenAI and every compatible server). Passed to startStubLlmServer as extra `routes`.
 */
export interface ModelsStubOptions {
  /** Keys accepted (Bearer for OpenAI; x-api-key or Bearer for Anthropic). */
  keys: string[];
  openaiModels?: string[];
  anthropicModels?: string[];
  /** Echo a rejected key in the 401 message (a misbehaving proxy), to test that the app scrubs it. */
  echoKeyInErrors?: boolean;
}

export const STUB_OPENAI_MODELS = ['gpt-4o', 'gpt-4o-mini', 'llama-3.1-8b-instant', 'text-embedding-3-small'];
export const STUB_ANTHROPIC_MODELS = ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-1'];

export function modelsRoutes(options: ModelsStubOptions): RouteTable {
  const given = (req: StubRequest) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const key = req.headers['x-api-key'] ?? bearer;
    return typeof key === 'string' ? key : undefined;
  };
  const isAnthropic = (req: StubRequest) => typeof req.headers['anthropic-version'] === 'string';
  return {
    'GET /v1/models': {
      errorBody: openAiErrorBody,
      handle: (req) => {
        const key = given(req);
        if (!key) throw new StubHttpError(401, "You didn't provide an API key.");
        if (!options.keys.includes(key)) {
          const shown = options.echoKeyInErrors ? key : `${key.slice(0, 3)}***${key.slice(-2)}`;
          throw new StubHttpError(401, `Incorrect API key provided: ${shown}.`);
        }
        if (isAnthropic(req)) {
          const ids = options.anthropicModels ?? STUB_ANTHROPIC_MODELS;
          return {
            status: 200,
            json: {
              data: ids.map((id) => ({
                type: 'model',
                id,
                display_name: id,
                created_at: '2025-10-01T00:00:00Z',
              })),
              has_more: false,
              first_id: ids[0] ?? null,
              last_id: ids.at(-1) ?? null,
            },
          };
        }
        const ids = options.openaiModels ?? STUB_OPENAI_MODELS;
        return {
          status: 200,
          json: {
            object: 'list',
            data: ids.map((id) => ({ id, object: 'model', created: 1_727_000_000, owned_by: 'stub' })),
          },
        };
      },
    },
  };
}
