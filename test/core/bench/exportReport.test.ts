import { describe, expect, it } from 'vitest';
import {
  aggregate,
  cheapestPassing,
  paretoFront,
  plainNumber,
  REPORT_CSV_COLUMNS,
  reportCsv,
  reportHtml,
  reportJson,
  reportMarkdown,
  variantDeltas,
  type CellResult,
} from '../../../src/core/bench';
import { parseCsv } from '../../../src/core/golden';
import type { BenchReport } from '../../../src/shared/bench';

const INJECTION = '<img src=x onerror=alert(1)>';

const cell = (
  variant: string,
  model: string,
  caseId: string,
  pass: boolean,
  extra: Partial<CellResult> = {},
): CellResult => ({
  cellId: `${variant}/${model}/${caseId}#1`,
  variant,
  model,
  caseId,
  repeat: 1,
  status: 'ok',
  output: `answer to ${caseId}`,
  score: {
    score: pass ? 1 : 0,
    pass,
    reason: pass ? 'all passed' : 'equals failed',
    judgeCostUsd: 0,
    results: [
      {
        type: 'equals',
        weight: 1,
        score: pass ? 1 : 0,
        pass,
        reason: pass ? 'equals "A"' : 'expected "A", got "B"',
      },
    ],
  },
  usage: { inputTokens: 100, outputTokens: 10, cacheRead: 20 },
  costUsd: 0.001,
  listCostUsd: 0.001,
  cached: false,
  latencyMs: 250,
  ...extra,
});

/** A report as the backend builds it: groups, deltas and the cheapest from the cells. */
function makeReport(cells: CellResult[], extra: Partial<BenchReport> = {}): BenchReport {
  const groups = aggregate(cells);
  const variants = [...new Set(cells.map((c) => c.variant))];
  const models = [...new Set(cells.map((c) => c.model))];
  return {
    config: {
      file: 'bench/support.bench.yaml',
      golden: {
        file: 'support.golden.yaml',
        cases: new Set(cells.map((c) => c.caseId)).size,
        format: 'golden',
      },
      variants,
      models,
      repeats: 1,
      maxTokens: 256,
      temperature: 0,
      concurrency: 4,
      budgetUsd: 5,
      baseline: variants[0]!,
    },
    status: 'completed',
    estimate: {
      cells: cells.length,
      inputTokens: 1000,
      outputTokens: 2000,
      usd: 0.5,
      perModel: [],
      method: 'test',
    },
    spentUsd: cells.reduce((a, c) => a + c.costUsd, 0),
    providerCalls: cells.filter((c) => c.status === 'ok' && !c.cached).length,
    cachedCells: cells.filter((c) => c.cached).length,
    groups,
    deltas: variantDeltas(groups, { baseline: variants[0]!, tolerancePts: 2 }),
    tolerancePts: 2,
    cheapest: cheapestPassing(groups, { minPassRate: 0.5 }),
    cheapestAt: 0.5,
    thresholds: { minPassRate: null, maxQualityDrop: null, passed: true, failures: [] },
    cells,
    ...extra,
  };
}

/**
 * Three variants on two models: `original` passes everything at the highest cost, `short` is cheaper and
 * loses one case, `tiny` is cheapest and loses more; on model `big` everything costs 10× more.
 */
function sampleCells(): CellResult[] {
  const out: CellResult[] = [];
  const plan: Record<string, { cost: number; fails: string[] }> = {
    original: { cost: 0.004, fails: [] },
    short: { cost: 0.002, fails: ['c3'] },
    tiny: { cost: 0.001, fails: ['c2', 'c3'] },
  };
  for (const model of ['small', 'big'])
    for (const [variant, p] of Object.entries(plan))
      for (const id of ['c1', 'c2', 'c3', 'c4']) {
        const cost = p.cost * (model === 'big' ? 10 : 1);
        out.push(cell(variant, model, id, !p.fails.includes(id), { costUsd: cost, listCostUsd: cost }));
      }
  return out;
}

