import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { openFile, screenshot, startApp, type E2eApp } from './support/app';

/**
 * The workbench around the features: tabs of open items with per-tab undo, files dropped on the window,
 * the resizable sidebar, and a restart that brings back the tabs and the unsaved text.
 */

const AIRLINE = 'prompts/airline-agent-policy.md';
const RETAIL = 'prompts/retail-agent-policy.md';
const CONFIG = 'benchmarks/banking77-intent.bench.yaml';
const SAMPLE = path.resolve(import.meta.dirname, '../../resources/sample-workspace');

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

const tabs = (page: Page) =>
  page.getByTestId('open-tab').evaluateAll((els) => els.map((e) => `${e.dataset.kind}:${e.dataset.path}`));

/** The page's DataTransfer and File (this test is compiled without the DOM library). */
interface PageGlobals {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: unknown[], name: string) => unknown;
}

/** Types at the end of the Monaco document. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="editor"] .monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** Drops files on the window as the OS would: dragenter, dragover and drop with a DataTransfer of Files. */
async function dropFiles(page: Page, files: Array<{ name: string; content: string }>): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    const { DataTransfer: DT, File: F } = globalThis as unknown as PageGlobals;
    const dt = new DT();
    for (const f of list) dt.items.add(new F([f.content], f.name));
    return dt;
  }, files);
  for (const type of ['dragenter', 'dragover']) {
    await page.dispatchEvent('body', type, { dataTransfer: transfer });
  }
  await page.getByTestId('drop-overlay').waitFor();
  await screenshot(page, 'workbench-drop-overlay.png');
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
  await page.getByTestId('drop-overlay').waitFor({ state: 'detached' });
}

