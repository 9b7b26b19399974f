import type { IncomingHttpHeaders } from 'node:http';

/** The route-table types shared by the stub LLM server and its per-provider route modules. */

/** A request as the stub received it (after the body was read and parsed as JSON when possible). */
export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  raw: string;
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
  ) {
    super(message);
  }
}

export interface StubRoute {
  handle(req: StubRequest): StubReply | Promise<StubReply>;
  /** The provider's error body for a status and message (used for thrown errors and injected faults). */
  errorBody(status: number, message: string): unknown;
}

export type RouteTable = Record<string, StubRoute>;