describe('reportCsv', () => {
  it('writes one RFC 4180 row per cell that parses back to the same values', () => {
    const cells = [
      cell('orig', 'gpt-4o-mini', 'c1', true, {
        output: 'He said "hi", then left.\nSecond line\r\nThird',
        costUsd: 0.0000001,
        listCostUsd: 0.0000002,
      }),
      cell('orig', 'gpt-4o-mini', 'c2', false, { cached: true, costUsd: 0 }),
      cell('orig', 'gpt-4o-mini', 'c3', false, {
        status: 'error',
        score: undefined,
        output: undefined,
        usage: undefined,
        listCostUsd: undefined,
        costUsd: 0,
        latencyMs: undefined,
        error: { code: 'PROVIDER_RATE_LIMIT', message: 'slow down' },
      }),
    ];
    const csv = reportCsv(makeReport(cells, { runId: 'run-42' }));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(REPORT_CSV_COLUMNS.join(','));
    const rows = parseCsv(csv, 'report.csv').map((r) => r.fields);
    expect(rows).toHaveLength(1 + cells.length);
    const at = (row: string[], col: (typeof REPORT_CSV_COLUMNS)[number]) =>
      row[REPORT_CSV_COLUMNS.indexOf(col)];
    const [, first, cached, failed] = rows as [string[], string[], string[], string[]];
    expect(first).toHaveLength(REPORT_CSV_COLUMNS.length);
    expect(at(first, 'run_id')).toBe('run-42');
    expect(at(first, 'output')).toBe('He said "hi", then left.\nSecond line\r\nThird');
    expect(at(first, 'cost_usd')).toBe('0.0000001');
    expect(at(first, 'list_cost_usd')).toBe('0.0000002');
    expect([
      at(first, 'pass'),
      at(first, 'score'),
      at(first, 'input_tokens'),
      at(first, 'cached_tokens'),
    ]).toEqual(['true', '1', '100', '20']);
    expect(at(first, 'latency_ms')).toBe('250');
    expect([at(cached, 'cached'), at(cached, 'pass'), at(cached, 'cost_usd')]).toEqual([
      'true',
      'false',
      '0',
    ]);
    expect([
      at(failed, 'status'),
      at(failed, 'error_code'),
      at(failed, 'pass'),
      at(failed, 'latency_ms'),
    ]).toEqual(['error', 'PROVIDER_RATE_LIMIT', '', '']);
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    const evil = ['=HYPERLINK("x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    const cells = evil.map((s, i) => cell('v', 'm', `${s}#${i}`, true, { output: s }));
    const rows = parseCsv(reportCsv(makeReport(cells)), 'r.csv').map((r) => r.fields);
    evil.forEach((s, i) => {
      const row = rows[i + 1]!;
      expect(row[REPORT_CSV_COLUMNS.indexOf('output')]).toBe(`'${s}`);
      expect(row[REPORT_CSV_COLUMNS.indexOf('case_id')]).toBe(`'${s}#${i}`);
    });
    // harmless text is left alone
    const plain = parseCsv(reportCsv(makeReport([cell('v', 'm', 'c', true, { output: 'a=b' })])), 'r.csv');
    expect(plain[1]!.fields[REPORT_CSV_COLUMNS.indexOf('output')]).toBe('a=b');
  });

  it('leaves run_id empty without a run, and can start with a BOM for Excel', () => {
    const report = makeReport([cell('v', 'm', 'c', true)]);
    const rows = parseCsv(reportCsv(report), 'r.csv');
    expect(rows[1]!.fields[0]).toBe('');
    expect(reportCsv(report, { bom: true }).startsWith('\uFEFFrun_id,')).toBe(true);
    expect(reportCsv(report).startsWith('run_id,')).toBe(true);
  });

  it('writes numbers as plain decimals', () => {
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(1.5e-9)).toBe('0.0000000015');
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(1.25e22)).toBe('12500000000000000000000');
    expect(plainNumber(-3.5e-8)).toBe('-0.000000035');
    expect(plainNumber(0.25)).toBe('0.25');
    expect(plainNumber(undefined)).toBe('');
    expect(plainNumber(Number.NaN)).toBe('');
    expect(Number(plainNumber(1.234e-12))).toBe(1.234e-12);
  });
});

