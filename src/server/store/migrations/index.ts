// The schema's versioned migrations, oldest first. Each one runs once, in a transaction, and is
// recorded in schema_migrations; a Postgres backend adds its own dialect next to `sqlite`.
import { initial } from './001-initial.js';

export interface Migration {
  version: number;
  name: string;
  /** DDL for SQLite (one or more statements). */
  sqlite: string;
}

export const MIGRATIONS: readonly Migration[] = [initial];
