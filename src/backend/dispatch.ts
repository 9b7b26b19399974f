import type { z } from 'zod';
import {
  isRouteName,
  JOB_ID_FIELD,
  JobIdSchema,
  routes,
  type RouteName,
  type RouteOutput,
} from '../shared/contract';
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
  const { jobId, input: routeInput } = takeJobId(input);
  if (jobId === INVALID) {
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `Invalid input for ${route}: jobId: not a valid job id` },
    };
  }
  const parsed = schema.input.safeParse(routeInput ?? {});
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
    const data = jobId
      ? await backend.jobs.run(jobId, () => handler(parsed.data))
      : await handler(parsed.data);
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

const INVALID = Symbol('invalid job id');

/** Splits the optional job id (JOB_ID_FIELD) off a route's input. */
function takeJobId(input: unknown): { jobId: string | undefined | typeof INVALID; input: unknown } {
  if (typeof input !== 'object' || input === null || !(JOB_ID_FIELD in input))
    return { jobId: undefined, input };
  const { [JOB_ID_FIELD]: raw, ...rest } = input as Record<string, unknown>;
  const parsed = JobIdSchema.safeParse(raw);
  return { jobId: parsed.success ? parsed.data : INVALID, input: rest };
}

/** Typed convenience over dispatch for in-process callers (CLI, tests). */
export async function call<R extends RouteName>(
  backend: Backend,
  route: R,
  input: unknown,
): Promise<Result<RouteOutput<R>>> {
  return (await dispatch(backend, route, input)) as Result<RouteOutput<R>>;
}
