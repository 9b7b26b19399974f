/**
 * The Electron bridge's surface, kept free of zod and schemas so the sandboxed preload can import it
 * without bundling them. src/shared/contract.ts re-exports it.
 */

/** The IPC channels of the Electron bridge: one for calls, one for events. */
export const IPC_INVOKE_CHANNEL = 'promptpress:invoke';
export const IPC_EVENT_CHANNEL = 'promptpress:event';

/** The one surface the preload exposes to the renderer as `window.promptpress`. */
export interface BridgeApi {
  invoke(route: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
