import type { IncomingHttpHeaders } from 'node:http';

/** The route-table types shared by the stub LLM server and its per-provider route modules. */

/** A request as the stub received it (after the body was read and parsed as JSON when possible). */
export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  raw: string;
  /** Path segments captured by a route's `:name` segments (`GET /v1/batches/:id` → `{ id }`). */
  params?: Record<string, string>;
  /** When it arrived (Date.now()); absent for requests a route makes up (a batch's items). */
  at?: number;
  /** True when the client hung up before the answer was sent (a cancelled or timed-out call). */
  closedEarly?: boolean;
}

export interface StubReply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

/** Thrown by a handler to answer an error in its provider's format. */
export class StubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** The provider's error code for the body (OpenAI's `context_length_exceeded`). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface StubRoute {
  handle(req: StubRequest): StubReply | Promise<StubReply>;
  /**
   * The provider's error body for a status and message (used for thrown errors and injected faults), with
   * the error code where the provider has one (OpenAI's `error.code`).
   */
  errorBody(status: number, message: string, code?: string): unknown;
}

export type RouteTable = Record<string, StubRoute>;

/**
 * The route for `key` ("GET /v1/batches/batch_1"): its exact entry, else an entry whose path has `:name`
 * segments ("GET /v1/batches/:id"), with what those segments captured.
 */
export function matchRoute(
  routes: RouteTable,
  key: string,
): { route: StubRoute; pattern: string; params: Record<string, string> } | undefined {
  const exact = routes[key];
  if (exact) return { route: exact, pattern: key, params: {} };
  const [method, path = ''] = key.split(' ');
  const segments = path.split('/');
  for (const [pattern, route] of Object.entries(routes)) {
    const [m, p = ''] = pattern.split(' ');
    const parts = p.split('/');
    if (m !== method || !p.includes('/:') || parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, i) => {
      const seg = segments[i] ?? '';
      if (!part.startsWith(':')) return part === seg;
      params[part.slice(1)] = decodeURIComponent(seg);
      return seg !== '';
    });
    if (matches) return { route, pattern, params };
  }
  return undefined;
}
