import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { get_encoding } from 'tiktoken';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { ok } from '../support/fixtures';

const o200k = get_encoding('o200k_base');
// the telecom manual has filler and loose formatting to remove (the airline policy is already compact)
const PROMPT = path.resolve('resources/sample-workspace/prompts/telecom-tech-support-manual.md');
let backend: Backend;
let wsDir: string;

beforeEach(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-cmp-'));
  wsDir = await mkdtemp(path.join(os.tmpdir(), 'pp-cmpws-'));
  backend = createBackend({ host: 'cli', dataDir, watch: false });
});
afterEach(() => backend.dispose());

describe('compress routes', () => {
  it('lists the strategies with their option schemas and the default pipeline', async () => {
    const r = await ok(call(backend, 'compress.strategies', {}));
    const ids = r.strategies.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining(['format.whitespace', 'format.markdown', 'rules.filler', 'rules.dedupe']),
    );
    for (const s of r.strategies) expect(s.optionsSchema).toMatchObject({ type: 'object' });
    expect(r.defaultPipeline.steps.length).toBe(r.strategies.length);
  });

  it('compresses a real prompt with exact totals, verified guards and the saving priced for a model', async () => {
    const text = await readFile(PROMPT, 'utf8');
    const r = await ok(call(backend, 'compress.run', { text, model: 'gpt-4o' }));
    expect(r.totals.tokensBefore).toBe(o200k.encode(text, [], []).length);
    expect(r.totals.tokensAfter).toBe(o200k.encode(r.text, [], []).length);
    expect(r.totals.saved).toBe(r.totals.tokensBefore - r.totals.tokensAfter);
    expect(r.totals.saved).toBeGreaterThan(0);
    expect(r.guardReport.verified).toBe(true);
    expect(r.savedUsdPerRequest).toBeCloseTo((r.totals.saved * 2.5) / 1e6, 12);
    // idempotent through the route too
    const again = await ok(call(backend, 'compress.run', { text: r.text }));
    expect(again.text).toBe(r.text);
  });

  it('leaves out an edit the user rejected', async () => {
    const text = 'Please note that the fee is $5.   \n\n\n\nIn order to book, call us.\n';
    const first = await ok(call(backend, 'compress.run', { text }));
    const edit = first.stages.flatMap((s) => s.edits).find((e) => e.strategy === 'rules.filler');
    expect(edit).toBeDefined();
    const second = await ok(call(backend, 'compress.run', { text, rejected: [edit!.id] }));
    expect(second.text).toContain(edit!.before);
    expect(second.stages.flatMap((s) => s.rejected).map((e) => e.id)).toContain(edit!.id);
  });

  it('refuses a pipeline with an unknown strategy, naming the step', async () => {
    const r = await call(backend, 'compress.run', {
      text: 'x',
      pipeline: { version: 1, steps: [{ strategy: 'nope.nothing' }] },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message).toContain('steps[0]');
    }
  });

  it('saves and loads .pipeline.json files in the workspace, with coded errors for bad ones', async () => {
    await ok(call(backend, 'workspace.open', { path: wsDir }));
    const pipeline = {
      version: 1,
      name: 'Lean',
      steps: [{ strategy: 'format.whitespace', enabled: true, options: {} }],
    };
    await ok(call(backend, 'compress.savePipeline', { path: 'pipelines/lean.pipeline.json', pipeline }));
    expect(JSON.parse(await readFile(path.join(wsDir, 'pipelines/lean.pipeline.json'), 'utf8'))).toEqual(
      pipeline,
    );
    expect(
      (await ok(call(backend, 'compress.loadPipeline', { path: 'pipelines/lean.pipeline.json' }))).pipeline,
    ).toEqual(pipeline);
    await writeFile(path.join(wsDir, 'broken.pipeline.json'), '{ "version": 1,\n  "steps": [ }');
    const broken = await call(backend, 'compress.loadPipeline', { path: 'broken.pipeline.json' });
    expect(broken.ok ? null : broken.error.code).toBe('PARSE_ERROR');
    const wrongName = await call(backend, 'compress.savePipeline', { path: 'lean.json', pipeline });
    expect(wrongName.ok ? null : wrongName.error.code).toBe('INVALID_INPUT');
  });

  it("applies the workspace's own phrase rules over the bundled ones", async () => {
    await mkdir(path.join(wsDir, 'rules'));
    await writeFile(
      path.join(wsDir, 'rules/filler.en.json'),
      JSON.stringify([
        {
          id: 'en.custom-synergy',
          pattern: 'leverage synergies to ',
          replacement: '',
          reason: 'team jargon',
          caseInsensitive: true,
        },
      ]),
    );
    await ok(call(backend, 'workspace.open', { path: wsDir }));
    const r = await ok(
      call(backend, 'compress.run', { text: 'Always leverage synergies to answer in English.\n' }),
    );
    expect(r.text).toBe('Always answer in English.\n');
  });
});
