import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BridgeApi } from '../../src/shared/contract';
import {
  api,
  createApiClient,
  selectTransport,
  setTransport,
  TransportError,
} from '../../src/renderer/src/transport';
import { createHttpTransport } from '../../src/renderer/src/transport/httpTransport';
import { createFakeTransport, FakeRouteError } from '../../src/renderer/src/transport/fakeTransport';

afterEach(() => setTransport(undefined));

function fakeBridge(reply: unknown): BridgeApi & { invoke: ReturnType<typeof vi.fn> } {
  return { invoke: vi.fn(async () => reply), on: vi.fn(() => () => undefined) };
}

class FakeEventSource {
  readonly handlers = new Map<string, Array<(e: MessageEvent<string>) => void>>();
  constructor(readonly url: string) {}
  addEventListener(name: string, handler: (e: MessageEvent<string>) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
  }
  fire(name: string, data: string) {
    for (const h of this.handlers.get(name) ?? []) h({ data } as MessageEvent<string>);
  }
}

describe('transport selection', () => {
  it('uses IPC when the preload bridge is present', async () => {
    const bridge = fakeBridge({ ok: true, data: { selectedModel: 'gpt-4o' } });
    const transport = selectTransport({ promptpress: bridge });
    expect(transport.kind).toBe('ipc');
    const client = createApiClient(transport);
    await expect(client.call('settings.get')).resolves.toEqual({ selectedModel: 'gpt-4o' });
    expect(bridge.invoke).toHaveBeenCalledWith('settings.get', {});
  });

  it('uses HTTP when there is no bridge (browser host)', () => {
    expect(selectTransport({}).kind).toBe('http');
    expect(selectTransport({ promptpress: {} as BridgeApi }).kind).toBe('http');
  });

  it('picks automatically from the global object until a transport is installed', () => {
    expect(api.kind).toBe('http'); // happy-dom has no window.promptpress
    setTransport(createFakeTransport());
    expect(api.kind).toBe('fake');
  });
});

describe('api client', () => {
  it('throws a TransportError carrying the coded error', async () => {
    const transport = createFakeTransport({
      'file.read': ({ path }) => {
        throw new FakeRouteError('BINARY_FILE', `${path} is binary`, { path });
      },
    });
    const client = createApiClient(transport);
    const err = await client.call('file.read', { path: 'a.md' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: 'BINARY_FILE', message: 'a.md is binary', details: { path: 'a.md' } });
  });

  it('turns a rejected IPC call into an INTERNAL coded error', async () => {
    const bridge: BridgeApi = { invoke: () => Promise.reject(new Error('gone')), on: () => () => undefined };
    const client = createApiClient(selectTransport({ promptpress: bridge }));
    await expect(client.call('app.info')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('rejects a malformed IPC reply instead of trusting it', async () => {
    const client = createApiClient(selectTransport({ promptpress: fakeBridge({ hello: 1 }) }));
    await expect(client.call('app.info')).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('HTTP transport', () => {
  it('POSTs JSON to /api/rpc/<route> with same-origin credentials and unwraps the result', async () => {
    const fetchMock = vi.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) =>
        new Response(JSON.stringify({ ok: true, data: { items: [] } }), { status: 200 }),
    );
    const client = createApiClient(createHttpTransport({ fetch: fetchMock as typeof fetch }));
    await expect(client.call('workspace.recent')).resolves.toEqual({ items: [] });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/rpc/workspace.recent');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{}' });
    expect((init!.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('passes coded errors through and explains a refused token', async () => {
    const replies = [
      new Response(
        JSON.stringify({ ok: false, error: { code: 'FILE_NOT_FOUND', message: 'x.md does not exist.' } }),
        {
          status: 200,
        },
      ),
      new Response('Unauthorized', { status: 401 }),
    ];
    const client = createApiClient(
      createHttpTransport({ fetch: (async () => replies.shift()!) as typeof fetch }),
    );
    await expect(client.call('file.read', { path: 'x.md' })).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    await expect(client.call('app.info')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/token/),
    });
  });

  it('reports an unreachable server as a coded error', async () => {
    const client = createApiClient(
      createHttpTransport({
        fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch,
      }),
    );
    await expect(client.call('app.info')).rejects.toMatchObject({
      code: 'BACKEND_UNREACHABLE',
      message: /reach/,
    });
  });

  it('shares one EventSource on /api/events and fans events out to listeners', () => {
    const sources: FakeEventSource[] = [];
    const transport = createHttpTransport({
      createEventSource: (url) => {
        const source = new FakeEventSource(url);
        sources.push(source);
        return source as unknown as EventSource;
      },
    });
    const a = vi.fn();
    const b = vi.fn();
    const offA = transport.on('workspace.changed', a);
    transport.on('workspace.changed', b);
    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe('/api/events');
    sources[0]!.fire('workspace.changed', JSON.stringify({ root: '/w', paths: ['a.md'] }));
    offA();
    sources[0]!.fire('workspace.changed', '{not json');
    sources[0]!.fire('workspace.changed', JSON.stringify({ root: '/w', paths: ['b.md'] }));
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
    expect(b).toHaveBeenLastCalledWith({ root: '/w', paths: ['b.md'] });
  });
});
