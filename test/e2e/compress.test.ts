import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../src/backend';
import { launchChromium } from './support/browser';
import { openFile, screenshot, startApp, type E2eApp } from './support/app';

const TELECOM = 'prompts/telecom-tech-support-manual.md';

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

const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);

/** Waits until the summary shows `before → after` with no run pending. */
async function waitForTotals(page: Page, before: number, after: number): Promise<void> {
  const summary = page.locator('[data-testid="compress-summary"][data-pending="false"]');
  await summary.waitFor({ timeout: 20_000 });
  await expect
    .poll(async () => (await summary.getByTestId('compress-totals').textContent())?.replace(/\s+/g, ' '), {
      timeout: 20_000,
    })
    .toBe(`${fmt(before)}${fmt(after)} tokens`);
}

describe('Compress view in the browser host', () => {
  it('compresses the sample prompt, rejects one edit, exports, and shows the diff', async () => {
    app = await startApp(browser, { width: 1440, height: 900 });
    await app.open();
    const { page, backend, workspaceDir } = app;
    await openFile(page, TELECOM);
    const text = await readFile(path.join(workspaceDir, TELECOM), 'utf8');
    const model = 'gpt-4o';

    await page.getByTestId('mode-compress').click();
    await page.locator('[data-testid="compress-diff"] .monaco-diff-editor').waitFor({ timeout: 20_000 });
    const first = await call(backend, 'compress.run', { text, model });
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    expect(first.data.totals.saved).toBeGreaterThan(0);
    await waitForTotals(page, first.data.totals.tokensBefore, first.data.totals.tokensAfter);
    // the saving is priced on the cost panel's models
    await page.getByTestId('model-saving').first().waitFor();

    // Edits tab: one row per edit; reject the first phrase rewrite
    await page.getByTestId('compress-tab-edits').click();
    const filler = page.locator(
      '[data-testid="edit-group"][data-strategy="rules.filler"] [data-testid="edit-row"]',
    );
    const row = filler.first();
    const id = (await row.getAttribute('data-edit'))!;
    const edit = first.data.stages.flatMap((s) => s.edits).find((e) => e.id === id)!;
    expect(edit).toBeDefined();
    await row.getByTestId('edit-toggle').uncheck();
    const second = await call(backend, 'compress.run', { text, model, rejected: [id] });
    if (!second.ok) throw new Error(JSON.stringify(second.error));
    expect(second.data.text).toContain(edit.before);
    await waitForTotals(page, second.data.totals.tokensBefore, second.data.totals.tokensAfter);
    await page.locator(`[data-testid="edit-row"][data-edit="${id}"][data-status="rejected"]`).waitFor();

    // clicking an edit shows it in the diff; its hover explains it
    const other = filler.nth(1);
    await other.locator('.edit-main').click();
    await page.locator('[data-testid="edit-row"].focused').waitFor();
    await screenshot(page, 'compress-diff.png');
    const mark = page.locator('.modified .pp-edit.applied').first();
    await mark.hover();
    await page.locator('.monaco-hover:visible').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.monaco-hover:visible').first().textContent()).toMatch(/saves|costs|no token/);
    await screenshot(page, 'compress-hover.png');

    // guards: verified
    await page.getByTestId('compress-tab-guards').click();
    await expect.poll(() => page.getByTestId('guard-verdict').textContent()).toContain('Verified');

    // export the three files with the defaults
    await page.getByTestId('export-open').click();
    await page.getByTestId('export-dialog').waitFor();
    await page.getByTestId('export-submit').click();
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
    const stem = TELECOM.replace(/\.md$/, '');
    const compressed = await readFile(path.join(workspaceDir, `${stem}.compressed.md`), 'utf8');
    expect(compressed).toBe(second.data.text);
    const report = await readFile(path.join(workspaceDir, `${stem}.compression-report.md`), 'utf8');
    expect(report).toContain('## Edits you rejected (1)');
    expect(report).toContain(`| compressed | ${second.data.totals.tokensAfter} |`);
    const pipeline = JSON.parse(await readFile(path.join(workspaceDir, `${stem}.pipeline.json`), 'utf8'));
    expect(pipeline.version).toBe(1);
    // the exported prompt appears in the workspace
    await page.locator(`[data-testid="file-item"][data-path="${stem}.compressed.md"]`).waitFor();
    // back to the editor and into Compress again: the diff editor unmounts and mounts cleanly
    await page.getByTestId('mode-edit').click();
    await page.getByTestId('editor').waitFor();
    await page.getByTestId('mode-compress').click();
    await page.getByTestId('mode-edit').click();
    await page.waitForTimeout(300);
    expect(app.problems).toEqual([]);
  });
});
