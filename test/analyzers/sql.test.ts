import { describe, expect, it } from 'vitest';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import { classifySql } from '../../src/analyzers/postgres/sql.js';
import type { Fact } from '../../src/analyzers/types.js';
import { onlyFact } from './analyze-command.js';

const base: Fact = { program: 'psql', action: 'read', database: 'app' };

async function facts(sql: string): Promise<Fact[]> {
  return (await classifySql(sql, lazyParsers, base)).facts;
}

async function one(sql: string): Promise<Fact> {
  return onlyFact(await facts(sql));
}

describe('classifySql: reads', () => {
  it('classifies SELECT as a read with its relations', async () => {
    expect(await one('SELECT a.id FROM public.users a JOIN orders o ON o.uid = a.id')).toMatchObject({
      action: 'read',
      statement: 'select',
      objects: ['public.users', 'orders'],
      database: 'app',
    });
  });

  it('keeps the base fields and flags nothing for pure functions', async () => {
    const fact = await one("SELECT count(*), lower(email), date_trunc('day', now()) FROM users");
    expect(fact.side_effects).toBeUndefined();
    expect(fact.privileged_function).toBeUndefined();
    expect(fact.functions).toEqual(['count', 'lower', 'date_trunc', 'now']);
  });

  it('flags user-defined and schema-qualified look-alike functions as side effects', async () => {
    expect(await one('SELECT purge_orders()')).toMatchObject({ statement: 'select', side_effects: true });
    expect(await one('SELECT evil.lower(name) FROM t')).toMatchObject({ side_effects: true });
    expect((await one('SELECT pg_catalog.lower(name) FROM t')).side_effects).toBeUndefined();
  });

  it('flags privileged functions, also in FROM', async () => {
    expect(await one("SELECT pg_read_file('/etc/passwd')")).toMatchObject({ side_effects: true, privileged_function: true });
    expect(await one("SELECT * FROM dblink('host=x', 'select 1') AS t(a int)")).toMatchObject({ privileged_function: true });
    expect(await one("SELECT nextval('s')")).toMatchObject({ privileged_function: true });
  });

  it('classifies SHOW, SET, RESET and transaction control as reads', async () => {
    expect(await one('SHOW search_path')).toMatchObject({ action: 'read', statement: 'show' });
    expect(await one('SET ROLE admin')).toMatchObject({ action: 'read', statement: 'set' });
    expect(await one('RESET ALL')).toMatchObject({ action: 'read', statement: 'reset' });
    expect(await one('START TRANSACTION READ ONLY')).toMatchObject({ action: 'read', statement: 'begin' });
    expect(await one('COMMIT')).toMatchObject({ statement: 'commit' });
    expect(await one("PREPARE TRANSACTION 'x'")).toMatchObject({ action: 'write', statement: 'prepare-transaction' });
  });

  it('treats an empty text as an empty read', async () => {
    const result = await classifySql(' ; ', lazyParsers, base);
    expect(result.statements).toBe(0);
    expect(result.facts).toEqual([{ ...base, action: 'read', statement: 'empty' }]);
  });
});

describe('classifySql: credential catalogs', () => {
  it('marks reads of password and user-mapping catalogs secret, wherever they appear', async () => {
    for (const sql of [
      'SELECT rolname, rolpassword FROM pg_authid',
      'SELECT * FROM pg_catalog.pg_shadow',
      'SELECT umoptions FROM pg_user_mappings',
      'SELECT * FROM pg_user_mapping',
      'SELECT r.rolname FROM pg_roles r JOIN pg_authid a USING (oid)',
      'WITH a AS (SELECT * FROM pg_authid) SELECT * FROM a',
      'SELECT 1 WHERE EXISTS (SELECT 1 FROM PG_AUTHID)',
      'SELECT subconninfo FROM pg_subscription',
    ]) {
      expect((await one(sql)).secret, sql).toBe(true);
    }
  });

  it('leaves the filtered views alone', async () => {
    expect((await one('SELECT rolname, rolpassword FROM pg_roles')).secret).toBeUndefined();
    expect((await one('SELECT usename, passwd FROM pg_user')).secret).toBeUndefined();
  });
});

