import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import { ok } from '../support/fixtures';

const TEXT =
  '# Support\n\nPlease note that the fee is $5.   \n\n\n\nIn order to book, call us.\nNever share the {{account_id}}.\n';
let backend: Backend;
let wsDir: string;

beforeEach(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-exp-'));
  wsDir = await mkdtemp(path.join(os.tmpdir(), 'pp-expws-'));
  await writeFile(path.join(wsDir, 'support.md'), TEXT);
  backend = createBackend({ host: 'cli', dataDir, watch: false });
  await ok(call(backend, 'workspace.open', { path: wsDir }));
});
afterEach(() => backend.dispose());

const outputs = {
  compressed: 'support.compressed.md',
  pipeline: 'pipelines/support.pipeline.json',
  report: 'support.compression-report.md',
};

describe('compress.export', () => {
  it('writes the compressed prompt (without the rejected edit), the pipeline and a report', async () => {
    const run = await ok(call(backend, 'compress.run', { text: TEXT }));
    const filler = run.stages.flatMap((s) => s.edits).find((e) => e.strategy === 'rules.filler')!;
    const r = await ok(
      call(backend, 'compress.export', {
        source: 'support.md',
        text: TEXT,
        rejected: [filler.id],
        models: ['gpt-4o'],
        outputs,
      }),
    );
    expect(r.written.map((w) => w.kind)).toEqual(['compressed', 'pipeline', 'report']);
    const compressed = await readFile(path.join(wsDir, outputs.compressed), 'utf8');
    const again = await ok(call(backend, 'compress.run', { text: TEXT, rejected: [filler.id] }));
    expect(compressed).toBe(again.text);
    expect(compressed).toContain(filler.before);
    expect(compressed).toContain('{{account_id}}');
    expect(r.tokensAfter).toBe(again.totals.tokensAfter);
    const pipeline = JSON.parse(await readFile(path.join(wsDir, outputs.pipeline), 'utf8'));
    expect(pipeline.version).toBe(1);
    await ok(call(backend, 'compress.loadPipeline', { path: outputs.pipeline }));
    const report = await readFile(path.join(wsDir, outputs.report), 'utf8');
    expect(report).toContain('# Compression report: support.md');
    expect(report).toContain('## Edits you rejected (1)');
    expect(report).toMatch(/\| GPT-4o \| \$0\.0000\d+ \| \$0\.0000\d+ \| \$0\.\d+ \|/);
  });

  it('refuses to overwrite an existing file unless told to, and then writes nothing', async () => {
    await writeFile(path.join(wsDir, outputs.report), 'mine');
    const r = await call(backend, 'compress.export', { source: 'support.md', text: TEXT, outputs });
    expect(r).toMatchObject({ ok: false, error: { code: 'FILE_EXISTS' } });
    expect(await readdir(wsDir)).not.toContain(outputs.compressed);
    expect(await readFile(path.join(wsDir, outputs.report), 'utf8')).toBe('mine');
    await ok(
      call(backend, 'compress.export', { source: 'support.md', text: TEXT, outputs, overwrite: true }),
    );
    expect(await readFile(path.join(wsDir, outputs.report), 'utf8')).toContain('# Compression report');
  });

  it('refuses bad targets with coded errors: the prompt itself, outside the workspace, wrong kinds, none', async () => {
    const bad = async (o: Record<string, string>, code: string) =>
      expect(
        await call(backend, 'compress.export', { source: 'support.md', text: TEXT, outputs: o }),
      ).toMatchObject({
        ok: false,
        error: { code },
      });
    await bad({ compressed: 'support.md' }, 'INVALID_INPUT');
    await bad({ compressed: '../escape.md' }, 'PATH_OUTSIDE_WORKSPACE');
    await bad({ pipeline: 'p.json' }, 'INVALID_INPUT');
    await bad({ report: 'r.txt' }, 'INVALID_INPUT');
    await bad({ compressed: 'x.exe' }, 'INVALID_INPUT');
    await bad({}, 'INVALID_INPUT');
    expect(await readFile(path.join(wsDir, 'support.md'), 'utf8')).toBe(TEXT);
  });
});

describe('compress.listPipelines', () => {
  it('lists the workspace pipeline files, the exported one included', async () => {
    expect((await ok(call(backend, 'compress.listPipelines', {}))).paths).toEqual([]);
    await ok(
      call(backend, 'compress.export', {
        source: 'support.md',
        text: TEXT,
        outputs: { pipeline: outputs.pipeline },
      }),
    );
    await writeFile(path.join(wsDir, 'notes.json'), '{}');
    expect((await ok(call(backend, 'compress.listPipelines', {}))).paths).toEqual([outputs.pipeline]);
  });
});
