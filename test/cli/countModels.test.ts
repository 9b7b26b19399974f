import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { get_encoding } from 'tiktoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANUAL, sandbox, type CliRun } from './support';

const o200k = get_encoding('o200k_base');
let cli: (argv: string[]) => Promise<CliRun>;
let dir: string;
let text: string;
let exact: number;

interface Row {
  model: string;
  tokens: number;
  method: string;
  perRequestUsd: number | null;
  per1kUsd: number | null;
  perMonthUsd: number | null;
  cachedTokensOnHit: number;
}
interface Projection {
  requests: number;
  totalUsd: number | null;
  breakdown: Record<'input' | 'output' | 'cache' | 'embeddings' | 'other', number> | null;
}
interface ProjectionRow {
  model: string;
  original: Projection;
  compressed: Projection | null;
  savingUsd: number | null;
}

beforeAll(async () => {
  ({ cli, dir } = await sandbox());
  text = await readFile(MANUAL, 'utf8');
  exact = o200k.encode(text, [], []).length;
  await writeFile(path.join(dir, 'short.md'), text.slice(0, 4000));
});

const THREE = 'gpt-4o,claude-sonnet-4-5,mistral-large-latest';

describe('count --models', () => {
  it('prints { file, rows, warnings } in JSON with exact, estimated and unpriced rows', async () => {
    const r = await cli(['count', MANUAL, '--models', THREE, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { file: string; rows: Row[]; warnings: string[] };
    expect(Object.keys(out)).toEqual(['file', 'rows', 'warnings']);
    expect(out.file).toBe(MANUAL);
    const [gpt, claude, mistral] = out.rows;
    expect(gpt).toMatchObject({ model: 'gpt-4o', tokens: exact, method: 'exact' });
    expect(gpt!.perRequestUsd).toBeCloseTo((exact * 2.5 + 500 * 10) / 1e6, 12);
    expect(gpt!.perMonthUsd).toBeCloseTo(1000 * 30 * gpt!.perRequestUsd!, 6);
    expect(claude).toMatchObject({ model: 'claude-sonnet-4-5', method: 'estimate' });
    expect(mistral).toMatchObject({ perRequestUsd: null, per1kUsd: null, perMonthUsd: null });
    expect(out.warnings.some((w) => w.includes('Mistral Large') && w.includes('no price'))).toBe(true);
    expect(out.warnings.some((w) => w.includes('Claude Sonnet 4.5') && w.includes('≈'))).toBe(true);
  });

  it('prints a table with ≈ for estimates, "no price" instead of $0, and the warnings below it', async () => {
    const r = await cli(['count', MANUAL, '--models', THREE]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) =>
      /^model\s+tokens\s+method\s+\$\/request\s+\$\/1k requests\s+\$\/month$/.test(l),
    );
    expect(header).toBeGreaterThan(-1);
    const row = (id: string) => lines.find((l) => l.startsWith(`${id} `))!;
    expect(row('gpt-4o')).toMatch(new RegExp(`^gpt-4o\\s+${exact.toLocaleString('en-US')}\\s+exact\\s+\\$`));
    expect(row('claude-sonnet-4-5')).toMatch(/\s≈[\d,]+\s+estimate\s+\$/);
    expect(row('mistral-large-latest')).toMatch(/no price\s+no price\s+no price$/);
    expect(row('mistral-large-latest')).not.toContain('$');
    const monthly = (1000 * 30 * (exact * 2.5 + 500 * 10)) / 1e6;
    expect(row('gpt-4o')).toContain(
      `$${monthly.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
    );
    expect(r.stdout).toContain('$/month: 1,000 requests/day × 30 days, 500 output tokens each');
    const warnings = lines.indexOf('Warnings:');
    expect(warnings).toBeGreaterThan(lines.indexOf(row('mistral-large-latest')));
    expect(lines.slice(warnings).some((l) => l.includes('Mistral Large') && l.includes('no price'))).toBe(
      true,
    );
    expect(lines.slice(warnings).some((l) => l.includes('stand-in'))).toBe(true);
  });

  it('fails with UNKNOWN_MODEL (exit 1) for an unknown id in the list', async () => {
    const r = await cli(['count', MANUAL, '--models', 'gpt-4o,gpt-99', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^promptpress: UNKNOWN_MODEL: .*gpt-99/);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_MODEL' } });
  });

  it.each([
    [['--models', 'gpt-4o,,claude-sonnet-4-5'], '--models'],
    [['--models', 'gpt-4o', '--model', 'gpt-4o'], '--model'],
  ])('exits 64 on %j', async (flags, mention) => {
    const r = await cli(['count', MANUAL, ...flags]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(mention);
    expect(r.stdout).toBe('');
  });
});

describe('count --projection', () => {
  const spec = 'requests-per-day=1000,days=30,output=500,cache-hit=0.8,batch=0.2';

  it('projects each model over the period with the five-way breakdown, through cost.project', async () => {
    const r = await cli(['count', MANUAL, '--models', THREE, '--projection', spec, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      rows: Row[];
      projection: { workload: Record<string, unknown>; compressed: unknown; rows: ProjectionRow[] };
    };
    expect(out.projection.workload).toMatchObject({
      requestsPerDay: 1000,
      days: 30,
      outputTokens: 500,
      cacheHitRate: 0.8,
      batchShare: 0.2,
      ttl: '5m',
    });
    expect(out.projection.compressed).toBeNull();
    const [gpt, claude, mistral] = out.projection.rows;
    for (const p of [gpt!, claude!]) {
      expect(p.original.requests).toBe(30_000);
      const b = p.original.breakdown!;
      expect(b.input + b.output + b.cache + b.embeddings + b.other).toBeCloseTo(p.original.totalUsd!, 9);
      expect(b.cache).toBeGreaterThan(0);
    }
    expect(mistral!.original).toMatchObject({ totalUsd: null, breakdown: null });
    // the monthly column follows the same workload: caching and batch make gpt-4o cheaper than the default
    const plain = JSON.parse((await cli(['count', MANUAL, '--models', 'gpt-4o', '--json'])).stdout) as {
      rows: Row[];
    };
    expect(out.rows[0]!.cachedTokensOnHit).toBe(1024 + Math.floor((exact - 1024) / 128) * 128);
    expect(out.rows[0]!.perMonthUsd!).toBeLessThan(plain.rows[0]!.perMonthUsd!);
    expect(out.rows[0]!.perMonthUsd).toBeCloseTo(gpt!.original.totalUsd!, 9);
  });

  it('prints the breakdown per model and one line for a model without a price', async () => {
    const r = await cli([
      'count',
      MANUAL,
      '--models',
      THREE,
      '--projection',
      'requests-per-day=1000,days=7,output=500,cache-hit=0.8,batch=0.2,ttl=1h,embeddings=1000000,embedding-price=0.02,other=300',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Projection: 1,000 requests/day × 7 days, 500 output tokens each, cache hit 80% (1h), batch 20%',
    );
    expect(r.stdout).toContain('= 7,000 requests.');
    const block = r.stdout.slice(r.stdout.indexOf('\ngpt-4o  '));
    for (const label of ['tokens/request', 'total', 'input', 'output', 'cache', 'embeddings', 'other']) {
      expect(block).toMatch(new RegExp(`\\n  ${label}\\s+\\$?[\\d,.]+`));
    }
    expect(block).toMatch(/\n {2}embeddings\s+\$0\.1400\n/); // 1M tokens/day × 7 days × $0.02/1M
    expect(block).toMatch(/\n {2}other\s+\$70\.00\n/); // $300 per 30 days, for 7 days
    expect(r.stdout).toMatch(/mistral-large-latest: no price for input, output.*left out of the projection/);
  });

  it('shows the compressed prompt side by side with the saving (original − compressed)', async () => {
    const r = await cli([
      'count',
      MANUAL,
      '--models',
      'gpt-4o,claude-sonnet-4-5',
      '--projection',
      spec,
      '--compressed',
      'short.md',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      projection: { compressed: { file: string; rows: Row[] }; rows: ProjectionRow[] };
    };
    expect(out.projection.compressed.file).toBe('short.md');
    expect(out.projection.compressed.rows[0]!.tokens).toBe(o200k.encode(text.slice(0, 4000), [], []).length);
    for (const p of out.projection.rows) {
      expect(p.compressed!.totalUsd!).toBeLessThan(p.original.totalUsd!);
      expect(p.savingUsd).toBeCloseTo(p.original.totalUsd! - p.compressed!.totalUsd!, 9);
    }

    const human = await cli(['count', MANUAL, '--models', 'gpt-4o', '--compressed', 'short.md']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/\ngpt-4o\s+original\s+compressed\s+saving\n/);
    expect(human.stdout).toMatch(/\n {2}total\s+\$[\d,.]+\s+\$[\d,.]+\s+\$[\d,.]+ \(\d+(\.\d)?%\)\n/);
    expect(human.stdout).toContain('compressed: short.md');
  });

  it('fails with FILE_NOT_FOUND (exit 1) for a missing compressed file', async () => {
    const r = await cli(['count', MANUAL, '--models', 'gpt-4o', '--compressed', 'nope.md']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^promptpress: FILE_NOT_FOUND: .*nope\.md/);
  });

  it.each([
    ['requests=10', 'unknown key "requests"'],
    ['cache-hit=1.5', 'cache-hit'],
    ['cache-hit=150%', 'cache-hit'],
    ['batch=-0.1', 'batch'],
    ['output=12.5', 'output'],
    ['requests-per-day=lots', 'requests-per-day'],
    ['days=99999', 'days'],
    ['ttl=2h', 'ttl'],
    ['days=7,days=8', 'days is given twice'],
    ['days', '"days" is not KEY=VALUE'],
    ['embeddings=1000', 'embedding-price'],
    ['', '--projection'],
  ])('exits 64 on --projection %j, naming the key', async (bad, mention) => {
    const r = await cli(['count', MANUAL, '--models', 'gpt-4o', '--projection', bad]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(mention);
    expect(r.stderr).toContain('Usage: promptpress count');
    expect(r.stdout).toBe('');
  });

  it('accepts a percentage for shares and a single --model', async () => {
    const r = await cli([
      'count',
      MANUAL,
      '--model',
      'gpt-4o',
      '--projection',
      'cache-hit=80%,batch=20%',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      projection: { workload: Record<string, unknown>; rows: ProjectionRow[] };
    };
    expect(out.projection.workload).toMatchObject({ cacheHitRate: 0.8, batchShare: 0.2 });
    expect(out.projection.rows.map((p) => p.model)).toEqual(['gpt-4o']);
  });
});