describe('classifySql: EXPLAIN', () => {
  it('plain EXPLAIN is a read and does not yield the inner statement', async () => {
    const all = await facts('EXPLAIN DELETE FROM users');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ action: 'read', statement: 'explain', objects: ['users'] });
    expect(all[0]!.analyze).toBeUndefined();
  });

  it('does not look at functions of a plain EXPLAIN (they do not run)', async () => {
    expect((await one("EXPLAIN SELECT pg_read_file('/x')")).privileged_function).toBeUndefined();
  });

  it('EXPLAIN ANALYZE yields the executed statement as its own fact', async () => {
    const all = await facts('EXPLAIN ANALYZE DELETE FROM users');
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ statement: 'explain', analyze: true });
    expect(all[1]).toMatchObject({ action: 'delete', statement: 'delete', delete_all: true, within: 'explain', objects: ['users'] });
  });

  it('reads ANALYZE option spellings, including off', async () => {
    expect((await facts('EXPLAIN (ANALYSE) SELECT 1'))[0]).toMatchObject({ analyze: true });
    expect((await facts('EXPLAIN (ANALYSE, BUFFERS) SELECT 1'))[0]).toMatchObject({ analyze: true });
    expect((await one('EXPLAIN (ANALYZE false) DELETE FROM t')).analyze).toBeUndefined();
    expect((await one('EXPLAIN (ANALYZE off) DELETE FROM t')).analyze).toBeUndefined();
  });
});

describe('classifySql: writes and deletes', () => {
  it('distinguishes DELETE with and without WHERE', async () => {
    expect(await one('DELETE FROM users WHERE id = 1')).toMatchObject({ action: 'delete', statement: 'delete', where: true, objects: ['users'] });
    expect((await one('DELETE FROM users WHERE id = 1')).delete_all).toBeUndefined();
    expect(await one('DELETE FROM users')).toMatchObject({ statement: 'delete', delete_all: true });
  });

  it('treats a WHERE clause without any column as deleting everything', async () => {
    expect(await one('DELETE FROM users WHERE true')).toMatchObject({ where: true, where_constant: true, delete_all: true });
    expect(await one('UPDATE t SET a = 1 WHERE 1 = 1')).toMatchObject({ update_all: true });
  });

  it('classifies UPDATE, INSERT, MERGE and SELECT INTO', async () => {
    expect(await one('UPDATE t SET a = 1')).toMatchObject({ action: 'write', statement: 'update', update_all: true });
    expect(await one('INSERT INTO t VALUES (1)')).toMatchObject({ action: 'write', statement: 'insert', objects: ['t'] });
    expect(await one('MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE')).toMatchObject({ action: 'delete', statement: 'merge' });
    expect(await one('SELECT * INTO t2 FROM t')).toMatchObject({ action: 'write', statement: 'select-into', objects: ['t2', 't'] });
  });

  it('yields data-modifying CTEs as facts of their own', async () => {
    const all = await facts('WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d');
    expect(all.map((f) => f.statement)).toEqual(['select', 'delete']);
    expect(all[0]!.objects).toEqual(['users']);
    expect(all[1]).toMatchObject({ action: 'delete', delete_all: true, within: 'select' });
  });

  it('yields a DELETE hidden inside COPY (...) TO', async () => {
    const all = await facts('COPY (DELETE FROM t RETURNING *) TO STDOUT');
    expect(all.map((f) => f.statement)).toEqual(['copy-to', 'delete']);
  });

  it('classifies TRUNCATE and DROP with kinds and names', async () => {
    expect(await one('TRUNCATE a, b CASCADE')).toMatchObject({ action: 'delete', statement: 'truncate', cascade: true, objects: ['a', 'b'] });
    expect(await one('DROP TABLE a, s.b')).toMatchObject({ action: 'delete', statement: 'drop', drop_kind: 'table', objects: ['a', 's.b'] });
    expect(await one('DROP DATABASE prod')).toMatchObject({ statement: 'drop', drop_kind: 'database', objects: ['prod'] });
    expect(await one('DROP SCHEMA s CASCADE')).toMatchObject({ drop_kind: 'schema', cascade: true, objects: ['s'] });
    expect(await one('DROP FUNCTION f(int)')).toMatchObject({ drop_kind: 'function', objects: ['f'] });
    expect(await one('DROP MATERIALIZED VIEW mv')).toMatchObject({ drop_kind: 'materialized-view' });
  });

  it('classifies ALTER, dropping a column as a delete', async () => {
    expect(await one('ALTER TABLE t ADD COLUMN c int')).toMatchObject({ action: 'write', statement: 'alter', objects: ['t'] });
    expect(await one('ALTER TABLE t DROP COLUMN c')).toMatchObject({ action: 'delete', statement: 'alter', drop_column: true });
    expect(await one('ALTER SYSTEM SET work_mem = 1')).toMatchObject({ statement: 'alter-system' });
    expect(await one('ALTER INDEX i RENAME TO j')).toMatchObject({ statement: 'alter' });
  });

  it('classifies CREATE with its kind', async () => {
    expect(await one('CREATE TABLE t (id int)')).toMatchObject({ action: 'write', statement: 'create', create_kind: 'table' });
    expect(await one('CREATE INDEX i ON t (id)')).toMatchObject({ create_kind: 'index' });
    expect(await one('CREATE EXTENSION dblink')).toMatchObject({ create_kind: 'extension' });
    expect(await one('CREATE MATERIALIZED VIEW mv AS SELECT 1')).toMatchObject({ create_kind: 'materialized-view' });
  });
});

