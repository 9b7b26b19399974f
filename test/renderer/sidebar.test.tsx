import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { SIDEBAR_SECTIONS_KEY } from '../../src/renderer/src/features/workspace/Sidebar';
import { readStored } from '../../src/renderer/src/lib/storage';
import { useBenchStore } from '../../src/renderer/src/stores/bench';
import { useHistoryStore } from '../../src/renderer/src/stores/history';
import { setTransport } from '../../src/renderer/src/transport';
import { createFakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(() => {
  resetApp();
  useBenchStore.getState().reset();
  useHistoryStore.getState().reset();
});

const FILES = {
  'prompts/airline.md': 'You are an airline agent. Be brief.',
  'prompts/retail.md': 'You are a retail agent.',
};

async function renderApp(): Promise<void> {
  const backend = createFakeBackend(FILES);
  backend.transport.handle({
    'bench.listFiles': () => ({
      configs: ['benchmarks/intent.bench.yaml'],
      goldenSets: ['golden/intent.csv'],
    }),
    'history.listFiles': () => ({
      histories: ['histories/airline.json'],
      policies: ['policies/trim.policy.json', 'policies/summarise.policy.json'],
    }),
  });
  setTransport(backend.transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
  await screen.findByTestId('bench-config-item');
  await screen.findAllByTestId('history-file-item');
}

const toggle = (name: RegExp) => screen.getByRole('button', { name });
const section = (id: string) => screen.getByTestId(`sidebar-section-${id}`);
/** The list a section's disclosure button controls. */
const body = (button: HTMLElement) => document.getElementById(button.getAttribute('aria-controls')!)!;

describe('the sidebar sections', () => {
  it('shows prompts, benchmarks and histories, each open, with a disclosure button and a count', async () => {
    await renderApp();
    const prompts = toggle(/^Prompts/);
    const benchmarks = toggle(/^Benchmarks/);
    const histories = toggle(/^Histories/);
    for (const button of [prompts, benchmarks, histories]) {
      expect(button.getAttribute('aria-expanded')).toBe('true');
      expect(body(button).hidden).toBe(false);
    }
    expect(prompts.textContent).toBe('Prompts2');
    expect(benchmarks.textContent).toBe('Benchmarks2');
    expect(histories.textContent).toBe('Histories3');
    // each section is a region named by its button, and holds its own list
    expect(within(section('prompts')).getAllByTestId('file-item')).toHaveLength(2);
    expect(within(section('benchmarks')).getByTestId('golden-set-item')).toBeTruthy();
    expect(within(section('histories')).getAllByTestId('policy-file-item')).toHaveLength(2);
    expect(screen.getByRole('region', { name: /^Histories/ })).toBe(section('histories'));
  });

  it('collapses and expands a section from its button, and only that one', async () => {
    await renderApp();
    const benchmarks = toggle(/^Benchmarks/);
    fireEvent.click(benchmarks);
    expect(benchmarks.getAttribute('aria-expanded')).toBe('false');
    expect(section('benchmarks').dataset.open).toBe('false');
    expect(body(benchmarks).hidden).toBe(true);
    expect(body(benchmarks).contains(screen.getByTestId('bench-config-item'))).toBe(true);
    expect(toggle(/^Prompts/).getAttribute('aria-expanded')).toBe('true');
    expect(toggle(/^Histories/).getAttribute('aria-expanded')).toBe('true');

    fireEvent.click(benchmarks);
    expect(benchmarks.getAttribute('aria-expanded')).toBe('true');
    expect(body(benchmarks).hidden).toBe(false);
  });

  it('remembers which sections are collapsed across a restart', async () => {
    await renderApp();
    fireEvent.click(toggle(/^Prompts/));
    fireEvent.click(toggle(/^Histories/));
    expect(readStored(SIDEBAR_SECTIONS_KEY)).toEqual({ prompts: false, histories: false });

    // a new start of the app (the stores reset, localStorage kept)
    const stored = localStorage.getItem(SIDEBAR_SECTIONS_KEY);
    resetApp();
    useBenchStore.getState().reset();
    useHistoryStore.getState().reset();
    localStorage.setItem(SIDEBAR_SECTIONS_KEY, stored!);
    await renderApp();
    expect(toggle(/^Prompts/).getAttribute('aria-expanded')).toBe('false');
    expect(toggle(/^Benchmarks/).getAttribute('aria-expanded')).toBe('true');
    expect(toggle(/^Histories/).getAttribute('aria-expanded')).toBe('false');
    expect(body(toggle(/^Prompts/)).hidden).toBe(true);

    fireEvent.click(toggle(/^Prompts/));
    expect(readStored(SIDEBAR_SECTIONS_KEY)).toEqual({ prompts: true, histories: false });
  });

  it('treats a malformed stored value as all sections open', async () => {
    localStorage.setItem(SIDEBAR_SECTIONS_KEY, '["prompts"]');
    await renderApp();
    for (const name of [/^Prompts/, /^Benchmarks/, /^Histories/])
      expect(toggle(name).getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(toggle(/^Benchmarks/));
    await waitFor(() => expect(readStored(SIDEBAR_SECTIONS_KEY)).toEqual({ benchmarks: false }));
  });
});
