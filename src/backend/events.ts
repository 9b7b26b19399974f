import type { EventName, EventPayload } from '../shared/contract';

export type AnyEventListener = (event: EventName, payload: unknown) => void;

/** The backend's event stream; hosts subscribe once and forward every event to their renderer(s). */
export class EventBus {
  private readonly listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
