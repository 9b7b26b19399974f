import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../src/backend';
import { formatUsd } from '../../src/core/pricing/cost';
import { launchChromium } from './support/browser';
import { o200kCount, openFile, screenshot, startApp, type E2eApp } from './support/app';

const AIRLINE = 'prompts/airline-agent-policy.md';
const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/litellm/model_prices_sample.json');

let browser: Browser;
let app: E2eApp | undefined;
let scratch: string | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  if (scratch) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

const costRow = (page: Page, model: string) =>
  page.locator(`[data-testid="cost-row"][data-model="${model}"]`);
const catalogRow = (page: Page, model: string) =>
  page.locator(`[data-testid="catalog-row"][data-model="${model}"]`);

async function catalog(a: E2eApp) {
  const list = await call(a.backend, 'models.list', {});
  if (!list.ok) throw new Error(JSON.stringify(list.error));
  return list.data.models;
}

/** The $/request the cost table shows for `model` once no estimate is pending. */
async function perRequest(page: Page, model: string): Promise<number> {
  await page.locator('[data-testid="cost-table"][data-pending="false"]').waitFor();
  return Number(await costRow(page, model).getByTestId('cost-per-request').getAttribute('data-usd'));
}

describe('the Models dialog in the browser host', () => {
  it('overrides a price that the cost table uses at once, imports LiteLLM prices and reports a broken file', async () => {
    app = await startApp(browser);
    const { page } = app;
    await app.open();
    const text = await readFile(path.join(app.workspaceDir, AIRLINE), 'utf8');
    const tokens = o200kCount(text);

    // 1. The airline policy, priced with the bundled gpt-4o.
    await openFile(page, AIRLINE);
    await page
      .locator(
        `[data-testid="cost-table"][data-pending="false"] [data-testid="cost-row"][data-model="gpt-4o"][data-tokens="${tokens}"]`,
      )
      .waitFor({ timeout: 15_000 });
    const bundled = (await catalog(app)).find((m) => m.id === 'gpt-4o')!;
    expect(bundled.inputPerMTok).not.toBe(10);
    const before = await perRequest(page, 'gpt-4o');
    expect(before).toBeCloseTo((tokens * bundled.inputPerMTok! + 500 * bundled.outputPerMTok!) / 1e6, 12);

    // 2. The Models dialog from the cost panel: override gpt-4o's input price to $10 per 1M.
    await page.getByTestId('open-models-dialog').click();
    const dialog = page.getByRole('dialog', { name: 'Models and prices' });
    await dialog.waitFor();
    expect(await page.evaluate('document.activeElement?.dataset.testid')).toBe('models-search');
    await page.getByTestId('models-search').fill('gpt-4o');
    await dialog.getByRole('button', { name: 'Override price of GPT-4o', exact: true }).click();
    const form = page.locator('[data-testid="override-form"][data-model="gpt-4o"]');
    await form.getByLabel('Input $/1M', { exact: true }).fill('10');
    await page.mouse.move(0, 0);
    await screenshot(page, 'models-override.png');
    await form.getByRole('button', { name: 'Save override' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await page.getByTestId('models-status').textContent()).toContain('GPT-4o: override saved');
    const row = catalogRow(page, 'gpt-4o');
    expect(await row.getByRole('cell').first().textContent()).toBe('$10.00');
    expect(await row.getByTestId('origin-badge').textContent()).toBe('yours');

    // 3. Closed with Escape: the cost table prices the same prompt with the new input price.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const overridden = (await catalog(app)).find((m) => m.id === 'gpt-4o')!;
    expect(overridden).toMatchObject({
      inputPerMTok: 10,
      outputPerMTok: bundled.outputPerMTok,
      origin: 'user',
    });
    const expected = (tokens * 10) / 1e6 + (500 * overridden.outputPerMTok!) / 1e6;
    await expect.poll(() => perRequest(page, 'gpt-4o'), { timeout: 15_000 }).toBeCloseTo(expected, 12);
    const cell = costRow(page, 'gpt-4o').getByTestId('cost-per-request');
    expect(await cell.textContent()).toBe(formatUsd(expected));
    expect(Number(await costRow(page, 'gpt-4o').getAttribute('data-tokens'))).toBe(tokens);
    expect(await page.getByTestId('token-cost').textContent()).toContain('gpt-4o $10.00/1M');

    // 4. Import the LiteLLM sample by its absolute path (from the sidebar's button this time).
    await page.getByRole('button', { name: 'Models and prices…' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Import LiteLLM prices…' }).click();
    const importForm = page.getByTestId('import-form');
    const pathField = importForm.getByLabel(/Path of the price file/);
    await pathField.fill(SAMPLE);
    await importForm.getByRole('button', { name: 'Import' }).click();
    const result = importForm.getByTestId('import-result');
    await result.waitFor({ timeout: 15_000 });
    const imported = await catalog(app);
    const summary = (await result.textContent())!;
    const match = /^Added (\d+), updated (\d+), skipped (\d+); catalog now (\d+) models\.$/.exec(summary);
    expect(match, summary).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
    expect(Number(match![3])).toBeGreaterThan(0);
    expect(Number(match![4])).toBe(imported.length);
    await expect.poll(() => page.getByTestId('catalog-row').count()).toBe(imported.length);
    expect(await page.locator('[data-testid="catalog-row"][data-origin="litellm"]').count()).toBe(
      imported.filter((m) => m.origin === 'litellm').length,
    );
    // the user's override still wins over the imported gpt-4o
    expect(await catalogRow(page, 'gpt-4o').getByRole('cell').first().textContent()).toBe('$10.00');
    await page.getByTestId('models-search').fill('');
    await page.mouse.move(0, 0);
    await screenshot(page, 'models-settings.png');

    // 5. A broken file: PARSE_ERROR with line and column, and the catalog stays as it was.
    scratch = await mkdtemp(path.join(os.tmpdir(), 'pp-litellm-'));
    const broken = path.join(scratch, 'broken_prices.json');
    await writeFile(broken, '{\n  "gpt-x": {\n    "mode": "chat",,\n  }\n}\n');
    await pathField.fill(broken);
    await importForm.getByRole('button', { name: 'Import' }).click();
    const error = importForm.getByTestId('import-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.getAttribute('data-code')).toBe('PARSE_ERROR');
    const message = (await error.textContent())!;
    expect(message).toContain('PARSE_ERROR');
    expect(message).toContain('broken_prices.json');
    expect(message).toMatch(/line 3, column \d+/);
    expect(await result.count()).toBe(0);
    expect((await catalog(app)).map((m) => m.id)).toEqual(imported.map((m) => m.id));
    expect(await page.getByTestId('catalog-row').count()).toBe(imported.length);
    await page.mouse.move(0, 0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'models-settings-error-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    // 6. A new model with a negative price is refused in the form; nothing reaches the catalog.
    await dialog.getByRole('button', { name: 'Add model' }).click();
    const add = page.getByTestId('add-model-form');
    await add.getByLabel('Model id').fill('acme-large-2');
    await add.getByLabel('Label').fill('Acme Large 2');
    await add.getByLabel('Provider').fill('acme');
    await add.getByLabel('Tokenizer family').fill('llama3');
    await add.getByLabel('Input $/1M', { exact: true }).fill('1.5');
    await add.getByLabel('Output $/1M', { exact: true }).fill('-6');
    await add.getByLabel('Context window').fill('128,000');
    await add.getByLabel('Source URL').fill('https://acme.example/pricing');
    await add.getByRole('button', { name: 'Add model' }).click();
    expect(await add.getByTestId('add-model-error').textContent()).toContain('One field needs fixing');
    expect(await add.getByLabel('Output $/1M', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await add.textContent()).toContain('Output must not be negative (got -6)');
    await page.mouse.move(0, 0);
    await screenshot(page, 'models-add-invalid.png');
    expect((await catalog(app)).map((m) => m.id)).toEqual(imported.map((m) => m.id));
    await add.getByLabel('Output $/1M', { exact: true }).fill('6');
    await add.getByRole('button', { name: 'Add model' }).click();
    await add.waitFor({ state: 'detached' });
    await catalogRow(page, 'acme-large-2').waitFor();
    expect((await catalog(app)).find((m) => m.id === 'acme-large-2')).toMatchObject({
      outputPerMTok: 6,
      contextWindow: 128000,
      origin: 'user',
    });

    expect(app.problems).toEqual([]);
  });
});
