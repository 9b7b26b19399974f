import type { z } from 'zod';
import { isRouteName, routes, type RouteName, type RouteOutput } from '../shared/contract';
import { isAppError, type Result } from '../shared/errors';
import type { Backend } from './createBackend';

/** Turns zod's issues into a short sentence naming each bad field. */
function describeIssues(error: z.ZodError): {
  message: string;
  fields: Array<{ path: string; message: string }>;
} {
  const fields = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
  return { message: fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields };
}

/**
 * The single entry point of every host: validates the input against the route's schema, runs the handler,
 * checks the output against the contract and returns a result object. It never throws and never returns a
 * stack trace.
 */
export async function dispatch(backend: Backend, route: string, input: unknown): Promise<Result<unknown>> {
  if (!isRouteName(route)) {
    return { ok: false, error: { code: 'UNKNOWN_ROUTE', message: `There is no route named "${route}".` } };
  }
  const schema = routes[route];
  const parsed = schema.input.safeParse(input ?? {});
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error);
    return {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: `Invalid input for ${route}: ${message}`,
        details: { fields },
      },
    };
  }
  try {
    const handler = backend.handlers[route] as (input: unknown) => Promise<unknown>;
    const data = await handler(parsed.data);
    const checked = schema.output.safeParse(data);
    if (!checked.success) {
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `${route} produced output that breaks the contract: ${describeIssues(checked.error).message}`,
        },
      };
    }
    return { ok: true, data: checked.data };
  } catch (err) {
    if (isAppError(err)) {
      return {
        ok: false,
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: 'INTERNAL', message: `Unexpected error in ${route}: ${message}` } };
  }
}

/** Typed convenience over dispatch for in-process callers (CLI, tests). */
export async function call<R extends RouteName>(
  backend: Backend,
  route: R,
  input: unknown,
): Promise<Result<RouteOutput<R>>> {
  return (await dispatch(backend, route, input)) as Result<RouteOutput<R>>;
}
