import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { ok } from '../support/fixtures';

let backend: Backend;
beforeEach(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-reorder-'));
  backend = createBackend({ host: 'cli', dataDir, watch: false });
});
afterEach(() => backend.dispose());

// a variable first, then well over 1,024 tokens of static instructions a cache could serve
const topics = ['flight', 'hotel', 'train', 'car', 'cruise', 'museum', 'tour', 'beach', 'mountain', 'city'];
const TEXT = `Today is {{date}}.\n\n${Array.from(
  { length: 80 },
  (_, i) =>
    `Explain the ${topics[i % 10]} choices with care and warmth, then offer help with the ${topics[(i + 3) % 10]} questions as well.`,
).join('\n\n')}\n`;
const pipeline = { version: 1, steps: [{ strategy: 'cache.reorder' }] };

describe('compress.run with cache.reorder', () => {
  it('adds the cache what-if before and after the move for the named model', async () => {
    const r = await ok(call(backend, 'compress.run', { text: TEXT, pipeline, model: 'gpt-4o' }));
    expect(r.text.endsWith('\n\nToday is {{date}}.\n')).toBe(true);
    expect(r.cacheReorder).toMatchObject({ model: 'gpt-4o', applied: true });
    expect(r.cacheReorder!.before.cachedTokensOnHit).toBe(0);
    expect(r.cacheReorder!.after.cachedTokensOnHit).toBeGreaterThanOrEqual(1024);
    expect(r.cacheReorder!.after.savingPerRequestUsd!).toBeGreaterThan(0);
    const insert = r.stages.flatMap((s) => s.edits).find((e) => e.ruleId === 'move.insert')!;
    expect(insert.suggestion?.prefixChars).toEqual({ before: 0, after: r.cacheReorder!.after.prefixChars });
  });

  it('leaves it out without a model, or when nothing was proposed', async () => {
    const noModel = await ok(call(backend, 'compress.run', { text: TEXT, pipeline }));
    expect(noModel.cacheReorder).toBeUndefined();
    const noMove = await ok(call(backend, 'compress.run', { text: 'Be kind.\n', pipeline, model: 'gpt-4o' }));
    expect(noMove.cacheReorder).toBeUndefined();
  });

  it('lists both proposals with kind "suggestion", off in the default pipeline', async () => {
    const r = await ok(call(backend, 'compress.strategies', {}));
    for (const id of ['structured.output', 'cache.reorder']) {
      expect(r.strategies.find((s) => s.id === id)).toMatchObject({
        kind: 'suggestion',
        defaultEnabled: false,
      });
      expect(r.defaultPipeline.steps.find((s) => s.strategy === id)?.enabled).toBe(false);
    }
  });
});
