// The SQLite store: created on first open with versioned migrations, private, reopened as is.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gatePaths } from '../../src/platform/paths.js';
import { migrateSqlite } from '../../src/server/store/migrate.js';
import { MIGRATIONS } from '../../src/server/store/migrations/index.js';
import { dbTarget, openStore } from '../../src/server/store/open-store.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { openSqliteDatabase } from '../../src/server/store/sqlite-driver.js';
import { T0 } from './server-fixture.js';

/** The newest schema version this gate knows. */
const NEWEST = Math.max(...MIGRATIONS.map((m) => m.version));
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gate-store-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('sqlite store', () => {
  it('creates the database under GATE_HOME with mode 0600 and records the migrations', async () => {
    const home = tempDir();
    const store = await openStore(undefined, gatePaths({ GATE_HOME: home }), T0);
    await store.close();
    const file = join(home, 'server.db');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: T0.toISOString() })));
    db.close();
  });

  it('keeps data across reopen and applies nothing twice', async () => {
    const file = join(tempDir(), 'nested', 'gate.db');
    const first = openSqliteStore(file, T0);
    await first.addIdentity({ name: 'alice', role: 'reviewer', groups: ['ops'], token_hash: 'a'.repeat(64), created_at: T0.toISOString() });
    await first.close();
    const second = openSqliteStore(file, new Date(T0.getTime() + 1000));
    expect((await second.listIdentities()).map((i) => i.name)).toEqual(['alice']);
    await second.close();
    const db = openSqliteDatabase(file);
    expect(migrateSqlite(db, T0.toISOString())).toEqual([]);
    db.close();
  });

  it('applies only the new migrations to an older database', () => {
    const db = openSqliteDatabase(':memory:');
    expect(migrateSqlite(db, T0.toISOString(), MIGRATIONS)).toEqual(MIGRATIONS.map((m) => m.version));
    const next = { version: NEWEST + 1, name: 'extra', sqlite: 'CREATE TABLE extra (x TEXT)', postgres: 'CREATE TABLE extra (x TEXT)' };
    expect(migrateSqlite(db, T0.toISOString(), [...MIGRATIONS, next])).toEqual([NEWEST + 1]);
    db.close();
  });

  it('refuses a database newer than this gate', () => {
    const db = openSqliteDatabase(':memory:');
    migrateSqlite(db, T0.toISOString(), [...MIGRATIONS, { version: NEWEST + 10, name: 'future', sqlite: 'SELECT 1', postgres: 'SELECT 1' }]);
    expect(() => migrateSqlite(db, T0.toISOString())).toThrow(expect.objectContaining({ code: 'db_too_new' }));
    db.close();
  });

  it('rolls back a failed migration as a whole', () => {
    const db = openSqliteDatabase(':memory:');
    const broken = { version: NEWEST + 1, name: 'broken', sqlite: 'CREATE TABLE ok (x TEXT); NOT SQL', postgres: 'CREATE TABLE ok (x TEXT); NOT SQL' };
    expect(() => migrateSqlite(db, T0.toISOString(), [...MIGRATIONS, broken])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").all()).toEqual([]);
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: NEWEST });
    db.close();
  });
});

describe('database targets', () => {
  const paths = gatePaths({ GATE_HOME: '/home/g' });
  it.each([
    [undefined, { kind: 'sqlite', filename: '/home/g/server.db' }],
    ['sqlite::memory:', { kind: 'sqlite', filename: ':memory:' }],
    ['/var/lib/gate.db', { kind: 'sqlite', filename: '/var/lib/gate.db' }],
    ['sqlite:/var/lib/gate.db', { kind: 'sqlite', filename: '/var/lib/gate.db' }],
    ['postgres://u:p@db/gate', { kind: 'postgres', url: 'postgres://u:p@db/gate' }],
  ])('%s', (db, target) => {
    expect(dbTarget(db, paths)).toEqual(target);
  });

  it('refuses unknown schemes without showing the password', () => {
    expect(() => dbTarget('mysql://u:secret@db/gate', paths)).toThrow(/mysql:\/\/\*\*\*@db/);
  });
});
