import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { StubHttpError } from './stubRoutes';

/**
 * OpenAI's `POST /v1/embeddings` for the stub: honest usage (tokens counted with the stub's tokenizer) and
 * deterministic vectors in which texts sharing tokens point the same way (each token adds ±1 to a hashed
 * dimension, then the vector is made unit length), so similarity tests mean something. Floats or base64
 * (little-endian float32), as the request's `encoding_format` asks; the openai SDK asks for base64.
 */

const DEFAULT_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** The stub's vector for `text`. */
export function stubEmbedding(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const t of encode(text, { disallowedSpecial: new Set() })) {
    // a cheap integer hash: spreads token ids over dimensions and signs
    const h = Math.imul(t ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    v[h % dimensions]! += h & 0x10000 ? 1 : -1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** The embeddings answer for a request body (throws the API's 400s on what it would refuse). */
export function stubEmbeddingsReply(body: unknown): unknown {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '')
    throw new StubHttpError(400, 'you must provide a model parameter');
  const input = typeof b.input === 'string' ? [b.input] : b.input;
  if (!Array.isArray(input) || input.length === 0 || input.some((t) => typeof t !== 'string' || t === '')) {
    throw new StubHttpError(
      400,
      "'input' must be a non-empty string or a non-empty array of non-empty strings.",
    );
  }
  const dims = b.dimensions ?? DEFAULT_DIMENSIONS[b.model] ?? 1536;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1) {
    throw new StubHttpError(400, "Invalid 'dimensions': expected a positive integer.");
  }
  const format = b.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw new StubHttpError(400, "Invalid 'encoding_format': expected 'float' or 'base64'.");
  }
  let tokens = 0;
  const data = (input as string[]).map((text, index) => {
    tokens += encode(text, { disallowedSpecial: new Set() }).length;
    const vector = stubEmbedding(text, dims);
    const embedding =
      format === 'base64' ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  return { object: 'list', data, model: b.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}
