import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The worked example of the OpenAI cookbook "How to count tokens with tiktoken", whose counts the cookbook
 * checks against the API's reported prompt_tokens: 129 on cl100k_base (gpt-3.5-turbo, gpt-4), 124 on
 * o200k_base (gpt-4o family).
 */
export const COOKBOOK_MESSAGES: Array<{ role: string; name?: string; content: string }> = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../fixtures/openai-cookbook-messages.json'), 'utf8'),
);

/** Unwraps a route result, failing the test with the coded error when it is not ok. */
export async function ok<T>(
  p: Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}
