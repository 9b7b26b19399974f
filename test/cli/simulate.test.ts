import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../src/core/history/simulate';
import { sandbox, type CliRun } from './support';

const CONVERSATIONS = path.resolve('../shared/corpora/conversations');
let dir: string;
let cli: (argv: string[]) => Promise<CliRun>;

beforeAll(async () => {
  ({ dir, cli } = await sandbox());
  const file = (await readdir(CONVERSATIONS)).find((f) => f.includes('tau'))!;
  const all = JSON.parse(await readFile(path.join(CONVERSATIONS, file), 'utf8')) as unknown[];
  await writeFile(path.join(dir, 'tau.json'), JSON.stringify(all.slice(0, 4)));
  await writeFile(
    path.join(dir, 'window.policy.json'),
    JSON.stringify({
      version: 1,
      name: '6k window',
      steps: [
        { type: 'toolResults', truncate: { maxTokens: 200 } },
        { type: 'tokenBudget', maxTokens: 6000, keepFirstUser: true },
      ],
    }),
  );
});

describe('promptpress simulate', () => {
  it('prints one row per conversation with both costs, the saving and the break-even turn', async () => {
    const r = await cli(['simulate', 'tau.json', '--policy', 'window.policy.json', '--model', 'gpt-4o-mini']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('tau.json: openai, 4 conversation(s), model gpt-4o-mini');
    expect(r.stdout).toMatch(/conversation\s+turns\s+original in\s+policy in/);
    expect(r.stdout).toMatch(/Total: \$[\d.]+ → \$[\d.]+ \([\d.]+% saved\)/);
  });

  it('--json gives the full per-turn series; --turns the per-turn table of one conversation', async () => {
    const r = await cli([
      'simulate',
      'tau.json',
      '--policy',
      'window.policy.json',
      '-m',
      'gpt-4o-mini',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { conversations: Array<{ id: string; result: SimulationResult }> };
    expect(out.conversations).toHaveLength(4);
    const long = out.conversations.reduce((a, b) => (b.result.turn.length > a.result.turn.length ? b : a));
    // the window holds: no policy request above the budget unless flagged over budget
    long.result.policy.inputTokens.forEach((t, i) => {
      if (!long.result.policy.overBudget[i]) expect(t).toBeLessThanOrEqual(6000);
    });
    const one = await cli([
      'simulate',
      'tau.json',
      '--policy',
      'window.policy.json',
      '-m',
      'gpt-4o-mini',
      '--conversation',
      long.id,
      '--turns',
    ]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout.split('\n').filter((l) => /^\s*\d+\s/.test(l))).toHaveLength(long.result.turn.length);
  });

  it('export-policy prints the policy as code or settings, notes on stderr, or writes --out', async () => {
    const py = await cli(['export-policy', 'window.policy.json', '--lang', 'py']);
    expect(py.code, py.stderr).toBe(0);
    expect(py.stdout).toContain('def apply_policy(');
    expect(py.stdout).toContain('6000');
    const ts = await cli(['export-policy', 'window.policy.json', '--lang', 'ts', '--out', 'out/policy.ts']);
    expect(ts.code).toBe(0);
    expect(await readFile(path.join(dir, 'out/policy.ts'), 'utf8')).toContain('export function applyPolicy');
    const lc = await cli(['export-policy', 'window.policy.json', '--lang', 'langchain', '--json']);
    const out = JSON.parse(lc.stdout) as { text: string; notes: string[] };
    expect(out.text).toContain('trim_messages');
    // LangChain cannot truncate tool results: it says so
    expect(out.notes.join(' ')).toMatch(/toolResults|tool result/i);
    expect((await cli(['export-policy', 'window.policy.json', '--lang', 'cobol'])).code).toBe(64);
  });

  it('usage errors exit 64; a bad policy file is a coded error (exit 1)', async () => {
    expect((await cli(['simulate', 'tau.json'])).code).toBe(64);
    expect(
      (await cli(['simulate', 'tau.json', '--policy', 'window.policy.json', '--turns', '-m', 'gpt-4o-mini']))
        .code,
    ).toBe(64);
    await writeFile(path.join(dir, 'bad.policy.json'), '{"version": 2, "steps": []}');
    const bad = await cli(['simulate', 'tau.json', '--policy', 'bad.policy.json', '-m', 'gpt-4o-mini']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/promptpress: INVALID_INPUT: .*version/);
  });
});
