/**
 * The desktop app itself, driven by Playwright's Electron support. The Electron binary cannot be downloaded on
 * our build machines, so this spec skips itself when it is absent; everything else about the app is tested
 * through the browser host, and the shell's wiring by unit tests in test/main.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function electronBinary(): string | null {
  const dir = path.join(root, 'node_modules/electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const binary = electronBinary();

describe.skipIf(binary === null)('desktop app (Electron)', () => {
  it('opens the sample workspace in a sandboxed window and counts tokens', async () => {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    const userData = mkdtempSync(path.join(os.tmpdir(), 'pp-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: [path.join(root, 'out/main/index.js'), `--user-data-dir=${userData}`, '--no-sandbox'],
      cwd: root,
    });
    try {
      const page = await app.firstWindow();
      await expect.poll(() => page.title()).toBe('PromptPress');
      // the preload exposes exactly the two bridge functions, and nothing of Node
      const bridge = await page.evaluate(() =>
        Object.keys((globalThis as unknown as { promptpress: object }).promptpress).sort(),
      );
      expect(bridge).toEqual(['invoke', 'on']);
      expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe(
        'undefined',
      );
      await page.getByTestId('file-item').first().waitFor();
      await page.locator('[data-testid="file-item"][data-path="prompts/airline-agent-policy.md"]').click();
      await expect
        .poll(async () => Number(await page.getByTestId('token-count').getAttribute('data-tokens')))
        .toBeGreaterThan(1000);
      await page.screenshot({ path: path.join(root, 'test/artifacts/electron.png') });
    } finally {
      await app.close();
    }
  });
});
