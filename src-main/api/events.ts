// The node's event bus: services emit contract events, transports fan them out to clients.
import {
  events as eventSchemas,
  type EventName,
  type EventPayload,
  type PushedEvent,
} from '../../src-shared/api/index.ts';

export interface EventBus {
  emit<E extends EventName>(event: E, data: EventPayload<E>): void;
  subscribe(listener: (e: PushedEvent) => void): () => void;
}

export function createEventBus(onListenerError: (err: unknown) => void = () => {}): EventBus {
  const listeners = new Set<(e: PushedEvent) => void>();
  return {
    emit(event, data) {
      // Events are part of the contract: a malformed one is a bug here, not something to push.
      const parsed = eventSchemas[event].parse(data) as EventPayload<typeof event>;
      for (const l of [...listeners]) {
        try {
          l({ event, data: parsed } as PushedEvent);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
