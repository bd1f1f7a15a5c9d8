// The embedded store: better-sqlite3, WAL, one connection. better-sqlite3 is synchronous, so
// each method runs to completion before another starts; `updateRequest` also takes SQLite's
// write lock (BEGIN IMMEDIATE), so two servers sharing the file cannot both win either.
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RequestEvent, RequestStatus } from '../../approval/api-types.js';
import { migrateSqlite } from './migrate.js';
import { toIdentity, toRequest, type IdentityRow, type RequestRow, type VoteRow } from './rows.js';
import { sqliteChannelRecords } from './sqlite-channel-records.js';
import { sqliteWebSessions } from './sqlite-web-sessions.js';
import { openSqliteDatabase, type SqliteDatabase, type SqliteStatement } from './sqlite-driver.js';
import { REQUEST_STATUSES, type RequestChange, type Store, type StoredAuditHead, type StoredEvent, type StoredRequest } from './store.js';

/** Open (creating when missing) a SQLite store at `filename` and migrate it at time `now`. */
export function openSqliteStore(filename: string, now: Date): Store {
  const memory = filename === ':memory:';
  if (!memory) mkdirSync(dirname(filename), { recursive: true, mode: 0o700 });
  const db = openSqliteDatabase(filename);
  if (!memory) chmodSync(filename, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db, now.toISOString());
  return sqliteStore(db, memory ? 'sqlite::memory:' : filename);
}

