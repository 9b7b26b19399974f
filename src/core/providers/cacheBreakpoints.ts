import { AppError } from '../errors';
import type { CacheWhatIf } from '../pricing/cacheWhatIf';
import type { CacheBreakpoint, CacheTtl, ChatMessage } from './types';

/**
 * Anthropic prompt caching from the request side: turning a request's breakpoints into the text blocks
 * with `cache_control` that the Messages API takes, and placing a breakpoint where the cache what-if says
 * the cacheable prefix ends.
 */

/** Anthropic's limit on `cache_control` blocks per request. */
export const MAX_CACHE_BREAKPOINTS = 4;

/** A Messages API text block (structurally the SDK's TextBlockParam). */
export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  cache_control?: { type: 'ephemeral'; ttl?: CacheTtl };
}

export interface AnthropicContent {
  /** A plain string without breakpoints, blocks with them. */
  system?: string | AnthropicTextBlock[];
  messages: Array<{ role: 'user' | 'assistant'; content: string | AnthropicTextBlock[] }>;
  /** Set when the last tool definition carries a breakpoint. */
  toolsCacheControl?: { type: 'ephemeral'; ttl?: CacheTtl };
}

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new AppError('INVALID_INPUT', message, { field: 'cache', ...details });

const control = (ttl: CacheTtl | undefined) => ({ type: 'ephemeral' as const, ...(ttl ? { ttl } : {}) });

/** Splits `text` at the breakpoints' offsets (end of text when absent) into blocks, each cut one cached. */
function blocks(text: string, marks: Array<{ offset?: number; ttl?: CacheTtl }>, where: string) {
  if (marks.length === 0) return text;
  const cuts = new Map<number, CacheTtl | undefined>();
  for (const m of marks) {
    const at = m.offset ?? text.length;
    if (!Number.isInteger(at) || at < 1 || at > text.length) {
      throw invalid(
        `A cache breakpoint in ${where} is at character ${at}, outside its text (1 to ${text.length}).`,
        { offset: at },
      );
    }
    cuts.set(at, m.ttl ?? cuts.get(at));
  }
  const out: AnthropicTextBlock[] = [];
  let start = 0;
  for (const at of [...cuts.keys()].sort((a, b) => a - b)) {
    out.push({ type: 'text', text: text.slice(start, at), cache_control: control(cuts.get(at)) });
    start = at;
  }
  if (start < text.length) out.push({ type: 'text', text: text.slice(start) });
  return out;
}

/**
 * The system prompt and messages as Messages API content, with `cache_control` on the blocks the
 * breakpoints name. Fails with INVALID_INPUT on more than 4 breakpoints, one naming something the request
 * lacks, an offset outside its text, or a 1-hour breakpoint after a 5-minute one (the API requires longer
 * lifetimes first).
 */
export function anthropicContent(
  system: string | undefined,
  messages: readonly ChatMessage[],
  breakpoints: readonly CacheBreakpoint[] = [],
  hasTools = false,
): AnthropicContent {
  if (breakpoints.length > MAX_CACHE_BREAKPOINTS) {
    throw invalid(
      `Anthropic takes at most ${MAX_CACHE_BREAKPOINTS} cache breakpoints per request; this one has ${breakpoints.length}.`,
    );
  }
  // the API reads breakpoints in prompt order (tools, system, messages) and wants 1 h ones before 5 min ones
  const order = (b: CacheBreakpoint) =>
    b.at === 'tools'
      ? [0, 0]
      : b.at === 'system'
        ? [1, b.offset ?? Infinity]
        : [2 + b.index, b.offset ?? Infinity];
  const sorted = [...breakpoints].sort((a, b) => {
    const [x1, y1] = order(a);
    const [x2, y2] = order(b);
    return x1! - x2! || y1! - y2!;
  });
  const firstShort = sorted.findIndex((b) => b.ttl !== '1h');
  if (firstShort >= 0 && sorted.slice(firstShort).some((b) => b.ttl === '1h')) {
    throw invalid('A 1-hour cache breakpoint must come before every 5-minute one (Anthropic requires it).');
  }
  const tools = breakpoints.filter((b) => b.at === 'tools');
  if (tools.length > 0 && !hasTools)
    throw invalid('A cache breakpoint names the tools, but the request has none.');
  const sys = breakpoints.filter((b) => b.at === 'system');
  if (sys.length > 0 && !system)
    throw invalid('A cache breakpoint names the system prompt, but there is none.');
  for (const b of breakpoints) {
    if (b.at === 'message' && (!Number.isInteger(b.index) || b.index < 0 || b.index >= messages.length)) {
      throw invalid(`A cache breakpoint names message ${b.index}; the request has ${messages.length}.`, {
        index: b.index,
      });
    }
  }
  return {
    ...(system ? { system: blocks(system, sys, 'the system prompt') } : {}),
    messages: messages.map((m, i) => ({
      role: m.role,
      content: blocks(
        m.content,
        breakpoints.filter((b) => b.at === 'message' && b.index === i),
        `message ${i}`,
      ),
    })),
    ...(tools.length > 0 ? { toolsCacheControl: control(tools.find((t) => t.ttl)?.ttl) } : {}),
  };
}

/**
 * The breakpoint the cache what-if suggests for a prompt sent as the system prompt (or as message `index`):
 * at the end of its cacheable prefix. None when the what-if found nothing worth caching (below the model's
 * minimum, or a model without explicit caching).
 */
export function breakpointsFromWhatIf(
  analysis: Pick<CacheWhatIf, 'breakpoints' | 'meetsMinimum'>,
  options: { ttl?: CacheTtl; message?: number } = {},
): CacheBreakpoint[] {
  const bp = analysis.meetsMinimum ? analysis.breakpoints[analysis.breakpoints.length - 1] : undefined;
  if (!bp || bp.offset < 1) return [];
  const ttl = options.ttl ? { ttl: options.ttl } : {};
  return options.message === undefined
    ? [{ at: 'system', offset: bp.offset, ...ttl }]
    : [{ at: 'message', index: options.message, offset: bp.offset, ...ttl }];
}
