/**
 * Token counting is a port: the engine knows encodings and models, the host supplies the implementation
 * (tiktoken's WASM build in Node, a pure-JS encoder in the renderer). Every implementation must agree token
 * for token on the encodings it claims to support.
 */
export const ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
export type EncodingId = (typeof ENCODINGS)[number];

export interface Tokenizer {
  /** Implementation id shown with every count it makes (e.g. "gpt-tokenizer", "tiktoken"). */
  readonly id: string;
  /** Which encodings this implementation counts exactly. */
  readonly encodings: readonly EncodingId[];
  /** Number of tokens of `text` under `encoding`; special-token text is counted as ordinary text. */
  count(text: string, encoding: EncodingId): number;
}

/** Where a token count came from; every number the user sees carries one. */
export type CountMethod = 'exact' | 'estimate' | 'provider-reported';

export function isEncodingId(value: string): value is EncodingId {
  return (ENCODINGS as readonly string[]).includes(value);
}
