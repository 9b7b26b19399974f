import type { Clock, HttpFetch, HttpHeadersInit } from './ports';
import type { SentRequest } from './types';

/**
 * Records what an SDK sends, by standing in for its fetch: the exact request (credentials removed) and the
 * time its response headers arrived. The SDKs build the wire request themselves, so this is the one place
 * where "the request as sent" can be seen rather than reconstructed.
 */

/** Headers that carry credentials, whatever their value. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
]);

const REDACTED = '[redacted]';

/** One request the fetch saw, and when its answer started. */
export interface Exchange {
  request: SentRequest;
  sentAt: number;
  /** When the response headers arrived (fetch resolved); absent when it failed. */
  firstByteAt?: number;
  status?: number;
  /** `request-id` (Anthropic) or `x-request-id` (OpenAI). */
  requestId?: string;
}

function headerEntries(headers: HttpHeadersInit | undefined): Array<[string, string]> {
  if (!headers) return [];
  const out: Array<[string, string]> = [];
  if (typeof (headers as { forEach?: unknown }).forEach === 'function' && !Array.isArray(headers)) {
    (headers as { forEach(cb: (value: string, key: string) => void): void }).forEach((value, key) =>
      out.push([key, value]),
    );
    return out;
  }
  if (Array.isArray(headers)) {
    for (const [k, v] of headers as ReadonlyArray<readonly [string, string]>) out.push([k, v]);
    return out;
  }
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    out.push([k, Array.isArray(v) ? v.join(', ') : String(v)]);
  }
  return out;
}

/**
 * Request headers as a lower-case record with credential headers, and any value containing one of
 * `secrets`, replaced by `[redacted]`.
 */
export function redactHeaders(
  headers: HttpHeadersInit | undefined,
  secrets: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = secrets.filter((s) => s.length > 0);
  for (const [name, value] of headerEntries(headers)) {
    const key = name.toLowerCase();
    out[key] = CREDENTIAL_HEADERS.has(key) || keys.some((s) => value.includes(s)) ? REDACTED : value;
  }
  return out;
}

/** A body as sent: parsed JSON, text when it is not JSON, a note for anything else (file uploads). */
export function sentBody(body: unknown, secrets: readonly string[] = []): unknown {
  if (body === undefined || body === null) return null;
  if (typeof body !== 'string') return `[${(body as object).constructor?.name ?? typeof body} body]`;
  // a key has no business in a body; if one is there anyway, it does not leave in the record
  const clean = secretsOut(body, secrets);
  try {
    return JSON.parse(clean);
  } catch {
    return clean;
  }
}

function secretsOut(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join(REDACTED), text);
}

function urlOf(input: Parameters<HttpFetch>[0]): string {
  if (typeof input === 'string') return input;
  return 'href' in input ? input.href : input.url;
}

/** A fetch that records each exchange into `exchanges` (in call order) and otherwise behaves as `fetch`. */
export function captureFetch(
  fetch: HttpFetch,
  options: { clock: Clock; secrets: readonly string[] },
): { fetch: HttpFetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const wrapped: HttpFetch = async (input, init) => {
    const exchange: Exchange = {
      request: {
        method: (init?.method ?? 'GET').toUpperCase(),
        url: secretsOut(urlOf(input), options.secrets),
        headers: redactHeaders(init?.headers, options.secrets),
        body: sentBody(init?.body, options.secrets),
      },
      sentAt: options.clock.now(),
    };
    exchanges.push(exchange);
    const response = await fetch(input, init);
    exchange.firstByteAt = options.clock.now();
    exchange.status = response.status;
    const id = response.headers.get('request-id') ?? response.headers.get('x-request-id');
    if (id) exchange.requestId = id;
    return response;
  };
  return { fetch: wrapped, exchanges };
}
