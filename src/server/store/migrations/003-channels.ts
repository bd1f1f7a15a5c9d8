// Version 3: what the Slack, Teams and webhook channels keep. identity_links name the gate
// identity behind a channel account (kind 'slack': a Slack user id); channel_messages remember where a
// request's message was posted so it can be updated in place; webhook_deliveries hold every
// webhook event until it is delivered (or gives up), so a restart loses none; channel_cursors
// record the last event a channel queued, to catch up on events logged while it was down.
import type { Migration } from './index.js';

export const channels: Migration = {
  version: 3,
  name: 'channels',
  sqlite: `
    CREATE TABLE identity_links (
      kind TEXT NOT NULL,
      value TEXT NOT NULL,
      identity TEXT NOT NULL REFERENCES identities (name) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (kind, value)
    );
    CREATE INDEX identity_links_identity ON identity_links (identity);
    CREATE TABLE channel_messages (
      channel TEXT NOT NULL,
      request_id TEXT NOT NULL,
      ref_json TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (channel, request_id)
    );
    CREATE TABLE webhook_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      target TEXT NOT NULL,
      seq INTEGER NOT NULL,
      event_id TEXT NOT NULL,
      type TEXT NOT NULL,
      body TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'failed')),
      attempts INTEGER NOT NULL,
      next_attempt_at TEXT NOT NULL,
      last_error TEXT,
      created_at TEXT NOT NULL,
      UNIQUE (target, seq)
    );
    CREATE INDEX webhook_deliveries_status ON webhook_deliveries (status, next_attempt_at);
    CREATE TABLE channel_cursors (
      name TEXT PRIMARY KEY,
      event_id INTEGER NOT NULL
    );
  `,
  postgres: `
    CREATE TABLE identity_links (
      kind TEXT NOT NULL,
      value TEXT NOT NULL,
      identity TEXT NOT NULL REFERENCES identities (name) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (kind, value)
    );
    CREATE INDEX identity_links_identity ON identity_links (identity);
    CREATE TABLE channel_messages (
      channel TEXT NOT NULL,
      request_id TEXT NOT NULL,
      ref_json TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (channel, request_id)
    );
    CREATE TABLE webhook_deliveries (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      target TEXT NOT NULL,
      seq BIGINT NOT NULL,
      event_id TEXT NOT NULL,
      type TEXT NOT NULL,
      body TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'failed')),
      attempts INTEGER NOT NULL,
      next_attempt_at TEXT NOT NULL,
      last_error TEXT,
      created_at TEXT NOT NULL,
      UNIQUE (target, seq)
    );
    CREATE INDEX webhook_deliveries_status ON webhook_deliveries (status, next_attempt_at);
    CREATE TABLE channel_cursors (
      name TEXT PRIMARY KEY,
      event_id BIGINT NOT NULL
    );
  `,
};
