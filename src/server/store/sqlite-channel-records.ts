// The channels' records in SQLite (migration 003): identity links, posted messages, the webhook
// delivery queue and channel cursors. Spread into the SQLite store.
import type { SqliteDatabase, SqliteStatement } from './sqlite-driver.js';
import { toIdentity, type IdentityRow } from './rows.js';
import type { ChannelRecords, IdentityLink, WebhookDelivery } from './store.js';

export function sqliteChannelRecords(db: SqliteDatabase, sql: (text: string) => SqliteStatement): ChannelRecords {
  return {
    async addIdentityLink(link) {
      return sql('INSERT INTO identity_links (kind, value, identity, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, value) DO NOTHING').run(link.kind, link.value, link.identity, link.created_at).changes === 1;
    },
    async removeIdentityLink(kind, value) {
      return sql('DELETE FROM identity_links WHERE kind = ? AND value = ?').run(kind, value).changes === 1;
    },
    async listIdentityLinks() {
      return sql('SELECT kind, value, identity, created_at FROM identity_links ORDER BY identity, kind, value').all() as IdentityLink[];
    },
    async findIdentityByLink(kind, value) {
      const row = sql('SELECT i.* FROM identity_links l JOIN identities i ON i.name = l.identity WHERE l.kind = ? AND l.value = ?').get(kind, value) as IdentityRow | undefined;
      return row ? toIdentity(row) : null;
    },

    async putChannelMessage(channel, requestId, ref, at) {
      sql(
        `INSERT INTO channel_messages (channel, request_id, ref_json, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel, request_id) DO UPDATE SET ref_json = excluded.ref_json, updated_at = excluded.updated_at`,
      ).run(channel, requestId, JSON.stringify(ref), at);
    },
    async getChannelMessage(channel, requestId) {
      const row = sql('SELECT ref_json FROM channel_messages WHERE channel = ? AND request_id = ?').get(channel, requestId) as { ref_json: string } | undefined;
      return row ? (JSON.parse(row.ref_json) as Record<string, string>) : null;
    },

    async enqueueDeliveries(deliveries) {
      const insert = sql(
        `INSERT INTO webhook_deliveries (target, seq, event_id, type, body, status, attempts, next_attempt_at, last_error, created_at)
         VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, NULL, ?) ON CONFLICT (target, seq) DO NOTHING RETURNING *`,
      );
      return db
        .transaction(() => deliveries.map((d) => insert.get(d.target, d.seq, d.event_id, d.type, d.body, d.next_attempt_at, d.created_at) as WebhookDelivery | undefined).filter((d) => d !== undefined))
        .immediate();
    },
    async pendingDeliveries(limit) {
      return sql("SELECT * FROM webhook_deliveries WHERE status = 'pending' ORDER BY next_attempt_at, id LIMIT ?").all(limit) as WebhookDelivery[];
    },
    async updateDelivery(id, change) {
      sql('UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?').run(change.status, change.attempts, change.next_attempt_at, change.last_error, id);
    },
    async deleteDelivery(id) {
      sql('DELETE FROM webhook_deliveries WHERE id = ?').run(id);
    },
    async pruneFailedDeliveries(before) {
      return sql("DELETE FROM webhook_deliveries WHERE status = 'failed' AND created_at < ?").run(before).changes;
    },

    async getChannelCursor(name) {
      const row = sql('SELECT event_id FROM channel_cursors WHERE name = ?').get(name) as { event_id: number } | undefined;
      return row ? row.event_id : null;
    },
    async setChannelCursor(name, eventId) {
      sql('INSERT INTO channel_cursors (name, event_id) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET event_id = MAX(event_id, excluded.event_id)').run(name, eventId);
    },
    async lastEventId() {
      const row = sql('SELECT COALESCE(MAX(id), 0) AS id FROM events').get() as { id: number };
      return row.id;
    },
  };
}
