// The schema's versioned migrations, oldest first. Each one runs once, in a transaction, and is
// recorded in schema_migrations. Each has a SQLite and a Postgres dialect of one schema.
import { initial } from './001-initial.js';
import { web } from './002-web.js';
import { channels } from './003-channels.js';
import { webSessions } from './004-web-sessions.js';
import { reviewerTokens } from './005-reviewer-tokens.js';

export interface Migration {
  version: number;
  name: string;
  /** DDL for SQLite (one or more statements). */
  sqlite: string;
  /** The same schema change for Postgres: same tables and columns, so data copies across. */
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  initial,
  web,
  channels,
  webSessions,
  reviewerTokens,
];
