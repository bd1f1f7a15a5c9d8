// The schema's versioned migrations, oldest first. Each one runs once, in a transaction, and is
// recorded in schema_migrations; a Postgres backend adds its own dialect next to `sqlite`.
import { initial } from './001-initial.js';
import { web } from './002-web.js';
import { channels } from './003-channels.js';
import { webSessions } from './004-web-sessions.js';

export interface Migration {
  version: number;
  name: string;
  /** DDL for SQLite (one or more statements). */
  sqlite: string;
}

export const MIGRATIONS: readonly Migration[] = [
  initial,
  web,
  channels,
  webSessions,
];
