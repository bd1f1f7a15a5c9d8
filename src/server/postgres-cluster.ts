// What several replicas on one Postgres database share beyond the store:
//
// - An event bus fed by LISTEN gate_events. A notification only says "something was logged";
//   the bus reads the event log after the last id it delivered and delivers in id order, so a
//   replica's waiters and streams see changes made on any replica, each once, in order. On
//   every (re)connect of the listening connection it reads again, because notifications sent
//   while it was disconnected are lost; the log is the truth.
// - Leadership for the channels: the replica holding a session-level advisory lock posts to
//   Slack and Teams and delivers webhooks, so each message goes out once. When its connection
//   (or process) dies, Postgres releases the lock and another replica takes over within
//   LEADER_POLL_MS, resuming webhook deliveries from the database.
import type { Sql } from 'postgres';
import { localEventBus, type EventBus, type PublishedEvent } from './event-bus.js';
import type { Logger } from './log.js';
import { EVENTS_CHANNEL } from './store/postgres-store.js';
import type { Store } from './store/store.js';

/** How often a follower tries for leadership, and a leader checks it still holds it. */
export const LEADER_POLL_MS = 2000;
/** Events read per page when catching up. */
const PAGE = 500;

export interface ClusterBus extends EventBus {
  close(): Promise<void>;
}

/** Leadership of one role among the replicas; `onChange` is told every gain and loss. */
export interface Leadership {
  onChange(listener: (leader: boolean) => void): void;
  close(): Promise<void>;
}

/** What a store shared by replicas adds to a server (absent with SQLite: one process). */
export interface Cluster {
  eventBus(store: Pick<Store, 'eventsAfter' | 'lastEventId'>, onListenerError: (error: unknown) => void): Promise<ClusterBus>;
  leadership(name: string, log: Logger): Leadership;
}

export function postgresCluster(sql: Sql): Cluster {
  return {
    eventBus: (store, onListenerError) => postgresEventBus(sql, store, onListenerError),
    leadership: (name, log) => advisoryLeadership(sql, name, log),
  };
}

export async function postgresEventBus(sql: Sql, store: Pick<Store, 'eventsAfter' | 'lastEventId'>, onListenerError: (error: unknown) => void): Promise<ClusterBus> {
  const local = localEventBus(store, onListenerError);
  // Events logged before this replica started are for replay (Last-Event-ID), not live delivery.
  let seen = await store.lastEventId();
  let pumping: Promise<void> | null = null;
  let again = false;

  const send = (published: PublishedEvent) => {
    seen = published.id;
    local.deliver(published);
  };
  /** Deliver everything logged after `seen`, in order; one pump at a time, re-run when asked meanwhile. */
  const pump = (): Promise<void> => {
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        again = false;
        for (;;) {
          const page = await store.eventsAfter(seen, PAGE);
          for (const published of page) if (published.id > seen) send(published);
          if (page.length < PAGE) break;
        }
      } while (again);
    })()
      .catch(onListenerError)
      .finally(() => {
        pumping = null;
      });
    return pumping;
  };

  const listening = await sql.listen(EVENTS_CHANNEL, () => void pump(), () => void pump());
  return {
    deliver(published) {
      // This replica's own change: deliver at once when it is the next one (ids are committed
      // in order), else read the log so that nothing from another replica is skipped.
      if (published.id <= seen) return;
      if (published.id === seen + 1 && !pumping) send(published);
      else void pump();
    },
    subscribe: local.subscribe,
    replay: local.replay,
    async close() {
      await listening.unlisten().catch(() => {});
      await pumping;
    },
  };
}

/** Leadership through pg_try_advisory_lock on a reserved connection (held for the term). */
export function advisoryLeadership(sql: Sql, name: string, log: Logger): Leadership {
  const listeners: Array<(leader: boolean) => void> = [];
  let leader = false;
  let closed = false;
  let reserved: Awaited<ReturnType<Sql['reserve']>> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const set = (value: boolean) => {
    if (leader === value) return;
    leader = value;
    log('info', value ? 'leader' : 'no longer leader', { role: name });
    for (const listener of listeners) listener(value);
  };
  const drop = () => {
    const connection = reserved;
    reserved = null;
    connection?.release();
  };

  const tick = async () => {
    try {
      if (leader && reserved) {
        // Still the same session, so still the lock's holder.
        await reserved`SELECT 1`;
        return;
      }
      reserved ??= await sql.reserve();
      const [row] = await reserved<Array<{ got: boolean }>>`SELECT pg_try_advisory_lock(hashtextextended(${`gate:${name}`}, 0)) AS got`;
      if (row?.got) set(true);
      else drop();
    } catch (error) {
      // The connection is gone, and with it the lock (Postgres releases it with the session).
      drop();
      if (leader) log('warn', 'lost the database connection holding leadership', { role: name, error: (error as Error).message });
      set(false);
    }
  };
  const loop = () => {
    if (closed) return;
    running = tick().finally(() => {
      if (!closed) timer = setTimeout(loop, LEADER_POLL_MS);
    });
  };
  // First attempt right away, after the caller has had a chance to subscribe.
  queueMicrotask(loop);

  return {
    onChange(listener) {
      listeners.push(listener);
      if (leader) listener(true);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
      if (reserved) {
        await reserved`SELECT pg_advisory_unlock_all()`.catch(() => {});
        drop();
      }
      set(false);
    },
  };
}
