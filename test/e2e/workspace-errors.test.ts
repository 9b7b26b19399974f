import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { o200kCount, openFile, screenshot, startApp, waitForCount, type E2eApp } from './support/app';

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

describe('bad input in the browser host', () => {
  it('shows a coded notice for a binary and a non-UTF-8 file and keeps working', async () => {
    app = await startApp(browser);
    const { page } = app;
    await writeFile(
      path.join(app.workspaceDir, 'bad.txt'),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14]),
    );
    await writeFile(path.join(app.workspaceDir, 'latin1.md'), Buffer.from('Caf\xe9 cr\xe8me\n', 'latin1'));
    await app.open();

    await openFile(page, 'prompts/linux-terminal.prompt');
    const editorTitle = page.getByTestId('editor-title');
    expect(await editorTitle.textContent()).toBe('linux-terminal.prompt');

    await page.locator('[data-testid="file-item"][data-path="bad.txt"]').click();
    const binary = page.locator('[data-testid="notice"][data-code="BINARY_FILE"]');
    await binary.waitFor();
    expect(await binary.getAttribute('role')).toBe('alert');
    expect(await binary.textContent()).toContain('bad.txt looks like a binary file');

    await page.locator('[data-testid="file-item"][data-path="latin1.md"]').click();
    const encoding = page.locator('[data-testid="notice"][data-code="ENCODING_INVALID"]');
    await encoding.waitFor();
    expect(await encoding.textContent()).toMatch(/latin1\.md is not valid UTF-8.*line 1, column 4/);

    // The previous file is still open, untouched.
    expect(await editorTitle.textContent()).toBe('linux-terminal.prompt');
    await screenshot(page, 'error-notice.png');

    // And the app still works: another file opens and is counted.
    const rel = 'prompts/retail-agent-policy.md';
    await openFile(page, rel);
    await waitForCount(page, o200kCount(await readFile(path.join(app.workspaceDir, rel), 'utf8')));
    expect(app.problems).toEqual([]);
  });

  it('detects a change on disk at save time and overwrites it on request', async () => {
    app = await startApp(browser);
    const { page } = app;
    await app.open();
    const rel = 'prompts/linux-terminal.prompt';
    const onDisk = path.join(app.workspaceDir, rel);
    const original = await readFile(onDisk, 'utf8');
    await openFile(page, rel);
    await waitForCount(page, o200kCount(original));

    await page.locator('[data-testid="editor"] .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    const added = 'Also answer in French.';
    await page.keyboard.type(added);
    await page.getByTestId('dirty-indicator').waitFor();
    await waitForCount(page, o200kCount(original + added));

    await chmod(onDisk, 0o644);
    await writeFile(onDisk, 'Someone else rewrote this prompt.\n');
    await page.keyboard.press('Control+S');
    const conflict = page.locator('[data-testid="notice"][data-code="FILE_CHANGED_ON_DISK"]');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('changed on disk');
    await screenshot(page, 'save-conflict.png');

    await conflict.getByRole('button', { name: 'Overwrite' }).click();
    await page.getByTestId('dirty-indicator').waitFor({ state: 'detached' });
    expect(await readFile(onDisk, 'utf8')).toBe(original + added);
    await conflict.waitFor({ state: 'detached' });
    expect(app.problems).toEqual([]);
  });
});
