import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { setTransport } from '../../src/renderer/src/transport';
import { FakeRouteError } from '../../src/renderer/src/transport/fakeTransport';
import type { EndpointDraft, ProviderStatus } from '../../src/shared/providers';
import { CATALOG, createFakeBackend, type FakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';

afterEach(resetApp);

const TYPED = 'sk-typed-into-the-form-0000000000-1234';

const builtIn = (id: 'anthropic' | 'openai', extra: Partial<ProviderStatus> = {}): ProviderStatus => ({
  id,
  kind: id,
  label: id === 'openai' ? 'OpenAI' : 'Anthropic',
  builtIn: true,
  baseURL: id === 'openai' ? 'https://api.openai.com/v1' : 'https://api.anthropic.com',
  keyEnvVar: id === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY',
  limits: {},
  configured: false,
  last4: null,
  keySource: 'none',
  ...extra,
});

/** providers.* over an in-memory list, as the backend answers them (never a key, only its last 4). */
function fakeProviders(backend: FakeBackend, fail: { test?: FakeRouteError } = {}) {
  const list: ProviderStatus[] = [
    builtIn('anthropic'),
    builtIn('openai', { configured: true, last4: '5d2b', keySource: 'env' }),
  ];
  const find = (id: string) => {
    const p = list.find((x) => x.id === id);
    if (!p) throw new FakeRouteError('INVALID_INPUT', `There is no provider "${id}".`, { field: 'id' });
    return p;
  };
  backend.transport.handle({
    'providers.list': () => ({ providers: structuredClone(list), keyStorage: 'session' }),
    'providers.save': ({ create, endpoint }) => {
      const e = endpoint as EndpointDraft;
      if (e.baseURL?.includes('?')) {
        throw new FakeRouteError('INVALID_INPUT', 'The base URL cannot carry a query.', { field: 'baseURL' });
      }
      if (create) {
        const id = e.id ?? e.label!.toLowerCase().replace(/[^a-z0-9]+/g, '-');
        list.push({
          ...builtIn('openai'),
          id,
          label: e.label!,
          builtIn: false,
          baseURL: e.baseURL!,
          keyEnvVar: e.keyEnvVar ?? null,
          limits: e.limits ?? {},
        });
        return list.at(-1)!;
      }
      return Object.assign(find(e.id!), e);
    },
    'providers.setKey': ({ id, key }) =>
      Object.assign(find(id), {
        configured: key !== '',
        last4: key ? key.slice(-4) : null,
        keySource: key ? 'session' : 'none',
      }),
    'providers.remove': ({ id }) => {
      list.splice(list.indexOf(find(id)), 1);
      return { id };
    },
    'providers.test': ({ id }) => {
      find(id);
      if (fail.test) throw fail.test;
      return { id, latencyMs: 42.4, method: 'models', modelCount: 4, model: null };
    },
  });
}

async function openProviders(): Promise<{ backend: FakeBackend; dialog: HTMLElement }> {
  const backend = createFakeBackend({ 'prompts/a.md': 'Hello.' }, { models: CATALOG });
  fakeProviders(backend);
  setTransport(backend.transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
  fireEvent.click(screen.getByRole('button', { name: 'Model providers…' }));
  const dialog = await screen.findByRole('dialog', { name: 'Model providers' });
  await waitFor(() => expect(within(dialog).getAllByTestId('provider-item')).toHaveLength(2));
  return { backend, dialog };
}

const item = (id: string) =>
  screen.getAllByTestId('provider-item').find((el) => el.dataset.provider === id) as HTMLElement;
const form = () => screen.getByTestId('provider-form');
const input = (name: string) => form().querySelector<HTMLInputElement>(`[name="${name}"]`)!;
const type = (name: string, value: string) => fireEvent.change(input(name), { target: { value } });

describe('the Model providers dialog', () => {
  it('opens from the sidebar as a modal that lists each provider with its key status, traps focus and closes on Escape', async () => {
    const { dialog } = await openProviders();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(within(dialog).getByText(/only ever sees their last 4 characters/)).toBeTruthy();
    expect(item('openai').textContent).toContain('…5d2b · OPENAI_API_KEY');
    expect(item('anthropic').textContent).toContain('No key');
    expect(item('anthropic').getAttribute('aria-current')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(item('anthropic')));
    expect(screen.getByTestId('key-status').textContent).toContain('No key yet');

    fireEvent.click(item('openai'));
    expect(form().dataset.provider).toBe('openai');
    expect(screen.getByTestId('key-status').textContent).toContain(
      'Key …5d2b from the environment variable OPENAI_API_KEY',
    );
    expect(input('label').readOnly).toBe(true);
    expect(input('baseURL').readOnly).toBe(true);
    expect(input('key').type).toBe('password');

    const done = within(dialog).getByRole('button', { name: 'Done' });
    const close = within(dialog).getByRole('button', { name: 'Close' });
    done.focus();
    fireEvent.keyDown(done, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(close, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Model providers' })).toBeNull();
  });

  it('adds an endpoint with a key, which the page never shows again, then tests the connection', async () => {
    const { backend } = await openProviders();
    fireEvent.click(screen.getByRole('button', { name: 'New endpoint' }));
    expect(form().dataset.provider).toBe('new');
    expect(document.activeElement).toBe(input('label'));
    type('label', 'Groq');
    type('baseURL', 'https://api.groq.com/openai/v1');
    type('key', TYPED);
    type('concurrency', '4');
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));

    await waitFor(() => expect(form().dataset.provider).toBe('groq'));
    expect(backend.transport.callsTo('providers.save')).toEqual([
      {
        create: true,
        endpoint: {
          kind: 'openai',
          label: 'Groq',
          baseURL: 'https://api.groq.com/openai/v1',
          keyEnvVar: null,
          limits: { concurrency: 4 },
        },
      },
    ]);
    expect(backend.transport.callsTo('providers.setKey')).toEqual([{ id: 'groq', key: TYPED }]);
    expect(screen.getByTestId('providers-status').textContent).toBe('Groq saved with its key.');
    expect(item('groq').textContent).toContain('…1234 · this session');
    expect(input('key').value).toBe('');
    expect(document.body.innerHTML).not.toContain(TYPED);

    const test = screen.getByTestId('test-connection');
    await waitFor(() => expect(document.activeElement).toBe(test));
    fireEvent.click(test);
    const result = await screen.findByText('Connected in 42 ms · 4 models found');
    expect(result.dataset.state).toBe('ok');
  });

  it('shows a failed test with its code, and checks the form before sending anything', async () => {
    const { backend } = await openProviders();
    fakeProviders(backend, {
      test: new FakeRouteError(
        'PROVIDER_AUTH',
        'OpenAI rejected the API key (HTTP 401). Check OPENAI_API_KEY.',
      ),
    });
    fireEvent.click(item('openai'));
    fireEvent.click(screen.getByTestId('test-connection'));
    const error = await screen.findByTestId('provider-test-error');
    expect(error.dataset.code).toBe('PROVIDER_AUTH');
    expect(error.textContent).toContain('PROVIDER_AUTH');
    expect(error.textContent).toContain('HTTP 401');

    // an edit makes the test wait for a save; a bad limit never leaves the form
    type('rpm', '-3');
    expect((screen.getByTestId('test-connection') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('A whole number of 1 or more, or empty for no limit.')).toBeTruthy();
    expect(backend.transport.callsTo('providers.save')).toEqual([]);
    type('rpm', '600');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(backend.transport.callsTo('providers.save')).toEqual([
        { create: false, endpoint: { id: 'openai', limits: { rpm: 600 } } },
      ]),
    );

    // the server's refusal lands on its field
    fireEvent.click(screen.getByRole('button', { name: 'New endpoint' }));
    type('label', 'Proxy');
    type('baseURL', 'https://proxy.example/v1?key=x');
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect((await screen.findByTestId('provider-error')).dataset.code).toBe('INVALID_INPUT');
    expect(input('baseURL').getAttribute('aria-invalid')).toBe('true');
  });

  it('removes an endpoint after asking, and clears a key kept for the session', async () => {
    const { backend } = await openProviders();
    fireEvent.click(screen.getByRole('button', { name: 'New endpoint' }));
    type('label', 'Local');
    type('baseURL', 'http://localhost:11434/v1');
    type('key', TYPED);
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    await waitFor(() => expect(form().dataset.provider).toBe('local'));

    fireEvent.click(screen.getByRole('button', { name: 'Remove key' }));
    await waitFor(() => expect(item('local').textContent).toContain('No key'));
    expect(backend.transport.callsTo('providers.setKey').at(-1)).toEqual({ id: 'local', key: '' });

    fireEvent.click(screen.getByRole('button', { name: 'Remove endpoint' }));
    const confirm = await screen.findByTestId('confirm-dialog');
    await act(async () => {
      fireEvent.click(within(confirm).getByRole('button', { name: 'Remove' }));
    });
    await waitFor(() => expect(screen.getAllByTestId('provider-item')).toHaveLength(2));
    expect(backend.transport.callsTo('providers.remove')).toEqual([{ id: 'local' }]);
    expect(screen.getByTestId('providers-status').textContent).toBe('Local removed.');
  });
});
