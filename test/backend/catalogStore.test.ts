import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { ok } from '../support/fixtures';

const SAMPLE = path.resolve('test/fixtures/litellm/model_prices_sample.json');
let dataDir: string;
let backend: Backend;
const opened: Backend[] = [];

function open(): Backend {
  const b = createBackend({ host: 'cli', dataDir, watch: false });
  opened.push(b);
  return b;
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-catalog-'));
  backend = open();
});
afterEach(() => opened.splice(0).forEach((b) => b.dispose()));

async function failure(p: Promise<{ ok: boolean; error?: unknown }>) {
  const r = await p;
  expect(r.ok).toBe(false);
  return (r as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;
}

const list = async (b: Backend = backend) => (await ok(call(b, 'models.list', {}))).models;

async function writeTmp(name: string, content: string): Promise<string> {
  const file = path.join(dataDir, name);
  await writeFile(file, content);
  return file;
}

describe('LiteLLM import', () => {
  it('adds models that are listed, persisted for the next backend and usable for counting', async () => {
    const before = await list();
    expect(before.some((m) => m.id === 'azure/gpt-4o-mini')).toBe(false);

    const r = await ok(call(backend, 'models.importLiteLlm', { path: SAMPLE }));
    expect(r.added).toContain('azure/gpt-4o-mini');
    expect(r.updated).toEqual(expect.arrayContaining(['gpt-4o', 'claude-sonnet-4-5']));
    expect(r.skipped).toBeGreaterThan(0); // sample_spec, embeddings, images, audio, per-character prices
    expect(r.total).toBe(before.length + r.added.length);

    const after = await list();
    expect(after).toHaveLength(r.total);
    expect(after.find((m) => m.id === 'azure/gpt-4o-mini')).toMatchObject({
      provider: 'openai',
      host: 'azure',
      origin: 'litellm',
      inputPerMTok: 0.165,
      tokenCountMethod: 'exact',
      countWith: 'o200k_base',
    });

    const again = open();
    expect((await list(again)).map((m) => m.id)).toEqual(after.map((m) => m.id));
    const count = await ok(
      call(again, 'tokens.count', { text: 'Hello, catalog.', model: 'azure/gpt-4o-mini' }),
    );
    expect(count.method).toBe('exact');
    expect(count.cost.usd).toBeCloseTo((count.tokens * 0.165) / 1e6, 15);
  });

  it('refuses a file that is not JSON with PARSE_ERROR, line and column, and keeps the catalog', async () => {
    await ok(call(backend, 'models.importLiteLlm', { path: SAMPLE }));
    const before = await list();
    const bad = await writeTmp('prices.json', '{\n  "gpt-x": {\n    "mode": "chat",,\n  }\n}\n');
    const error = await failure(call(backend, 'models.importLiteLlm', { path: bad }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toContain('prices.json');
    expect(error.details).toMatchObject({ line: 3, column: expect.any(Number) });
    expect(error.message).toMatch(/line 3, column \d+/);
    expect(await list()).toEqual(before);
    expect(await list(open())).toEqual(before);
  });

  it('refuses a negative price with PARSE_ERROR naming the key and field, and keeps the catalog', async () => {
    const before = await list();
    const bad = await writeTmp(
      'neg.json',
      JSON.stringify({
        'gpt-4o': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, max_input_tokens: 128000 },
        'cheap-model': {
          litellm_provider: 'openai',
          mode: 'chat',
          input_cost_per_token: -1e-6,
          output_cost_per_token: 2e-6,
          max_input_tokens: 8000,
        },
      }),
    );
    const error = await failure(call(backend, 'models.importLiteLlm', { path: bad }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.details).toMatchObject({ key: 'cheap-model', field: 'input_cost_per_token' });
    expect(error.message).toContain('cheap-model');
    expect(error.message).toContain('input_cost_per_token');
    expect(await list()).toEqual(before);
  });

  it('reports a missing file as FILE_NOT_FOUND', async () => {
    const error = await failure(
      call(backend, 'models.importLiteLlm', { path: path.join(dataDir, 'nope.json') }),
    );
    expect(error.code).toBe('FILE_NOT_FOUND');
  });
});

describe("the user's models", () => {
  const gpt4oMonthly = async (b: Backend = backend) => {
    const { rows } = await ok(
      call(b, 'cost.estimate', { text: 'Summarise the ticket.', models: ['gpt-4o'] }),
    );
    return rows[0]!;
  };

  it('applies a partial override of a bundled price to cost.estimate, and keeps it across restarts', async () => {
    const before = await gpt4oMonthly();
    expect(
      await ok(call(backend, 'models.setUserModels', { models: [{ id: 'gpt-4o', inputPerMTok: 5 }] })),
    ).toMatchObject({ total: (await list()).length });
    const after = await gpt4oMonthly();
    const extraInput = (after.tokens * (5 - 2.5)) / 1e6;
    expect(after.perRequestUsd! - before.perRequestUsd!).toBeCloseTo(extraInput, 12);
    const entry = (await list()).find((m) => m.id === 'gpt-4o')!;
    expect(entry).toMatchObject({ inputPerMTok: 5, outputPerMTok: 10, origin: 'user', label: 'GPT-4o' });
    expect((await gpt4oMonthly(open())).perRequestUsd).toBeCloseTo(after.perRequestUsd!, 15);
  });

  it('refuses a negative price with INVALID_INPUT naming the field, keeping the previous catalog', async () => {
    await ok(call(backend, 'models.setUserModels', { models: [{ id: 'gpt-4o', inputPerMTok: 5 }] }));
    const before = await list();
    const error = await failure(
      call(backend, 'models.setUserModels', { models: [{ id: 'gpt-4o', outputPerMTok: -1 }] }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details).toMatchObject({ field: 'outputPerMTok', id: 'gpt-4o' });
    expect(error.message).toContain('outputPerMTok');
    expect(await list()).toEqual(before);
    expect(await list(open())).toEqual(before); // nothing invalid was saved either
    const row = await gpt4oMonthly();
    expect(row.perRequestUsd).toBeCloseTo((row.tokens * 5 + 500 * 10) / 1e6, 12);
  });
});

describe('models.userModels', () => {
  const user = async (b: Backend = backend) => (await ok(call(b, 'models.userModels', {}))).models;

  it('starts empty, returns the stored list as saved, and keeps it across restarts', async () => {
    expect(await user()).toEqual([]);
    const models = [
      { id: 'gpt-4o', inputPerMTok: 10 },
      { id: 'claude-sonnet-4-5', outputPerMTok: null },
    ];
    await ok(call(backend, 'models.setUserModels', { models }));
    expect(await user()).toEqual(models); // as given: no origin added, no fields filled in
    expect(await user(open())).toEqual(models);
  });

  it('is unchanged by a refused list and by a LiteLLM import', async () => {
    const models = [{ id: 'gpt-4o', inputPerMTok: 10 }];
    await ok(call(backend, 'models.setUserModels', { models }));
    await failure(call(backend, 'models.setUserModels', { models: [{ id: 'gpt-4o', inputPerMTok: -1 }] }));
    expect(await user()).toEqual(models);
    await ok(call(backend, 'models.importLiteLlm', { path: SAMPLE }));
    expect(await user()).toEqual(models);
    // the override still wins over the imported gpt-4o price
    expect((await list()).find((m) => m.id === 'gpt-4o')).toMatchObject({ inputPerMTok: 10, origin: 'user' });
  });

  it('hands out a copy: editing the answer does not change the catalog in force', async () => {
    await ok(call(backend, 'models.setUserModels', { models: [{ id: 'gpt-4o', inputPerMTok: 10 }] }));
    const answer = await user();
    (answer[0] as { inputPerMTok: number }).inputPerMTok = 99;
    expect(await user()).toEqual([{ id: 'gpt-4o', inputPerMTok: 10 }]);
  });

  it('refuses any input', async () => {
    const error = await failure(call(backend, 'models.userModels', { models: [] }));
    expect(error.code).toBe('INVALID_INPUT');
  });
});

describe('the overrides file on disk', () => {
  it.each([
    ['not JSON', '{ "version": 1, "litellm": nul'],
    ['the wrong shape', JSON.stringify({ version: 7, user: 'everything' })],
    [
      'an entry that no longer composes',
      JSON.stringify({ version: 1, litellm: null, user: [{ id: 'gpt-4o', inputPerMTok: -3 }] }),
    ],
  ])('sets aside a file that is %s and uses the bundled catalog', async (_name, content) => {
    const bundled = await list();
    await writeFile(path.join(dataDir, 'catalog-overrides.json'), content);
    const fresh = open();
    expect(await list(fresh)).toEqual(bundled);
    const names = await readdir(dataDir);
    expect(names).not.toContain('catalog-overrides.json');
    const aside = names.find((n) => n.startsWith('catalog-overrides.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(path.join(dataDir, aside!), 'utf8')).toBe(content);
    // the next change starts from the bundled catalog, not from the set-aside entries
    await ok(call(fresh, 'models.setUserModels', { models: [{ id: 'gpt-4o', inputPerMTok: 4 }] }));
    expect((await list(fresh)).find((m) => m.id === 'gpt-4o')!.inputPerMTok).toBe(4);
  });

  it('gives every route called at start-up the saved catalog, even when they run at once', async () => {
    await ok(call(backend, 'models.setUserModels', { models: [{ id: 'gpt-4o', inputPerMTok: 7 }] }));
    const fresh = open();
    const [a, b] = await Promise.all([
      ok(call(fresh, 'tokens.count', { text: 'x', model: 'gpt-4o' })),
      ok(call(fresh, 'tokens.count', { text: 'x', model: 'gpt-4o' })),
    ]);
    expect([a.cost.perMTok, b.cost.perMTok]).toEqual([7, 7]);
  });
});
