import type { ErrorCode, ErrorPayload, Result } from '../../../shared/errors';

/**
 * The seam between the renderer and a host: the Electron preload (IPC), the browser host (HTTP + SSE) or a
 * fake in tests. A transport moves untyped results; `createApiClient` puts the contract's types on top.
 */
export interface Transport {
  readonly kind: 'ipc' | 'http' | 'fake';
  /** Calls a route and resolves with its result; a transport never rejects for a coded backend error. */
  invoke(route: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to a backend event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** A coded error from a route call, thrown by `api.call` so callers can `catch` and show it. */
export class TransportError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly route: string;

  constructor(route: string, payload: ErrorPayload) {
    super(payload.message);
    this.name = 'TransportError';
    this.route = route;
    this.code = payload.code;
    this.details = payload.details;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isTransportError(value: unknown): value is TransportError {
  return value instanceof TransportError;
}

/** Turns anything thrown into an error payload a notice can show: coded errors keep their code. */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof TransportError) return err.toPayload();
  if (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string') {
    const e = err as { code: ErrorCode; message?: unknown; details?: Record<string, unknown> };
    return {
      code: e.code,
      message: typeof e.message === 'string' ? e.message : String(e.code),
      details: e.details,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Something went wrong in the app: ${message}` };
}

/** Checks that a value from a host has the shape of a route result. */
export function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: unknown };
  if (v.ok === true) return 'data' in v;
  if (v.ok === false) {
    const e = v.error as { code?: unknown; message?: unknown } | undefined;
    return typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.message === 'string';
  }
  return false;
}
