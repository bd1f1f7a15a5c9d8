// Brings a Postgres database to the newest schema. Replicas starting together take turns: the
// whole run holds a transaction-level advisory lock, so each migration is applied exactly once,
// atomically with its row in schema_migrations (Postgres DDL is transactional).
import type { Sql } from 'postgres';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { pendingMigrations } from './rows.js';

/** pg_advisory_xact_lock key for migrations: "gatemigr" as a number. */
const MIGRATION_LOCK = 0x676174656d696772n;

/** Apply pending migrations at time `now`; returns the versions applied. */
export async function migratePostgres(sql: Sql, now: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK.toString()}::bigint)`;
    await tx.unsafe('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((await tx<Array<{ version: number }>>`SELECT version FROM schema_migrations`).map((r) => Number(r.version)));
    const done: number[] = [];
    for (const migration of pendingMigrations(applied, migrations)) {
      await tx.unsafe(migration.postgres);
      await tx`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${migration.version}, ${migration.name}, ${now})`;
      done.push(migration.version);
    }
    return done;
  });
}
