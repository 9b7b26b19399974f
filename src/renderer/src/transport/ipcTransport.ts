import type { BridgeApi } from '../../../shared/contract';
import type { Result } from '../../../shared/errors';
import { isResult, type Transport } from './types';

/** The Electron transport: the preload's `window.promptpress` bridge (IPC over the backend's dispatch). */
export function createIpcTransport(bridge: BridgeApi): Transport {
  return {
    kind: 'ipc',
    async invoke(route, input): Promise<Result<unknown>> {
      let value: unknown;
      try {
        value = await bridge.invoke(route, input ?? {});
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `The desktop backend did not answer ${route}: ${message}`,
            details: { transport: 'ipc' },
          },
        };
      }
      if (isResult(value)) return value;
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `The desktop backend sent a malformed reply to ${route}.`,
          details: { transport: 'ipc' },
        },
      };
    },
    on(event, listener) {
      return bridge.on(event, listener);
    },
  };
}