describe('reportMarkdown', () => {
  it('gives the CLI report: summary, table, deltas, cheapest and thresholds', () => {
    const report = makeReport(
      [
        cell('orig', 'm', 'a', true, { costUsd: 0.002, listCostUsd: 0.002 }),
        cell('orig', 'm', 'b', true, { costUsd: 0.002, listCostUsd: 0.002 }),
        cell('sh|ort', 'm', 'a', true),
        cell('sh|ort', 'm', 'b', false),
      ],
      {
        thresholds: {
          minPassRate: 0.9,
          maxQualityDrop: null,
          passed: false,
          failures: [
            { kind: 'minPassRate', variant: 'sh|ort', model: 'm', message: 'sh|ort on m: 50% < 90%' },
          ],
        },
      },
    );
    expect(reportMarkdown(report)).toBe(
      [
        '# Benchmark: bench/support.bench.yaml',
        '',
        'Golden set support.golden.yaml (2 cases), 1 repeat(s), maxTokens 256. 4 cells, 4 model calls, spent $0.006000 (worst case $0.5000). Status: completed.',
        '',
        '| variant | model | pass rate [95% CI] | passed | score | input tok | output tok | cost/case | cost/1k req | p50 | p95 |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| orig | m | 100% [34.2%–100%] | 2/2 | 1.000 | 200 | 20 | $0.002000 | $2.00 | 250 ms | 250 ms |',
        '| sh\\|ort | m | 50% [9.5%–90.5%] | 1/2 | 0.500 | 200 | 20 | $0.001000 | $1.00 | 250 ms | 250 ms |',
        '',
        '## Against the baseline "orig"',
        '',
        '- **sh|ort** on m: quality dropped: −50.0 pts, beyond 2 pts; cost −50%',
        '',
        '## Cheapest passing',
        '',
        'sh|ort × m: $0.001000 per case, pass rate 50% (threshold 50%).',
        '',
        '## Thresholds: FAILED',
        '',
        '- sh|ort on m: 50% < 90%',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing passes and leaves out thresholds that were not set', () => {
    const md = reportMarkdown(makeReport([cell('v', 'm', 'a', false)]));
    expect(md).toContain('No variant × model reaches a pass rate of 50%.');
    expect(md).not.toContain('## Thresholds');
    expect(md).not.toContain('## Against the baseline');
  });
});

describe('reportJson', () => {
  it('is pretty JSON that parses back to the report, the same text whatever the key order', () => {
    const report = makeReport(sampleCells(), { runId: 'r1' });
    const text = reportJson(report);
    expect(JSON.parse(text)).toEqual(report);
    expect(text).toMatch(/^\{\n {2}"cachedCells": 0,\n/);
    expect(text.endsWith('}\n')).toBe(true);
    const reordered = Object.fromEntries(Object.entries(report).reverse()) as unknown as BenchReport;
    expect(reportJson(reordered)).toBe(text);
  });
});

describe('reportHtml', () => {
  const report = makeReport(sampleCells(), { runId: 'run-7', createdAt: '2025-06-01T10:00:00Z' });

  it('is one self-contained page: no script, no URL, inline CSS with a dark scheme', () => {
    const html = reportHtml(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import|<link/i);
    expect(html).toContain('<style>');
    expect(html).toContain('@media (prefers-color-scheme:dark)');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<title>Benchmark: bench/support.bench.yaml</title>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('has the config summary, the per variant × model table, deltas, cheapest passing and per-case details', () => {
    const html = reportHtml(report);
    for (const s of [
      'support.golden.yaml',
      'original (baseline)',
      'run-7',
      '2025-06-01T10:00:00Z',
      'completed',
    ])
      expect(html).toContain(s);
    // one row per group, with its interval, tokens (cached too) and latency percentiles
    const groupRows = html
      .split('<section id="groups">')[1]!
      .split('</section>')[0]!
      .match(/<tr[ >]/g)!;
    expect(groupRows).toHaveLength(1 + report.groups.length);
    expect(html).toContain('75% [30.1%–95.4%]');
    expect(html).toContain('<td class="n">80</td>'); // 4 cells × 20 cached tokens
    expect(html).toContain('250 ms');
    // deltas with their verdicts
    const deltas = html.split('<section id="deltas">')[1]!.split('</section>')[0]!;
    expect(deltas).not.toContain('badge pass">kept');
    expect(deltas.match(/badge fail">dropped/g)).toHaveLength(4);
    expect(deltas).toContain('quality dropped: −25.0 pts, beyond 2 pts; cost −50%');
    // cheapest passing: tiny on small passes 50% at $0.001
    expect(html).toContain('<strong>tiny × small</strong>: $0.001000 per case');
    // one <details> per case, each cell's output, score and assertion reason
    expect(html.match(/<details>/g)).toHaveLength(4);
    expect(html).toContain('<pre>answer to c3</pre>');
    expect(html).toContain('equals: fail (0) expected &quot;A&quot;, got &quot;B&quot;');
    expect(html).not.toContain('id="truncation"');
  });

  it('escapes every string from the report', () => {
    const evil = makeReport(
      [
        cell(`<b>variant</b>`, `model"'&`, `"><svg onload=alert(1)>`, false, { output: INJECTION }),
        cell('base', 'm', 'c', true, {
          status: 'error',
          score: undefined,
          error: { code: 'X', message: '<script>alert(2)</script>' },
        }),
      ],
      { runId: '</title><script>alert(3)</script>' },
    );
    evil.config.file = '<iframe>';
    const html = reportHtml(evil, { title: '<h1>t</h1>' });
    for (const raw of [INJECTION, '<svg onload', '<script', '<iframe', '<b>variant', '<h1>t</h1>'])
      expect(html).not.toContain(raw);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;variant&lt;/b&gt;');
    expect(html).toContain('model&quot;&#39;&amp;');
    expect(html).toContain('<title>&lt;h1&gt;t&lt;/h1&gt;</title>');
    expect(html).toContain('X: &lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('plots one dot per variant × model and marks the Pareto front', () => {
    const html = reportHtml(report);
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
    const front = paretoFront(report.groups);
    // small: tiny ($0.001, 50%) < short ($0.002, 75%) < original ($0.004, 100%); every big one is dominated
    expect(front.map((g) => `${g.variant} × ${g.model}`)).toEqual([
      'tiny × small',
      'short × small',
      'original × small',
    ]);
    expect(svg.match(/<circle /g)).toHaveLength(report.groups.length);
    const pareto = [...svg.matchAll(/<circle class="pt pareto"[^>]*><title>([^<]*)<\/title>/g)].map(
      (m) => m[1]!,
    );
    expect(pareto).toHaveLength(front.length);
    for (const g of front) expect(pareto.some((t) => t.startsWith(`${g.variant} × ${g.model}:`))).toBe(true);
    expect(pareto.some((t) => t.includes('× big'))).toBe(false);
    const line = /<polyline class="front" points="([^"]+)"/.exec(svg);
    expect(line).not.toBeNull();
    expect(line![1]!.split(' ')).toHaveLength(front.length);
    // costs span 40×: a log axis
    expect(svg).toContain('log scale');
    expect(svg).toMatch(/>\$0\.001<\/text>.*>\$0\.01<\/text>.*>\$0\.1<\/text>/);
    for (const g of report.groups) expect(svg).toContain(`>${g.variant} × ${g.model}</text>`);
  });

  it('stays under 2 MB for 20,000 cells by cutting outputs, and says so', () => {
    const long = 'All work and no play makes Jack a dull boy. '.repeat(25); // ~1,100 characters
    const cells: CellResult[] = [];
    for (let i = 0; i < 20_000; i++)
      cells.push(
        cell(
          ['original', 'compressed'][i % 2]!,
          ['claude-haiku-4-5', 'gpt-4o-mini'][(i >> 1) % 2]!,
          `case-${i >> 2}`,
          i % 7 !== 0,
          {
            cellId: `cell-${i}`,
            output: `${long}#${i}`,
          },
        ),
      );
    const big = makeReport(cells);
    const html = reportHtml(big);
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(2_000_000);
    expect(html).toMatch(/id="truncation">[^<]*(cut to|left out|Only failed)/);
    expect(html).toContain('The CSV and JSON exports have every cell and output in full.');
    expect(html).not.toContain(long);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('shows outputs in full when the page is small, and notes long ones are cut on a big page only', () => {
    const long = 'x'.repeat(3000);
    const html = reportHtml(makeReport([cell('v', 'm', 'c', true, { output: long })]));
    // one output over the first level's 2,000 characters is cut even on a small page, and said so
    expect(html).toContain('1 output(s) are cut to 2,000 characters');
    expect(html).not.toContain(long);
    const short = reportHtml(makeReport([cell('v', 'm', 'c', true, { output: 'x'.repeat(1999) })]));
    expect(short).toContain('x'.repeat(1999));
    expect(short).not.toContain('id="truncation"');
  });

  it('lists groups it cannot plot and draws no front without two points', () => {
    const html = reportHtml(
      makeReport([
        cell('v', 'm', 'c', true),
        cell('w', 'm', 'c', false, { status: 'error', score: undefined, error: { code: 'E', message: 'e' } }),
      ]),
    );
    expect(html).toContain('Not plotted (no cost or no scored cell): w × m.');
    expect(html).not.toContain('<polyline');
    expect(html.match(/<circle class="pt pareto"/g)).toHaveLength(1);
  });
});
