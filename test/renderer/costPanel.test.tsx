import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelEntry } from '../../src/core/pricing/catalog';
import { App } from '../../src/renderer/src/App';
import { formatUsd } from '../../src/renderer/src/lib/format';
import { STORAGE_KEYS } from '../../src/renderer/src/lib/storage';
import { useCostStore, COST_DEBOUNCE_MS, type CostEstimate } from '../../src/renderer/src/stores/costs';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { setTransport } from '../../src/renderer/src/transport';
import { createFakeTransport } from '../../src/renderer/src/transport/fakeTransport';
import {
  CATALOG,
  createFakeBackend,
  fakeCostRow,
  fakeProjection,
  fakeTokens,
  fakeWhatIf,
  MODELS,
  type FakeBackend,
} from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(resetApp);

const POLICY = 'Policy words here for agents. The date is 2024-05-15 today.';
const FILES = { 'prompts/policy.md': POLICY, 'prompts/short.md': 'Be brief.' };

async function renderApp(catalog: ModelEntry[] = CATALOG, files: Record<string, string> = FILES) {
  const backend = createFakeBackend(files, { models: catalog });
  setTransport(backend.transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
  return backend;
}

async function openPolicy(): Promise<HTMLTextAreaElement> {
  const item = screen.getAllByTestId('file-item').find((el) => el.dataset.path === 'prompts/policy.md')!;
  fireEvent.click(item);
  await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/policy.md'));
  await screen.findByTestId('cost-panel');
  return screen.getByTestId('text-editor') as HTMLTextAreaElement;
}

const chips = () => screen.queryAllByTestId('model-chip').map((c) => c.dataset.model);
const options = () => screen.queryAllByTestId('model-option').map((o) => o.dataset.model);
const row = (model: string) =>
  screen.getAllByTestId('cost-row').find((r) => r.dataset.model === model) as HTMLElement;

async function settledRows(): Promise<HTMLElement[]> {
  await waitFor(() => expect(screen.getByTestId('cost-table').dataset.pending).toBe('false'));
  return screen.getAllByTestId('cost-row');
}

function openTab(name: 'Cost' | 'Cache' | 'Projection') {
  fireEvent.click(screen.getByRole('tab', { name }));
}

describe('model picker', () => {
  it('starts with the default models the catalog has and keeps the choice in localStorage', async () => {
    await renderApp();
    await openPolicy();
    await waitFor(() => expect(chips()).toEqual(['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash']));
    resetApp();

    await renderApp(MODELS); // a catalog with only one of the defaults
    await openPolicy();
    await waitFor(() => expect(chips()).toEqual(['gpt-4o']));
    expect(localStorage.getItem(STORAGE_KEYS.costModels)).toBeNull(); // nothing chosen yet, nothing stored
  });

  it('filters by id, label, provider and host, adds with arrows and Enter, removes with chips', async () => {
    await renderApp();
    await openPolicy();
    const input = screen.getByTestId('model-picker-input');
    await waitFor(() => expect(chips()).toHaveLength(3));

    fireEvent.change(input, { target: { value: 'groq' } }); // the host
    expect(options()).toEqual(['llama-3.3-70b']);
    fireEvent.change(input, { target: { value: 'anthropic' } }); // the provider; Sonnet is already chosen
    expect(options()).toEqual(['claude-haiku-4-5']);
    fireEvent.change(input, { target: { value: 'gpt 4o' } }); // every word must match
    expect(options()).toEqual(['gpt-4o-mini']);
    fireEvent.change(input, { target: { value: 'no such model' } });
    expect(options()).toEqual([]);
    expect(screen.getByRole('listbox', { name: 'Catalog models' }).textContent).toContain('No model matches');

    fireEvent.change(input, { target: { value: '' } });
    const listbox = screen.getByRole('listbox', { name: 'Catalog models' });
    expect(within(listbox).getByRole('group', { name: 'Anthropic' })).toBeTruthy();
    expect(options()).not.toContain('gpt-4o');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getAllByTestId('model-option')[1]!.id);
    const second = options()[1]!;
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(chips()).toEqual(['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash', second]);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEYS.costModels)!)).toEqual(chips());

    fireEvent.click(screen.getByRole('button', { name: 'Remove Claude Sonnet 4.5' }));
    expect(chips()).toEqual(['gpt-4o', 'gemini-2.5-flash', second]);
    fireEvent.keyDown(input, { key: 'Backspace' });
    expect(chips()).toEqual(['gpt-4o', 'gemini-2.5-flash']);
    await waitFor(() =>
      expect(screen.getAllByTestId('cost-row').map((r) => r.dataset.model)).toEqual(chips()),
    );
  });

  it('restores a stored choice, leaving out models the catalog no longer has', async () => {
    localStorage.setItem(
      STORAGE_KEYS.costModels,
      JSON.stringify(['claude-haiku-4-5', 'retired-model', 'gpt-4o']),
    );
    await renderApp();
    await openPolicy();
    await waitFor(() => expect(chips()).toEqual(['claude-haiku-4-5', 'gpt-4o']));
  });
});

