// Brings a database to the newest schema: each migration not yet in schema_migrations runs in
// its own transaction together with its bookkeeping row.
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { pendingMigrations } from './rows.js';
import type { SqliteDatabase } from './sqlite-driver.js';

/** Apply pending migrations at time `now`; returns the versions applied. */
export function migrateSqlite(db: SqliteDatabase, now: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
  const done: number[] = [];
  for (const migration of pendingMigrations(applied, migrations)) {
    db.transaction(() => {
      db.exec(migration.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, now);
    }).immediate();
    done.push(migration.version);
  }
  return done;
}
