import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../src/backend';
import { importGoldenSet, parseCsvTable } from '../../src/core/golden';
import { formatUsd } from '../../src/core/pricing/cost';
import type { ChatScriptRequest } from '../support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { launchChromium } from './support/browser';
import { screenshot, startApp, type E2eApp } from './support/app';

const CONFIG = 'benchmarks/banking77-intent.bench.yaml';
const GOLDEN = 'golden/banking77-intent.csv';
const ANTHROPIC_KEY = 'sk-ant-PLANTED-e2e-bench-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-e2e-bench-0002';

/** The sample workspace's ten real BANKING77 rows (PolyAI, CC-BY-4.0; see its SOURCES.tsv). */
const SAMPLE = path.resolve(import.meta.dirname, '../../resources/sample-workspace', GOLDEN);
let rows: Array<{ text: string; label: string }> = [];
/** The one case the scripted stub gets wrong, on the compressed prompt and gpt-4o-mini only. */
let missed = '';

/**
 * The stub's script (a test tool, not a model): it finds the case's message in the prompt and answers its
 * label, except for one case on the compressed variant × gpt-4o-mini, so the report has a quality drop to show.
 */
function script(req: ChatScriptRequest): string {
  const content = req.messages.map((m) => m.content).join('\n');
  const row = rows.find((r) => content.includes(r.text));
  if (!row) return '[stub: unknown case]';
  const compressed = content.startsWith('Classify');
  if (compressed && req.model === 'gpt-4o-mini' && row.text === missed) return 'pin_blocked';
  return row.label;
}

let browser: Browser;
let stub: StubLlmServer;
let app: E2eApp | undefined;