describe('cost table', () => {
  it('shows exact and ≈ counts, costs per request, per 1k and per month, each with its source', async () => {
    await renderApp();
    await openPolicy();
    await settledRows();
    const words = fakeTokens(POLICY);

    const gpt = row('gpt-4o');
    expect(gpt.dataset.tokens).toBe(String(words));
    const gptTokens = within(gpt).getByTestId('cost-tokens');
    expect(gptTokens.textContent).toBe(String(words));
    expect(gptTokens.title).toBe('exact — o200k_base via gpt-tokenizer');
    const claudeTokens = within(row('claude-sonnet-4-5')).getByTestId('cost-tokens');
    expect(claudeTokens.textContent).toBe(`≈ ${words}`);
    expect(claudeTokens.title).toBe(
      '≈ estimate — o200k_base stand-in for the claude tokenizer; error not yet measured',
    );

    const expected = fakeCostRow(
      POLICY,
      CATALOG.find((m) => m.id === 'gpt-4o')!,
    );
    const cells = within(gpt)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells).toEqual([
      String(words),
      formatUsd(expected.perRequestUsd),
      formatUsd(expected.per1kUsd),
      formatUsd(expected.perMonthUsd),
    ]);
    const perRequest = within(gpt).getByTestId('cost-per-request');
    expect(perRequest.title.split('\n')[0]).toBe('catalog: https://openai.com/api/pricing/ as of 2025-08-07');
    expect(within(row('claude-sonnet-4-5')).getByTestId('cost-per-request').title).toMatch(
      /^catalog: https:\/\/docs\.claude\.com\/en\/docs\/about-claude\/pricing as of 2025-09-29/,
    );
    expect(screen.getByLabelText('Workload assumptions').textContent).toContain(
      '1,000 requests/day × 30 days',
    );
  });

  it('updates every row while typing', async () => {
    const backend = await renderApp();
    const editor = await openPolicy();
    await settledRows();
    fireEvent.change(editor, { target: { value: 'one two three' } });
    await waitFor(() =>
      expect(screen.getAllByTestId('cost-row').map((r) => r.dataset.tokens)).toEqual(['3', '3', '3']),
    );
    const calls = backend.transport.callsTo('cost.estimate') as Array<{ text: string; models: string[] }>;
    expect(calls.at(-1)).toMatchObject({
      text: 'one two three',
      models: ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash'],
    });
  });

  it('reads "no price" for a model without prices, never $0, and warns that it is left out', async () => {
    await renderApp();
    await openPolicy();
    const input = screen.getByTestId('model-picker-input');
    fireEvent.change(input, { target: { value: 'mystery' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(row('mystery-1')).toBeTruthy());
    await settledRows();
    const cells = within(row('mystery-1')).getAllByRole('cell');
    expect(cells.slice(1).map((c) => c.textContent)).toEqual(['no price']);
    expect(cells[1]!.getAttribute('colspan')).toBe('3');
    expect(row('mystery-1').textContent).not.toMatch(/\$/);
    expect(cells[1]!.title).toMatch(/never \$0/);
    const warning = screen.getByTestId('cost-warning');
    expect(warning.dataset.model).toBe('mystery-1');
    expect(warning.textContent).toMatch(/Mystery 1 has no price for input and output .*excluded from totals/);
    expect(screen.getAllByTestId('cost-warning')).toHaveLength(1);
  });

  it('drops an estimate that arrives after a newer one was asked for', async () => {
    vi.useFakeTimers();
    try {
      const waiting: Array<{ text: string; answer: () => void }> = [];
      setTransport(
        createFakeTransport({
          'cost.estimate': ({ text, models }) =>
            new Promise<CostEstimate>((resolve) =>
              waiting.push({
                text,
                answer: () =>
                  resolve({
                    rows: models.map((id) =>
                      fakeCostRow(
                        text,
                        CATALOG.find((m) => m.id === id)!,
                      ),
                    ),
                    warnings: [],
                  }),
              }),
            ),
        }),
      );
      const costs = useCostStore.getState();
      const request = (text: string) => ({ text, models: ['gpt-4o'], workload: {} });
      costs.schedule(request('a b c d')); // first request: sent at once
      await vi.advanceTimersByTimeAsync(1);
      costs.schedule(request('a')); // typing: debounced
      await vi.advanceTimersByTimeAsync(COST_DEBOUNCE_MS + 1);
      expect(waiting.map((w) => w.text)).toEqual(['a b c d', 'a']);
      expect(useCostStore.getState().pending).toBe(true);

      waiting[1]!.answer();
      await vi.advanceTimersByTimeAsync(1);
      expect(useCostStore.getState()).toMatchObject({ pending: false, estimate: { rows: [{ tokens: 1 }] } });
      waiting[0]!.answer(); // the old, slow answer
      await vi.advanceTimersByTimeAsync(1);
      expect(useCostStore.getState().estimate?.rows[0]?.tokens).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('debounces a burst of keystrokes into one estimate', async () => {
    vi.useFakeTimers();
    try {
      const backend = createFakeBackend({}, { models: CATALOG });
      setTransport(backend.transport);
      const costs = useCostStore.getState();
      const request = (text: string) => ({ text, models: ['gpt-4o'], workload: {} });
      costs.schedule(request('start'));
      await vi.advanceTimersByTimeAsync(1);
      for (const text of ['a', 'a b', 'a b c']) {
        costs.schedule(request(text));
        await vi.advanceTimersByTimeAsync(COST_DEBOUNCE_MS / 4);
      }
      await vi.advanceTimersByTimeAsync(COST_DEBOUNCE_MS);
      expect(backend.transport.callsTo('cost.estimate').map((c) => (c as { text: string }).text)).toEqual([
        'start',
        'a b c',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('cache tab', () => {
  async function openCache(backend?: FakeBackend) {
    const b = backend ?? (await renderApp());
    const editor = await openPolicy();
    openTab('Cache');
    fireEvent.change(await screen.findByTestId('cache-model'), { target: { value: 'claude-sonnet-4-5' } });
    await waitFor(() => expect(screen.getByTestId('cache-whatif').dataset.pending).toBe('false'));
    await screen.findByTestId('cache-prefix-tokens');
    return { backend: b, editor };
  }

  it('shows the cacheable prefix, the first dynamic span, the breakpoint and the saving', async () => {
    const { editor } = await openCache();
    const answer = fakeWhatIf({ text: POLICY, model: 'claude-sonnet-4-5', hitRate: 0.8, outputTokens: 500 });
    const prefix = screen.getByTestId('cache-prefix-tokens');
    expect(prefix.dataset.tokens).toBe(String(answer.prefixTokens));
    expect(prefix.textContent).toBe(`≈ ${answer.prefixTokens} tokens`);
    expect(screen.getByTestId('cache-minimum').textContent).toBe('meets 4 min');
    const first = screen.getByTestId('cache-first-dynamic');
    expect(first.textContent).toContain('Date');
    expect(first.textContent).toContain('2024-05-15');
    expect(first.textContent).toContain('line 1');
    expect(screen.getByTestId('cache-breakpoint').textContent).toBe('Line 1');
    const saving = screen.getByTestId('cache-saving');
    expect(saving.textContent).toMatch(/^Saves \$[\d.]+ per request \(\d+(\.\d)?%\)$/);
    expect(saving.className).toContain('saving-good');
    expect(screen.getByText(answer.explanation)).toBeTruthy();
    expect(screen.getByRole('radiogroup', { name: 'Cache lifetime' })).toBeTruthy();

    // Marks in the editor while the tab is open; a click on the span selects it there.
    expect(editor.dataset.dynamicSpans).toBe('1');
    expect(editor.dataset.breakpoints).toBe('1');
    fireEvent.click(first);
    expect(editor.selectionStart).toBe(POLICY.indexOf('2024'));
    expect(editor.selectionEnd).toBe(POLICY.indexOf('2024') + 10);
    openTab('Cost');
    expect(editor.dataset.dynamicSpans).toBeUndefined();
  });

  it('says "costs more" when caching would cost more than it saves', async () => {
    const backend = createFakeBackend(FILES, { models: CATALOG });
    backend.transport.handle({
      'cost.cacheWhatIf': (input) => ({ ...fakeWhatIf(input), savingPerRequestUsd: -0.0004 }),
    });
    setTransport(backend.transport);
    render(<App editor={TextareaEditor} />);
    await screen.findAllByTestId('file-item');
    await openCache(backend);
    const saving = screen.getByTestId('cache-saving');
    expect(saving.textContent).toMatch(/^Costs \$0\.000400 more per request/);
    expect(saving.className).toContain('saving-bad');
    expect(saving.dataset.usd).toBe('-0.0004');
  });

  it('offers the cache lifetime only for explicit (Anthropic) caching and sends the chosen options', async () => {
    const { backend } = await openCache();
    fireEvent.click(screen.getByRole('radio', { name: '1 h' }));
    fireEvent.change(screen.getByTestId('cache-hit-rate'), { target: { value: '40' } });
    await waitFor(() =>
      expect(backend.transport.callsTo('cost.cacheWhatIf').at(-1)).toMatchObject({
        model: 'claude-sonnet-4-5',
        ttl: '1h',
        hitRate: 0.4,
      }),
    );
    fireEvent.change(screen.getByTestId('cache-model'), { target: { value: 'gpt-4o' } });
    expect(screen.queryByRole('radiogroup', { name: 'Cache lifetime' })).toBeNull();
  });
});

describe('cache invalidation notice', () => {
  it('flags an edit inside the cached prefix until the user saves or dismisses it', async () => {
    const backend = await renderApp();
    const editor = await openPolicy();
    const cachedTokens = fakeTokens(POLICY.slice(0, POLICY.indexOf('2024')));

    // An edit after the prefix breaks nothing.
    fireEvent.change(editor, { target: { value: `${POLICY} More.` } });
    await waitFor(() =>
      expect(backend.transport.callsTo('cost.cacheWhatIf').at(-1)).toMatchObject({
        text: `${POLICY} More.`,
        previousText: POLICY,
      }),
    );
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(screen.queryByTestId('cache-invalidated')).toBeNull();

    fireEvent.change(editor, { target: { value: POLICY.replace('Policy', 'Rules') } });
    const notice = await screen.findByTestId('cache-invalidated');
    expect(notice.textContent).toContain(`This edit invalidates ${cachedTokens} cached tokens`);
    expect(notice.dataset.tokens).toBe(String(cachedTokens));

    fireEvent.click(within(notice).getByRole('button', { name: 'Dismiss the cache notice' }));
    expect(screen.queryByTestId('cache-invalidated')).toBeNull();

    fireEvent.change(editor, { target: { value: POLICY.replace('Policy', 'Guide') } });
    await screen.findByTestId('cache-invalidated');
    fireEvent.keyDown(window, { key: 's', ctrlKey: true });
    await waitFor(() => expect(screen.queryByTestId('cache-invalidated')).toBeNull());
  });
});

describe('projection tab', () => {
  it('projects each model with a stacked bar whose label carries the numbers', async () => {
    const backend = await renderApp();
    await openPolicy();
    openTab('Projection');
    const form = await screen.findByTestId('projection-form');
    fireEvent.change(within(form).getByLabelText('Other $/month'), { target: { value: '10' } });
    fireEvent.change(within(form).getByLabelText('Requests / day'), { target: { value: '2000' } });
    await waitFor(() =>
      expect(backend.transport.callsTo('cost.project').at(-1)).toMatchObject({
        workload: { requestsPerDay: 2000, otherMonthlyUsd: 10 },
      }),
    );
    await waitFor(() => expect(screen.getByTestId('projection-table').dataset.pending).toBe('false'));
    const expected = fakeProjection({
      models: ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash'],
      original: { text: POLICY },
      workload: { requestsPerDay: 2000, days: 30, outputTokens: 500, otherMonthlyUsd: 10 },
    });

    expect(screen.getAllByTestId('projection-row').map((r) => r.dataset.model)).toEqual([
      'gpt-4o',
      'claude-sonnet-4-5',
      'gemini-2.5-flash',
    ]);
    const chart = screen.getByTestId('projection-chart');
    expect(chart.querySelectorAll('[data-testid="projection-bar"]')).toHaveLength(3);
    const label = within(chart).getByRole('img').getAttribute('aria-label')!;
    const gpt = expected.rows[0]!.original;
    const b = gpt.breakdown!;
    expect(label).toContain(
      `GPT-4o: ${formatUsd(gpt.totalUsd)} (input ${formatUsd(b.input)}, output ${formatUsd(b.output)}, cache $0, embeddings $0, other ${formatUsd(10)})`,
    );
    expect(label).toContain(`Gemini 2.5 Flash: ${formatUsd(expected.rows[2]!.original.totalUsd)}`);

    // Compared with another prompt of the workspace: two bars per model and the saving.
    fireEvent.change(screen.getByTestId('projection-compare'), { target: { value: 'prompts/short.md' } });
    await waitFor(() => expect(chart.querySelectorAll('[data-variant="compared"]')).toHaveLength(3));
    expect(backend.transport.callsTo('cost.project').at(-1)).toMatchObject({
      compressed: { text: 'Be brief.' },
    });
    const saving = within(screen.getAllByTestId('projection-row')[0]!).getAllByRole('cell')[2]!;
    const expectedSaving = fakeProjection({
      models: ['gpt-4o'],
      original: { text: POLICY },
      compressed: { text: 'Be brief.' },
      workload: { requestsPerDay: 2000, days: 30, outputTokens: 500, otherMonthlyUsd: 10 },
    }).rows[0]!.savingUsd;
    expect(saving.textContent).toMatch(new RegExp(`^\\${formatUsd(expectedSaving)}[\\d.]+% less$`));
    expect(saving.className).toContain('saving-good');
  });

  it('is where "Edit workload" leads, and its numbers drive the cost table', async () => {
    const backend = await renderApp();
    await openPolicy();
    await settledRows();
    fireEvent.click(screen.getByRole('button', { name: /Edit workload/ }));
    expect(screen.getByRole('tab', { name: 'Projection' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.change(screen.getByLabelText('Output tokens'), { target: { value: '100' } });
    fireEvent.change(screen.getByLabelText('Output tokens'), { target: { value: '-3' } }); // refused
    expect(screen.getByLabelText('Output tokens').getAttribute('aria-invalid')).toBe('true');
    openTab('Cost');
    await waitFor(() =>
      expect(backend.transport.callsTo('cost.estimate').at(-1)).toMatchObject({
        workload: { outputTokens: 100 },
      }),
    );
    expect(JSON.parse(localStorage.getItem(STORAGE_KEYS.workload)!)).toMatchObject({ outputTokens: 100 });
  });
});

describe('panel', () => {
  it('collapses and comes back, switches tabs with the arrow keys, and remembers both', async () => {
    await renderApp();
    await openPolicy();
    const tab = screen.getByRole('tab', { name: 'Cost' });
    fireEvent.keyDown(tab, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Cache' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Cache' }));
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Cache' }), { key: 'End' });
    expect(screen.getByRole('tab', { name: 'Projection' }).getAttribute('aria-selected')).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: 'Hide the cost panel' }));
    expect(screen.queryByTestId('cost-panel')).toBeNull();
    const toggle = screen.getByTestId('cost-panel-toggle');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(JSON.parse(localStorage.getItem(STORAGE_KEYS.costPanel)!)).toMatchObject({
      open: false,
      tab: 'projection',
    });
    fireEvent.click(toggle);
    expect(screen.getByTestId('cost-panel')).toBeTruthy();

    const splitter = screen.getByRole('separator', { name: 'Resize the cost panel' });
    fireEvent.keyDown(splitter, { key: 'ArrowLeft' });
    expect(splitter.getAttribute('aria-valuenow')).toBe('444');
  });

  it('is not shown until a prompt is open', async () => {
    await renderApp();
    expect(screen.queryByTestId('cost-panel')).toBeNull();
  });
});
