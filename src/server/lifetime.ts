// Shutdown for long-lived responses: waiters and event streams register here and are ended
// (waiters answer with the request as it stands) when the server stops.

export interface Lifetime {
  readonly closing: boolean;
  /** Run `fn` when the server stops; returns a function that unregisters it. */
  onClose(fn: () => void): () => void;
  close(): void;
}

export function createLifetime(): Lifetime {
  const handlers = new Set<() => void>();
  let closing = false;
  return {
    get closing() {
      return closing;
    },
    onClose(fn) {
      if (closing) {
        queueMicrotask(fn);
        return () => {};
      }
      handlers.add(fn);
      return () => void handlers.delete(fn);
    },
    close() {
      closing = true;
      for (const fn of [...handlers]) fn();
      handlers.clear();
    },
  };
}
