import { createHash } from 'node:crypto';
import { stubCount } from './stubChat';
import { StubHttpError } from './stubRoutes';

/**
 * Anthropic prompt caching as the stub simulates it, by the published rules
 * (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching):
 * - the prompt is read in order tools → system → messages, block by block; a block with `cache_control`
 *   is a breakpoint, and everything up to and including it is a cacheable prefix (at most 4 per request);
 * - a prefix shorter than the model's minimum is not cached (1,024 tokens for Sonnet and Opus 4/4.1, 2,048
 *   for Haiku 3/3.5, 4,096 for Opus 4.5 and Haiku 4.5), even when marked;
 * - on each request the longest live cached prefix at a block boundary up to 20 blocks before a breakpoint
 *   is read (`cache_read_input_tokens`), prefixes at breakpoints beyond it are written
 *   (`cache_creation_input_tokens`, split by lifetime in `cache_creation`), and `input_tokens` is the rest;
 * - an entry lives 5 minutes (or 1 hour with `ttl: "1h"`) from its last use.
 * Tokens are the stub's own count (stubAnthropic.ts), so the three parts add up to its count_tokens.
 */

/** The stub's per-model minimum cacheable prefix, following Anthropic's table. */
export function anthropicMinCacheable(model: string): number {
  if (/opus-4-5|haiku-4-5/.test(model)) return 4096;
  if (/haiku/.test(model)) return 2048;
  return 1024;
}

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
type Ttl = keyof typeof TTL_MS;

/** One block of the prompt in reading order, with the tokens it adds (its framing included). */
export interface PromptSegment {
  /** What identifies the block's content (and its place: role, kind). */
  key: string;
  tokens: number;
  /** Its `cache_control` lifetime, when the block is a breakpoint. */
  breakpoint?: Ttl;
}

export interface CacheUsage {
  input: number;
  read: number;
  write: number;
  write5m: number;
  write1h: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function ttlOf(block: unknown): Ttl | undefined {
  if (!isRecord(block) || !isRecord(block.cache_control)) return undefined;
  const cc = block.cache_control;
  if (cc.type !== 'ephemeral')
    throw new StubHttpError(400, 'cache_control.type: Input should be "ephemeral"');
  if (cc.ttl !== undefined && cc.ttl !== '5m' && cc.ttl !== '1h') {
    throw new StubHttpError(400, "cache_control.ttl: Input should be '5m' or '1h'");
  }
  return (cc.ttl as Ttl | undefined) ?? '5m';
}

/** Tools without their cache_control, as they are counted and compared. */
export function toolsWithoutCacheControl(tools: unknown[]): unknown[] {
  return tools.map((t) => {
    if (!isRecord(t)) return t;
    const { cache_control: _cc, ...rest } = t;
    return rest;
  });
}

/**
 * The prompt of a (validated) Messages body as segments, with framing tokens placed where the stub's count
 * puts them: per request first, per tools with the tools, per system and per message on their first block.
 */
export function anthropicSegments(
  body: Record<string, unknown>,
  framing: { perRequest: number; perMessage: number; perSystem: number; perTools: number },
): PromptSegment[] {
  const out: PromptSegment[] = [{ key: 'request', tokens: framing.perRequest }];
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    const tools = JSON.stringify(toolsWithoutCacheControl(body.tools));
    out.push({
      key: `tools:${tools}`,
      tokens: framing.perTools + stubCount(tools),
      breakpoint: ttlOf(body.tools[body.tools.length - 1]),
    });
  }
  const blocks = (content: unknown, first: number, role: string) => {
    const list = typeof content === 'string' ? [{ type: 'text', text: content }] : (content as unknown[]);
    list.forEach((b, i) => {
      const text = (b as { text: string }).text;
      out.push({
        key: `${role}:${i}:${text}`,
        tokens: (i === 0 ? first : 0) + stubCount(text),
        breakpoint: ttlOf(b),
      });
    });
  };
  if (body.system !== undefined) blocks(body.system, framing.perSystem, 'system');
  for (const m of body.messages as Array<{ role: string; content: unknown }>) {
    blocks(m.content, framing.perMessage, m.role);
  }
  return out;
}

/** A prompt cache for one stub server; `now` is its clock (tests move it to expire entries). */
export class AnthropicPromptCache {
  private readonly entries = new Map<string, { expiresAt: number; ttl: Ttl }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Applies the caching rules to a request's segments: reads and writes entries, returns the usage split. */
  apply(model: string, segments: PromptSegment[]): CacheUsage {
    const marks = segments.flatMap((s, i) => (s.breakpoint ? [i] : []));
    if (marks.length > 4) {
      throw new StubHttpError(
        400,
        `A maximum of 4 blocks with cache_control may be provided. Found ${marks.length}.`,
      );
    }
    const total = segments.reduce((n, s) => n + s.tokens, 0);
    const usage: CacheUsage = { input: total, read: 0, write: 0, write5m: 0, write1h: 0 };
    if (marks.length === 0) return usage;
    const now = this.now();
    const cum: number[] = [];
    const keys: string[] = [];
    let running = 0;
    let hash = createHash('sha256').update(model).digest('hex');
    for (const s of segments) {
      running += s.tokens;
      cum.push(running);
      hash = createHash('sha256').update(hash).update('\u0000').update(s.key).digest('hex');
      keys.push(hash);
    }
    const live = (i: number) => {
      const e = this.entries.get(keys[i]!);
      return e !== undefined && e.expiresAt > now;
    };
    let readAt = -1;
    for (const b of marks) {
      for (let j = b; j >= Math.max(0, b - 19); j--) {
        if (live(j)) {
          readAt = Math.max(readAt, j);
          break;
        }
      }
    }
    if (readAt >= 0) {
      const hit = this.entries.get(keys[readAt]!)!;
      hit.expiresAt = now + TTL_MS[hit.ttl];
      usage.read = cum[readAt]!;
    }
    const min = anthropicMinCacheable(model);
    let from = usage.read;
    for (const b of marks) {
      if (b <= readAt || cum[b]! < min) continue;
      const ttl = segments[b]!.breakpoint!;
      this.entries.set(keys[b]!, { expiresAt: now + TTL_MS[ttl], ttl });
      const part = cum[b]! - from;
      usage.write += part;
      if (ttl === '1h') usage.write1h += part;
      else usage.write5m += part;
      from = cum[b]!;
    }
    usage.input = total - usage.read - usage.write;
    return usage;
  }
}
