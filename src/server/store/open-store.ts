// Picks the store for a --db value: a SQLite file (the default, under the state directory),
// `sqlite::memory:`, or postgres://... (shared by replicas; postgres.js is loaded only then).
import { join, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { GatePaths } from '../../platform/paths.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';
import type { Cluster } from '../postgres-cluster.js';

export type DbTarget = { kind: 'sqlite'; filename: string } | { kind: 'postgres'; url: string };

/** The URL with its password masked, for logs and errors. */
export function redactDbUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

/** Where `db` points (a path, sqlite:PATH, sqlite::memory:, postgres://...); default $GATE_HOME/server.db. */
export function dbTarget(db: string | undefined, paths: GatePaths): DbTarget {
  if (db === undefined || db === '') return { kind: 'sqlite', filename: join(paths.state, 'server.db') };
  if (db === ':memory:' || db === 'sqlite::memory:') return { kind: 'sqlite', filename: ':memory:' };
  if (/^postgres(ql)?:\/\//.test(db)) return { kind: 'postgres', url: db };
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/.exec(db);
  if (sqlite) return { kind: 'sqlite', filename: resolve(sqlite[1]!) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(db)) {
    throw new ConfigError('db_unsupported', `unsupported database URL scheme in ${db.replace(/\/\/[^@/]*@/, '//***@')}`, undefined, { hint: 'use a file path, sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DATABASE' });
  }
  return { kind: 'sqlite', filename: resolve(db) };
}

/** The store, and what replicas sharing it need (null for SQLite: one process owns it). */
export interface Backend {
  store: Store;
  cluster: Cluster | null;
}

/** Open the store `db` points to, migrating it at time `now`. */
export async function openBackend(db: string | undefined, paths: GatePaths, now: Date): Promise<Backend> {
  const target = dbTarget(db, paths);
  if (target.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres-store.js');
    const { postgresCluster } = await import('../postgres-cluster.js');
    const store = await openPostgresStore(target.url, now);
    return { store, cluster: postgresCluster(store.sql) };
  }
  return { store: openSqliteStore(target.filename, now), cluster: null };
}

export async function openStore(db: string | undefined, paths: GatePaths, now: Date): Promise<Store> {
  return (await openBackend(db, paths, now)).store;
}
