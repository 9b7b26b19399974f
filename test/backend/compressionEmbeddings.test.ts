import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE, type Pipeline } from '../../src/core/compression';
import { createGptTokenizer } from '../../src/core/tokens/gptTokenizer';
import { createBackend, loadCatalog, type Backend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { compressionHandlers } from '../../src/backend/services/compression';
import { createEmbeddingsService } from '../../src/backend/services/embeddings';
import { ok } from '../support/fixtures';

// a real policy line (tau-bench retail), the same rule in other words, and an unrelated line of that policy
const LINE =
  'The user needs to confirm the order id, the list of items to be returned, and a payment method to receive the refund.';
const RESTATED =
  'Ask the user to confirm the order id, which items they are returning, and the payment method for the refund.';
const UNRELATED = 'Each user has a profile of its email, default address, user id, and payment methods.';
const TEXT = `${LINE}\n${UNRELATED}\n${RESTATED}\n`;
const dedupe = (byMeaning: boolean): Pipeline => ({
  version: 1,
  steps: [{ strategy: 'rules.dedupe', options: { byMeaning } }],
});

// real CLINC150 test utterances (CC-BY-3.0): three intents, the first example a translate one
const DEMOS = [
  ['how would you say fly in italian', 'translate'],
  ['what is the weather like', 'weather'],
  ['how do you say fast in spanish', 'translate'],
  ['show me what the weather is like', 'weather'],
  ['start the timer', 'timer'],
  ['how does one say wonderful in german', 'translate'],
  ['could you set a timer', 'timer'],
];
const FEW_SHOT =
  "Classify the intent of the user's request.\n\n" +
  DEMOS.map(([u, i]) => `Input: ${u}\nOutput: ${i}\n`).join('\n') +
  '\nInput: {request}\nOutput:\n';

let backend: Backend;
beforeAll(async () => {
  backend = createBackend({
    host: 'cli',
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'pp-emb-')),
    watch: false,
  });
});
afterAll(() => backend.dispose());

/** compress.run over the real handlers with an embeddings service of the test's choosing. */
function handlersWith(embeddings: ReturnType<typeof createEmbeddingsService>) {
  const resourcesDir = path.resolve('resources');
  const catalog = loadCatalog(resourcesDir);
  return compressionHandlers({
    resourcesDir,
    tokenizer: createGptTokenizer(),
    getCatalog: async () => catalog,
    workspaceRoot: () => null,
    embeddings,
  });
}

describe('compress.run with sentence embeddings (bundled model)', () => {
  it('drops a restated line that matching by wording keeps', async () => {
    const lexical = await ok(call(backend, 'compress.run', { text: TEXT, pipeline: dedupe(false) }));
    expect(lexical.text).toBe(TEXT);
    const r = await ok(call(backend, 'compress.run', { text: TEXT, pipeline: dedupe(true) }));
    expect(r.warnings).toBeUndefined();
    expect(r.text).toBe(`${LINE}\n${UNRELATED}\n`);
    const edit = r.stages.flatMap((s) => s.edits)[0]!;
    expect(edit).toMatchObject({ ruleId: 'line.similar', duplicateOf: { line: 1 } });
    expect(edit.tokensSaved).toBeGreaterThan(15);
    expect(r.guardReport.verified).toBe(true);
    // the output is a fixed point, and the second run finds every vector in the cache
    const again = await ok(call(backend, 'compress.run', { text: r.text, pipeline: dedupe(true) }));
    expect(again.text).toBe(r.text);
  }, 60_000);

  it('keeps one few-shot example per intent, chosen by meaning', async () => {
    const pipeline: Pipeline = { version: 1, steps: [{ strategy: 'rules.examples', options: { keep: 3 } }] };
    const r = await ok(call(backend, 'compress.run', { text: FEW_SHOT, pipeline }));
    const kept = DEMOS.filter(([u]) => r.text.includes(`Input: ${u}\n`));
    expect(kept[0]).toEqual(DEMOS[0]);
    expect(kept.map(([, intent]) => intent).sort()).toEqual(['timer', 'translate', 'weather']);
    const edits = r.stages.flatMap((s) => s.edits);
    expect(edits).toHaveLength(4);
    for (const e of edits) expect(e.reason).toContain('similarity by meaning');
    expect(r.text).toContain('Input: {request}\nOutput:\n');
  }, 60_000);

  it('loads no model for a pipeline that does not compare by meaning', async () => {
    let loads = 0;
    const handlers = handlersWith(
      createEmbeddingsService({
        loader: async () => {
          loads++;
          throw new Error('not expected');
        },
      }),
    );
    const r = await handlers['compress.run']({ text: TEXT, pipeline: DEFAULT_PIPELINE });
    expect(loads).toBe(0);
    expect(r.warnings).toBeUndefined();
  });

  it('falls back to wording, with a warning, when the model cannot load', async () => {
    const handlers = handlersWith(
      createEmbeddingsService({
        loader: async () => {
          throw new Error('model.json not found');
        },
      }),
    );
    const r = await handlers['compress.run']({ text: TEXT + `${LINE}\n`, pipeline: dedupe(true) });
    // the exact repeat still goes; the restated line stays
    expect(r.text).toBe(TEXT);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings![0]).toMatch(/compared by wording.*could not be loaded \(model\.json not found\)/);
  });
});
