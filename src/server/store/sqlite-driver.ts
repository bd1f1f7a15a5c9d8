// Loads better-sqlite3, an optional native dependency, only when a SQLite store is opened.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError } from '../../errors.js';

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement<unknown[]>;
type SqliteConstructor = new (filename: string, options?: BetterSqlite3.Options) => SqliteDatabase;

/** Open `filename` (or ':memory:') with better-sqlite3, or explain how to get it. */
export function openSqliteDatabase(filename: string): SqliteDatabase {
  let Database: SqliteConstructor;
  try {
    const required = createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor & { default?: SqliteConstructor };
    Database = required.default ?? required;
  } catch (error) {
    throw new ConfigError('sqlite_unavailable', `the embedded SQLite store needs better-sqlite3, which is not installed (${(error as Error).message.split('\n')[0]})`, undefined, {
      hint: 'run `npm install better-sqlite3` (it needs a C++ toolchain when no prebuilt binary fits), or use --db postgres://... once available',
      cause: error,
    });
  }
  try {
    return new Database(filename);
  } catch (error) {
    throw new ConfigError('db_unopenable', `cannot open the database ${filename}: ${(error as Error).message}`, undefined, { hint: 'check the path and its permissions (--db, or db: in the config file)', cause: error });
  }
}
