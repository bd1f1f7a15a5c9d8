// The port every channel implements: take each published event without blocking the caller.
import type { PublishedEvent } from '../event-bus.js';

export interface Channel {
  readonly name: string;
  /** Called synchronously by the event bus: queue the work, never throw, never wait. */
  handle(published: PublishedEvent): void;
}

/** Runs tasks one after another per key (a request id), so a message is posted before it is updated. */
export function perKeyQueue(track: (task: Promise<unknown>) => void) {
  const tails = new Map<string, Promise<void>>();
  return (key: string, task: () => Promise<void>): void => {
    const next = (tails.get(key) ?? Promise.resolve()).then(task);
    tails.set(key, next);
    track(next);
    void next.finally(() => {
      if (tails.get(key) === next) tails.delete(key);
    });
  };
}
