// The shared store for several `gate server` replicas: Postgres through postgres.js, with the
// same schema (same tables and columns) and behaviour as the SQLite store.
//
// Concurrency: `updateRequest` reads the request with SELECT ... FOR UPDATE, so racing votes,
// redeems and expiry sweeps on any replicas are serialized per request and only one can win.
// Events: an event row is inserted under a transaction-level advisory lock, so event ids are
// handed out and committed in the same order (a reader that saw id N never later finds a
// smaller one committed), and each insert sends NOTIFY gate_events with its id, delivered at
// commit to every replica's listener (postgres-event-bus.ts).
import postgres, { type Sql, type TransactionSql } from 'postgres';
import type { RequestEvent, RequestStatus } from '../../approval/api-types.js';
import { ConfigError } from '../../errors.js';
import { redactDbUrl } from './open-store.js';
import { migratePostgres } from './postgres-migrate.js';
import { toIdentity, toRequest, type IdentityRow, type RequestRow, type VoteRow } from './rows.js';
import { REQUEST_STATUSES, type IdentityLink, type RequestChange, type Store, type StoredAuditHead, type StoredEvent, type StoredRequest, type WebhookDelivery, type WebSessionRecord } from './store.js';

/** The channel every replica LISTENs on; the payload is the event id. */
export const EVENTS_CHANNEL = 'gate_events';
/** pg_advisory_xact_lock key that orders event ids with commits: "gateevnt". */
const EVENTS_LOCK = (0x6761746565766e74n).toString();

type Db = Sql | TransactionSql;

const toDelivery = (row: Record<string, unknown>): WebhookDelivery => ({ ...(row as unknown as WebhookDelivery), id: Number(row.id), seq: Number(row.seq), attempts: Number(row.attempts) });

/** Connect to `url`, check it answers, and migrate it at time `now`. */
export async function openPostgresStore(url: string, now: Date, options: { max?: number } = {}): Promise<Store & { sql: Sql }> {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    transform: { undefined: null },
    connect_timeout: 10,
    // A server restart or failover: reconnect instead of failing queries for good.
    idle_timeout: 60,
  });
  try {
    await migratePostgres(sql, now.toISOString());
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    if (error instanceof ConfigError) throw error;
    const e = error as NodeJS.ErrnoException & { code?: string };
    throw new ConfigError('db_unreachable', `cannot use the Postgres database ${redactDbUrl(url)}: ${e.message}`, undefined, {
      hint: 'check that Postgres runs and the URL (host, port, user, password, database) is right; the user needs CREATE on the database for the first start',
    });
  }
  return postgresStore(sql, redactDbUrl(url));
}

/** Errors of a connection that died (a server restart, a failover, a network cut). */
const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);
/** How long a store call keeps retrying while the database comes back. */
const RETRY_FOR_MS = 10_000;

/**
 * Retry a store call when its connection was lost. After a restart every pooled connection
 * fails once; the call is retried on a fresh one. This is safe for every store method: each
 * is one transaction, a lost connection rolls back what was not committed, and a change
 * function re-reads the state (a vote that did commit is then refused as already voted, never
 * counted twice).
 */
async function retrying<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !CONNECTION_LOST.has(code) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
    }
  }
}

/** Every method of `store` wrapped in `retrying`. */
function withRetries<S extends object>(store: S): S {
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(store)) {
    wrapped[key] = typeof value === 'function' && key !== 'close' && key !== 'sql' ? (...args: unknown[]) => retrying(() => (value as (...a: unknown[]) => Promise<unknown>)(...args)) : value;
  }
  return wrapped as S;
}

export function postgresStore(sql: Sql, location: string): Store & { sql: Sql } {
  return withRetries(rawPostgresStore(sql, location));
}

