import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readPolicyFile } from '../../src/core/history/policy';
import type { ChatScriptRequest } from '../support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';
import { launchChromium } from './support/browser';
import { screenshot, startApp, type E2eApp } from './support/app';

const HISTORY = 'histories/tau-bench-airline-sample.json';
const POLICY = 'policies/summarise-old-turns.policy.json';
/** Task 3, trial 0: 61 messages, 20 tool calls (tau-bench, MIT; see the sample workspace's SOURCES.tsv). */
const TRAJECTORY = 'task-3-trial-0';
const ANTHROPIC_KEY = 'sk-ant-PLANTED-e2e-history-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-e2e-history-0002';

/**
 * The stub's script (a test tool, not a model): asked for a summary, it answers with a short text that says
 * what it is, naming the first user id it finds in the request so the summary is not empty of facts.
 */
function script(req: ChatScriptRequest): string {
  const text = req.messages.map((m) => m.content).join('\n');
  const user = /\b[a-z]+_[a-z]+_\d{3,5}\b/.exec(text)?.[0];
  if (req.system?.includes('You summarise'))
    return `[stub summary, not a model's] ${user ?? 'the user'} asked the airline agent to change a reservation; ids and amounts are in the kept messages.`;
  // a recall question: the stub looks the id up in the history it was sent, the way a reader would
  const question = req.messages.at(-1)?.content ?? '';
  if (/user id/.test(question)) return `[stub answer] ${user ?? 'not found'}`;
  const reservations = [...text.matchAll(/"reservation_id":\s*"([A-Z0-9]{6})"/g)].map((m) => m[1]);
  if (/reservation id/.test(question))
    return `[stub answer] ${reservations.length ? [...new Set(reservations)].join(', ') : 'not found'}`;
  return '[stub reply: no script for this request]';
}

let browser: Browser;
let stub: StubLlmServer;
let app: E2eApp | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: script },
    openai: { apiKey: OPENAI_KEY, reply: script },
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

const summaryCalls = () => stub.requestsTo('POST /v1/messages').length;

