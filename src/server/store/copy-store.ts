// Moving a server from SQLite to Postgres: every table copied as is (the schemas are the same,
// migration for migration), event and delivery ids included so that clients' Last-Event-ID and
// webhook sequence numbers carry on. The target must be empty; the copy is one transaction.
import type { Sql } from 'postgres';
import { ConfigError } from '../../errors.js';
import { migratePostgres } from './postgres-migrate.js';
import { migrateSqlite } from './migrate.js';
import type { SqliteDatabase } from './sqlite-driver.js';

/** Parents before children (foreign keys); ids of identity columns are kept. */
const TABLES: ReadonlyArray<{ name: string; identity?: string }> = [
  { name: 'identities' },
  { name: 'requests' },
  { name: 'votes' },
  { name: 'events', identity: 'id' },
  { name: 'audit_heads' },
  { name: 'identity_links' },
  { name: 'channel_messages' },
  { name: 'webhook_deliveries', identity: 'id' },
  { name: 'channel_cursors' },
  { name: 'web_sessions' },
];

export type CopyCounts = Record<string, number>;

export async function copySqliteToPostgres(source: SqliteDatabase, target: Sql, now: string): Promise<CopyCounts> {
  // Both at the newest schema, so the columns line up.
  migrateSqlite(source, now);
  await migratePostgres(target, now);
  return target.begin(async (tx) => {
    for (const { name } of TABLES) {
      const [row] = await tx.unsafe(`SELECT EXISTS (SELECT 1 FROM ${name}) AS used`);
      if (row?.used) throw new ConfigError('db_not_empty', `the target database already has data (table ${name})`, undefined, { hint: 'copy into a new, empty database' });
    }
    const counts: CopyCounts = {};
    for (const { name, identity } of TABLES) {
      const rows = source.prepare(`SELECT * FROM ${name}`).all() as Array<Record<string, unknown>>;
      counts[name] = rows.length;
      for (let i = 0; i < rows.length; i += 500) {
        const page = rows.slice(i, i + 500);
        const columns = Object.keys(page[0]!);
        const placeholders = page.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
        const values = page.flatMap((row) => columns.map((c) => row[c] as never));
        await tx.unsafe(`INSERT INTO ${name} (${columns.join(', ')}) ${identity ? 'OVERRIDING SYSTEM VALUE ' : ''}VALUES ${placeholders}`, values);
      }
      if (identity) await tx.unsafe(`SELECT setval(pg_get_serial_sequence('${name}', '${identity}'), GREATEST((SELECT COALESCE(MAX(${identity}), 0) FROM ${name}), 1), (SELECT COUNT(*) > 0 FROM ${name}))`);
    }
    return counts;
  });
}