function rawPostgresStore(sql: Sql, location: string): Store & { sql: Sql } {
  const votesOf = (db: Db, id: string) => db<VoteRow[]>`SELECT reviewer, decision, comment, via, at, token FROM votes WHERE request_id = ${id} ORDER BY at, reviewer`;
  const readRequest = async (db: Db, id: string, lock = false): Promise<StoredRequest | null> => {
    const rows = lock ? await db<RequestRow[]>`SELECT * FROM requests WHERE id = ${id} FOR UPDATE` : await db<RequestRow[]>`SELECT * FROM requests WHERE id = ${id}`;
    return rows[0] ? toRequest(rows[0], await votesOf(db, rows[0].id)) : null;
  };
  const applyChange = async (db: Db, id: string, change: RequestChange): Promise<void> => {
    if (change.vote) {
      const v = change.vote;
      await db`INSERT INTO votes (request_id, reviewer, decision, comment, via, at, token) VALUES (${id}, ${v.reviewer}, ${v.decision}, ${v.comment}, ${v.via}, ${v.at}, ${v.token ?? null})`;
    }
    await db`UPDATE requests SET status = ${change.status}, expires_at = COALESCE(${change.expires_at ?? null}, expires_at),
      decided_at = COALESCE(${change.decided_at ?? null}, decided_at), redeemed_at = COALESCE(${change.redeemed_at ?? null}, redeemed_at),
      token_jti = COALESCE(${change.token_jti ?? null}, token_jti) WHERE id = ${id}`;
  };
  /** Log an event inside the caller's transaction, in commit order, and announce it at commit. */
  const logEvent = async (tx: TransactionSql, event: RequestEvent, at: string): Promise<StoredEvent> => {
    await tx`SELECT pg_advisory_xact_lock(${EVENTS_LOCK}::bigint)`;
    const [row] = await tx<Array<{ id: string }>>`INSERT INTO events (request_id, type, data_json, at) VALUES (${event.request.id}, ${event.type}, ${JSON.stringify(event)}, ${at}) RETURNING id`;
    const id = Number(row!.id);
    await tx`SELECT pg_notify(${EVENTS_CHANNEL}, ${String(id)})`;
    return { id, event };
  };
  const one = async <T>(rows: Promise<T[]>): Promise<T | null> => (await rows)[0] ?? null;

  return {
    location,
    sql,

    async addIdentity(identity) {
      const rows = await sql`INSERT INTO identities (name, role, groups_json, token_hash, created_at, email) VALUES (${identity.name}, ${identity.role}, ${JSON.stringify(identity.groups)}, ${identity.token_hash}, ${identity.created_at}, ${identity.email ?? null}) ON CONFLICT (name) DO NOTHING RETURNING name`;
      return rows.length === 1;
    },
    async removeIdentity(name) {
      return (await sql`DELETE FROM identities WHERE name = ${name} RETURNING name`).length === 1;
    },
    async listIdentities() {
      return (await sql<IdentityRow[]>`SELECT * FROM identities ORDER BY name`).map(toIdentity);
    },
    async findIdentityByTokenHash(tokenHash) {
      const row = await one(sql<IdentityRow[]>`SELECT * FROM identities WHERE token_hash = ${tokenHash}`);
      return row ? toIdentity(row) : null;
    },
    async findIdentityByName(name) {
      const row = await one(sql<IdentityRow[]>`SELECT * FROM identities WHERE name = ${name}`);
      return row ? toIdentity(row) : null;
    },
    async findIdentityByEmail(email) {
      const row = await one(sql<IdentityRow[]>`SELECT * FROM identities WHERE email = ${email}`);
      return row ? toIdentity(row) : null;
    },
    async saveOidcIdentity(identity) {
      return sql.begin(async (tx) => {
        await tx`INSERT INTO identities (name, role, groups_json, token_hash, created_at, email, origin)
          VALUES (${identity.name}, ${identity.role}, ${JSON.stringify(identity.groups)}, ${identity.token_hash}, ${identity.created_at}, ${identity.email ?? null}, 'oidc')
          ON CONFLICT (name) DO UPDATE SET groups_json = excluded.groups_json, email = excluded.email WHERE identities.origin = 'oidc'`;
        const [row] = await tx<IdentityRow[]>`SELECT * FROM identities WHERE name = ${identity.name}`;
        return row!.origin === 'oidc' ? toIdentity(row!) : null;
      });
    },
    async setIdentityEmail(name, email) {
      return (await sql`UPDATE identities SET email = ${email} WHERE name = ${name} RETURNING name`).length === 1;
    },

    async insertRequest(request, event) {
      return sql.begin(async (tx) => {
        const inserted = await tx`INSERT INTO requests (id, requester, status, body_json, required_json, created_at, expires_at, decided_at, redeemed_at, token_jti)
          VALUES (${request.body.id}, ${request.requester}, ${request.status}, ${JSON.stringify(request.body)}, ${JSON.stringify(request.required)}, ${request.created_at}, ${request.expires_at}, ${request.decided_at}, ${request.redeemed_at}, ${request.token_jti})
          ON CONFLICT (id) DO NOTHING RETURNING id`;
        if (inserted.length !== 1) return null;
        return logEvent(tx, event, request.created_at);
      });
    },
    async getRequest(id) {
      return readRequest(sql, id);
    },
    async listRequests(query) {
      const status = query.status === 'all' ? sql`` : sql`AND status = ${query.status}`;
      const requester = query.requester === undefined ? sql`` : sql`AND requester = ${query.requester}`;
      const rows = await sql<RequestRow[]>`SELECT * FROM requests WHERE TRUE ${status} ${requester} ORDER BY created_at DESC, id LIMIT ${query.limit}`;
      if (rows.length === 0) return [];
      // One query for every listed request's votes.
      const votes = await sql<Array<VoteRow & { request_id: string }>>`SELECT request_id, reviewer, decision, comment, via, at, token FROM votes WHERE request_id IN ${sql(rows.map((r) => r.id))} ORDER BY at, reviewer`;
      const byRequest = new Map<string, VoteRow[]>();
      for (const { request_id, ...vote } of votes) byRequest.set(request_id, [...(byRequest.get(request_id) ?? []), vote]);
      return rows.map((row) => toRequest(row, byRequest.get(row.id) ?? []));
    },
    async updateRequest(id, change, eventFor) {
      return sql.begin(async (tx) => {
        const before = await readRequest(tx, id, true);
        if (!before) return null;
        const next = change(before);
        if (!next) return { before, after: before, logged: null };
        await applyChange(tx, id, next);
        const after = (await readRequest(tx, id))!;
        const event = eventFor(before, after);
        return { before, after, logged: event ? await logEvent(tx, event, next.at) : null };
      });
    },
    async dueForExpiry(now, statuses) {
      if (statuses.length === 0) return [];
      const rows = await sql<Array<{ id: string }>>`SELECT id FROM requests WHERE status IN ${sql(statuses as RequestStatus[])} AND expires_at <= ${now} ORDER BY expires_at`;
      return rows.map((r) => r.id);
    },
    async countByStatus() {
      const counts = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as Record<RequestStatus, number>;
      for (const row of await sql<Array<{ status: RequestStatus; n: string }>>`SELECT status, COUNT(*) AS n FROM requests GROUP BY status`) counts[row.status] = Number(row.n);
      return counts;
    },

    async eventsAfter(afterId, limit) {
      const rows = await sql<Array<{ id: string; data_json: string }>>`SELECT id, data_json FROM events WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`;
      return rows.map((r): StoredEvent => ({ id: Number(r.id), event: JSON.parse(r.data_json) as RequestEvent }));
    },
    async pruneEvents(keep) {
      await sql`DELETE FROM events WHERE id <= (SELECT COALESCE(MAX(id), 0) FROM events) - ${keep}`;
    },

    async getAuditHead(host, actor) {
      const row = await one(sql<StoredAuditHead[]>`SELECT * FROM audit_heads WHERE host = ${host} AND actor = ${actor}`);
      return row ? { ...row, seq: Number(row.seq) } : null;
    },
    async updateAuditHead(host, actor, change) {
      return sql.begin(async (tx) => {
        // Lock the pair even when it has no row yet, so two first heads cannot race.
        await tx`SELECT pg_advisory_xact_lock(hashtextextended(${JSON.stringify([host, actor])}, 0))`;
        const row = (await tx<StoredAuditHead[]>`SELECT * FROM audit_heads WHERE host = ${host} AND actor = ${actor} FOR UPDATE`)[0];
        const current = row ? { ...row, seq: Number(row.seq) } : null;
        const next = change(current);
        if (!next) return current;
        await tx`INSERT INTO audit_heads (host, actor, seq, hash, at, received_at, received_by) VALUES (${next.host}, ${next.actor}, ${next.seq}, ${next.hash}, ${next.at}, ${next.received_at}, ${next.received_by})
          ON CONFLICT (host, actor) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, received_at = excluded.received_at, received_by = excluded.received_by`;
        return next;
      });
    },

    // Channel records.
    async addIdentityLink(link) {
      return (await sql`INSERT INTO identity_links (kind, value, identity, created_at) VALUES (${link.kind}, ${link.value}, ${link.identity}, ${link.created_at}) ON CONFLICT (kind, value) DO NOTHING RETURNING value`).length === 1;
    },
    async removeIdentityLink(kind, value) {
      return (await sql`DELETE FROM identity_links WHERE kind = ${kind} AND value = ${value} RETURNING value`).length === 1;
    },
    async listIdentityLinks() {
      return [...(await sql<IdentityLink[]>`SELECT kind, value, identity, created_at FROM identity_links ORDER BY identity, kind, value`)];
    },
    async findIdentityByLink(kind, value) {
      const row = await one(sql<IdentityRow[]>`SELECT i.* FROM identity_links l JOIN identities i ON i.name = l.identity WHERE l.kind = ${kind} AND l.value = ${value}`);
      return row ? toIdentity(row) : null;
    },
    async putChannelMessage(channel, requestId, ref, at) {
      await sql`INSERT INTO channel_messages (channel, request_id, ref_json, updated_at) VALUES (${channel}, ${requestId}, ${JSON.stringify(ref)}, ${at})
        ON CONFLICT (channel, request_id) DO UPDATE SET ref_json = excluded.ref_json, updated_at = excluded.updated_at`;
    },
    async getChannelMessage(channel, requestId) {
      const row = await one(sql<Array<{ ref_json: string }>>`SELECT ref_json FROM channel_messages WHERE channel = ${channel} AND request_id = ${requestId}`);
      return row ? (JSON.parse(row.ref_json) as Record<string, string>) : null;
    },
    async enqueueDeliveries(deliveries) {
      if (deliveries.length === 0) return [];
      return sql.begin(async (tx) => {
        const queued: WebhookDelivery[] = [];
        for (const d of deliveries) {
          const [row] = await tx`INSERT INTO webhook_deliveries (target, seq, event_id, type, body, status, attempts, next_attempt_at, last_error, created_at)
            VALUES (${d.target}, ${d.seq}, ${d.event_id}, ${d.type}, ${d.body}, 'pending', 0, ${d.next_attempt_at}, NULL, ${d.created_at}) ON CONFLICT (target, seq) DO NOTHING RETURNING *`;
          if (row) queued.push(toDelivery(row));
        }
        return queued;
      });
    },
    async pendingDeliveries(limit) {
      return (await sql`SELECT * FROM webhook_deliveries WHERE status = 'pending' ORDER BY next_attempt_at, id LIMIT ${limit}`).map(toDelivery);
    },
    async updateDelivery(id, change) {
      await sql`UPDATE webhook_deliveries SET status = ${change.status}, attempts = ${change.attempts}, next_attempt_at = ${change.next_attempt_at}, last_error = ${change.last_error} WHERE id = ${id}`;
    },
    async deleteDelivery(id) {
      await sql`DELETE FROM webhook_deliveries WHERE id = ${id}`;
    },
    async pruneFailedDeliveries(before) {
      return (await sql`DELETE FROM webhook_deliveries WHERE status = 'failed' AND created_at < ${before} RETURNING id`).length;
    },
    async getChannelCursor(name) {
      const row = await one(sql<Array<{ event_id: string }>>`SELECT event_id FROM channel_cursors WHERE name = ${name}`);
      return row ? Number(row.event_id) : null;
    },
    async setChannelCursor(name, eventId) {
      await sql`INSERT INTO channel_cursors (name, event_id) VALUES (${name}, ${eventId}) ON CONFLICT (name) DO UPDATE SET event_id = GREATEST(channel_cursors.event_id, excluded.event_id)`;
    },
    async lastEventId() {
      const [row] = await sql<Array<{ id: string }>>`SELECT COALESCE(MAX(id), 0) AS id FROM events`;
      return Number(row!.id);
    },

    // Web sessions.
    async addWebSession(session, now) {
      await sql`DELETE FROM web_sessions WHERE expires_at <= ${now}`;
      await sql`INSERT INTO web_sessions (sid_hash, identity, method, created_at, expires_at) VALUES (${session.sid_hash}, ${session.identity}, ${session.method}, ${session.created_at}, ${session.expires_at})`;
    },
    async findWebSession(sidHash) {
      return one(sql<WebSessionRecord[]>`SELECT sid_hash, identity, method, created_at, expires_at FROM web_sessions WHERE sid_hash = ${sidHash}`);
    },
    async removeWebSession(sidHash) {
      return (await sql`DELETE FROM web_sessions WHERE sid_hash = ${sidHash} RETURNING sid_hash`).length === 1;
    },
    async removeWebSessions(identity) {
      return (await sql`DELETE FROM web_sessions WHERE identity = ${identity} RETURNING sid_hash`).length;
    },
    async countWebSessions(now) {
      const rows = await sql<Array<{ identity: string; n: string }>>`SELECT identity, COUNT(*) AS n FROM web_sessions WHERE expires_at > ${now} GROUP BY identity`;
      return Object.fromEntries(rows.map((r) => [r.identity, Number(r.n)]));
    },

    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
