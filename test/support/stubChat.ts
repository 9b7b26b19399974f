import { countTokens, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * What a test's script sees of a chat request, the same for Anthropic Messages and OpenAI Chat Completions:
 * the stub's replies are a function of the request, so one script serves both providers.
 */
export interface ChatScriptRequest {
  provider: 'anthropic' | 'openai';
  model: string;
  system: string | undefined;
  messages: Array<{ role: string; content: string }>;
  /** The request's output limit (`max_tokens`, or OpenAI's `max_completion_tokens`). */
  maxTokens: number | undefined;
  /** Stop sequences (Anthropic's `stop_sequences`, OpenAI's `stop`): the text ends before the first one. */
  stop?: string[];
  /** The raw JSON body. */
  body: unknown;
}

/**
 * A scripted answer: the text, the text with a stop reason of the script's choosing, or a value sent as its
 * JSON text (for JSON-mode and JSON-schema requests).
 */
export type ChatScriptReply =
  string | { text: string; stop?: 'end' | 'max_tokens' | 'refusal' } | { json: unknown };

/** The per-test script. */
export type ChatScript = (req: ChatScriptRequest) => ChatScriptReply;

/**
 * The default script answers with a label that cannot be mistaken for a model's answer: the stub is a test
 * tool, and nothing it says should ever pass as a real model's output.
 */
export const DEFAULT_CHAT_SCRIPT: ChatScript = () => '[stub reply: no script for this test]';

/** Tokens as the stub counts them: o200k_base, a real tokenizer standing in for each provider's own. */
export const stubCount = (text: string) => countTokens(text, { disallowedSpecial: new Set() });

/**
 * Runs the script and applies the output limit the way the APIs do: text longer than `maxTokens` is cut
 * there and the stop reason says so.
 */
export function runChatScript(
  script: ChatScript,
  req: ChatScriptRequest,
): {
  text: string;
  outputTokens: number;
  stop: 'end' | 'max_tokens' | 'refusal' | 'stop_sequence';
  /** The stop sequence that ended it, when one did. */
  stopSequence?: string;
} {
  const reply = script(req);
  const scripted =
    typeof reply === 'string'
      ? { text: reply }
      : 'json' in reply
        ? { text: JSON.stringify(reply.json) }
        : reply;
  let { text } = scripted;
  const stop = 'stop' in scripted && scripted.stop ? scripted.stop : 'end';
  // the earliest stop sequence ends the text, as the APIs do (the sequence itself is not returned)
  const hit = (req.stop ?? [])
    .map((s) => ({ s, at: s === '' ? -1 : text.indexOf(s) }))
    .filter((h) => h.at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  if (hit) text = text.slice(0, hit.at);
  const tokens = encode(text, { disallowedSpecial: new Set() });
  if (req.maxTokens !== undefined && tokens.length > req.maxTokens) {
    return { text: decode(tokens.slice(0, req.maxTokens)), outputTokens: req.maxTokens, stop: 'max_tokens' };
  }
  if (hit) return { text, outputTokens: tokens.length, stop: 'stop_sequence', stopSequence: hit.s };
  return { text, outputTokens: tokens.length, stop };
}
