import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { openWorkspace } from '../../src/renderer/src/app/actions';
import { saveSession } from '../../src/renderer/src/app/session';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { setTransport } from '../../src/renderer/src/transport';
import { createFakeBackend, type FakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(resetApp);

const FILES = {
  'prompts/airline.md': 'You are an airline agent. Be brief.',
  'prompts/retail.md': 'You are a retail agent.',
  'notes.txt': 'plain notes here',
};

async function renderApp(files: Record<string, string> = FILES): Promise<FakeBackend> {
  const backend = createFakeBackend(files);
  setTransport(backend.transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
  return backend;
}

function fileItem(path: string): HTMLElement {
  return screen.getAllByTestId('file-item').find((el) => el.dataset.path === path)!;
}

async function open(path: string): Promise<HTMLTextAreaElement> {
  fireEvent.click(fileItem(path));
  await waitFor(() => expect(useEditorStore.getState().path).toBe(path));
  return screen.getByTestId('text-editor') as HTMLTextAreaElement;
}

function type(editor: HTMLTextAreaElement, text: string) {
  fireEvent.change(editor, { target: { value: text } });
}

function pressSave() {
  fireEvent.keyDown(window, { key: 's', ctrlKey: true });
}

describe('the workbench', () => {
  it('lists the workspace with sizes and shows the guide until a prompt is opened', async () => {
    await renderApp();
    expect(screen.getAllByTestId('file-item').map((el) => el.dataset.path)).toEqual([
      'notes.txt',
      'prompts/airline.md',
      'prompts/retail.md',
    ]);
    expect(fileItem('prompts/retail.md').textContent).toContain('23 B');
    expect(screen.getByRole('heading', { name: /Measure.*Compress.*Prove/ })).toBeTruthy();
    expect(screen.getByText(/Pick a prompt on the left/)).toBeTruthy();
  });

  it('opens a file, counts its tokens live, and marks it dirty while edited', async () => {
    await renderApp();
    const editor = await open('prompts/airline.md');
    expect(editor.value).toBe(FILES['prompts/airline.md']);
    expect(editor.dataset.language).toBe('markdown');
    await waitFor(() => expect(screen.getByTestId('token-count').dataset.tokens).toBe('7'));
    expect(fileItem('prompts/airline.md').getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByTestId('dirty-indicator')).toBeNull();

    type(editor, 'one two three four five six seven eight nine ten eleven twelve');
    expect(screen.getByTestId('dirty-indicator')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('token-count').textContent).toBe('12 tokens'));
    expect(screen.getByTestId('token-cost').textContent).toBe('$0.000030 input · gpt-4o $2.50/1M');
  });

  it('recounts and persists when another model is picked', async () => {
    const backend = await renderApp();
    await open('prompts/airline.md');
    await waitFor(() => expect(screen.getByTestId('token-cost').textContent).toContain('gpt-4o $2.50/1M'));
    fireEvent.change(screen.getByTestId('model-select'), { target: { value: 'mystery-1' } });
    await waitFor(() => expect(screen.getByTestId('token-cost').textContent).toContain('no price'));
    expect(backend.transport.callsTo('settings.update')).toEqual([{ selectedModel: 'mystery-1' }]);
  });

  it('saves with Ctrl+S using the base hash and the file encoding', async () => {
    const backend = await renderApp();
    const editor = await open('prompts/retail.md');
    type(editor, 'You are a kind retail agent.');
    pressSave();
    await waitFor(() => expect(screen.queryByTestId('dirty-indicator')).toBeNull());
    expect(backend.transport.callsTo('file.save')).toEqual([
      {
        path: 'prompts/retail.md',
        content: 'You are a kind retail agent.',
        encoding: 'utf-8',
        baseHash: 'prompts/retail.md@0',
      },
    ]);
    expect(backend.files.get('prompts/retail.md')).toBe('You are a kind retail agent.');
  });

  it('on a save conflict offers Overwrite, which saves again with force', async () => {
    const backend = await renderApp();
    const editor = await open('prompts/retail.md');
    type(editor, 'mine');
    backend.writeBehind('prompts/retail.md', 'theirs');
    fireEvent.click(screen.getByTestId('save-button'));
    const notice = await screen.findByRole('alert');
    expect(notice.dataset.code).toBe('FILE_CHANGED_ON_DISK');
    expect(useEditorStore.getState().dirty).toBe(true);

    fireEvent.click(within(notice).getByRole('button', { name: 'Overwrite' }));
    await waitFor(() => expect(backend.files.get('prompts/retail.md')).toBe('mine'));
    expect(backend.transport.callsTo('file.save').at(-1)).toMatchObject({ content: 'mine', force: true });
    await waitFor(() => expect(useEditorStore.getState().dirty).toBe(false));
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('on a save conflict offers Reload, which discards the edits for the version on disk', async () => {
    const backend = await renderApp();
    const editor = await open('prompts/retail.md');
    type(editor, 'mine');
    backend.writeBehind('prompts/retail.md', 'theirs');
    pressSave();
    fireEvent.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(editor.value).toBe('theirs'));
    expect(useEditorStore.getState().dirty).toBe(false);
    expect(backend.files.get('prompts/retail.md')).toBe('theirs');
  });

  it('keeps the open file when a bad file is clicked and shows the coded reason', async () => {
    const backend = createFakeBackend(FILES);
    backend.broken.set('bad.txt', { code: 'BINARY_FILE', message: 'bad.txt looks like a binary file.' });
    backend.broken.set('latin1.md', { code: 'ENCODING_INVALID', message: 'latin1.md is not valid UTF-8.' });
    setTransport(backend.transport);
    render(<App editor={TextareaEditor} />);
    await screen.findAllByTestId('file-item');
    const editor = await open('prompts/airline.md');
    type(editor, 'unsaved words');

    for (const [path, code] of [
      ['bad.txt', 'BINARY_FILE'],
      ['latin1.md', 'ENCODING_INVALID'],
    ] as const) {
      fireEvent.click(fileItem(path));
      await waitFor(() =>
        expect(screen.getAllByRole('alert').some((n) => n.dataset.code === code)).toBe(true),
      );
    }
    const alerts = screen.getAllByRole('alert');
    expect(alerts.map((n) => n.textContent)).toEqual([
      expect.stringContaining('bad.txt looks like a binary file.'),
      expect.stringContaining('latin1.md is not valid UTF-8.'),
    ]);
    expect(useEditorStore.getState()).toMatchObject({ path: 'prompts/airline.md', content: 'unsaved words' });
    expect((screen.getByTestId('text-editor') as HTMLTextAreaElement).value).toBe('unsaved words');
  });

  it('keeps unsaved edits in their tab when another prompt opens, and asks when that tab is closed', async () => {
    await renderApp();
    const editor = await open('prompts/airline.md');
    type(editor, 'draft');

    // opening another prompt asks nothing: the draft stays in its tab
    fireEvent.click(fileItem('prompts/retail.md'));
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/retail.md'));
    expect(screen.queryByRole('dialog')).toBeNull();
    const tabs = () => screen.getAllByTestId('open-tab');
    expect(tabs().map((t) => t.dataset.path)).toEqual(['prompts/airline.md', 'prompts/retail.md']);
    const airline = tabs()[0]!;
    expect(within(airline).getByTestId('tab-dirty')).toBeTruthy();

    // back to it: the draft and its unsaved state are there
    fireEvent.click(within(airline).getByRole('button', { name: /^airline\.md/ }));
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/airline.md'));
    expect(useEditorStore.getState()).toMatchObject({ content: 'draft', dirty: true });
    expect(screen.getByTestId('dirty-indicator')).toBeTruthy();

    // closing it asks; Cancel keeps everything
    fireEvent.click(screen.getByRole('button', { name: 'Close tab airline.md' }));
    const dialog = await screen.findByRole('dialog', { name: 'Unsaved changes' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(useEditorStore.getState()).toMatchObject({ path: 'prompts/airline.md', content: 'draft' });

    // Don't save: the tab goes and its neighbour shows
    fireEvent.click(screen.getByRole('button', { name: 'Close tab airline.md' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: "Don't save" }));
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/retail.md'));
    expect(tabs().map((t) => t.dataset.path)).toEqual(['prompts/retail.md']);
    expect(useEditorStore.getState().dirty).toBe(false);
  });

  it('a background tab with unsaved edits is asked about before another workspace opens', async () => {
    const backend = await renderApp();
    const editor = await open('prompts/airline.md');
    type(editor, 'draft');
    fireEvent.click(fileItem('prompts/retail.md'));
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/retail.md'));
    backend.transport.handle({
      'workspace.open': () => ({ ...backend.workspace(), root: '/home/me/other', name: 'other', files: [] }),
    });
    const switching = openWorkspace('/home/me/other');
    const dialog = await screen.findByRole('dialog', { name: 'Unsaved changes' });
    expect(dialog.textContent).toContain('airline.md');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await switching).toBe(true);
    expect(backend.files.get('prompts/airline.md')).toBe('draft');
    expect(screen.queryAllByTestId('open-tab')).toEqual([]);
  });

  it('reopens with the tabs, the shown item and the unsaved edits it had (a restart loses nothing)', async () => {
    const backend = await renderApp();
    const editor = await open('prompts/airline.md');
    type(editor, 'draft never saved');
    await open('prompts/retail.md');
    saveSession();

    // a restart: the window goes, the stores start empty, localStorage stays
    const stored = localStorage.getItem('promptpress.session');
    resetApp();
    localStorage.setItem('promptpress.session', stored!);
    setTransport(backend.transport);
    render(<App editor={TextareaEditor} />);
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/retail.md'));
    expect(screen.getAllByTestId('open-tab').map((t) => t.dataset.path)).toEqual([
      'prompts/airline.md',
      'prompts/retail.md',
    ]);
    expect((await screen.findByRole('status')).textContent).toMatch(/restored: airline\.md/);
    fireEvent.click(screen.getByRole('button', { name: /^airline\.md/ }));
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/airline.md'));
    expect(useEditorStore.getState()).toMatchObject({ content: 'draft never saved', dirty: true });
    expect(backend.files.get('prompts/airline.md')).toBe(FILES['prompts/airline.md']);
  });

  it('a session of a file that was deleted meanwhile leaves that tab out', async () => {
    const backend = await renderApp();
    await open('prompts/airline.md');
    await open('prompts/retail.md');
    saveSession();
    const stored = localStorage.getItem('promptpress.session');
    resetApp();
    localStorage.setItem('promptpress.session', stored!);
    backend.files.delete('prompts/retail.md');
    setTransport(backend.transport);
    render(<App editor={TextareaEditor} />);
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/airline.md'));
    expect(screen.getAllByTestId('open-tab').map((t) => t.dataset.path)).toEqual(['prompts/airline.md']);
  });

  it('guards page unload only while there are unsaved edits', async () => {
    await renderApp();
    const editor = await open('prompts/airline.md');
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(unload()).toBe(false);
    type(editor, 'draft');
    expect(unload()).toBe(true);
  });

  it('follows changes on disk: reloads a clean file, warns about a dirty one, refreshes the list', async () => {
    const backend = await renderApp();
    const editor = await open('prompts/airline.md');
    const ws = backend.workspace();

    backend.writeBehind('prompts/airline.md', 'updated elsewhere');
    backend.files.set('prompts/new.md', 'fresh');
    act(() =>
      backend.transport.emit('workspace.changed', {
        root: ws.root,
        paths: ['prompts/airline.md', 'prompts/new.md'],
      }),
    );
    await waitFor(() => expect(editor.value).toBe('updated elsewhere'));
    await waitFor(() => expect(fileItem('prompts/new.md')).toBeTruthy());
    expect(useEditorStore.getState().dirty).toBe(false);
    expect(screen.queryByRole('alert')).toBeNull();

    type(editor, 'my draft');
    backend.writeBehind('prompts/airline.md', 'changed again');
    act(() => backend.transport.emit('workspace.changed', { root: ws.root, paths: ['prompts/airline.md'] }));
    const notice = await screen.findByRole('alert');
    expect(notice.dataset.code).toBe('FILE_CHANGED_ON_DISK');
    expect(editor.value).toBe('my draft');
  });

  it('opens the list with the keyboard', async () => {
    await renderApp();
    const list = screen.getByRole('listbox', { name: 'Prompt files' });
    fileItem('notes.txt').focus();
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(fileItem('prompts/airline.md'));
    fireEvent.keyDown(list, { key: 'Enter' });
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/airline.md'));
    expect((screen.getByTestId('text-editor') as HTMLTextAreaElement).dataset.language).toBe('markdown');
  });

  it('opens a typed folder path on Enter and reports a bad one', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('button', { name: /Open folder/ }));
    const input = screen.getByLabelText('Folder path');
    fireEvent.change(input, { target: { value: '/nope' } });
    fireEvent.submit(input.closest('form')!);
    const notice = await screen.findByRole('alert');
    expect(notice.dataset.code).toBe('FILE_NOT_FOUND');
    expect(screen.getAllByTestId('file-item')).toHaveLength(3); // the open workspace stays
  });
});