describe('classifySql: privileges', () => {
  it('classifies GRANT and REVOKE', async () => {
    expect(await one('GRANT SELECT ON users TO analyst')).toMatchObject({
      action: 'privilege',
      statement: 'grant',
      objects: ['users'],
      grantees: ['analyst'],
      privileges: ['select'],
    });
    expect(await one('REVOKE ALL ON SCHEMA s FROM app')).toMatchObject({ statement: 'revoke', objects: ['s'] });
    expect(await one('GRANT admin TO bob')).toMatchObject({ statement: 'grant', roles: ['admin'], grantees: ['bob'] });
    expect(await one('ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO u')).toMatchObject({ statement: 'grant', default_privileges: true });
  });

  it('classifies role statements explicitly', async () => {
    expect(await one('CREATE ROLE r LOGIN')).toMatchObject({ action: 'privilege', statement: 'create-role', roles: ['r'] });
    expect(await one("ALTER USER u WITH PASSWORD 'x'")).toMatchObject({ statement: 'alter-role', roles: ['u'] });
    expect(await one('DROP ROLE a, b')).toMatchObject({ statement: 'drop-role', roles: ['a', 'b'] });
  });

  it('treats ownership and row-level security changes as privilege changes', async () => {
    expect(await one('ALTER TABLE t OWNER TO bob')).toMatchObject({ action: 'privilege', statement: 'alter-owner' });
    expect(await one('ALTER TABLE t DISABLE ROW LEVEL SECURITY')).toMatchObject({ action: 'privilege', row_security: true });
  });
});

describe('classifySql: COPY', () => {
  it('COPY TO a server file or STDOUT is an export', async () => {
    expect(await one("COPY users TO '/tmp/u.csv'")).toMatchObject({ action: 'export', statement: 'copy-to', copy_file: '/tmp/u.csv', server_file: true });
    expect(await one('COPY users TO STDOUT')).toMatchObject({ action: 'export', statement: 'copy-to', stdio: true });
  });

  it('COPY with PROGRAM names the program', async () => {
    expect(await one("COPY (SELECT 1) TO PROGRAM 'curl x'")).toMatchObject({ action: 'export', statement: 'copy-to-program', copy_program: 'curl x' });
    expect(await one("COPY t FROM PROGRAM 'id'")).toMatchObject({ action: 'exec', statement: 'copy-from-program' });
  });

  it('COPY FROM is a write', async () => {
    expect(await one('COPY t FROM STDIN')).toMatchObject({ action: 'write', statement: 'copy-from', stdio: true });
    expect(await one("COPY t FROM '/etc/passwd'")).toMatchObject({ action: 'write', server_file: true });
  });
});

describe('classifySql: opaque', () => {
  it('DO, CALL, EXECUTE and LOAD are opaque execs', async () => {
    expect(await one('DO $$ BEGIN PERFORM 1; END $$')).toMatchObject({ action: 'exec', statement: 'do', opaque: true });
    expect(await one('CALL p(1)')).toMatchObject({ action: 'exec', statement: 'call', opaque: true });
    expect(await one('EXECUTE p')).toMatchObject({ statement: 'execute', opaque: true });
    expect(await one("LOAD 'x'")).toMatchObject({ statement: 'load', opaque: true });
  });

  it('unparseable SQL is opaque with the parser message', async () => {
    const fact = await one('SELEC 1');
    expect(fact).toMatchObject({ action: 'exec', statement: 'unparseable', opaque: true });
    expect(fact.opaque_reason).toMatch(/SQL parse error: syntax error at or near "SELEC"/);
  });

  it('counts top-level statements only', async () => {
    const result = await classifySql('SELECT 1; WITH d AS (DELETE FROM t) SELECT 1; DROP TABLE x', lazyParsers, base);
    expect(result.statements).toBe(3);
    expect(result.facts.map((f) => f.statement)).toEqual(['select', 'select', 'delete', 'drop']);
  });

  it('yields a nested DELETE of a PREPARE (it runs on EXECUTE)', async () => {
    const all = await facts('PREPARE p AS DELETE FROM t');
    expect(all.map((f) => f.statement)).toEqual(['prepare', 'delete']);
  });
});
