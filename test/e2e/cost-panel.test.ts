import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../src/backend';
import { launchChromium } from './support/browser';
import { o200kCount, openFile, screenshot, startApp, type E2eApp } from './support/app';

const AIRLINE = 'prompts/airline-agent-policy.md';
const RETAIL = 'prompts/retail-agent-policy.md';
const GSM8K = 'prompts/gsm8k-8-shot-cot.txt';
const DEFAULT_MODELS = ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash'];
const TYPED =
  'You are a concise travel assistant for a regional airline.\n' +
  'Quote fares in USD, confirm the booking code before any change, and never promise refunds.';

let browser: Browser;
let app: E2eApp | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const row = (page: Page, model: string) => page.locator(`[data-testid="cost-row"][data-model="${model}"]`);

/** Waits until the cost table shows `tokens` for `model` and no newer estimate is on its way. */
async function waitForRow(page: Page, model: string, tokens: number): Promise<void> {
  await page
    .locator(
      `[data-testid="cost-table"][data-pending="false"] [data-testid="cost-row"][data-model="${model}"][data-tokens="${tokens}"]`,
    )
    .waitFor({ timeout: 15_000 });
}

async function rowModels(page: Page): Promise<string[]> {
  return page
    .getByTestId('cost-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model') ?? ''));
}

