import { runProviderCall, type CallOutcome, type CallRuntime } from '../../core/providers/call';
import { notConfigured } from '../../core/providers/errors';
import { parseJsonAnswer } from '../../core/providers/jsonAnswer';
import type { AbortSignalLike } from '../../core/providers/ports';
import type {
  CallCost,
  Completion,
  CompletionRequest,
  StopReason,
  ToolCall,
} from '../../core/providers/types';
import type { LlmUsage } from '../../core/providers/modelRef';
import { currentJob, withJobSignal } from '../jobs';
import { asFetch, costOf, sdkSignal, usedTokens } from './runtime';
import { sdkError, type SdkErrorClasses } from './sdkErrors';
import type { ProviderEndpoint, ProviderTransport } from './types';

/** What one provider implementation tells the shared call machinery about itself. */
export interface SdkProviderContext {
  endpoint: ProviderEndpoint;
  transport: ProviderTransport;
  runtime: CallRuntime;
  label: string;
  keyHint: string;
  apiKey: string | undefined;
  classes: SdkErrorClasses;
}

/** What an answer must yield, whichever API it came from. */
export interface Reading {
  usage: LlmUsage;
  providerUsage: unknown;
  model: string;
}

/**
 * Runs one SDK call through the provider's limits, retries and measurement (core/providers/call.ts) and
 * prices it. `send` makes the request with the recording fetch and the caller's signal; `read` turns the
 * answer into a Reading or throws (an answer without its content or usage is unreadable, not retried).
 */
export async function runSdkCall<R, P extends Reading>(
  ctx: SdkProviderContext,
  call: {
    model: string;
    what: string;
    signal: AbortSignalLike | undefined;
    reserveTokens: number;
    send: (fetch: typeof globalThis.fetch, signal: AbortSignal | undefined) => Promise<R>;
    read: (answer: R) => P;
  },
): Promise<{ outcome: CallOutcome<P>; cost: CallCost }> {
  const { endpoint, transport, apiKey, label, keyHint } = ctx;
  if (apiKey === undefined) throw notConfigured(label, endpoint.id, keyHint);
  // a call made for a job (a rewrite, a summary, a recall check) stops when the job is cancelled
  const job = currentJob();
  const joined = withJobSignal(call.signal, job);
  const sig = sdkSignal(joined.signal);
  try {
    const outcome = await runProviderCall(ctx.runtime, {
      provider: endpoint.id,
      what: call.what,
      signal: joined.signal,
      reserveTokens: call.reserveTokens,
      secrets: [apiKey],
      attempt: async (fetch) => call.read(await call.send(asFetch(fetch), sig.signal)),
      classify: (err, retries) =>
        sdkError(err, ctx.classes, {
          provider: endpoint.id,
          label,
          keyHint,
          what: call.what,
          apiKey,
          retries,
          timeoutMs: transport.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        }),
      usedTokens: (p) => usedTokens(p.usage),
    });
    const cost = await costOf(transport, endpoint.id, call.model, outcome.value.usage);
    job?.recordCall(outcome.value.usage, cost);
    return { outcome, cost };
  } finally {
    sig.dispose();
    joined.dispose();
  }
}

/** Per-attempt timeout when the registry sets none: a rewrite of a long prompt takes a while. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** A completion answer, read. */
export interface CompletionReading extends Reading {
  text: string;
  toolCalls?: ToolCall[];
  stopReason: StopReason;
  providerStopReason: string | null;
  /** The API's own id in the body, when the request-id header is missing. */
  requestId?: string;
}

/**
 * The whole completion call: sends, reads, prices, and parses the JSON answer when one was asked for (a
 * refusal is returned as such, with no JSON). A JSON answer that does not parse is PARSE_ERROR, with the
 * call's usage and cost in the details: it was paid for.
 */
export async function completeWith<R>(
  ctx: SdkProviderContext,
  req: CompletionRequest,
  reserveTokens: number,
  send: (fetch: typeof globalThis.fetch, signal: AbortSignal | undefined) => Promise<R>,
  read: (answer: R) => CompletionReading,
): Promise<Completion> {
  const what = req.purpose ?? `Calling ${req.model}`;
  const { outcome, cost } = await runSdkCall(ctx, {
    model: req.model,
    what,
    signal: req.signal,
    reserveTokens,
    send,
    read,
  });
  const r = outcome.value;
  const requestId = outcome.requestId ?? r.requestId;
  const completion: Completion = {
    text: r.text,
    ...(r.toolCalls && r.toolCalls.length > 0 ? { toolCalls: r.toolCalls } : {}),
    usage: r.usage,
    providerUsage: r.providerUsage,
    cost,
    latency: outcome.latency,
    attempts: outcome.attempts,
    stopReason: r.stopReason,
    providerStopReason: r.providerStopReason,
    model: r.model,
    provider: ctx.endpoint.id,
    ...(requestId ? { requestId } : {}),
    request: outcome.request,
  };
  if (req.responseFormat && r.stopReason !== 'refusal' && r.stopReason !== 'tool_use') {
    completion.json = parseJsonAnswer(r.text, `${ctx.label} (${req.model})`, {
      truncated: r.stopReason === 'max_tokens',
      extra: { provider: ctx.endpoint.id, usage: r.usage, usd: cost.usd, requestId },
    });
  }
  return completion;
}
