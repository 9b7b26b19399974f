import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findModel } from '../../src/core/pricing/catalog';
import { formatUsd } from '../../src/core/pricing/cost';
import { findResourcesDir, loadCatalog } from '../../src/backend';
import { launchChromium } from './support/browser';
import {
  o200kCount,
  openFile,
  screenshot,
  startApp,
  tokensLabel,
  waitForCount,
  type E2eApp,
} from './support/app';

const SAMPLE_FILES = [
  'prompts/airline-agent-policy.md',
  'prompts/banking77-intent.compressed.md',
  'prompts/banking77-intent.md',
  'prompts/gsm8k-8-shot-cot.txt',
  'prompts/linux-terminal.prompt',
  'prompts/retail-agent-policy.md',
  'prompts/telecom-tech-support-manual.md',
];

const TYPED =
  'Refunds above $1,250.00 need a supervisor (policy 7-B); call 555-0199 before 5:30 p.m.\n' +
  'Answer in 3 short sentences, never more — and always confirm the booking code, e.g. "QX7-42". 🚀';

const catalog = loadCatalog(findResourcesDir());
const price = (id: string): number => findModel(catalog, id).inputPerMTok!;
/** The status bar's cost line for `tokens` sent once to `model`. */
const costLine = (tokens: number, model: string): string =>
  `${formatUsd((tokens * price(model)) / 1e6)} input · ${model} $${price(model).toFixed(2)}/1M`;

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

describe('vertical slice in the browser host', () => {
  it('opens the sample workspace, counts exactly while typing, prices per model, and saves', async () => {
    app = await startApp(browser);
    const { page } = app;
    await app.open();

    const listed = await page
      .getByTestId('file-item')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-path')));
    expect(listed).toEqual(SAMPLE_FILES);
    await expect(page.getByText('Pick a prompt on the left').isVisible()).resolves.toBe(true);
    await screenshot(page, 'empty-state.png');

    const rel = 'prompts/airline-agent-policy.md';
    const onDisk = path.join(app.workspaceDir, rel);
    const original = await readFile(onDisk, 'utf8');
    await openFile(page, rel);
    const originalTokens = o200kCount(original);
    await waitForCount(page, originalTokens);
    const count = page.getByTestId('token-count');
    expect(await count.textContent()).toBe(tokensLabel(originalTokens));
    // Any exact o200k_base implementation may count (in the window or in the backend); the number must equal tiktoken's.
    expect(await count.getAttribute('title')).toMatch(
      /^exact — o200k_base via (gpt-tokenizer, in the window|[\w.-]+ \(backend\))$/,
    );
    expect(await page.getByTestId('token-cost').textContent()).toBe(costLine(originalTokens, 'gpt-4o'));
    await screenshot(page, 'prompt-open.png');

    // Replace the whole text by typing, as a user would.
    await page.locator('[data-testid="editor"] .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(TYPED);
    const typedTokens = o200kCount(TYPED);
    await waitForCount(page, typedTokens);
    expect(await count.textContent()).toBe(tokensLabel(typedTokens));
    // Typing is counted in the window, edit by edit, without a round-trip to the backend.
    expect(await count.getAttribute('title')).toBe('exact — o200k_base via gpt-tokenizer, in the window');
    await page.getByTestId('dirty-indicator').waitFor();

    const cost = page.getByTestId('token-cost');
    const before = await cost.textContent();
    await page.getByTestId('model-select').selectOption('gpt-4o-mini');
    const expectedMini = costLine(typedTokens, 'gpt-4o-mini');
    await page.getByTestId('token-cost').getByText(expectedMini, { exact: true }).waitFor();
    expect(expectedMini).not.toBe(before);

    await page.keyboard.press('Control+S');
    await page.getByTestId('dirty-indicator').waitFor({ state: 'detached' });
    expect(await readFile(onDisk, 'utf8')).toBe(TYPED);

    await screenshot(page, 'slice.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'slice-dark.png');
    expect(app.problems).toEqual([]);
  });
});
