// Every state change is a RequestEvent with a monotonic id, logged by the store in the change's
// own transaction (for Last-Event-ID replay) and then pushed at once to subscribers (waiters,
// SSE streams). A port, so that with Postgres, LISTEN/NOTIFY carries events across replicas.
import type { Store, StoredEvent } from './store/store.js';

export type PublishedEvent = StoredEvent;
export type EventListener = (published: PublishedEvent) => void;

export interface EventBus {
  /** Push a logged event to every subscriber. */
  deliver(published: PublishedEvent): void;
  /** Receive events (of one request when `requestId` is given) until the returned function is called. */
  subscribe(listener: EventListener, requestId?: string): () => void;
  /** Logged events after `afterId`, oldest first (the log is bounded: older ones are gone). */
  replay(afterId: number, limit: number): Promise<PublishedEvent[]>;
}

/** A bus for one process, replaying from the store's event log. */
export function localEventBus(store: Pick<Store, 'eventsAfter'>, onListenerError: (error: unknown) => void): EventBus {
  const all = new Set<EventListener>();
  const byRequest = new Map<string, Set<EventListener>>();
  const notify = (listeners: Iterable<EventListener>, published: PublishedEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(published);
      } catch (error) {
        onListenerError(error);
      }
    }
  };
  return {
    deliver(published) {
      notify(byRequest.get(published.event.request.id) ?? [], published);
      notify(all, published);
    },
    subscribe(listener, requestId) {
      if (requestId === undefined) {
        all.add(listener);
        return () => void all.delete(listener);
      }
      const set = byRequest.get(requestId) ?? new Set<EventListener>();
      byRequest.set(requestId, set.add(listener));
      return () => {
        set.delete(listener);
        if (set.size === 0 && byRequest.get(requestId) === set) byRequest.delete(requestId);
      };
    },
    async replay(afterId, limit) {
      return store.eventsAfter(afterId, limit);
    },
  };
}
