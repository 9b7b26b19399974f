import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { useBenchStore } from '../../src/renderer/src/stores/bench';
import { useDialogStore } from '../../src/renderer/src/stores/dialog';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { useGoldenStore } from '../../src/renderer/src/stores/golden';
import { setTransport } from '../../src/renderer/src/transport';
import { addBenchRoutes, GOLDEN, goldenSet, type BenchFake } from './benchFixtures';
import { createFakeBackend, type FakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(() => {
  resetApp();
  useBenchStore.getState().reset();
  useGoldenStore.getState().reset();
});

const OTHER = 'golden/more.jsonl';

async function setup(): Promise<{ backend: FakeBackend; fake: BenchFake }> {
  const backend = createFakeBackend({ 'prompts/intent.md': 'Classify: {{text}}' });
  const other = goldenSet(OTHER);
  other.source.format = 'golden';
  other.cases = [
    { id: 'case-1', vars: { text: 'My card is lost.' }, expected: 'lost_or_stolen_card', assert: [] },
    { id: 'extra', vars: { text: 'How old must I be?' }, expected: 'age_limit', assert: [] },
  ];
  other.warnings = [{ file: OTHER, line: 2, message: 'ignored column __foo' }];
  const fake = addBenchRoutes(backend.transport, {
    goldenFiles: new Map([
      [GOLDEN, goldenSet()],
      [OTHER, other],
    ]),
  });
  setTransport(backend.transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
  return { backend, fake };
}

async function openGolden(path = GOLDEN) {
  const item = (await screen.findAllByTestId('golden-set-item')).find((el) => el.dataset.path === path)!;
  fireEvent.click(item);
  await screen.findByTestId('golden-table');
}

const rows = () => screen.getAllByTestId('golden-row');
const saveButton = () => screen.getByTestId('golden-save') as HTMLButtonElement;

describe('golden-set editor', () => {
  it('shows every case with its variables as columns, the expected answer and its assertions', async () => {
    const { backend } = await setup();
    await openGolden();
    expect(backend.transport.callsTo('golden.load')).toEqual([{ path: GOLDEN }]);
    const headers = within(screen.getByTestId('golden-table'))
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['#', 'ID', 'text', 'Expected', 'Assertions', 'Actions']);
    expect(rows().map((r) => r.dataset.case)).toEqual(['case-1', 'case-2', 'case-3']);
    expect(rows()[1]!.textContent).toContain('Do you accept checks?');
    expect(rows()[1]!.textContent).toContain('top_up_by_cash_or_cheque');
    expect(rows()[1]!.textContent).toContain('default: equals');
    expect(screen.getByTestId('golden-count').textContent).toBe('3 cases');
    expect(screen.getByTestId('golden-info').textContent).toContain('csv');
    expect(saveButton().disabled).toBe(true);
    expect(screen.queryByTestId('golden-dirty')).toBeNull();
  });

  it('adds, edits and deletes cases; the unsaved marker shows until Save writes the set', async () => {
    const { fake } = await setup();
    await openGolden();

    fireEvent.click(screen.getByTestId('golden-add'));
    const form = await screen.findByTestId('case-form');
    expect((within(form).getByTestId('case-id') as HTMLInputElement).value).toBe('case-4');
    const values = within(form).getAllByTestId('var-value');
    fireEvent.change(values[0]!, { target: { value: 'Where can I order a virtual card?' } });
    fireEvent.change(within(form).getByTestId('case-expected'), {
      target: { value: 'getting_virtual_card' },
    });
    fireEvent.click(within(form).getByTestId('case-save'));
    await waitFor(() => expect(screen.queryByTestId('case-form')).toBeNull());
    expect(rows()).toHaveLength(4);
    expect(rows()[3]!.textContent).toContain('getting_virtual_card');
    expect(screen.getByTestId('golden-dirty')).toBeTruthy();
    const item = screen.getAllByTestId('golden-set-item').find((el) => el.dataset.path === GOLDEN)!;
    expect(item.querySelector('.dirty-dot')).toBeTruthy();

    // a duplicate id is refused in the form, naming the problem
    fireEvent.click(within(rows()[0]!).getByTestId('golden-edit'));
    const edit = await screen.findByTestId('case-form');
    fireEvent.change(within(edit).getByTestId('case-id'), { target: { value: 'case-2' } });
    fireEvent.click(within(edit).getByTestId('case-save'));
    expect(within(edit).getByTestId('case-form-problem').textContent).toContain(
      'Another case is already "case-2"',
    );
    fireEvent.change(within(edit).getByTestId('case-id'), { target: { value: 'locate-card' } });
    fireEvent.click(within(edit).getByTestId('add-assertion'));
    fireEvent.change(within(edit).getByLabelText('Assertion 1 type'), { target: { value: 'contains' } });
    fireEvent.change(within(edit).getByLabelText('Assertion 1 options (JSON)'), {
      target: { value: '{"value": "card"}' },
    });
    fireEvent.click(within(edit).getByTestId('case-save'));
    await waitFor(() => expect(screen.queryByTestId('case-form')).toBeNull());
    expect(rows()[0]!.dataset.case).toBe('locate-card');
    expect(rows()[0]!.textContent).toContain('contains + default: equals');

    fireEvent.click(within(rows()[1]!).getByTestId('golden-delete'));
    await waitFor(() => expect(useDialogStore.getState().current?.title).toBe('Delete case?'));
    act(() => useDialogStore.getState().answer('delete'));
    await waitFor(() => expect(rows()).toHaveLength(3));

    fireEvent.click(saveButton());
    await waitFor(() => expect(fake.saved).toHaveLength(1));
    const saved = fake.saved[0]!;
    expect(saved.path).toBe(GOLDEN);
    expect(saved.overwrite).toBe(true);
    expect(saved.set.cases.map((c) => c.id)).toEqual(['locate-card', 'case-3', 'case-4']);
    expect(saved.set.cases[0]!.assert).toEqual([{ type: 'contains', weight: 1, options: { value: 'card' } }]);
    expect(saved.set.cases[2]).toEqual({
      id: 'case-4',
      vars: { text: 'Where can I order a virtual card?' },
      expected: 'getting_virtual_card',
      assert: [],
    });
    await waitFor(() => expect(screen.queryByTestId('golden-dirty')).toBeNull());
    expect(saveButton().disabled).toBe(true);
  });

  it('saves with Ctrl+S, and the prompt editor does not save its file meanwhile', async () => {
    const { fake, backend } = await setup();
    await openGolden();
    fireEvent.click(within(rows()[2]!).getByTestId('golden-edit'));
    const form = await screen.findByTestId('case-form');
    fireEvent.change(within(form).getByTestId('case-expected'), { target: { value: 'passcode_forgotten ' } });
    fireEvent.click(within(form).getByTestId('case-save'));
    await screen.findByTestId('golden-dirty');
    fireEvent.keyDown(window, { key: 's', ctrlKey: true });
    await waitFor(() => expect(fake.saved).toHaveLength(1));
    expect(backend.transport.callsTo('file.save')).toHaveLength(0);
  });

  it('imports the cases of another file after the current ones, renaming clashing ids', async () => {
    await setup();
    await openGolden();
    fireEvent.click(screen.getByTestId('golden-import-toggle'));
    fireEvent.change(screen.getByTestId('golden-import-path'), { target: { value: OTHER } });
    fireEvent.submit(screen.getByTestId('golden-import'));
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(rows().map((r) => r.dataset.case)).toEqual(['case-1', 'case-2', 'case-3', 'case-1-2', 'extra']);
    const notice = await screen.findByText(/Imported 2 case\(s\) from golden\/more.jsonl, 1 renamed/);
    expect(notice.textContent).toContain('ignored column __foo');
    expect(screen.getByTestId('golden-dirty')).toBeTruthy();
  });

  it('asks before unsaved edits are lost, and keeps them on Cancel', async () => {
    const { fake } = await setup();
    await openGolden();
    fireEvent.click(within(rows()[0]!).getByTestId('golden-delete'));
    await waitFor(() => expect(useDialogStore.getState().current).not.toBeNull());
    act(() => useDialogStore.getState().answer('delete'));
    await screen.findByTestId('golden-dirty');

    // another golden set: Cancel keeps this one open with its edits
    const other = screen.getAllByTestId('golden-set-item').find((el) => el.dataset.path === OTHER)!;
    fireEvent.click(other);
    await waitFor(() => expect(useDialogStore.getState().current?.title).toBe('Unsaved changes'));
    act(() => useDialogStore.getState().answer('cancel'));
    await waitFor(() => expect(useDialogStore.getState().current).toBeNull());
    expect(useBenchStore.getState().screen).toEqual({ kind: 'golden', path: GOLDEN });
    expect(rows()).toHaveLength(2);

    // a prompt: Save writes the set first, then the editor shows the prompt
    fireEvent.click(screen.getAllByTestId('file-item')[0]!);
    await waitFor(() => expect(useDialogStore.getState().current?.title).toBe('Unsaved changes'));
    act(() => useDialogStore.getState().answer('save'));
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/intent.md'));
    expect(fake.saved).toHaveLength(1);
    expect(screen.queryByTestId('golden-editor')).toBeNull();
  });

  it('offers YAML when the CSV cannot hold the set', async () => {
    const { backend, fake } = await setup();
    const { FakeRouteError } = await import('../../src/renderer/src/transport/fakeTransport');
    const save = backend.transport;
    await openGolden();
    save.handle({
      'golden.save': (input) => {
        if (input.path.endsWith('.csv'))
          throw new FakeRouteError(
            'INVALID_INPUT',
            'Case "case-1": metadata: the case has metadata, which CSV cannot express; save the set as YAML, JSON or JSON Lines instead.',
            { case: 'case-1', field: 'metadata', format: 'csv' },
          );
        fake.saved.push(input);
        return { path: input.path };
      },
    });
    fireEvent.click(within(rows()[0]!).getByTestId('golden-delete'));
    await waitFor(() => expect(useDialogStore.getState().current).not.toBeNull());
    act(() => useDialogStore.getState().answer('delete'));
    await waitFor(() => expect(saveButton().disabled).toBe(false));
    fireEvent.click(saveButton());
    const notice = await waitFor(() => {
      const n = screen.getAllByTestId('notice').find((x) => x.dataset.code === 'INVALID_INPUT');
      expect(n).toBeTruthy();
      return n!;
    });
    expect(screen.getByTestId('golden-dirty')).toBeTruthy();
    fireEvent.click(within(notice).getByRole('button', { name: 'Save as golden/intent.yaml' }));
    await waitFor(() => expect(fake.saved.map((x) => x.path)).toEqual(['golden/intent.yaml']));
    await waitFor(() =>
      expect(useBenchStore.getState().screen).toEqual({ kind: 'golden', path: 'golden/intent.yaml' }),
    );
    expect(screen.queryByTestId('golden-dirty')).toBeNull();
    expect(screen.getByTestId('bench-title').textContent).toBe('intent.yaml');
  });

  it('gives a new case the input message every case shares', async () => {
    await setup();
    useGoldenStore.getState().loadStarted(GOLDEN);
    const set = goldenSet();
    for (const c of set.cases) c.messages = [{ role: 'user', content: '{{text}}' }];
    useGoldenStore.getState().loaded(GOLDEN, set);
    useBenchStore.getState().setScreen({ kind: 'golden', path: GOLDEN });
    await screen.findByTestId('golden-table');
    fireEvent.click(screen.getByTestId('golden-add'));
    const form = await screen.findByTestId('case-form');
    expect((within(form).getByLabelText('Message 1 content') as HTMLTextAreaElement).value).toBe('{{text}}');
    fireEvent.change(within(form).getAllByTestId('var-value')[0]!, { target: { value: 'Is there a fee?' } });
    fireEvent.click(within(form).getByTestId('case-save'));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(useGoldenStore.getState().set!.cases[3]!.messages).toEqual([
      { role: 'user', content: '{{text}}' },
    ]);
  });

  it('opens the golden set of a config from its summary', async () => {
    await setup();
    fireEvent.click(await screen.findByTestId('bench-config-item'));
    const link = await screen.findByRole('button', { name: 'golden/intent.csv' });
    fireEvent.click(link);
    await screen.findByTestId('golden-table');
    expect(useBenchStore.getState().screen).toEqual({ kind: 'golden', path: GOLDEN });
  });
});