describe('the workbench', () => {
  it('keeps open items in tabs, each prompt with its own unsaved text and undo, and closes them with a guard', async () => {
    app = await startApp(browser);
    const { page } = app;
    await app.open();
    await openFile(page, AIRLINE);
    await typeAtEnd(page, '\nAIRLINE DRAFT');
    await openFile(page, RETAIL);
    await page.locator(`[data-testid="bench-config-item"][data-path="${CONFIG}"]`).click();
    await page.getByTestId('bench-estimate').waitFor();
    expect(await tabs(page)).toEqual([`prompt:${AIRLINE}`, `prompt:${RETAIL}`, `bench:${CONFIG}`]);
    const airlineTab = page.locator(`[data-testid="open-tab"][data-path="${AIRLINE}"]`);
    await airlineTab.getByTestId('tab-dirty').waitFor();
    await screenshot(page, 'workbench-tabs.png');

    // back to the airline prompt: its draft is there, and Ctrl+Z undoes the typing (the tab kept its history)
    await airlineTab.getByRole('button').first().click();
    await page.locator(`[data-testid="open-tab"][data-path="${AIRLINE}"][data-active="true"]`).waitFor();
    await page.locator('.view-lines:has-text("AIRLINE DRAFT")').waitFor();
    await page.locator('[data-testid="editor"] .monaco-editor .view-lines').click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.view-lines:has-text("AIRLINE DRAFT")').count()).toBe(0);
    await page.getByTestId('dirty-indicator').waitFor({ state: 'detached' });

    // Ctrl+PageDown moves through the tabs
    await page.keyboard.press('Control+PageDown');
    await page.locator(`[data-testid="open-tab"][data-path="${RETAIL}"][data-active="true"]`).waitFor();
    await page.keyboard.press('Control+PageDown');
    await page.getByTestId('bench-estimate').waitFor();

    // the retail prompt gets unsaved text; closing its tab asks, Cancel keeps it
    await page.locator(`[data-testid="open-tab"][data-path="${RETAIL}"]`).getByRole('button').first().click();
    await typeAtEnd(page, '\nRETAIL DRAFT');
    await page.locator(`[data-testid="open-tab"][data-path="${RETAIL}"]`).getByTestId('tab-close').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await tabs(page)).toEqual([`prompt:${AIRLINE}`, `prompt:${RETAIL}`, `bench:${CONFIG}`]);
    await page.locator(`[data-testid="open-tab"][data-path="${RETAIL}"]`).getByTestId('tab-close').click();
    await dialog.getByRole('button', { name: "Don't save" }).click();
    await expect.poll(() => tabs(page)).toEqual([`prompt:${AIRLINE}`, `bench:${CONFIG}`]);
    expect(await readFile(path.join(app.workspaceDir, RETAIL), 'utf8')).toBe(
      await readFile(path.join(SAMPLE, RETAIL), 'utf8'),
    );
    expect(app.problems).toEqual([]);
  });

  it('adds dropped files to the workspace in the folder of their kind and opens the first', async () => {
    app = await startApp(browser);
    const { page } = app;
    await app.open();
    await dropFiles(page, [
      { name: 'support-triage.md', content: '# Triage\nYou sort support tickets by urgency.\n' },
      { name: 'airline-agent-policy.md', content: 'a second file of a name that exists\n' },
    ]);
    await page.locator('[data-testid="file-item"][data-path="prompts/support-triage.md"]').waitFor();
    await page
      .locator('[data-testid="file-item"][data-path="prompts/airline-agent-policy (2).md"]')
      .waitFor();
    await page
      .locator('[data-testid="open-tab"][data-path="prompts/support-triage.md"][data-active="true"]')
      .waitFor();
    expect(await page.getByTestId('editor-title').textContent()).toBe('support-triage.md');
    await page.getByText(/Added to the workspace: prompts\/support-triage\.md/).waitFor();
    // the original was not touched
    expect(await readFile(path.join(app.workspaceDir, AIRLINE), 'utf8')).toBe(
      await readFile(path.join(SAMPLE, AIRLINE), 'utf8'),
    );

    // a binary file is refused with its code; nothing is written
    const binary = await page.evaluateHandle(() => {
      const { DataTransfer: DT, File: F } = globalThis as unknown as PageGlobals;
      const dt = new DT();
      dt.items.add(new F([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1])], 'logo.md'));
      return dt;
    });
    await page.dispatchEvent('body', 'dragenter', { dataTransfer: binary });
    await page.dispatchEvent('body', 'drop', { dataTransfer: binary });
    await page.locator('[data-testid="notice"][data-code="BINARY_FILE"]').waitFor();
    expect(await page.locator('[data-testid="file-item"][data-path="prompts/logo.md"]').count()).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('comes back after a restart with its tabs, the shown item, the unsaved text and the sidebar width', async () => {
    app = await startApp(browser);
    const { page } = app;
    page.on('dialog', (d) => void d.accept()); // the unsaved-changes prompt of the page unload
    await app.open();
    await openFile(page, AIRLINE);
    await typeAtEnd(page, '\nKEPT ACROSS A RESTART');
    await openFile(page, RETAIL);
    const splitter = page.getByRole('separator', { name: 'Resize the sidebar' });
    const width = Number(await splitter.getAttribute('aria-valuenow'));
    await splitter.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(Number(await splitter.getAttribute('aria-valuenow'))).toBe(width + 48);

    await page.reload();
    await page.locator(`[data-testid="open-tab"][data-path="${RETAIL}"][data-active="true"]`).waitFor();
    expect(await tabs(page)).toEqual([`prompt:${AIRLINE}`, `prompt:${RETAIL}`]);
    await page
      .getByText(/Unsaved changes from your last session were restored: airline-agent-policy\.md/)
      .waitFor();
    expect(
      Number(await page.getByRole('separator', { name: 'Resize the sidebar' }).getAttribute('aria-valuenow')),
    ).toBe(width + 48);
    const airlineTab = page.locator(`[data-testid="open-tab"][data-path="${AIRLINE}"]`);
    await airlineTab.getByTestId('tab-dirty').waitFor();
    await airlineTab.getByRole('button').first().click();
    await page.getByTestId('dirty-indicator').waitFor();
    // the draft is at the end of the document: go there
    await page.locator('[data-testid="editor"] .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.locator('.view-lines:has-text("KEPT ACROSS A RESTART")').waitFor();
    await screenshot(page, 'workbench-restored.png');
    // still unsaved: the file on disk is as it was
    expect(await readFile(path.join(app.workspaceDir, AIRLINE), 'utf8')).not.toContain(
      'KEPT ACROSS A RESTART',
    );
    expect(app.problems).toEqual([]);
  });
});
