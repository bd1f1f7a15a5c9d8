// Version 4: web sessions the server can end. The session cookie is signed, but it counts only
// while its row is here: signing out, `gate server user sign-out NAME` and removing the
// identity end it at once, wherever the cookie was copied to. Only a hash of the session id is kept.
import type { Migration } from './index.js';

export const webSessions: Migration = {
  version: 4,
  name: 'web-sessions',
  sqlite: `
    CREATE TABLE web_sessions (
      sid_hash TEXT PRIMARY KEY,
      identity TEXT NOT NULL REFERENCES identities (name) ON DELETE CASCADE,
      method TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    );
    CREATE INDEX web_sessions_identity ON web_sessions (identity);
    CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
  `,
  postgres: `
    CREATE TABLE web_sessions (
      sid_hash TEXT PRIMARY KEY,
      identity TEXT NOT NULL REFERENCES identities (name) ON DELETE CASCADE,
      method TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    );
    CREATE INDEX web_sessions_identity ON web_sessions (identity);
    CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
  `,
};
