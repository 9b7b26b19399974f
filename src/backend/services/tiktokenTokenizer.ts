import { get_encoding, type Tiktoken } from 'tiktoken';
import { ENCODINGS, type EncodingId, type Tokenizer } from '../../core/tokens/tokenizer';

/**
 * The Node implementation of the tokenizer port: OpenAI's tiktoken (Rust compiled to WASM). Encoders are
 * created once per encoding and shared by every backend in the process (each holds megabytes of ranks).
 */
const encoders = new Map<EncodingId, Tiktoken>();

export function createTiktokenTokenizer(): Tokenizer {
  const encoder = (id: EncodingId): Tiktoken => {
    let enc = encoders.get(id);
    if (!enc) {
      enc = get_encoding(id);
      encoders.set(id, enc);
    }
    return enc;
  };
  return {
    id: 'tiktoken',
    encodings: ENCODINGS,
    // Special-token text such as "<|endoftext|>" in a user's prompt is ordinary text to the API, so it is
    // counted as text (disallowed_special = none).
    count: (text, id) => encoder(id).encode(text, [], []).length,
  };
}
