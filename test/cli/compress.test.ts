import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { get_encoding } from 'tiktoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANUAL as PROMPT, sandbox, type CliRun } from './support';

const o200k = get_encoding('o200k_base');
let dir: string;
let cli: (argv: string[]) => Promise<CliRun>;

beforeAll(async () => {
  ({ dir, cli } = await sandbox());
});

describe('promptpress compress', () => {
  it('prints exact totals, per-strategy savings and the guard report as JSON, and writes --out', async () => {
    const r = await cli(['compress', PROMPT, '--model', 'gpt-4o', '--out', 'airline.min.md', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const original = await readFile(PROMPT, 'utf8');
    const written = await readFile(path.join(dir, 'airline.min.md'), 'utf8');
    expect(out.totals.tokensBefore).toBe(o200k.encode(original, [], []).length);
    expect(out.totals.tokensAfter).toBe(o200k.encode(written, [], []).length);
    expect(out.totals.saved).toBeGreaterThan(0);
    expect(out.guardReport.verified).toBe(true);
    expect(out.savedUsdPerRequest).toBeCloseTo((out.totals.saved * 2.5) / 1e6, 12);
    expect(out.stages.length).toBeGreaterThan(0);
  });

  it('writes a Markdown report with --report, priced for --model', async () => {
    const r = await cli(['compress', PROMPT, '--model', 'gpt-4o', '--report', 'report.md']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Wrote the report to report.md.');
    const md = await readFile(path.join(dir, 'report.md'), 'utf8');
    const original = await readFile(PROMPT, 'utf8');
    expect(md).toContain(`| original | ${o200k.encode(original, [], []).length} |`);
    expect(md).toMatch(/\| GPT-4o \| \$0\.\d+ \| \$0\.\d+ \| \$\d+\.\d+ \|/);
    expect(md).toContain('## Savings by strategy');
    expect(md).toMatch(/## Edits applied \(\d+\)/);
  });

  it('prints a human summary by default', async () => {
    const r = await cli(['compress', PROMPT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/→ [\d,]+ tokens \(o200k_base, exact\), saved [\d,]+ \(\d+\.\d%\)/);
    expect(r.stdout).toMatch(/Guards: [\d,]+ protected spans/);
  });

  it('exits 2 with --strict when the guards blocked an edit, and 0 without it', async () => {
    // The duplicate line carries "Never": removing it would drop a negation, so the guard blocks it.
    await writeFile(path.join(dir, 'dup.md'), 'Never share the password.\nNever share the password.\n');
    const loose = await cli(['compress', 'dup.md', '--json']);
    expect(loose.code).toBe(0);
    expect(JSON.parse(loose.stdout).blocked.length).toBeGreaterThan(0);
    const strict = await cli(['compress', 'dup.md', '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('--strict');
  });

  it('uses a pipeline file and reports a bad one with a coded error', async () => {
    await writeFile(
      path.join(dir, 'ws.pipeline.json'),
      JSON.stringify({ version: 1, steps: [{ strategy: 'format.whitespace' }] }),
    );
    await writeFile(path.join(dir, 'p.md'), 'Hello   world.   \n\n\n\nIn order to win, try.\n');
    const r = await cli(['compress', 'p.md', '--pipeline', 'ws.pipeline.json', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.stages.every((s: { strategy: string }) => s.strategy === 'format.whitespace')).toBe(true);
    await writeFile(
      path.join(dir, 'bad.pipeline.json'),
      '{ "version": 1, "steps": [ { "strategy": "nope" } ] }',
    );
    const bad = await cli(['compress', 'p.md', '--pipeline', 'bad.pipeline.json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('INVALID_INPUT');
    await writeFile(path.join(dir, 'broken.pipeline.json'), '{ "version": 1,');
    const broken = await cli(['compress', 'p.md', '--pipeline', 'broken.pipeline.json']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('PARSE_ERROR');
  });

  it('fails with coded errors on bad input and bad usage', async () => {
    expect((await cli(['compress', 'missing.md'])).stderr).toContain('FILE_NOT_FOUND');
    expect((await cli(['compress'])).code).toBe(64);
  });
});
