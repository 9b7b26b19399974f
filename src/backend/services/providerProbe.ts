import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AppError } from '../../shared/errors';
import type { ProviderModel, ProviderTestResult } from '../../shared/providers';
import { notConfigured, sdkError, type SdkErrorClasses } from '../providers/sdkErrors';
import type { ProviderKind } from '../providers/types';
import { ANTHROPIC_ERROR_CLASSES } from './anthropicErrors';

const OPENAI_ERROR_CLASSES: SdkErrorClasses = {
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
};

/** The model a test counts tokens for when an Anthropic endpoint does not list its models. */
export const ANTHROPIC_TEST_MODEL = 'claude-haiku-4-5';
/** More models than any endpoint lists; a list this long stops here rather than paging forever. */
const MAX_MODELS = 5000;

/** One endpoint to probe, with its key (the probe lives in the backend, like the providers). */
export interface ProbeTarget {
  id: string;
  kind: ProviderKind;
  label: string;
  /** Undefined for a built-in without an override: the SDK's public default. */
  baseURL: string | undefined;
  apiKey: string | undefined;
  /** Where a missing or rejected key is fixed, named in messages. */
  keyHint: string;
}

export interface ProbeOptions {
  fetch?: typeof fetch;
  /** Per-call timeout (default 15 s): a connection test should answer while the user waits. */
  timeoutMs?: number;
  /** Wall clock in ms (tests fix it). */
  now?: () => number;
}

/** A model list answered 404: the endpoint does not offer one (many proxies and some local servers). */
const notListed = (err: unknown) => err instanceof Error && (err as { status?: unknown }).status === 404;

function clients(t: ProbeTarget, key: string, o: ProbeOptions) {
  // no retries: the test reports what happens now, and a second try would hide a flaky endpoint
  const common = { apiKey: key, fetch: o.fetch, maxRetries: 0, timeout: o.timeoutMs ?? 15_000 };
  if (t.kind === 'anthropic') {
    return { anthropic: new Anthropic({ ...common, baseURL: t.baseURL, logLevel: 'off' }) };
  }
  return {
    openai: new OpenAI({
      ...common,
      baseURL: t.baseURL,
      logLevel: 'off',
      organization: null,
      project: null,
    }),
  };
}

async function listWith(t: ProbeTarget, key: string, o: ProbeOptions): Promise<ProviderModel[]> {
  const c = clients(t, key, o);
  const models: ProviderModel[] = [];
  if (c.anthropic) {
    for await (const m of c.anthropic.models.list({ limit: 1000 })) {
      models.push({ id: m.id, ownedBy: null });
      if (models.length >= MAX_MODELS) break;
    }
  } else {
    for await (const m of c.openai!.models.list()) {
      models.push({ id: m.id, ownedBy: typeof m.owned_by === 'string' ? m.owned_by : null });
      if (models.length >= MAX_MODELS) break;
    }
  }
  return models;
}

function fail(t: ProbeTarget, key: string, what: string, err: unknown): AppError {
  const classes = t.kind === 'anthropic' ? ANTHROPIC_ERROR_CLASSES : OPENAI_ERROR_CLASSES;
  return sdkError(err, classes, {
    provider: t.id,
    label: t.label,
    keyHint: t.keyHint,
    what,
    apiKey: key,
    retries: 0,
  });
}

function requireKey(t: ProbeTarget): string {
  if (!t.apiKey) throw notConfigured(t.label, t.id, t.keyHint);
  return t.apiKey;
}

/** The endpoint's models (`GET …/models`), or a coded error; PROVIDER_ERROR when it offers no list. */
export async function listModels(t: ProbeTarget, o: ProbeOptions = {}): Promise<ProviderModel[]> {
  const key = requireKey(t);
  try {
    return await listWith(t, key, o);
  } catch (err) {
    if (notListed(err)) {
      throw new AppError(
        'PROVIDER_ERROR',
        `${t.label} does not list its models (GET /models answered HTTP 404). Name the model yourself, as ${t.id}:MODEL.`,
        { provider: t.id, status: 404 },
      );
    }
    throw fail(t, key, 'Listing the models', err);
  }
}

/**
 * The cheapest call that proves the endpoint and key work: the model list (free everywhere). When an
 * endpoint does not offer one, Anthropic's token count (free) or a 1-token completion of `model`.
 * Every failure is a coded AppError whose message and details never contain the key.
 */
export async function testConnection(
  t: ProbeTarget,
  model: string | undefined,
  o: ProbeOptions = {},
): Promise<ProviderTestResult> {
  const key = requireKey(t);
  const now = o.now ?? (() => performance.now());
  const what = `Testing the connection to ${t.label}`;
  let started = now();
  try {
    const models = await listWith(t, key, o);
    return { id: t.id, latencyMs: now() - started, method: 'models', modelCount: models.length, model: null };
  } catch (err) {
    if (!notListed(err)) throw fail(t, key, what, err);
  }
  const c = clients(t, key, o);
  started = now();
  try {
    if (c.anthropic) {
      const target = model ?? ANTHROPIC_TEST_MODEL;
      await c.anthropic.messages.countTokens({
        model: target,
        messages: [{ role: 'user', content: 'ping' }],
      });
      return {
        id: t.id,
        latencyMs: now() - started,
        method: 'count_tokens',
        modelCount: null,
        model: target,
      };
    }
    if (!model) {
      throw new AppError(
        'PROVIDER_ERROR',
        `${t.label} does not list its models (GET /models answered HTTP 404), so there is no model to test with. Test with a model named: promptpress providers test ${t.id} --model NAME.`,
        { provider: t.id, status: 404 },
      );
    }
    await c.openai!.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'ping' }],
      max_tokens: 1,
    });
    return { id: t.id, latencyMs: now() - started, method: 'completion', modelCount: null, model };
  } catch (err) {
    throw fail(t, key, what, err);
  }
}