describe('History view in the browser host', () => {
  it('loads a tau-bench trajectory, applies a summarising policy against the stub and shows the cost chart', async () => {
    app = await startApp(
      browser,
      { width: 1440, height: 900 },
      {
        anthropicApiKey: ANTHROPIC_KEY,
        anthropicBaseURL: stub.url,
        openaiApiKey: OPENAI_KEY,
        openaiBaseURL: `${stub.url}/v1`,
      },
    );
    await app.open();
    const { page, workspaceDir } = app;

    // 1. The sidebar lists the sample history and both policies; the history opens with its conversations.
    const item = page.locator(`[data-testid="history-file-item"][data-path="${HISTORY}"]`);
    await item.waitFor();
    await page.locator(`[data-testid="policy-file-item"][data-path="${POLICY}"]`).waitFor();
    await page
      .locator('[data-testid="policy-file-item"][data-path="policies/token-budget.policy.json"]')
      .waitFor();
    await item.click();
    await page.getByTestId('history-view').waitFor();
    expect(await page.getByTestId('history-title').textContent()).toBe('tau-bench-airline-sample.json');
    await expect.poll(() => page.getByTestId('conversation-row').count()).toBe(4);
    expect(await page.getByTestId('history-facts').textContent()).toContain('OpenAI chat messages');
    // the prompt editor is hidden behind the view: no prompt is selected
    expect(await page.locator('[data-testid="file-item"][aria-selected="true"]').count()).toBe(0);

    // 2. Pick the longest trajectory: one timeline row per message (plus the system prompt), tools paired.
    const row = page.locator(`[data-testid="conversation-row"][data-id="${TRAJECTORY}"]`);
    expect(await row.textContent()).toContain('Task 3, trial 0 (reward 0)');
    await row.click();
    await expect.poll(() => page.getByTestId('timeline-row').count()).toBe(62);
    expect(await page.locator('[data-testid="timeline-row"][data-role="system"]').count()).toBe(1);
    expect(await page.getByTestId('tool-call').count()).toBe(20);
    expect(await page.getByTestId('tool-result').count()).toBe(20);
    // every result names its call's pair number
    const pairs = await page.getByTestId('tool-result').evaluateAll((els) => els.map((e) => e.dataset.pair));
    expect(pairs.every((p) => p !== '')).toBe(true);
    // the token bars settle on exact counts once the tokenizer has loaded
    await page.locator('[data-testid="timeline-stats"]:not(:has-text("≈"))').waitFor();
    // a result opens in full; hovering a call lights up its result's row
    await page.getByTestId('tool-result').first().locator('.tl-args').click();
    await page.getByTestId('tool-result').first().locator('pre').waitFor();
    await page.getByTestId('tool-call').nth(1).hover();
    await expect.poll(() => page.locator('[data-testid="timeline-row"].pair-hot').count()).toBe(2);
    await screenshot(page, 'history-timeline.png');
    await page.getByTestId('tool-result').first().getByRole('button', { name: 'hide' }).click();
    await page.locator('.history-main').evaluate((el) => el.scrollTo(0, 0));

    // 3. Load the summarising policy from the sidebar: one summarise step on claude-haiku-4-5.
    await page.locator(`[data-testid="policy-file-item"][data-path="${POLICY}"]`).click();
    await page.locator(`[data-testid="policy-path"]:has-text("${POLICY}")`).waitFor();
    const step = page.locator('[data-testid="policy-step"][data-type="summarise"]');
    await step.waitFor();
    expect(await step.textContent()).toContain(
      'Summarise with claude-haiku-4-5 at 20 messages, keep the last 6',
    );

    // 4. A value the schema refuses shows its coded message in place, and Simulate waits for a fix.
    await step.getByTestId('policy-step-toggle').click();
    await page.mouse.move(0, 0);
    await screenshot(page, 'history-policy.png');
    await step.getByTestId('step-keep-last').fill('-1');
    const policyError = page.getByTestId('policy-error');
    await policyError.waitFor();
    expect(await policyError.textContent()).toContain('steps[0].keepLast');
    expect(await policyError.textContent()).toContain('INVALID_INPUT');
    expect(await page.getByTestId('simulate-button').isDisabled()).toBe(true);
    await page.mouse.move(0, 0);
    await screenshot(page, 'history-policy-invalid.png');
    await step.getByTestId('step-keep-last').fill('6');
    await policyError.waitFor({ state: 'detached' });
    expect(await page.getByTestId('policy-dirty').count()).toBe(0);
    await step.getByTestId('policy-step-toggle').click();

    // 5. Simulate on GPT-4o: the summariser answers through the stub.
    await page.getByTestId('target-model').selectOption('gpt-4o');
    expect(summaryCalls()).toBe(0);
    await page.getByTestId('simulate-button').click();
    const result = page.locator('[data-testid="simulation-result"][data-stale="false"]');
    await result.waitFor({ timeout: 30_000 });
    const calls = summaryCalls();
    expect(calls).toBeGreaterThanOrEqual(1);
    // every summary request went to the summariser model, with the policy's instructions
    for (const r of stub.requestsTo('POST /v1/messages')) {
      const body = r.body as { model: string; system?: unknown; max_tokens: number };
      expect(body.model).toBe('claude-haiku-4-5');
      expect(body.max_tokens).toBe(400);
    }
    expect(await page.getByTestId('sim-summariser').textContent()).toBe(
      `${calls} ${calls === 1 ? 'call' : 'calls'}`,
    );
    const breakEven = await page.getByTestId('sim-break-even').textContent();
    expect(breakEven).toMatch(/^turn \d+$/);
    expect(await page.getByTestId('sim-saved').textContent()).toMatch(/^\d+(\.\d)?%$/);
    expect(await page.getByTestId('sim-over-budget').textContent()).toBe('0 turns');
    const chart = page.getByTestId('simulation-chart');
    await chart.waitFor();
    expect(await chart.getByTestId('chart-break-even').textContent()).toBe(`break-even: ${breakEven}`);
    expect(await chart.getByTestId('chart-summary-mark').count()).toBe(calls);
    expect(await chart.locator('rect.bar.original').count()).toBe(30);
    expect(await chart.locator('rect.bar.policy').count()).toBe(30);
    expect(await page.getByTestId('timeline-summary-mark').count()).toBe(calls);
    const notes = await page.getByTestId('simulation-notes').textContent();
    expect(notes).toContain('prompt caching modelled');
    expect(notes).toContain('summariser costs as the host reported them');

    await result.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.mouse.move(0, 0);
    await screenshot(page, 'history-simulation.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'history-simulation-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    // 6. Simulating again costs nothing: the summaries come from the backend's cache.
    await page.getByTestId('simulate-caching').uncheck();
    await page.locator('[data-testid="simulation-result"][data-stale="true"]').waitFor();
    await page.getByTestId('simulate-button').click();
    await result.waitFor();
    expect(summaryCalls()).toBe(calls);
    expect(await page.getByTestId('sim-summariser').textContent()).toBe('0 calls');
    expect(await page.getByTestId('simulation-notes').textContent()).toContain('prompt caching off');

    // 7. Save the policy under a new name: the file reads back as the same policy, and the sidebar lists it.
    await page.getByTestId('policy-name').fill('Summarise old turns (copy)');
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByTestId('policy-save-as-path').fill('policies/summarise-copy.policy.yaml');
    await page.getByTestId('policy-save-as-path').press('Enter');
    await page
      .locator('[data-testid="policy-path"]:has-text("policies/summarise-copy.policy.yaml")')
      .waitFor();
    await page
      .locator('[data-testid="policy-file-item"][data-path="policies/summarise-copy.policy.yaml"]')
      .waitFor();
    const saved = readPolicyFile(
      await readFile(path.join(workspaceDir, 'policies/summarise-copy.policy.yaml'), 'utf8'),
      'summarise-copy.policy.yaml',
    );
    const original = readPolicyFile(await readFile(path.join(workspaceDir, POLICY), 'utf8'), POLICY);
    expect(saved).toEqual({ ...original, name: 'Summarise old turns (copy)' });

    // 8. The recall check: questions suggested from the early tool calls, asked of the target model (the stub)
    //    after the whole conversation and after the policy's version of it.
    const recall = page.getByTestId('fidelity-panel');
    await recall.locator('summary').click();
    await recall.getByTestId('fidelity-suggest').click();
    await expect.poll(() => recall.getByTestId('fidelity-question').count()).toBeGreaterThan(0);
    const asked = await recall.getByTestId('fidelity-question').count();
    // every suggested question shows whole: its box wraps the text and grows with it, nothing scrolls away
    const clipped = await recall
      .getByRole('textbox', { name: /^Question \d+$/ })
      .evaluateAll((els) =>
        els
          .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
          .map((el) => el.getAttribute('aria-label')),
      );
    expect(clipped).toEqual([]);
    await recall
      .getByTestId('fidelity-question')
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.mouse.move(0, 0);
    await screenshot(page, 'history-recall-questions.png');
    const before = stub.requestsTo('POST /v1/chat/completions').length;
    await recall.getByTestId('fidelity-run').click();
    await recall.getByTestId('fidelity-result').waitFor({ timeout: 30_000 });
    expect(stub.requestsTo('POST /v1/chat/completions').length - before).toBe(2 * asked);
    const fidelityRow = recall.locator('[data-testid="fidelity-row"][data-model="gpt-4o"]');
    expect(await fidelityRow.getByTestId('fidelity-original').textContent()).toBe(`100% (${asked}/${asked})`);
    expect(await fidelityRow.getByTestId('fidelity-policy').textContent()).toMatch(
      new RegExp(`^\\d+% \\(\\d/${asked}\\)$`),
    );
    await recall.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.mouse.move(0, 0);
    await screenshot(page, 'history-recall.png');

    // 9. Export the policy as a TypeScript function into the workspace; Anthropic's context editing says what it
    //    cannot express (a summary).
    const exporter = page.getByTestId('export-panel');
    await exporter.locator('summary').click();
    await exporter.getByTestId('export-preview').waitFor();
    await exporter.getByTestId('export-target').selectOption('anthropic');
    await exporter.locator('[data-testid="export-notes"] .not-expressed').first().waitFor();
    await exporter.getByTestId('export-target').selectOption('ts');
    await exporter.locator('[data-testid="export-path"][value$=".ts"]').waitFor();
    const exportPath = await exporter.getByTestId('export-path').inputValue();
    await exporter.getByTestId('export-button').click();
    await exporter.getByTestId('export-written').waitFor();
    const code = await readFile(path.join(workspaceDir, exportPath), 'utf8');
    expect(code).toContain('claude-haiku-4-5');
    expect(code).toBe(await exporter.getByTestId('export-preview').textContent());
    // the info notices (saved, exported) are dismissed so they do not hide the panel
    const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
    await expect
      .poll(async () => {
        if ((await dismiss.count()) > 0)
          await dismiss
            .first()
            .click({ timeout: 1000 })
            .catch(() => undefined);
        return dismiss.count();
      })
      .toBe(0);
    await exporter.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.mouse.move(0, 0);
    await screenshot(page, 'history-export.png');

    // 10. A prompt from the sidebar closes the view; the history comes back as it was.
    await page.locator('[data-testid="file-item"][data-path="prompts/airline-agent-policy.md"]').click();
    await page.getByTestId('history-view').waitFor({ state: 'detached' });
    await item.click();
    await page.getByTestId('history-view').waitFor();
    expect(
      await page
        .locator(`[data-testid="conversation-row"][data-id="${TRAJECTORY}"]`)
        .getAttribute('aria-selected'),
    ).toBe('true');
    expect(app.problems).toEqual([]);
  });
});
