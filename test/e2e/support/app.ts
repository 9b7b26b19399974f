import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { get_encoding } from 'tiktoken';
import { call, createBackend, type Backend, type BackendOptions } from '../../../src/backend';
import { startServer } from '../../../src/server';

export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../artifacts');

export interface E2eApp {
  page: Page;
  /** The app data folder of this run (a fresh temp dir). */
  dataDir: string;
  /** The sample workspace the app opens on first start, inside dataDir. */
  workspaceDir: string;
  /** Uncaught page errors and Content-Security-Policy violations seen so far. */
  problems: string[];
  /** The backend behind the server, for asking a route what the page should show. */
  backend: Backend;
  /** Opens the app (the server's token URL) and waits for the file list. */
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One isolated app per test: a temp data dir, a backend on it (the browser host's), the server on a free
 * loopback port, and a new browser context. The sample workspace is created before the page opens, so
 * tests can put files into it first.
 */
export async function startApp(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1280, height: 760 },
  /** More backend options (a test's env, provider base URLs). */
  backendOptions: Partial<BackendOptions> = {},
): Promise<E2eApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'promptpress-e2e-'));
  let backend: Backend | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close().catch(() => undefined);
    await server?.close();
    backend?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    backend = createBackend({ host: 'browser', dataDir, ...backendOptions });
    const ws = await call(backend, 'workspace.current', {});
    if (!ws.ok || !ws.data) throw new Error(`e2e: the sample workspace did not open: ${JSON.stringify(ws)}`);
    const workspaceDir = ws.data.root;
    server = await startServer({ backend, port: 0 });
    context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
    });
    const url = server.url;
    return {
      page,
      dataDir,
      workspaceDir,
      problems,
      backend,
      async open() {
        await page.goto(url);
        await page.getByTestId('file-item').first().waitFor();
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** tiktoken's o200k_base count, special-token text counted as ordinary text (as the backend does). */
export function o200kCount(text: string): number {
  const enc = get_encoding('o200k_base');
  try {
    return enc.encode(text, [], []).length;
  } finally {
    enc.free();
  }
}

/** How the status bar prints a count: "1,248 tokens". */
export function tokensLabel(n: number): string {
  return `${new Intl.NumberFormat('en-US').format(n)} ${n === 1 ? 'token' : 'tokens'}`;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name);
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

/** Opens a file from the sidebar and waits until Monaco shows it. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  await page.locator(`[data-testid="file-item"][data-path="${relPath}"]`).click();
  await page.locator(`[data-testid="file-item"][data-path="${relPath}"][aria-selected="true"]`).waitFor();
  await page.locator('[data-testid="editor"] .monaco-editor .view-lines').waitFor();
}

/** Waits until the status bar shows exactly `tokens`, settled (no count pending). */
export async function waitForCount(page: Page, tokens: number): Promise<void> {
  await page
    .locator(`[data-testid="token-count"][data-tokens="${tokens}"][data-pending="false"]`)
    .waitFor({ timeout: 15_000 });
}