beforeAll(async () => {
  rows = parseCsvTable(await readFile(SAMPLE, 'utf8'), GOLDEN).rows.map((r) => ({
    text: r.values.text!,
    label: r.values.label!,
  }));
  missed = rows.find((r) => r.label === 'get_physical_card')!.text;
  browser = await launchChromium();
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: script },
    openai: { apiKey: OPENAI_KEY, reply: script },
  });
  // slow enough that the progress bar is seen part-way (40 cells, 4 at a time)
  stub.latencyMs = 120;
});
afterAll(async () => {
  await browser?.close();
  await stub?.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const chatCalls = () =>
  stub.requestsTo('POST /v1/messages').length + stub.requestsTo('POST /v1/chat/completions').length;

describe('Benchmarks in the browser host', () => {
  it('estimates the sample benchmark, runs 2 variants × 2 models × 10 cases against the stub, and drills into a cell', async () => {
    app = await startApp(
      browser,
      { width: 1440, height: 900 },
      {
        anthropicApiKey: ANTHROPIC_KEY,
        anthropicBaseURL: stub.url,
        openaiApiKey: OPENAI_KEY,
        openaiBaseURL: `${stub.url}/v1`,
      },
    );
    await app.open();
    const { page, backend, workspaceDir } = app;

    // 1. The sidebar lists the benchmark and its golden set; the config opens with its estimate, nothing sent.
    const item = page.locator(`[data-testid="bench-config-item"][data-path="${CONFIG}"]`);
    await item.waitFor();
    await page.locator(`[data-testid="golden-set-item"][data-path="${GOLDEN}"]`).waitFor();
    await item.click();
    await page.getByTestId('bench-estimate').waitFor();
    const estimate = await call(backend, 'bench.estimate', { path: path.join(workspaceDir, CONFIG) });
    if (!estimate.ok) throw new Error(JSON.stringify(estimate.error));
    expect(estimate.data.estimate.cells).toBe(40);
    expect(await page.getByTestId('estimate-total').textContent()).toBe(
      formatUsd(estimate.data.estimate.usd),
    );
    expect(await page.getByTestId('within-budget').textContent()).toBe('within the $1.00 budget');
    expect(await page.getByTestId('bench-cases').textContent()).toContain('10 cases');
    expect(await page.getByTestId('estimate-row').count()).toBe(2);
    expect(chatCalls()).toBe(0);
    await page.mouse.move(0, 0);
    await screenshot(page, 'bench-estimate.png');

    // 2. Run: the progress bar advances (seen part-way), then completes.
    const run = page.getByTestId('bench-run-button');
    expect(await run.isEnabled()).toBe(true);
    await run.click();
    const bar = page.getByTestId('bench-progressbar');
    await bar.waitFor();
    expect(await bar.getAttribute('aria-valuemax')).toBe('40');
    const seen = new Set<number>();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const now = Number(await bar.getAttribute('aria-valuenow'));
      seen.add(now);
      if (now === 40 || Date.now() > deadline) break;
      await page.waitForTimeout(25);
    }
    expect([...seen].some((v) => v > 0 && v < 40)).toBe(true);
    expect(seen.has(40)).toBe(true);
    await page.locator('[data-testid="bench-progress"][data-status="completed"]').waitFor();
    expect(chatCalls()).toBe(40);

    // 3. The report: four groups, the verdicts, the cheapest passing pair, the scatter, every case.
    const report = page.locator('[data-testid="bench-report"][data-live="false"]');
    await report.waitFor();
    await expect.poll(() => page.getByTestId('group-row').count()).toBe(4);
    const dropped = page.locator('[data-testid="verdict"][data-verdict="dropped"]');
    expect(await dropped.count()).toBe(1);
    expect(await dropped.textContent()).toContain('gpt-4o-mini');
    expect(await dropped.textContent()).toContain('quality dropped: −10.0 pts, beyond 2 pts');
    const kept = page.locator('[data-testid="verdict"][data-verdict="kept"]');
    expect(await kept.textContent()).toContain('claude-haiku-4-5');
    expect(await page.getByTestId('bench-cheapest').textContent()).toMatch(
      /cheapest passing\s*original × gpt-4o-mini/,
    );
    expect(await page.getByTestId('scatter-point').count()).toBe(4);
    expect(await page.locator('[data-testid="scatter-point"][data-pareto="true"]').count()).toBeGreaterThan(
      0,
    );
    expect(await page.getByTestId('case-row').count()).toBe(10);
    expect(await page.locator('[data-testid="bench-cell"][data-state="pass"]').count()).toBe(39);
    // the per-case grid: its full size for screen readers, rows of exactly 32 px, and ten cases shrink the
    // scroll box to the table (no empty box below them)
    const grid = page.getByRole('grid', { name: 'Per-case results' });
    expect(await grid.getAttribute('aria-rowcount')).toBe('11');
    const heights = await page
      .getByTestId('case-row')
      .evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    expect(new Set(heights)).toEqual(new Set([32]));
    const box = await page.getByTestId('cells-scroll').evaluate((el) => ({
      client: el.clientHeight,
      scroll: el.scrollHeight,
      grid: el.querySelector('[role="grid"]')!.getBoundingClientRect().height,
    }));
    expect(box.scroll).toBe(box.client);
    expect(Math.abs(box.client - box.grid)).toBeLessThanOrEqual(1);
    await page.locator('[data-testid="run-item"][data-status="completed"]').waitFor();
    await report.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.mouse.move(0, 0);
    await screenshot(page, 'bench-report.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'bench-report-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    // 4. The drill-down of the failed cell: the rendered prompt, its answer against the baseline's, the scores.
    //    Reached from the keyboard: Tab lands on one cell, the arrow keys move, Enter opens.
    const failed = page.locator('[data-testid="bench-cell"][data-state="fail"]');
    const [failedRow, failedCol] = (await failed.getAttribute('data-pos'))!.split(':').map(Number) as [
      number,
      number,
    ];
    await grid.locator('[tabindex="0"]').focus();
    for (let i = 0; i < failedRow; i++) await page.keyboard.press('ArrowDown');
    for (let i = 0; i < failedCol; i++) await page.keyboard.press('ArrowRight');
    expect(await page.evaluate('document.activeElement && document.activeElement.dataset.cellId')).toBe(
      await failed.getAttribute('data-cell-id'),
    );
    await screenshot(page, 'bench-cells-focus.png');
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('cell-detail');
    await detail.getByTestId('cell-assertions').waitFor();
    expect(await detail.getByTestId('diff-baseline').textContent()).toBe('get_physical_card');
    expect(await detail.getByTestId('diff-output').textContent()).toBe('pin_blocked');
    expect(await detail.locator('.word-diff ins').textContent()).toBe('pin_blocked');
    expect(await detail.getByTestId('cell-expected').textContent()).toBe('get_physical_card');
    expect(await detail.locator('[data-testid="assertion-row"][data-pass="false"]').count()).toBe(1);
    expect(await detail.getByTestId('cell-request').textContent()).toContain(missed);
    await screenshot(page, 'bench-drilldown.png');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });

    // 5. Export the report as HTML into the workspace.
    await page.getByTestId('bench-export-html').click();
    await page.getByText(/Report exported to benchmarks\/reports\/banking77-intent-.*\.html\./).waitFor();
    const reports = await readdir(path.join(workspaceDir, 'benchmarks/reports'));
    expect(reports.filter((f) => f.endsWith('.html'))).toHaveLength(1);

    // 6. The golden set opens in its editor with its ten cases.
    await page.locator(`[data-testid="golden-set-item"][data-path="${GOLDEN}"]`).click();
    await page.getByTestId('golden-table').waitFor();
    expect(await page.getByTestId('golden-row').count()).toBe(10);
    expect(await page.getByTestId('golden-count').textContent()).toBe('10 cases');
    await page.mouse.move(0, 0);
    await screenshot(page, 'golden-editor.png');

    // 7. Add a case (another real BANKING77 row) and save it as a YAML golden set, which the backend reads back.
    await page.getByTestId('golden-add').click();
    const form = page.getByTestId('case-form');
    await form.getByTestId('var-value').first().fill('How do I locate my card?');
    await form.getByTestId('case-expected').fill('card_arrival');
    await screenshot(page, 'golden-case-form.png');
    await form.getByTestId('case-save').click();
    await page.getByTestId('golden-dirty').waitFor();
    expect(await page.getByTestId('golden-row').count()).toBe(11);
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByTestId('golden-save-as-path').fill('golden/banking77-intent-plus.yaml');
    await page.getByTestId('golden-save-as-path').press('Enter');
    await page.getByTestId('golden-dirty').waitFor({ state: 'detached' });
    expect(await page.getByTestId('bench-title').textContent()).toBe('banking77-intent-plus.yaml');
    const yaml = await readFile(path.join(workspaceDir, 'golden/banking77-intent-plus.yaml'), 'utf8');
    const set = importGoldenSet(yaml, 'banking77-intent-plus.yaml');
    expect(set.cases).toHaveLength(11);
    expect(set.cases.at(-1)).toMatchObject({
      vars: { text: 'How do I locate my card?' },
      expected: 'card_arrival',
    });
    expect(set.cases.slice(0, 10).map((c) => c.vars.text)).toEqual(rows.map((r) => r.text));
    await page
      .locator('[data-testid="golden-set-item"][data-path="golden/banking77-intent-plus.yaml"]')
      .waitFor();
    expect(app.problems).toEqual([]);
  });
});
