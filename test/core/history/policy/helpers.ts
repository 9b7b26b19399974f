import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequestCounter, type RequestCounter } from '../../../../src/core/history/policy';
import type { HistoryMessage } from '../../../../src/core/history/types';
import { CatalogSchema, findModel, type ModelEntry } from '../../../../src/core/pricing/catalog';
import { createGptTokenizer } from '../../../../src/core/tokens/gptTokenizer';

const gpt = createGptTokenizer();

/** An exact o200k_base request counter (gpt-tokenizer), fresh each call. */
export const o200kCounter = (): RequestCounter => createRequestCounter((t) => gpt.count(t, 'o200k_base'));

/**
 * A counter whose "tokens" are characters: the chat format's framing stays (3 per message, the role, 3 to
 * prime the reply), so a test can compute every figure by hand.
 */
export const charCounter = (): RequestCounter => createRequestCounter((t) => t.length);

export const user = (text: string): HistoryMessage => ({ role: 'user', content: [{ type: 'text', text }] });
export const assistant = (text: string): HistoryMessage => ({
  role: 'assistant',
  content: [{ type: 'text', text }],
});
export const call = (
  id: string,
  name = 'lookup',
  input: unknown = { q: id },
  text?: string,
): HistoryMessage => ({
  role: 'assistant',
  content: [...(text ? [{ type: 'text' as const, text }] : []), { type: 'tool_use', id, name, input }],
});
export const result = (id: string, content: string): HistoryMessage => ({
  role: 'tool',
  content: [{ type: 'tool_result', toolUseId: id, content }],
});

/** The text of a message's blocks, for assertions. */
export const texts = (ms: readonly HistoryMessage[]): string[] =>
  ms.map((m) =>
    m.content
      .map((b) =>
        b.type === 'text'
          ? b.text
          : b.type === 'tool_use'
            ? `call:${b.id}`
            : b.type === 'tool_result'
              ? `result:${b.toolUseId}:${b.content}`
              : b.type,
      )
      .join('|'),
  );

let catalog: ReturnType<typeof CatalogSchema.parse> | undefined;

/** A model of the bundled catalog (resources/models.json). */
export function catalogModel(id: string): ModelEntry {
  catalog ??= CatalogSchema.parse(
    JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../../resources/models.json'), 'utf8')),
  );
  return findModel(catalog, id);
}
