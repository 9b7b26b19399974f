import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { formatUsd } from '../../src/renderer/src/lib/format';
import { useCatalogStore } from '../../src/renderer/src/stores/catalog';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { setTransport } from '../../src/renderer/src/transport';
import { FakeRouteError } from '../../src/renderer/src/transport/fakeTransport';
import { CATALOG, createFakeBackend, fakeCostRow, type FakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(resetApp);

const POLICY = 'Policy words here for agents. Always confirm first.';

/** The app on a fake backend; `userModels` were saved in an earlier session. */
async function renderApp(userModels: unknown[] = []): Promise<FakeBackend> {
  const backend = createFakeBackend({ 'prompts/policy.md': POLICY }, { models: CATALOG });
  if (userModels.length) await backend.transport.invoke('models.setUserModels', { models: userModels });
  setTransport(backend.transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
  return backend;
}

async function openPolicy(): Promise<void> {
  fireEvent.click(screen.getAllByTestId('file-item')[0]!);
  await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/policy.md'));
  await screen.findByTestId('cost-panel');
  await waitFor(() => expect(screen.getByTestId('cost-table').dataset.pending).toBe('false'));
}

async function openDialog(): Promise<HTMLElement> {
  // the cost panel's "Models…" when a prompt is open, the sidebar's button otherwise
  fireEvent.click(
    screen.queryByTestId('open-models-dialog') ?? screen.getByRole('button', { name: 'Models and prices…' }),
  );
  const dialog = await screen.findByRole('dialog', { name: 'Models and prices' });
  await waitFor(() => expect(within(dialog).getAllByTestId('catalog-row').length).toBeGreaterThan(0));
  return dialog;
}

const catalogRow = (model: string) =>
  screen.getAllByTestId('catalog-row').find((r) => r.dataset.model === model) as HTMLElement;
const costCell = (model: string) =>
  within(screen.getAllByTestId('cost-row').find((r) => r.dataset.model === model) as HTMLElement).getByTestId(
    'cost-per-request',
  );
const listCalls = (backend: FakeBackend) => backend.transport.callsTo('models.list').length;

describe('the Models dialog', () => {
  it('opens from the sidebar and the cost panel as a labelled modal that traps focus and closes on Escape', async () => {
    await renderApp();
    const sidebarButton = screen.getByRole('button', { name: 'Models and prices…' });
    sidebarButton.focus();
    fireEvent.click(sidebarButton);
    const dialog = await screen.findByRole('dialog', { name: 'Models and prices' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Search models'));

    // Tab from the last control wraps to the first, Shift+Tab from the first to the last.
    const done = within(dialog).getByRole('button', { name: 'Done' });
    const close = within(dialog).getByRole('button', { name: 'Close' });
    done.focus();
    fireEvent.keyDown(done, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(done);

    fireEvent.keyDown(done, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Models and prices' })).toBeNull();
    expect(document.activeElement).toBe(sidebarButton);

    await openPolicy();
    await openDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('models-dialog')).toBeNull();
  });

  it('lists the catalog in force with prices, "no price", count method, origin and source, and searches it', async () => {
    await renderApp();
    await openPolicy();
    const dialog = await openDialog();
    expect(within(dialog).getAllByTestId('catalog-row')).toHaveLength(CATALOG.length);

    const gpt = within(catalogRow('gpt-4o'))
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(gpt.slice(0, 6)).toEqual(['$2.50', '$2.50', '—', '—', '128k', 'exact']);
    expect(gpt[6]).toBe('bundled');
    const link = within(catalogRow('gpt-4o')).getByRole('link');
    expect(link.getAttribute('href')).toBe('https://openai.com/api/pricing/');
    expect(link.textContent).toBe('2025-08-07');
    expect(link.getAttribute('target')).toBe('_blank');

    const mystery = within(catalogRow('mystery-1')).getAllByRole('cell');
    expect(mystery.slice(0, 2).map((c) => c.textContent)).toEqual(['no price', 'no price']);
    expect(catalogRow('mystery-1').textContent).not.toContain('$0');
    expect(within(catalogRow('claude-sonnet-4-5')).getAllByRole('cell')[5]!.textContent).toBe('≈ est.');
    expect(within(catalogRow('llama-3.3-70b')).getByRole('rowheader').textContent).toContain('Meta via Groq');

    fireEvent.change(within(dialog).getByLabelText('Search models'), { target: { value: 'groq' } });
    expect(
      within(dialog)
        .getAllByTestId('catalog-row')
        .map((r) => r.dataset.model),
    ).toEqual(['llama-3.3-70b']);
    expect(within(dialog).getByText(`1 of ${CATALOG.length} models`)).toBeTruthy();
  });
});

describe('overriding a price', () => {
  it('saves the override merged into the stored list, refreshes the catalog and reprices the cost table', async () => {
    // an override saved earlier (another session) must survive this one
    const backend = await renderApp([{ id: 'claude-haiku-4-5', outputPerMTok: 2 }]);
    await openPolicy();
    const gpt4o = CATALOG.find((m) => m.id === 'gpt-4o')!;
    expect(costCell('gpt-4o').textContent).toBe(formatUsd(fakeCostRow(POLICY, gpt4o).perRequestUsd));
    await openDialog();
    const listsBefore = listCalls(backend);
    const countsBefore = backend.transport.callsTo('tokens.count').length;

    fireEvent.click(screen.getByRole('button', { name: 'Override price of GPT-4o' }));
    const form = screen.getByTestId('override-form');
    expect(document.activeElement).toBe(within(form).getByLabelText('Input $/1M'));
    expect(within(form).getByLabelText('Output $/1M').getAttribute('placeholder')).toBe('$2.50');
    fireEvent.change(within(form).getByLabelText('Input $/1M'), { target: { value: '10' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save override' }));

    await waitFor(() => expect(screen.queryByTestId('override-form')).toBeNull());
    expect(backend.transport.callsTo('models.setUserModels').at(-1)).toEqual({
      models: [
        { id: 'claude-haiku-4-5', outputPerMTok: 2 },
        { id: 'gpt-4o', inputPerMTok: 10 },
      ],
    });
    expect(listCalls(backend)).toBe(listsBefore + 1);
    expect(within(catalogRow('gpt-4o')).getAllByRole('cell')[0]!.textContent).toBe('$10.00');
    expect(within(catalogRow('gpt-4o')).getByTestId('origin-badge').textContent).toBe('yours');
    expect(screen.getByTestId('models-status').textContent).toMatch(/GPT-4o: override saved/);
    // focus goes back to the row's button
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Override price of GPT-4o' }));

    // the cost table and the status bar price the same text again with the new price
    const repriced = fakeCostRow(POLICY, { ...gpt4o, inputPerMTok: 10 });
    await waitFor(() => expect(costCell('gpt-4o').textContent).toBe(formatUsd(repriced.perRequestUsd)));
    expect(Number(costCell('gpt-4o').dataset.usd)).toBeCloseTo(repriced.perRequestUsd!, 12);
    expect(backend.transport.callsTo('tokens.count').length).toBeGreaterThan(countsBefore);
    expect(useCatalogStore.getState().version).toBe(1);
  });

  it('edits an existing override: its fields are prefilled, an emptied field stops being overridden', async () => {
    const backend = await renderApp([
      { id: 'gpt-4o', inputPerMTok: 5, outputPerMTok: 20, notes: 'negotiated rate' },
    ]);
    await openDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Override price of GPT-4o' }));
    const form = screen.getByTestId('override-form');
    await waitFor(() =>
      expect((within(form).getByLabelText('Input $/1M') as HTMLInputElement).value).toBe('5'),
    );
    expect((within(form).getByLabelText('Output $/1M') as HTMLInputElement).value).toBe('20');
    fireEvent.change(within(form).getByLabelText('Output $/1M'), { target: { value: '' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save override' }));
    await waitFor(() => expect(screen.queryByTestId('override-form')).toBeNull());
    expect(backend.userModels()).toEqual([{ id: 'gpt-4o', notes: 'negotiated rate', inputPerMTok: 5 }]);
  });

  it('Reset removes the override and the catalog price applies again', async () => {
    const backend = await renderApp([
      { id: 'gpt-4o', inputPerMTok: 10 },
      { id: 'claude-haiku-4-5', outputPerMTok: 2 },
    ]);
    await openPolicy();
    await openDialog();
    expect(within(catalogRow('gpt-4o')).getByTestId('origin-badge').textContent).toBe('yours');
    const listsBefore = listCalls(backend);

    fireEvent.click(screen.getByRole('button', { name: "Reset GPT-4o to the catalog's prices" }));
    await waitFor(() =>
      expect(within(catalogRow('gpt-4o')).getByTestId('origin-badge').textContent).toBe('bundled'),
    );
    expect(backend.transport.callsTo('models.setUserModels').at(-1)).toEqual({
      models: [{ id: 'claude-haiku-4-5', outputPerMTok: 2 }],
    });
    expect(listCalls(backend)).toBe(listsBefore + 1);
    expect(within(catalogRow('gpt-4o')).getAllByRole('cell')[0]!.textContent).toBe('$2.50');
    expect(screen.queryByRole('button', { name: "Reset GPT-4o to the catalog's prices" })).toBeNull();
    const gpt4o = CATALOG.find((m) => m.id === 'gpt-4o')!;
    await waitFor(() =>
      expect(costCell('gpt-4o').textContent).toBe(formatUsd(fakeCostRow(POLICY, gpt4o).perRequestUsd)),
    );
  });

  it('refuses a non-numeric or negative price before sending anything', async () => {
    const backend = await renderApp();
    await openDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Override price of GPT-4o' }));
    const form = screen.getByTestId('override-form');
    fireEvent.change(within(form).getByLabelText('Input $/1M'), { target: { value: 'ten' } });
    fireEvent.change(within(form).getByLabelText('Cache read $/1M'), { target: { value: '-1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save override' }));
    expect(within(form).getByTestId('override-error').textContent).toMatch(/2 fields need fixing/);
    expect(within(form).getByLabelText('Input $/1M').getAttribute('aria-invalid')).toBe('true');
    expect(form.textContent).toContain('Cache read must not be negative (got -1)');
    expect(backend.transport.callsTo('models.setUserModels')).toEqual([]);
  });

  it('shows the server refusal inline, naming the field, and keeps the catalog and the form', async () => {
    const backend = await renderApp();
    backend.transport.handle({
      'models.setUserModels': () => {
        throw new FakeRouteError(
          'INVALID_INPUT',
          'User model #0 ("gpt-4o"): contextWindow must be at most 10000000 (got 99999999999). Fix it in settings; the catalog was left unchanged.',
          { index: 0, id: 'gpt-4o', field: 'contextWindow' },
        );
      },
    });
    await openDialog();
    const listsBefore = listCalls(backend);
    fireEvent.click(screen.getByRole('button', { name: 'Override price of GPT-4o' }));
    const form = screen.getByTestId('override-form');
    fireEvent.change(within(form).getByLabelText('Context window'), { target: { value: '99999999999' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save override' }));

    const alert = await within(form).findByTestId('override-error');
    expect(alert.dataset.code).toBe('INVALID_INPUT');
    expect(alert.textContent).toContain('INVALID_INPUT');
    expect(alert.textContent).toContain('the catalog was left unchanged');
    const field = within(form).getByLabelText('Context window');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(field.getAttribute('aria-describedby')!)!.textContent).toBe(
      'contextWindow must be at most 10000000 (got 99999999999)',
    );
    expect((field as HTMLInputElement).value).toBe('99999999999');
    expect(listCalls(backend)).toBe(listsBefore);
    expect(within(catalogRow('gpt-4o')).getByTestId('origin-badge').textContent).toBe('bundled');
  });
});

describe('adding a model', () => {
  function fill(form: HTMLElement, values: Record<string, string>) {
    for (const [label, value] of Object.entries(values)) {
      fireEvent.change(within(form).getByLabelText(label), { target: { value } });
    }
  }
  const COMPLETE = {
    'Model id': 'acme-large-2',
    Label: 'Acme Large 2',
    Provider: 'acme',
    'Tokenizer family': 'acme',
    'Input $/1M': '1.5',
    'Output $/1M': '6',
    'Context window': '256,000',
    'Source URL': 'https://acme.example/pricing',
    'As of': '2025-10-01',
  };

  it('refuses a negative price without calling the route', async () => {
    const backend = await renderApp();
    await openDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Add model' }));
    const form = screen.getByTestId('add-model-form');
    expect(document.activeElement).toBe(within(form).getByLabelText('Model id'));
    fill(form, { ...COMPLETE, 'Output $/1M': '-6' });
    fireEvent.click(within(form).getByRole('button', { name: 'Add model' }));
    expect(within(form).getByTestId('add-model-error').textContent).toMatch(/One field needs fixing/);
    const output = within(form).getByLabelText('Output $/1M');
    expect(output.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(output.getAttribute('aria-describedby')!)!.textContent).toBe(
      'Output must not be negative (got -6)',
    );
    expect(backend.transport.callsTo('models.setUserModels')).toEqual([]);
    expect(backend.transport.callsTo('models.userModels').length).toBe(1); // only the dialog's first read
  });

  it('checks every field as the schema does: required, URL, date, exact only with the own tokenizer, id taken', async () => {
    const backend = await renderApp();
    await openDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Add model' }));
    const form = screen.getByTestId('add-model-form');
    fill(form, {
      ...COMPLETE,
      'Model id': 'gpt-4o',
      'Source URL': 'acme pricing page',
      'Input $/1M': '',
      'Context window': '12.5',
    });
    fireEvent.change(within(form).getByLabelText('Count method'), { target: { value: 'exact' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add model' }));
    const text = form.textContent!;
    expect(text).toContain('“gpt-4o” is already in the catalog: use Override price on its row');
    expect(text).toContain('Input price is required');
    expect(text).toContain('Context window must be a whole number of tokens above 0');
    expect(text).toContain("An exact count must use the model's own tokenizer");
    expect(backend.transport.callsTo('models.setUserModels')).toEqual([]);

    fill(form, { ...COMPLETE, 'Source URL': 'acme pricing page' });
    fireEvent.change(within(form).getByLabelText('Count method'), { target: { value: 'estimate' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add model' }));
    expect(form.textContent).toContain('Source URL must be a full address');
    expect(backend.transport.callsTo('models.setUserModels')).toEqual([]);
  });

  it('adds a complete model to the user list; it is listed as yours and can be removed', async () => {
    const backend = await renderApp();
    await openPolicy();
    await openDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Add model' }));
    const form = screen.getByTestId('add-model-form');
    fill(form, { ...COMPLETE, Host: 'together' });
    fireEvent.change(within(form).getByLabelText('Caching'), { target: { value: 'auto' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add model' }));
    await waitFor(() => expect(screen.queryByTestId('add-model-form')).toBeNull());
    expect(backend.transport.callsTo('models.setUserModels').at(-1)).toEqual({
      models: [
        {
          id: 'acme-large-2',
          label: 'Acme Large 2',
          provider: 'acme',
          host: 'together',
          tokenizer: 'acme',
          countWith: 'o200k_base',
          tokenCountMethod: 'estimate',
          caching: 'auto',
          inputPerMTok: 1.5,
          outputPerMTok: 6,
          contextWindow: 256000,
          source: 'https://acme.example/pricing',
          asOf: '2025-10-01',
        },
      ],
    });
    const row = catalogRow('acme-large-2');
    expect(within(row).getByTestId('origin-badge').textContent).toBe('yours');
    expect(within(row).getByTestId('origin-badge').title).toBe('A model you added');
    expect(within(row).getAllByRole('cell')[4]!.textContent).toBe('256k');
    expect(screen.getByTestId('models-status').textContent).toMatch(/Acme Large 2 added/);

    // it is in the cost panel's picker now
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    fireEvent.change(screen.getByTestId('model-picker-input'), { target: { value: 'acme' } });
    expect(screen.getAllByTestId('model-option').map((o) => o.dataset.model)).toEqual(['acme-large-2']);
    fireEvent.keyDown(screen.getByTestId('model-picker-input'), { key: 'Enter' });
    await waitFor(() => expect(costCell('acme-large-2').textContent).toMatch(/^\$/));

    // removing it drops it from the catalog and from the compared models
    await openDialog();
    fireEvent.click(
      within(screen.getByTestId('models-dialog')).getByRole('button', { name: 'Remove Acme Large 2' }),
    );
    await waitFor(() => expect(screen.queryAllByTestId('catalog-row')).toHaveLength(CATALOG.length));
    expect(backend.userModels()).toEqual([]);
    expect(screen.queryAllByTestId('model-chip').map((c) => c.dataset.model)).not.toContain('acme-large-2');
  });
});

describe('importing LiteLLM prices', () => {
  it('reports what was added, updated and skipped, and refreshes the catalog', async () => {
    const backend = await renderApp();
    backend.transport.handle({
      'models.importLiteLlm': () => ({
        added: ['azure/gpt-4o-mini', 'groq/llama-3.1-8b'],
        updated: ['gpt-4o'],
        skipped: 9,
        total: CATALOG.length + 2,
      }),
    });
    await openDialog();
    const listsBefore = listCalls(backend);
    fireEvent.click(screen.getByRole('button', { name: 'Import LiteLLM prices…' }));
    const form = screen.getByTestId('import-form');
    const path = within(form).getByLabelText(/Path of the price file/);
    expect(document.activeElement).toBe(path);
    fireEvent.change(path, { target: { value: '  /data/model_prices_and_context_window.json ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Import' }));
    const result = await within(form).findByTestId('import-result');
    expect(result.textContent).toBe(
      `Added 2, updated 1, skipped 9; catalog now ${CATALOG.length + 2} models.`,
    );
    expect(result.getAttribute('role')).toBe('status');
    expect(backend.transport.callsTo('models.importLiteLlm')).toEqual([
      { path: '/data/model_prices_and_context_window.json' },
    ]);
    await waitFor(() => expect(listCalls(backend)).toBe(listsBefore + 1));
    expect(useCatalogStore.getState().version).toBe(1);
  });

  it('shows PARSE_ERROR with its line and column and leaves the catalog as it was', async () => {
    const backend = await renderApp();
    backend.transport.handle({
      'models.importLiteLlm': () => {
        throw new FakeRouteError(
          'PARSE_ERROR',
          "broken.json is not valid JSON (line 3, column 21): Unexpected token ','.",
          { file: 'broken.json', line: 3, column: 21 },
        );
      },
    });
    await openDialog();
    const listsBefore = listCalls(backend);
    fireEvent.click(screen.getByRole('button', { name: 'Import LiteLLM prices…' }));
    const form = screen.getByTestId('import-form');
    fireEvent.change(within(form).getByLabelText(/Path of the price file/), {
      target: { value: '/tmp/broken.json' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Import' }));
    const error = await within(form).findByTestId('import-error');
    expect(error.dataset.code).toBe('PARSE_ERROR');
    expect(error.textContent).toContain('line 3, column 21');
    expect(error.textContent).toContain('The catalog was left as it was.');
    expect(within(form).queryByTestId('import-result')).toBeNull();
    expect(listCalls(backend)).toBe(listsBefore);
    expect(useCatalogStore.getState().version).toBe(0);

    // Escape leaves the form first, the dialog on the next press
    await act(async () => {
      fireEvent.keyDown(within(form).getByLabelText(/Path of the price file/), { key: 'Escape' });
    });
    expect(screen.queryByTestId('import-form')).toBeNull();
    expect(screen.getByTestId('models-dialog')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Import LiteLLM prices…' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByTestId('models-dialog')).toBeNull();
  });
});
