import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { OPENAI_STUB_FRAMING } from './stubOpenAi';

/**
 * OpenAI's automatic prompt caching as the stub simulates it, by the published rules
 * (https://platform.openai.com/docs/guides/prompt-caching): prompts of 1,024 tokens or more are cached; a
 * later prompt of 1,024 or more reads the longest prefix it shares with a cached one, counted in
 * `prompt_tokens_details.cached_tokens` as the first 1,024 tokens plus whole 128-token steps; an entry
 * lives 5 minutes from its last use (OpenAI says 5–10, up to an hour off-peak), per organisation (here: key)
 * and model. The prompt is the stub's own token sequence (stubOpenAi.ts), framing tokens included, so the
 * cached count never exceeds prompt_tokens.
 */

const MIN = 1024;
const STEP = 128;
const TTL_MS = 5 * 60_000;

/** Stand-ins for the framing tokens (role markers, reply priming), distinct from every real token id. */
const FRAME = [-1, -2, -3];
const PRIME = [-4, -5, -6];

const enc = (text: string) => encode(text, { disallowedSpecial: new Set() });

/**
 * The prompt of a chat request as the stub's token sequence: per message its framing, role and content
 * (and name), then the tokens priming the reply. Its length is the stub's prompt_tokens.
 */
export function openAiPromptSequence(
  messages: Array<{ role: string; content: string; name?: string }>,
): number[] {
  const out: number[] = [];
  for (const m of messages) {
    out.push(...FRAME.slice(0, OPENAI_STUB_FRAMING.perMessage), ...enc(m.role), ...enc(m.content));
    if (m.name !== undefined) out.push(-7, ...enc(m.name));
  }
  out.push(...PRIME.slice(0, OPENAI_STUB_FRAMING.perReply));
  return out;
}

/** Cached tokens for a shared prefix of `shared` tokens: 1,024 plus whole 128-token steps, or 0. */
export function cachedTokensFor(shared: number): number {
  return shared < MIN ? 0 : MIN + Math.floor((shared - MIN) / STEP) * STEP;
}

/** The automatic prompt cache of one stub server; `now` is its clock. */
export class OpenAiPromptCache {
  private readonly entries: Array<{ scope: string; tokens: number[]; expiresAt: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Cached tokens for this prompt, and the prompt remembered for the next ones. */
  apply(scope: string, tokens: number[]): number {
    if (tokens.length < MIN) return 0;
    const now = this.now();
    let best = 0;
    let bestEntry: (typeof this.entries)[number] | undefined;
    let same: (typeof this.entries)[number] | undefined;
    for (const e of this.entries) {
      if (e.scope !== scope || e.expiresAt <= now) continue;
      let n = 0;
      const max = Math.min(e.tokens.length, tokens.length);
      while (n < max && e.tokens[n] === tokens[n]) n++;
      if (n > best) {
        best = n;
        bestEntry = e;
      }
      if (n === tokens.length && n === e.tokens.length) same = e;
    }
    const cached = cachedTokensFor(best);
    if (cached > 0 && bestEntry) bestEntry.expiresAt = now + TTL_MS;
    if (same) same.expiresAt = now + TTL_MS;
    else this.entries.push({ scope, tokens, expiresAt: now + TTL_MS });
    return cached;
  }
}
