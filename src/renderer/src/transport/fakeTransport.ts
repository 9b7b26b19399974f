import type { EventName, EventPayload, RouteInput, RouteName, RouteOutput } from '../../../shared/contract';
import type { ErrorCode, ErrorPayload, Result } from '../../../shared/errors';
import type { Transport } from './types';

export type FakeHandler<R extends RouteName> = (
  input: RouteInput<R>,
) => RouteOutput<R> | Promise<RouteOutput<R>>;
export type FakeHandlers = { [R in RouteName]?: FakeHandler<R> };

/** Thrown inside a fake handler to answer with a coded error. */
export class FakeRouteError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface FakeCall {
  route: string;
  input: unknown;
}

export interface FakeTransport extends Transport {
  readonly calls: FakeCall[];
  /** Replaces or adds handlers. */
  handle(handlers: FakeHandlers): void;
  /** Delivers an event to the subscribed listeners, as the backend would. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  callsTo(route: RouteName): unknown[];
}

/** An in-memory transport for tests: routes answer from handlers; unknown routes fail with UNKNOWN_ROUTE. */
export function createFakeTransport(initial: FakeHandlers = {}): FakeTransport {
  const handlers: FakeHandlers = { ...initial };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: FakeCall[] = [];
  return {
    kind: 'fake',
    calls,
    handle(more) {
      Object.assign(handlers, more);
    },
    callsTo(route) {
      return calls.filter((c) => c.route === route).map((c) => c.input);
    },
    async invoke(route, input): Promise<Result<unknown>> {
      calls.push({ route, input });
      const handler = (handlers as Record<string, ((input: unknown) => unknown) | undefined>)[route];
      if (!handler) {
        return {
          ok: false,
          error: { code: 'UNKNOWN_ROUTE', message: `The fake transport has no handler for ${route}.` },
        };
      }
      try {
        return { ok: true, data: await handler(input) };
      } catch (err) {
        if (err instanceof FakeRouteError) {
          const error: ErrorPayload = { code: err.code, message: err.message };
          if (err.details) error.details = err.details;
          return { ok: false, error };
        }
        throw err;
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
    },
  };
}
