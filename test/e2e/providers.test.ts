import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInput, RouteName, RouteOutput } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { modelsRoutes, STUB_OPENAI_MODELS } from '../support/stubModels';
import { launchChromium } from './support/browser';
import { screenshot, startApp, type E2eApp } from './support/app';

/** Planted keys: the test searches for them everywhere the app wrote or answered. */
const KEY = 'sk-planted-e2e-4Hs8Kd2Lq6Wm0Nx3Vb7Cz1Rt5Yp9Ua-1234';
const WRONG = 'sk-planted-e2e-wrong-8Jf3Gh6Kl9Qw2Er5Ty1Ui4Op7As-9876';
const PLANTED = [KEY, WRONG];

let browser: Browser;
let stub: StubLlmServer;
let app: E2eApp | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  stub = await startStubLlmServer({
    openai: {
      apiKey: KEY,
      echoKeyInErrors: true,
      reply: (req) =>
        req.messages[0]!.content.replace(/^<prompt>\n|\n<\/prompt>$/g, '').replace(/really /g, ''),
    },
    routes: modelsRoutes({ keys: [KEY], echoKeyInErrors: true }),
  });
});
afterAll(async () => {
  await browser?.close();
  await stub?.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Everything the page receives from the host: every /api response body and every SSE message. */
async function recordHostTraffic(page: Page): Promise<{ bodies: string[]; events: string[] }> {
  const bodies: string[] = [];
  const events: string[] = [];
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.startsWith('/api/rpc/')) return;
    void response.text().then(
      (text) => bodies.push(text),
      () => bodies.push('<unreadable>'),
    );
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.eventSourceMessageReceived', (m) => events.push(`${m.eventName}: ${m.data}`));
  return { bodies, events };
}

/** A route call from inside the page, as the renderer makes them (same origin, the launch cookie). */
async function rpc<R extends RouteName>(page: Page, route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
  const result = (await page.evaluate(
    async ([r, i]) => {
      const res = await fetch(`/api/rpc/${r}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(i),
      });
      return res.json();
    },
    [route, input] as const,
  )) as Result<RouteOutput<R>>;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    const file = path.join(dir, name);
    if ((await stat(file)).isFile()) out.push(file);
  }
  return out;
}

describe('Model providers in the browser host', () => {
  it('adds an OpenAI-compatible endpoint with a key, tests it, shows a wrong key’s coded error, and never leaks the key', async () => {
    app = await startApp(browser, { width: 1280, height: 800 });
    const { page } = app;
    const traffic = await recordHostTraffic(page);
    await app.open();

    // 1. From the sidebar: a new endpoint pointed at the stub, with a key typed into the write-only field.
    await page.getByRole('button', { name: 'Model providers…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Model providers' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'New endpoint' }).click();
    const form = page.locator('[data-testid="provider-form"][data-provider="new"]');
    await form.getByLabel('Name').fill('Groq (local stub)');
    await form.getByLabel('ID (for provider:model)').fill('groq');
    await form.getByLabel('Base URL').fill(`${stub.url}/v1`);
    await form.getByLabel('API key').fill(KEY);
    await form.getByLabel('Concurrent calls').fill('4');
    await form.getByLabel('Requests / min').fill('60');
    await form.getByRole('button', { name: 'Add endpoint' }).click();

    const saved = page.locator('[data-testid="provider-form"][data-provider="groq"]');
    await saved.waitFor();
    expect(await page.getByTestId('providers-status').textContent()).toBe(
      'Groq (local stub) saved with its key.',
    );
    const item = page.locator('[data-testid="provider-item"][data-provider="groq"]');
    expect(await item.textContent()).toContain('…1234 · this session');
    expect(await saved.getByTestId('key-status').textContent()).toContain(
      'Key …1234, kept in memory until PromptPress stops',
    );
    expect(await saved.locator('input[name="key"]').inputValue()).toBe('');

    // 2. Test connection: the stub's model list, with the latency.
    await saved.getByTestId('test-connection').click();
    const result = saved.locator('[data-testid="provider-test-result"][data-state="ok"]');
    await result.waitFor();
    expect(await result.textContent()).toMatch(
      new RegExp(`^Connected in \\d[\\d,]* ms · ${STUB_OPENAI_MODELS.length} models found$`),
    );
    expect(stub.requestsTo('GET /v1/models').at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    await page.mouse.move(0, 0);
    await screenshot(page, 'providers-settings.png');

    // 3. A wrong key: the stub rejects it and echoes it back; the page shows the code and no key.
    await saved.getByLabel('New API key').fill(WRONG);
    await saved.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => item.textContent()).toContain('…9876 · this session');
    await saved.getByTestId('test-connection').click();
    const error = saved.getByTestId('provider-test-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('PROVIDER_AUTH');
    const message = (await error.textContent())!;
    expect(message).toContain('Groq (local stub) rejected the API key (HTTP 401');
    expect(message).toContain('[redacted key]');
    await page.mouse.move(0, 0);
    await screenshot(page, 'providers-settings-error.png');

    // 4. Calls that fail and succeed through the endpoint, from the page, and an export.
    const text = 'It is really important that you answer really politely.\n';
    const pipeline = {
      version: 1,
      steps: [{ strategy: 'llm.rewrite', options: { model: 'groq:gpt-4o-mini' } }],
    };
    const refused = await rpc(page, 'compress.run', { text, pipeline });
    expect(refused.stages[0]!.error?.code).toBe('PROVIDER_AUTH');
    await saved.getByLabel('New API key').fill(KEY);
    await saved.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => item.textContent()).toContain('…1234 · this session');
    const run = await rpc(page, 'compress.run', { text, pipeline });
    expect(run.llmCalls).toHaveLength(1);
    const exported = await rpc(page, 'compress.export', {
      source: 'prompts/support.md',
      text,
      pipeline,
      outputs: { compressed: 'out/support.min.md', report: 'out/report.md' },
    });
    expect(exported.written).toHaveLength(2);
    await expect.poll(() => traffic.events.some((e) => e.includes('out/report.md'))).toBe(true);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(app.problems).toEqual([]);

    // 5. The keys went to the stub, and nowhere else: not the page, its responses and events, or any file.
    const sent = stub.requests.map((r) => String(r.headers.authorization));
    for (const key of PLANTED) expect(sent).toContain(`Bearer ${key}`);
    const seen = [...traffic.bodies, ...traffic.events, await page.content()].join('\n');
    expect(traffic.bodies.length).toBeGreaterThan(10);
    expect(seen).toContain('"last4":"1234"');
    const files = [...new Set([...(await filesUnder(app.dataDir)), ...(await filesUnder(app.workspaceDir))])];
    expect(files.some((f) => f.endsWith('providers.json'))).toBe(true);
    for (const key of PLANTED) {
      expect(seen).not.toContain(key.slice(0, -4));
      for (const file of files) {
        const bytes = await readFile(file);
        expect(bytes.includes(key.slice(0, -4)), `${file} holds a key`).toBe(false);
        expect(bytes.includes(Buffer.from(key).toString('base64')), `${file} holds a key`).toBe(false);
      }
    }
  });
});
