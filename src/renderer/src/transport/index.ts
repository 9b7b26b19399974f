import type {
  BridgeApi,
  EventName,
  EventPayload,
  RouteInput,
  RouteName,
  RouteOutput,
} from '../../../shared/contract';
import { createHttpTransport } from './httpTransport';
import { createIpcTransport } from './ipcTransport';
import { TransportError, type Transport } from './types';

export { TransportError, isTransportError, toErrorPayload, type Transport } from './types';

/** Routes whose input is empty may be called without one. */
type CallArgs<R extends RouteName> =
  Record<never, never> extends RouteInput<R> ? [input?: RouteInput<R>] : [input: RouteInput<R>];

/** The typed face of a transport: the contract's route and event types on top of untyped results. */
export interface ApiClient {
  readonly kind: Transport['kind'];
  /** Calls a route; resolves with its output or throws a `TransportError` carrying the coded error. */
  call<R extends RouteName>(route: R, ...args: CallArgs<R>): Promise<RouteOutput<R>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    kind: transport.kind,
    async call(route, ...args) {
      const result = await transport.invoke(route, args[0] ?? {});
      if (!result.ok) throw new TransportError(route, result.error);
      return result.data as RouteOutput<typeof route>;
    },
    on(event, listener) {
      return transport.on(event, (payload) => listener(payload as EventPayload<typeof event>));
    },
  };
}

interface HostGlobals {
  promptpress?: BridgeApi;
}

/** IPC when the Electron preload exposed its bridge, HTTP (browser host) otherwise. */
export function selectTransport(host: HostGlobals = globalThis as HostGlobals): Transport {
  const bridge = host.promptpress;
  if (bridge && typeof bridge.invoke === 'function' && typeof bridge.on === 'function') {
    return createIpcTransport(bridge);
  }
  return createHttpTransport();
}

let client: ApiClient | undefined;

/** Installs a transport (tests pass a fake); `undefined` goes back to automatic selection. */
export function setTransport(transport: Transport | undefined): void {
  client = transport ? createApiClient(transport) : undefined;
}

function current(): ApiClient {
  client ??= createApiClient(selectTransport());
  return client;
}

/** The app's backend client, bound lazily to the selected transport. */
export const api: ApiClient = {
  get kind() {
    return current().kind;
  },
  call: (route, ...args) => current().call(route, ...args),
  on: (event, listener) => current().on(event, listener),
};
