// Picks the store for a --db value: a SQLite file (the default, under the state directory),
// `sqlite::memory:`, or later postgres://.
import { join, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { GatePaths } from '../../platform/paths.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export type DbTarget = { kind: 'sqlite'; filename: string } | { kind: 'postgres'; url: string };

/** Where `db` points (a path, sqlite:PATH, sqlite::memory:, postgres://...); default $GATE_HOME/server.db. */
export function dbTarget(db: string | undefined, paths: GatePaths): DbTarget {
  if (db === undefined || db === '') return { kind: 'sqlite', filename: join(paths.state, 'server.db') };
  if (db === ':memory:' || db === 'sqlite::memory:') return { kind: 'sqlite', filename: ':memory:' };
  if (/^postgres(ql)?:\/\//.test(db)) return { kind: 'postgres', url: db };
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/.exec(db);
  if (sqlite) return { kind: 'sqlite', filename: resolve(sqlite[1]!) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(db)) {
    throw new ConfigError('db_unsupported', `unsupported database URL scheme in ${db.replace(/\/\/[^@/]*@/, '//***@')}`, undefined, { hint: 'use a file path, sqlite:PATH or sqlite::memory:' });
  }
  return { kind: 'sqlite', filename: resolve(db) };
}

/** Open the store `db` points to, migrating it at time `now`. */
export function openStore(db: string | undefined, paths: GatePaths, now: Date): Store {
  const target = dbTarget(db, paths);
  if (target.kind === 'postgres') {
    throw new ConfigError('db_unsupported', 'the Postgres store is not implemented yet', undefined, { hint: 'use the embedded SQLite store (the default, or --db PATH) for now' });
  }
  return openSqliteStore(target.filename, now);
}
