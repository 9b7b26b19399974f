import type { ErrorCode, Result } from '../../../shared/errors';
import { isResult, type Transport } from './types';

export interface HttpTransportOptions {
  /** Prefix of the API paths; '' means same origin as the page. */
  baseUrl?: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSource;
}

function failure(
  route: string,
  message: string,
  details: Record<string, unknown>,
  code: ErrorCode = 'INTERNAL',
): Result<unknown> {
  return { ok: false, error: { code, message, details: { transport: 'http', route, ...details } } };
}

/**
 * The browser-host transport: `POST /api/rpc/<route>` for calls and one shared `EventSource('/api/events')`
 * for events. Authentication rides on the HttpOnly cookie the server set when the page was first opened.
 */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const openEvents = options.createEventSource ?? ((url: string) => new EventSource(url));
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSource | undefined;

  const ensureListening = (event: string): void => {
    source ??= openEvents(`${base}/api/events`);
    source.addEventListener(event, (message: MessageEvent<string>) => {
      let payload: unknown;
      try {
        payload = JSON.parse(message.data);
      } catch {
        return; // a malformed frame is dropped; the next change event brings the state again
      }
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
    });
  };

  return {
    kind: 'http',
    async invoke(route, input) {
      let response: Response;
      try {
        response = await doFetch(`${base}/api/rpc/${encodeURIComponent(route)}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        return failure(
          route,
          'Cannot reach the PromptPress server. Is `npm run web` still running?',
          { reason: err instanceof Error ? err.message : String(err) },
          'BACKEND_UNREACHABLE',
        );
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      if (isResult(body)) return body;
      if (response.status === 401 || response.status === 403) {
        return failure(
          route,
          'The PromptPress server refused this page (missing or expired token). Open the URL it printed at launch again.',
          { status: response.status },
          'UNAUTHORIZED',
        );
      }
      return failure(
        route,
        `The PromptPress server answered ${route} with HTTP ${response.status} and no result.`,
        {
          status: response.status,
        },
      );
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        ensureListening(event);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };
}