describe('cost panel in the browser host', () => {
  it('compares models live, adds one from the catalog, explains the cache and projects a month', async () => {
    app = await startApp(browser);
    const { page } = app;
    await app.open();
    const original = await readFile(path.join(app.workspaceDir, AIRLINE), 'utf8');
    const originalTokens = o200kCount(original);

    // 1. The airline policy: three default models, gpt-4o counted exactly as tiktoken does.
    await openFile(page, AIRLINE);
    await page.getByTestId('cost-panel').waitFor();
    await waitForRow(page, 'gpt-4o', originalTokens);
    expect(await rowModels(page)).toEqual(DEFAULT_MODELS);
    const gptTokens = row(page, 'gpt-4o').getByTestId('cost-tokens');
    const claudeTokens = row(page, 'claude-sonnet-4-5').getByTestId('cost-tokens');
    expect(await gptTokens.textContent()).toBe(originalTokens.toLocaleString('en-US'));
    expect(await gptTokens.getAttribute('title')).toMatch(/^exact — o200k_base via [\w.-]+$/);
    expect(await claudeTokens.textContent()).toMatch(/^≈ [\d,]+$/);
    expect(await claudeTokens.getAttribute('title')).toBe(
      '≈ estimate — o200k_base stand-in for the claude tokenizer; error not yet measured',
    );
    const perRequest = row(page, 'gpt-4o').getByTestId('cost-per-request');
    expect(await perRequest.textContent()).toMatch(/^\$\d/);
    expect(await perRequest.getAttribute('title')).toMatch(
      /^catalog: https:\/\/openai\.com\/\S+ as of \d{4}-\d{2}-\d{2}/,
    );

    // 2. Replace the text by typing: every row follows.
    await page.locator('[data-testid="editor"] .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(TYPED);
    const typedTokens = o200kCount(TYPED);
    await waitForRow(page, 'gpt-4o', typedTokens);
    for (const model of DEFAULT_MODELS.slice(1)) {
      const tokens = Number(await row(page, model).getAttribute('data-tokens'));
      expect(tokens, model).not.toBe(originalTokens);
      expect(tokens, model).toBeGreaterThan(0);
    }
    expect(await claudeTokens.textContent()).toMatch(/^≈ /);
    expect(await gptTokens.textContent()).toBe(String(typedTokens));

    // 3. A fourth model from the searchable catalog.
    await page.getByTestId('model-picker-input').click();
    await page.keyboard.type('haiku');
    const options = await page
      .getByTestId('model-option')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-model') ?? ''));
    expect(options.length).toBeGreaterThan(0);
    expect(options.every((id) => id.includes('haiku'))).toBe(true);
    await screenshot(page, 'model-picker.png');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="model-chip"][data-model="claude-haiku-4-5"]').waitFor();
    await waitForRow(page, 'claude-haiku-4-5', typedTokens);
    expect(await rowModels(page)).toEqual([...DEFAULT_MODELS, 'claude-haiku-4-5']);

    // 4. Back to the policy as it is on disk (discarding the typed text), four models priced.
    // opening another prompt keeps the typed text in its tab; closing that tab is what asks
    await page.locator(`[data-testid="file-item"][data-path="${RETAIL}"]`).click();
    await page.locator(`[data-testid="file-item"][data-path="${RETAIL}"][aria-selected="true"]`).waitFor();
    const airlineTab = page.locator(`[data-testid="open-tab"][data-path="${AIRLINE}"]`);
    await airlineTab.getByTestId('tab-dirty').waitFor();
    await airlineTab.getByTestId('tab-close').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: "Don't save" }).click();
    await airlineTab.waitFor({ state: 'detached' });
    await openFile(page, AIRLINE);
    await waitForRow(page, 'gpt-4o', originalTokens);
    await waitForRow(page, 'claude-haiku-4-5', originalTokens);

    // A model the catalog has no price for: "no price" and a warning, never $0.
    await page.getByTestId('model-picker-input').fill('large latest');
    await page.keyboard.press('Enter');
    await waitForRow(page, 'mistral-large-latest', originalTokens);
    const mistral = row(page, 'mistral-large-latest');
    expect(await mistral.getByTestId('cost-per-request').textContent()).toBe('no price');
    expect(await mistral.textContent()).not.toContain('$');
    const warning = page.locator('[data-testid="cost-warning"][data-model="mistral-large-latest"]');
    expect(await warning.textContent()).toContain('excluded from totals');
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.mouse.move(0, 0);
    await screenshot(page, 'cost-panel.png');
    await page.getByRole('button', { name: 'Remove Mistral Large (latest)' }).click();
    await warning.waitFor({ state: 'detached' });

    // 5. The prompt-cache what-if: line 3's date breaks the prefix.
    await page.getByTestId('cost-tab-cache').click();
    await page.getByTestId('cache-model').selectOption('claude-sonnet-4-5');
    const whatIf = page.locator('[data-testid="cache-whatif"][data-pending="false"]');
    await whatIf.getByTestId('cache-first-dynamic').waitFor({ timeout: 15_000 });
    const answer = await call(app.backend, 'cost.cacheWhatIf', {
      text: original,
      model: 'claude-sonnet-4-5',
      hitRate: 0.8,
      outputTokens: 500,
      ttl: '5m',
    });
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    const prefix = whatIf.getByTestId('cache-prefix-tokens');
    expect(Number(await prefix.getAttribute('data-tokens'))).toBe(answer.data.prefixTokens);
    expect(answer.data.meetsMinimum).toBe(false);
    expect(await whatIf.getByTestId('cache-minimum').textContent()).toMatch(/^below 1,024 min$/);
    const first = whatIf.getByTestId('cache-first-dynamic');
    expect(await first.getAttribute('data-kind')).toBe('date');
    expect(await first.textContent()).toContain('2024-05-15 15:00:00');
    expect(await first.textContent()).toContain('line 3');
    expect(await whatIf.getByTestId('cache-saving').textContent()).toBeTruthy();
    // The editor marks the dynamic span while the Cache tab is open; a click selects it there.
    await page.locator('.monaco-editor .pp-dynamic.first').waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'cache-whatif.png');
    await first.click();
    await page.locator('.monaco-editor .selected-text').first().waitFor();

    // 6. The projection against another prompt of the workspace.
    await page.getByTestId('cost-tab-projection').click();
    const form = page.getByTestId('projection-form');
    await form.getByLabel('Cache hits').fill('50');
    await form.getByLabel('Batch share').fill('20');
    await form.getByLabel('Embed tokens/day').fill('2000000');
    await form.getByLabel('Embed $/1M tok').fill('0.02');
    await form.getByLabel('Other $/month').fill('25');
    await page.getByTestId('projection-compare').selectOption(RETAIL);
    await page.locator('[data-testid="projection-chart"] [data-variant="compared"]').first().waitFor();
    await page.locator('[data-testid="projection-table"][data-pending="false"]').waitFor();
    expect(await page.getByTestId('projection-row').count()).toBe(4);
    expect(await page.locator('[data-testid="projection-bar"]').count()).toBe(8);
    const chartLabel = await page.locator('[data-testid="projection-chart"] svg').getAttribute('aria-label');
    expect(chartLabel).toMatch(
      /GPT-4o: \$[\d.]+ \(input \$[\d.]+, output \$[\d.]+, cache \$[\d.]+, embeddings \$1\.20, other \$25\.00\)/,
    );
    expect(await page.locator('.monaco-editor .pp-dynamic').count()).toBe(0); // marks go with the Cache tab
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.mouse.move(0, 0);
    await screenshot(page, 'projection.png');

    // 7. A fully static prompt: cached whole, a breakpoint at its end, and an edit at its start that
    //    throws the cached tokens away (flagged in the status bar until saved).
    await openFile(page, GSM8K);
    await page.getByTestId('cost-tab-cache').click();
    const gsm8k = await readFile(path.join(app.workspaceDir, GSM8K), 'utf8');
    await whatIf.locator(`[data-testid="cache-breakpoint"]`).waitFor({ timeout: 15_000 });
    expect(await whatIf.getByTestId('cache-minimum').textContent()).toMatch(/^meets /);
    expect(await whatIf.getByTestId('cache-saving').textContent()).toMatch(/^Saves \$/);
    await page.locator('[data-testid="editor"] .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('Note: ');
    const edited = await call(app.backend, 'cost.cacheWhatIf', {
      text: `Note: ${gsm8k}`,
      previousText: gsm8k,
      model: 'claude-sonnet-4-5',
    });
    if (!edited.ok) throw new Error(JSON.stringify(edited.error));
    expect(edited.data.invalidatedTokens).toBeGreaterThan(1000);
    const flag = page.locator(
      `[data-testid="cache-invalidated"][data-tokens="${edited.data.invalidatedTokens}"]`,
    );
    await flag.waitFor({ timeout: 15_000 });
    expect(await flag.textContent()).toContain(
      `This edit invalidates ${edited.data.invalidatedTokens.toLocaleString('en-US')} cached tokens`,
    );
    await whatIf.getByTestId('cache-breakpoint').click(); // scrolls to the breakpoint at the end of the prompt
    await page.locator('.monaco-editor .pp-breakpoint-line').waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'cache-invalidated.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'cache-invalidated-dark.png');
    await page.keyboard.press('Control+S');
    await page.getByTestId('cache-invalidated').waitFor({ state: 'detached' });

    expect(app.problems).toEqual([]);
  });
});
