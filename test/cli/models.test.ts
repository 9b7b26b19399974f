import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type CliRun } from './support';

const SAMPLE = path.resolve('test/fixtures/litellm/model_prices_sample.json');
let cli: (argv: string[]) => Promise<CliRun>;
let dir: string;
let dataDir: string;

interface Entry {
  id: string;
  provider: string;
  host?: string;
  label: string;
  asOf: string;
}

beforeEach(async () => {
  ({ cli, dir, dataDir } = await sandbox());
});

const listJson = async (...flags: string[]) => {
  const r = await cli(['models', ...flags, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Entry[];
};

describe('promptpress models', () => {
  it('filters by provider (or host) and by search text', async () => {
    const all = await listJson();
    expect(all.length).toBeGreaterThanOrEqual(30);
    const anthropic = await listJson('--provider', 'Anthropic');
    expect(anthropic.length).toBeGreaterThan(3);
    expect(anthropic.every((m) => m.provider === 'anthropic')).toBe(true);
    const groq = await listJson('--provider', 'groq');
    expect(groq.length).toBeGreaterThan(0);
    expect(groq.every((m) => m.host === 'groq')).toBe(true);
    const flash = await listJson('--search', 'FLASH', '--provider', 'google');
    expect(flash.length).toBeGreaterThan(0);
    expect(flash.every((m) => m.provider === 'google' && /flash/i.test(m.id + m.label))).toBe(true);
    expect(await listJson('--search', 'no-such-model-anywhere')).toEqual([]);
  });

  it('shows prices, cache read, batch, context window, count method and the as-of date', async () => {
    const r = await cli(['models', '--search', 'gpt-4o']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^model\s+provider\s+input\s+output\s+cache read\s+batch in \/ out\s+context\s+count\s+as of$/,
    );
    expect(lines.find((l) => l.startsWith('gpt-4o '))).toMatch(
      /^gpt-4o\s+openai\s+\$2\.50\s+\$10\.00\s+\$1\.25\s+\$1\.25 \/ \$5\.00\s+128,000\s+exact\s+\d{4}-\d{2}-\d{2}$/,
    );
    expect(r.stdout).toMatch(/prices in US\$ per 1M tokens, as of \d{4}-\d{2}-\d{2}/);

    const mistral = await cli(['models', '--search', 'mistral-large-latest']);
    expect(mistral.stdout).toMatch(
      /mistral-large-latest\s+mistral\s+no price\s+no price\s+-\s+-\s+131,072\s+≈ estimate/,
    );
  });

  it('says so when nothing matches', async () => {
    const r = await cli(['models', '--provider', 'nobody']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No model in the catalog matches');
  });

  it.each([
    [['models', 'frobnicate'], 'unknown models subcommand'],
    [['models', '--provider'], 'argument missing'],
    [['models', '--search', ' '], '--search needs a value'],
    [['models', 'import-litellm'], 'exactly one FILE'],
    [['models', 'import-litellm', 'a.json', 'b.json'], 'exactly one FILE'],
    [['models', 'import-litellm', 'a.json', '--provider', 'openai'], 'do not apply'],
  ])('exits 64 on %j', async (argv, mention) => {
    const r = await cli(argv);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(mention);
  });
});

describe('promptpress models import-litellm', () => {
  it('imports a LiteLLM price file, prints the counts, and the models are then listed and priced', async () => {
    const before = await listJson();
    const r = await cli(['models', 'import-litellm', SAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Imported .*model_prices_sample\.json: 1 added, 8 updated, 6 skipped/);
    expect(r.stdout).toMatch(/\n {2}added\s+azure\/gpt-4o-mini\n/);
    expect(r.stdout).toContain(`The catalog now has ${before.length + 1} models.`);

    const azure = await listJson('--provider', 'azure');
    expect(azure.map((m) => m.id)).toEqual(['azure/gpt-4o-mini']);
    await writeFile(path.join(dir, 'p.md'), 'Reply in French.');
    const count = await cli(['count', 'p.md', '--models', 'azure/gpt-4o-mini,gpt-4o', '--json']);
    expect(count.code).toBe(0);
    expect(JSON.parse(count.stdout).rows[0]).toMatchObject({ model: 'azure/gpt-4o-mini', method: 'exact' });
  });

  it('prints the route result in JSON', async () => {
    const r = await cli(['models', 'import-litellm', SAMPLE, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      file: SAMPLE,
      added: ['azure/gpt-4o-mini'],
      skipped: 6,
      updated: expect.arrayContaining(['gpt-4o']),
    });
  });

  it('refuses a malformed file with a coded error (exit 1) and leaves the catalog as it was', async () => {
    await cli(['models', 'import-litellm', SAMPLE]);
    const before = await listJson();
    await writeFile(path.join(dir, 'bad.json'), '{\n  "m": {\n    "input_cost_per_token": 1e-6,\n  }\n}\n');
    const notJson = await cli(['models', 'import-litellm', 'bad.json']);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(
      /^promptpress: PARSE_ERROR: bad\.json is not valid JSON \(line 4, column 3\)/,
    );

    await writeFile(
      path.join(dir, 'negative.json'),
      JSON.stringify({
        'm-1': { input_cost_per_token: -1e-6, output_cost_per_token: 1e-6, max_input_tokens: 1000 },
      }),
    );
    const negative = await cli(['models', 'import-litellm', 'negative.json']);
    expect(negative.code).toBe(1);
    expect(negative.stderr).toMatch(
      /^promptpress: PARSE_ERROR: "m-1": input_cost_per_token must not be negative/,
    );

    const missing = await cli(['models', 'import-litellm', 'missing.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('promptpress: FILE_NOT_FOUND:');

    expect(await listJson()).toEqual(before);
    expect((await readdir(dataDir)).filter((n) => n.includes('corrupt'))).toEqual([]);
  });
});
