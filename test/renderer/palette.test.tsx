import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { buildCommands } from '../../src/renderer/src/features/palette/commands';
import { fuzzyFilter, fuzzyScore } from '../../src/renderer/src/features/palette/fuzzy';
import { usePaletteStore } from '../../src/renderer/src/features/palette/paletteStore';
import { useCatalogStore } from '../../src/renderer/src/stores/catalog';
import { useCompressStore } from '../../src/renderer/src/stores/compress';
import { useCostPanelStore } from '../../src/renderer/src/stores/costPanel';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { setTransport } from '../../src/renderer/src/transport';
import { createFakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(() => {
  resetApp();
  usePaletteStore.getState().reset();
  useCompressStore.getState().setMode('edit');
});

const FILES = {
  'prompts/airline.md': 'You are an airline agent. Be brief.',
  'prompts/retail.md': 'You are a retail agent.',
  'notes.txt': 'plain notes here',
};

async function renderApp(): Promise<void> {
  setTransport(createFakeBackend(FILES).transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
}

function openPalette(): HTMLInputElement {
  fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
  return screen.getByTestId('palette-input') as HTMLInputElement;
}

const items = () => screen.getAllByTestId('palette-item');
const item = (id: string) => items().find((el) => el.dataset.command === id)!;

describe('fuzzy matching', () => {
  it('matches characters in order, substrings and word starts first', () => {
    expect(fuzzyScore('', 'anything')).toBe(0);
    expect(fuzzyScore('xyz', 'Save')).toBeNull();
    expect(fuzzyScore('cmp', 'Switch to Compress')).not.toBeNull();
    const titles = ['Show the cost panel', 'Switch to Compress', 'Cost panel: Cache tab'];
    expect(fuzzyFilter(titles, 'cost', (t) => t)).toEqual(['Cost panel: Cache tab', 'Show the cost panel']);
    expect(fuzzyFilter(titles, 'swcomp', (t) => t)).toEqual(['Switch to Compress']);
    expect(fuzzyFilter(titles, '  ', (t) => t)).toEqual(titles);
  });
});

describe('the command palette', () => {
  it('opens with Ctrl+K as a labelled modal combobox and lists the workspace files', async () => {
    await renderApp();
    const input = openPalette();
    const dialog = screen.getByRole('dialog', { name: 'Command palette' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute('role')).toBe('combobox');
    expect(within(dialog).getByRole('listbox', { name: 'Commands' })).toBeTruthy();
    const ids = items().map((el) => el.dataset.command);
    expect(ids).toEqual(
      expect.arrayContaining(['file:prompts/airline.md', 'file:notes.txt', 'settings.models', 'file.save']),
    );
    // Ctrl+K again closes it
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    expect(screen.queryByTestId('command-palette')).toBeNull();
  });

  it('filters as you type, moves with the arrow keys and runs the command with Enter', async () => {
    await renderApp();
    const input = openPalette();
    fireEvent.change(input, { target: { value: 'retail' } });
    expect(items()[0]!.dataset.command).toBe('file:prompts/retail.md');
    expect(input.getAttribute('aria-activedescendant')).toBe(items()[0]!.id);
    fireEvent.change(input, { target: { value: 'prompts' } });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(items()[1]!.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(items()[1]!.id);
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'ArrowUp' }); // wraps to the last
    expect(items().at(-1)!.getAttribute('aria-selected')).toBe('true');

    fireEvent.change(input, { target: { value: 'airline' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.queryByTestId('command-palette')).toBeNull();
    await waitFor(() => expect(useEditorStore.getState().path).toBe('prompts/airline.md'));
  });

  it('says when nothing matches', async () => {
    await renderApp();
    const input = openPalette();
    fireEvent.change(input, { target: { value: 'zzzzqqq' } });
    expect(screen.queryAllByTestId('palette-item')).toHaveLength(0);
    expect(screen.getByRole('status').textContent).toContain('No command matches');
  });

  it('closes with Escape and gives focus back to where it was', async () => {
    await renderApp();
    const file = screen.getAllByTestId('file-item')[0]!;
    file.focus();
    const input = openPalette();
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('command-palette')).toBeNull();
    expect(document.activeElement).toBe(file);
  });

  it('shows commands that cannot run now as disabled, with the reason, and Enter does nothing', async () => {
    await renderApp();
    const input = openPalette();
    const save = item('file.save');
    expect(save.getAttribute('aria-disabled')).toBe('true');
    expect(save.textContent).toContain('Open a prompt first');
    expect(save.textContent).toContain('Ctrl+S');
    expect(item('bench.run').textContent).toContain('Open a benchmark config first');
    fireEvent.change(input, { target: { value: 'Switch to Compress' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByTestId('command-palette')).toBeTruthy();
    expect(useCompressStore.getState().mode).toBe('edit');
  });

  it('reaches the views, the cost panel and the settings dialogs', async () => {
    await renderApp();
    fireEvent.click(screen.getAllByTestId('file-item').find((el) => el.dataset.path === 'notes.txt')!);
    await waitFor(() => expect(useEditorStore.getState().path).toBe('notes.txt'));

    const run = async (id: string) => {
      openPalette();
      expect(item(id).getAttribute('aria-disabled')).toBeNull();
      fireEvent.click(item(id));
      await act(() => new Promise((r) => setTimeout(r, 0)));
    };
    expect(useCostPanelStore.getState().open).toBe(true);
    await run('view.costPanel');
    expect(useCostPanelStore.getState().open).toBe(false);
    await run('view.costTab:projection');
    expect(useCostPanelStore.getState()).toMatchObject({ open: true, tab: 'projection' });
    await run('view.compress');
    expect(useCompressStore.getState().mode).toBe('compress');
    await run('view.edit');
    expect(useCompressStore.getState().mode).toBe('edit');
    await run('settings.models');
    expect(useCatalogStore.getState().dialogOpen).toBe(true);
  });

  it('builds a command for every file the workspace lists', () => {
    const ids = buildCommands().map((c) => c.id);
    expect(ids).toContain('workspace.openSample');
    expect(ids).toContain('settings.providers');
    expect(new Set(ids).size).toBe(ids.length);
  });
});
