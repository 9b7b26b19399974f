import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import type { EncodingId, Tokenizer } from './tokenizer';

/** Special-token text in a prompt is ordinary text to the API, so nothing is disallowed or special. */
const NONE = new Set<string>();

const COUNTERS: Record<EncodingId, (text: string) => number> = {
  o200k_base: (text) => countO200k(text, { disallowedSpecial: NONE }),
  cl100k_base: (text) => countCl100k(text, { disallowedSpecial: NONE }),
};

/**
 * The default exact tokenizer: gpt-tokenizer, pure JavaScript, so the same code counts in Node and in the
 * renderer. It was the fastest of the three exact implementations measured in bench/tokenizers.bench.ts,
 * and test/core/tokenizers.test.ts checks it token for token against tiktoken and js-tiktoken.
 */
export function createGptTokenizer(): Tokenizer {
  return {
    id: 'gpt-tokenizer',
    encodings: ['o200k_base', 'cl100k_base'],
    count: (text, encoding) => COUNTERS[encoding](text),
  };
}