function sqliteStore(db: SqliteDatabase, location: string): Store {
  // Statements are compiled once and reused.
  const statements = new Map<string, SqliteStatement>();
  const sql = (text: string): SqliteStatement => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare<unknown[]>(text)));
    return statement;
  };
  const votesOf = sql('SELECT reviewer, decision, comment, via, at, token FROM votes WHERE request_id = ? ORDER BY at, reviewer');
  const requestById = sql('SELECT * FROM requests WHERE id = ?');
  const toStored = (row: RequestRow): StoredRequest => toRequest(row, votesOf.all(row.id) as VoteRow[]);
  const readRequest = (id: string): StoredRequest | null => {
    const row = requestById.get(id) as RequestRow | undefined;
    return row ? toStored(row) : null;
  };

  const applyChange = (id: string, change: RequestChange): void => {
    if (change.vote) {
      const v = change.vote;
      sql('INSERT INTO votes (request_id, reviewer, decision, comment, via, at, token) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, v.reviewer, v.decision, v.comment, v.via, v.at, v.token ?? null);
    }
    sql(
      `UPDATE requests SET status = ?, expires_at = COALESCE(?, expires_at), decided_at = COALESCE(?, decided_at),
         redeemed_at = COALESCE(?, redeemed_at), token_jti = COALESCE(?, token_jti) WHERE id = ?`,
    ).run(change.status, change.expires_at ?? null, change.decided_at ?? null, change.redeemed_at ?? null, change.token_jti ?? null, id);
  };

  /** Log an event inside the caller's transaction. */
  const logEvent = (event: RequestEvent, at: string): StoredEvent => {
    const result = sql('INSERT INTO events (request_id, type, data_json, at) VALUES (?, ?, ?, ?)').run(event.request.id, event.type, JSON.stringify(event), at);
    return { id: Number(result.lastInsertRowid), event };
  };

  return {
    location,
    ...sqliteChannelRecords(db, sql),
    ...sqliteWebSessions(sql),

    async addIdentity(identity) {
      const result = sql('INSERT INTO identities (name, role, groups_json, token_hash, created_at, email) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING')
        .run(identity.name, identity.role, JSON.stringify(identity.groups), identity.token_hash, identity.created_at, identity.email ?? null);
      return result.changes === 1;
    },
    async removeIdentity(name) {
      return sql('DELETE FROM identities WHERE name = ?').run(name).changes === 1;
    },
    async listIdentities() {
      return (sql('SELECT * FROM identities ORDER BY name').all() as IdentityRow[]).map(toIdentity);
    },
    async findIdentityByTokenHash(tokenHash) {
      const row = sql('SELECT * FROM identities WHERE token_hash = ?').get(tokenHash) as IdentityRow | undefined;
      return row ? toIdentity(row) : null;
    },
    async findIdentityByName(name) {
      const row = sql('SELECT * FROM identities WHERE name = ?').get(name) as IdentityRow | undefined;
      return row ? toIdentity(row) : null;
    },
    async findIdentityByEmail(email) {
      const row = sql('SELECT * FROM identities WHERE email = ?').get(email) as IdentityRow | undefined;
      return row ? toIdentity(row) : null;
    },
    async saveOidcIdentity(identity) {
      return db
        .transaction(() => {
          sql(
            `INSERT INTO identities (name, role, groups_json, token_hash, created_at, email, origin) VALUES (?, ?, ?, ?, ?, ?, 'oidc')
             ON CONFLICT (name) DO UPDATE SET groups_json = excluded.groups_json, email = excluded.email WHERE identities.origin = 'oidc'`,
          ).run(identity.name, identity.role, JSON.stringify(identity.groups), identity.token_hash, identity.created_at, identity.email ?? null);
          const row = sql('SELECT * FROM identities WHERE name = ?').get(identity.name) as IdentityRow;
          return row.origin === 'oidc' ? toIdentity(row) : null;
        })
        .immediate();
    },

    async setIdentityEmail(name, email) {
      return sql('UPDATE identities SET email = ? WHERE name = ?').run(email, name).changes === 1;
    },

    async insertRequest(request, event) {
      return db
        .transaction(() => {
          const result = sql(
              `INSERT INTO requests (id, requester, status, body_json, required_json, created_at, expires_at, decided_at, redeemed_at, token_jti)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          ).run(request.body.id, request.requester, request.status, JSON.stringify(request.body), JSON.stringify(request.required), request.created_at, request.expires_at, request.decided_at, request.redeemed_at, request.token_jti);
          if (result.changes !== 1) return null;
          return logEvent(event, request.created_at);
        })
        .immediate();
    },
    async getRequest(id) {
      return readRequest(id);
    },
    async listRequests(query) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.status !== 'all') {
        where.push('status = ?');
        params.push(query.status);
      }
      if (query.requester !== undefined) {
        where.push('requester = ?');
        params.push(query.requester);
      }
      const text = `SELECT * FROM requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`;
      return (sql(text).all(...params, query.limit) as RequestRow[]).map(toStored);
    },
    async updateRequest(id, change, eventFor) {
      return db
        .transaction(() => {
          const before = readRequest(id);
          if (!before) return null;
          const next = change(before);
          if (!next) return { before, after: before, logged: null };
          applyChange(id, next);
          const after = readRequest(id)!;
          const event = eventFor(before, after);
          return { before, after, logged: event ? logEvent(event, next.at) : null };
        })
        .immediate();
    },
    async dueForExpiry(now, statuses) {
      if (statuses.length === 0) return [];
      const text = `SELECT id FROM requests WHERE status IN (${statuses.map(() => '?').join(', ')}) AND expires_at <= ? ORDER BY expires_at`;
      return (sql(text).all(...statuses, now) as Array<{ id: string }>).map((r) => r.id);
    },
    async countByStatus() {
      const counts = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as Record<RequestStatus, number>;
      for (const row of sql('SELECT status, COUNT(*) AS n FROM requests GROUP BY status').all() as Array<{ status: RequestStatus; n: number }>) counts[row.status] = row.n;
      return counts;
    },

    async eventsAfter(afterId, limit) {
      const rows = sql('SELECT id, data_json FROM events WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as Array<{ id: number; data_json: string }>;
      return rows.map((r): StoredEvent => ({ id: r.id, event: JSON.parse(r.data_json) as RequestEvent }));
    },
    async pruneEvents(keep) {
      sql('DELETE FROM events WHERE id <= (SELECT COALESCE(MAX(id), 0) FROM events) - ?').run(keep);
    },

    async getAuditHead(host, actor) {
      return (sql('SELECT * FROM audit_heads WHERE host = ? AND actor = ?').get(host, actor) as StoredAuditHead | undefined) ?? null;
    },
    async updateAuditHead(host, actor, change) {
      return db
        .transaction(() => {
          const current = (sql('SELECT * FROM audit_heads WHERE host = ? AND actor = ?').get(host, actor) as StoredAuditHead | undefined) ?? null;
          const next = change(current);
          if (!next) return current;
          sql(
            `INSERT INTO audit_heads (host, actor, seq, hash, at, received_at, received_by) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (host, actor) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at,
               received_at = excluded.received_at, received_by = excluded.received_by`,
          ).run(next.host, next.actor, next.seq, next.hash, next.at, next.received_at, next.received_by);
          return next;
        })
        .immediate();
    },

    async close() {
      if (db.open) db.close();
    },
  };
}
