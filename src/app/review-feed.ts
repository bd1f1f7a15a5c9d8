// The reviewer's live view of the server: the pending requests, kept current over SSE. On every
// (re)connect it re-reads the pending list, so nothing decided or created while it was away is
// missed; the stream resumes with Last-Event-ID. When the server cannot be reached it says so
// and retries with a growing delay. Merges are monotonic: a decided request never goes back
// to pending, whichever of the list and the stream answers first.
import type { Identity, RequestEvent, RequestView } from '../approval/api-types.js';
import type { ApprovalClient } from '../approval/http-client.js';
import { EXIT, GateError } from '../errors.js';

export type Connection =
  | { state: 'connecting'; attempt: number }
  | { state: 'live' }
  | { state: 'down'; error: string; hint: string | null; retryAt: number; attempt: number };

export interface FeedState {
  me: Identity | null;
  /** Every request seen (pending, and those that left recently), by id. */
  requests: ReadonlyMap<string, RequestView>;
  /** When each request left the pending list (ms), so the list can show who decided, briefly. */
  leftAt: ReadonlyMap<string, number>;
  connection: Connection;
  /** The request `gate review ID` opened, when it cannot be read. */
  focusError: string | null;
}

export interface ReviewFeed {
  getSnapshot(): FeedState;
  subscribe(listener: () => void): () => void;
  /** Reconnect and re-read now (also cuts a retry delay short). */
  refresh(): void;
  /** A request as a decision call returned it (the stream confirms it shortly after). */
  apply(request: RequestView): void;
  stop(): void;
}

export interface FeedDeps {
  client: ApprovalClient;
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** `gate review ID`: keep this request known even when it is not pending. */
  focusId?: string;
  /** First retry delay and the cap of the doubling (defaults 1 s and 30 s). */
  retryMs?: { first: number; max: number };
  /** How long a request that left stays known (default 10 minutes). */
  keepLeftMs?: number;
}

const FINAL_ORDER: Record<RequestView['status'], number> = { pending: 0, approved: 1, denied: 1, expired: 1, cancelled: 1, redeemed: 2 };

/** Whether `incoming` is at least as new as `current` (a request's life only moves forward). */
export function supersedes(current: RequestView | undefined, incoming: RequestView): boolean {
  if (!current) return true;
  const a = FINAL_ORDER[current.status];
  const b = FINAL_ORDER[incoming.status];
  if (a !== b) return b > a;
  return incoming.votes.length >= current.votes.length;
}

/** A message and the next step for a connection failure. */
export function describeFailure(error: unknown): { error: string; hint: string | null } {
  if (error instanceof GateError) return { error: error.message, hint: error.hint ?? null };
  return { error: error instanceof Error ? error.message : String(error), hint: null };
}

export function startReviewFeed(deps: FeedDeps): ReviewFeed {
  const retry = deps.retryMs ?? { first: 1000, max: 30_000 };
  const keepLeftMs = deps.keepLeftMs ?? 10 * 60_000;
  const listeners = new Set<() => void>();
  const requests = new Map<string, RequestView>();
  const leftAt = new Map<string, number>();
  let state: FeedState = { me: null, requests: new Map(), leftAt: new Map(), connection: { state: 'connecting', attempt: 1 }, focusError: null };
  let lastEventId: string | undefined;
  let stopped = false;
  const stopping = new AbortController();
  /** Aborts the current connection attempt, stream or retry wait. */
  let current = new AbortController();

  const publish = (patch: Partial<FeedState> = {}): void => {
    const now = deps.now();
    for (const [id, at] of leftAt) {
      if (now - at > keepLeftMs && id !== deps.focusId) {
        leftAt.delete(id);
        requests.delete(id);
      }
    }
    state = { ...state, ...patch, requests: new Map(requests), leftAt: new Map(leftAt) };
    for (const listener of listeners) listener();
  };

  /** Merge one request; returns whether it changed anything. */
  const merge = (incoming: RequestView, learnNew: boolean): boolean => {
    const existing = requests.get(incoming.id);
    if (!existing && !learnNew && incoming.status !== 'pending' && incoming.id !== deps.focusId) return false;
    if (!supersedes(existing, incoming)) return false;
    requests.set(incoming.id, incoming);
    if (incoming.status !== 'pending' && !leftAt.has(incoming.id)) leftAt.set(incoming.id, deps.now());
    return true;
  };

  /** The pending list as the server has it now; requests that left meanwhile are read one by one. */
  const resync = async (signal: AbortSignal): Promise<void> => {
    const me = state.me ?? (await deps.client.me());
    const pending = await deps.client.listRequests('pending');
    if (signal.aborted) return;
    const listed = new Set(pending.map((r) => r.id));
    for (const r of pending) merge(r, true);
    const gone = [...requests.values()].filter((r) => r.status === 'pending' && !listed.has(r.id)).map((r) => r.id);
    if (deps.focusId && !listed.has(deps.focusId)) gone.push(deps.focusId);
    let focusError: string | null = null;
    for (const id of new Set(gone)) {
      try {
        merge(await deps.client.getRequest(id), true);
      } catch (error) {
        if (id === deps.focusId) focusError = `request ${id} cannot be shown: ${describeFailure(error).error}`;
        else if (requests.get(id)?.status === 'pending') {
          // No longer visible to this reviewer (or deleted): it simply leaves the list.
          requests.delete(id);
          leftAt.delete(id);
        }
      }
    }
    if (!signal.aborted) publish({ me, connection: { state: 'live' }, focusError });
  };

  const onEvent = (type: string, data: string, id: string | undefined): void => {
    if (id !== undefined) lastEventId = id;
    if (!type.startsWith('request.')) return;
    let event: RequestEvent;
    try {
      event = JSON.parse(data) as RequestEvent;
    } catch {
      return; // a malformed event is skipped; the next resync corrects the list
    }
    if (event?.request && typeof event.request.id === 'string' && merge(event.request, type === 'request.created')) publish();
  };

  const connectOnce = async (signal: AbortSignal): Promise<void> => {
    let syncing: Promise<void> | null = null;
    let syncError: unknown = null;
    // Read the list only once the stream is accepted: whatever changes after that arrives as an event.
    const stream = deps.client.events(undefined, lastEventId, signal, () => {
      syncing = resync(signal).catch((error) => {
        syncError = error;
        current.abort();
      });
    });
    for await (const event of stream) onEvent(event.type, event.data, event.id);
    await syncing;
    if (syncError) throw syncError;
    if (!signal.aborted) throw new GateError('stream_closed', EXIT.unavailable, 'the server closed the event stream', { hint: 'it may be restarting' });
  };

  const run = async (): Promise<void> => {
    let attempt = 1;
    while (!stopped) {
      current = new AbortController();
      try {
        await connectOnce(current.signal);
        attempt = 1; // a refresh() ended a good connection: reconnect at once
      } catch (error) {
        if (stopped) return;
        const delay = Math.min(retry.max, retry.first * 2 ** (attempt - 1));
        publish({ connection: { state: 'down', ...describeFailure(error), retryAt: deps.now() + delay, attempt } });
        current = new AbortController();
        await deps.sleep(delay, AbortSignal.any([current.signal, stopping.signal]));
        attempt += 1;
      }
      if (!stopped) publish({ connection: { state: 'connecting', attempt } });
    }
  };
  void run();

  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh() {
      current.abort();
    },
    apply(request) {
      if (merge(request, true)) publish();
    },
    stop() {
      stopped = true;
      stopping.abort();
      current.abort();
      listeners.clear();
    },
  };
}

/** A sleep that ends early on abort (never rejects). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
