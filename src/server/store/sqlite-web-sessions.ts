// Web sessions in SQLite (migration 004). Spread into the SQLite store.
import type { SqliteStatement } from './sqlite-driver.js';
import type { WebSessionRecord, WebSessionRecords } from './store.js';

export function sqliteWebSessions(sql: (text: string) => SqliteStatement): WebSessionRecords {
  return {
    async addWebSession(session, now) {
      sql('DELETE FROM web_sessions WHERE expires_at <= ?').run(now);
      sql('INSERT INTO web_sessions (sid_hash, identity, method, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(session.sid_hash, session.identity, session.method, session.created_at, session.expires_at);
    },
    async findWebSession(sidHash) {
      return (sql('SELECT sid_hash, identity, method, created_at, expires_at FROM web_sessions WHERE sid_hash = ?').get(sidHash) as WebSessionRecord | undefined) ?? null;
    },
    async removeWebSession(sidHash) {
      return sql('DELETE FROM web_sessions WHERE sid_hash = ?').run(sidHash).changes === 1;
    },
    async removeWebSessions(identity) {
      return sql('DELETE FROM web_sessions WHERE identity = ?').run(identity).changes;
    },
    async countWebSessions(now) {
      const rows = sql('SELECT identity, COUNT(*) AS n FROM web_sessions WHERE expires_at > ? GROUP BY identity').all(now) as Array<{ identity: string; n: number }>;
      return Object.fromEntries(rows.map((r) => [r.identity, Number(r.n)]));
    },
  };
}
