import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { openFile, screenshot, startApp, type E2eApp } from './support/app';

const PROMPT = 'prompts/telecom-tech-support-manual.md';
const CONFIG = 'benchmarks/banking77-intent.bench.yaml';
const HISTORY = 'histories/tau-bench-airline-sample.json';

interface AxeNode {
  target: unknown[];
  html: string;
}
interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: AxeNode[];
}

/**
 * Rules left out on a screen, with why. Each entry is a known finding in code outside this test's scope,
 * listed so the rest of the screen is still checked.
 */
const EXCLUDED: Record<string, Record<string, string>> = {};

let browser: Browser;
let app: E2eApp | undefined;
let axeSource: string;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  browser = await launchChromium();
});
afterAll(async () => {
  await app?.close();
  await browser?.close();
});

/**
 * Runs axe-core on the page as it is and returns the serious and critical violations. axe is evaluated
 * through the DevTools protocol: the app's Content-Security-Policy (script-src 'self') would block the
 * inline <script> that page.addScriptTag({ content }) adds.
 */
async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  const disabled = Object.keys(EXCLUDED[screen] ?? {});
  const violations = await page.evaluate(async (off: string[]) => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } })
      .axe;
    const rules = Object.fromEntries(off.map((id) => [id, { enabled: false }]));
    const result = (await axe.run('html', { rules, resultTypes: ['violations'] })) as {
      violations: unknown[];
    };
    return result.violations;
  }, disabled);
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `[${screen}] ${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}`)
          .join('\n'),
    );
}

describe('accessibility (axe-core) in the browser host', () => {
  it('has no serious or critical violations on the main screens', async () => {
    app = await startApp(browser, { width: 1440, height: 900 });
    await app.open();
    const { page } = app;
    const found: string[] = [];

    // 1. First start: the sample workspace, no prompt open
    await page.getByTestId('file-item').first().waitFor();
    found.push(...(await seriousViolations(page, 'empty state')));

    // 2. A prompt with the cost panel
    await openFile(page, PROMPT);
    await page.getByTestId('token-count').waitFor();
    found.push(...(await seriousViolations(page, 'prompt and cost panel')));

    // 3. The palette, opened from the keyboard: Escape closes it and focus goes back where it was
    const item = page.locator(`[data-testid="file-item"][data-path="${PROMPT}"]`);
    await item.focus();
    await page.keyboard.press('Control+k');
    await expect
      .poll(() => page.getByTestId('palette-input').evaluate((el) => el === el.ownerDocument.activeElement))
      .toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('command-palette').waitFor({ state: 'detached' });
    expect(await item.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Control+k');
    await page.getByTestId('command-palette').waitFor();
    await page.keyboard.type('compress');
    found.push(...(await seriousViolations(page, 'command palette')));
    await screenshot(page, 'command-palette.png');
    // Enter runs the best match: the Compress view
    await page.keyboard.press('Enter');
    await page.getByTestId('command-palette').waitFor({ state: 'detached' });

    // 4. The Compress view
    await page.locator('[data-testid="compress-diff"] .monaco-diff-editor').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="compress-summary"][data-pending="false"]').waitFor({ timeout: 20_000 });
    found.push(...(await seriousViolations(page, 'compress view')));
    // (the Compress view stays mounted behind the next screens: leaving it for Edit unmounts Monaco's diff
    // editor, which throws "TextModel got disposed before DiffEditorWidget model got reset", a known
    // @monaco-editor/react issue outside this test)

    // 5. The sample benchmark config
    await page.locator(`[data-testid="bench-config-item"][data-path="${CONFIG}"]`).click();
    await page.getByTestId('bench-estimate').waitFor();
    found.push(...(await seriousViolations(page, 'bench view')));

    // 6. The sample history
    await page.locator(`[data-testid="history-file-item"][data-path="${HISTORY}"]`).click();
    await page.getByTestId('history-view').waitFor();
    await expect.poll(() => page.getByTestId('conversation-row').count()).toBeGreaterThan(0);
    found.push(...(await seriousViolations(page, 'history view')));

    expect(found, found.join('\n')).toEqual([]);
    expect(app.problems).toEqual([]);
  }, 120_000);
});
