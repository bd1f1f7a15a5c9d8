// Version 1: identities, requests, votes, the event log and audit heads. Times are ISO-8601
// UTC strings (they sort as text); JSON columns hold what only the application reads.
import type { Migration } from './index.js';

export const initial: Migration = {
  version: 1,
  name: 'initial',
  sqlite: `
    CREATE TABLE identities (
      name TEXT PRIMARY KEY,
      role TEXT NOT NULL CHECK (role IN ('requester', 'reviewer', 'admin')),
      groups_json TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    );
    CREATE TABLE requests (
      id TEXT PRIMARY KEY,
      requester TEXT NOT NULL,
      status TEXT NOT NULL,
      body_json TEXT NOT NULL,
      required_json TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      decided_at TEXT,
      redeemed_at TEXT,
      token_jti TEXT
    );
    CREATE INDEX requests_status_expires ON requests (status, expires_at);
    CREATE INDEX requests_requester_created ON requests (requester, created_at);
    CREATE INDEX requests_created ON requests (created_at);
    CREATE TABLE votes (
      request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
      reviewer TEXT NOT NULL,
      decision TEXT NOT NULL CHECK (decision IN ('approve', 'deny')),
      comment TEXT,
      via TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (request_id, reviewer)
    );
    CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      request_id TEXT NOT NULL,
      type TEXT NOT NULL,
      data_json TEXT NOT NULL,
      at TEXT NOT NULL
    );
    CREATE TABLE audit_heads (
      host TEXT NOT NULL,
      actor TEXT NOT NULL,
      seq INTEGER NOT NULL,
      hash TEXT NOT NULL,
      at TEXT NOT NULL,
      received_at TEXT NOT NULL,
      received_by TEXT NOT NULL,
      PRIMARY KEY (host, actor)
    );
  `,
  postgres: `
    CREATE TABLE identities (
      name TEXT PRIMARY KEY,
      role TEXT NOT NULL CHECK (role IN ('requester', 'reviewer', 'admin')),
      groups_json TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    );
    CREATE TABLE requests (
      id TEXT PRIMARY KEY,
      requester TEXT NOT NULL,
      status TEXT NOT NULL,
      body_json TEXT NOT NULL,
      required_json TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      decided_at TEXT,
      redeemed_at TEXT,
      token_jti TEXT
    );
    CREATE INDEX requests_status_expires ON requests (status, expires_at);
    CREATE INDEX requests_requester_created ON requests (requester, created_at);
    CREATE INDEX requests_created ON requests (created_at);
    CREATE TABLE votes (
      request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
      reviewer TEXT NOT NULL,
      decision TEXT NOT NULL CHECK (decision IN ('approve', 'deny')),
      comment TEXT,
      via TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (request_id, reviewer)
    );
    CREATE TABLE events (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      request_id TEXT NOT NULL,
      type TEXT NOT NULL,
      data_json TEXT NOT NULL,
      at TEXT NOT NULL
    );
    CREATE TABLE audit_heads (
      host TEXT NOT NULL,
      actor TEXT NOT NULL,
      seq BIGINT NOT NULL,
      hash TEXT NOT NULL,
      at TEXT NOT NULL,
      received_at TEXT NOT NULL,
      received_by TEXT NOT NULL,
      PRIMARY KEY (host, actor)
    );
  `,
};
