import { describe, expect, it } from 'vitest';
import { analyze, one } from './analyze-command.js';

describe('psql connection target', () => {
  it('reads -h, -p, -U, -d', async () => {
    expect(await one(['psql', '-h', 'DB.Prod', '-p', '5433', '-U', 'bob', '-d', 'app', '-c', 'SELECT 1'])).toMatchObject({
      program: 'psql',
      host: 'db.prod',
      port: 5433,
      user: 'bob',
      database: 'app',
      target: 'app',
      uri: 'postgres://db.prod:5433/app',
    });
  });

  it('takes positional DBNAME and USERNAME, filling what -d / -U left unset', async () => {
    expect(await one(['psql', 'app', 'bob', '-c', 'SELECT 1'])).toMatchObject({ database: 'app', user: 'bob' });
    expect(await one(['psql', '-d', 'app', 'bob', '-c', 'SELECT 1'])).toMatchObject({ database: 'app', user: 'bob' });
  });

  it('reads a URI without leaking its credentials anywhere', async () => {
    const fact = await one(['/usr/bin/psql', 'postgresql://alice:s3cret@db.prod:6432/app?sslmode=require', '-c', 'SELECT 1']);
    expect(fact).toMatchObject({ program: 'psql', host: 'db.prod', port: 6432, database: 'app', user: 'alice', uri: 'postgres://db.prod:6432/app' });
    expect(JSON.stringify(fact)).not.toContain('s3cret');
    expect(fact.args).toEqual(['postgresql://alice:***@db.prod:6432/app?sslmode=require', '-c', 'SELECT 1']);
  });

  it('reads a conninfo string, which overrides -h like libpq does, and hides its password', async () => {
    const fact = await one(['psql', '-h', 'localhost', '-d', "host=db.prod dbname='my app' password=hunter2 user=ops", '-c', 'SELECT 1']);
    expect(fact).toMatchObject({ host: 'db.prod', database: 'my app', user: 'ops', uri: 'postgres://db.prod/my%20app' });
    expect(JSON.stringify(fact)).not.toContain('hunter2');
  });

  it('hides URI query-parameter passwords', async () => {
    const fact = await one(['psql', 'postgres://db/app?password=hunter2&user=x', '-c', 'SELECT 1']);
    expect(JSON.stringify(fact)).not.toContain('hunter2');
    expect(fact.user).toBe('x');
  });

  it('falls back to PG* variables, then the OS user', async () => {
    expect(await one(['psql', '-c', 'SELECT 1'], { PGHOST: 'pg.internal', PGDATABASE: 'sales', PGUSER: 'etl', PGPORT: '5432' })).toMatchObject({
      host: 'pg.internal',
      database: 'sales',
      user: 'etl',
      uri: 'postgres://pg.internal/sales',
    });
    expect(await one(['psql', '-c', 'SELECT 1'], { USER: 'carol' })).toMatchObject({ host: 'localhost', database: 'carol', user: 'carol', target: 'carol' });
  });

  it('names a socket directory as localhost and keeps the path', async () => {
    expect(await one(['psql', '-h', '/var/run/postgresql', 'app', '-c', 'SELECT 1'])).toMatchObject({
      host: 'localhost',
      socket: '/var/run/postgresql',
      uri: 'postgres://localhost/app',
    });
  });

  it('makes a call with an unparseable connection string opaque', async () => {
    expect(await one(['psql', '-d', 'postgres://%zz@db.prod/app', '-c', 'SELECT 1'])).toMatchObject({ opaque: true, opaque_reason: 'connection string cannot be parsed' });
  });

  it('names multi-host and IPv6 targets host by host', async () => {
    expect(await one(['psql', 'postgresql://h1:5432,h2:5433/db', '-c', 'SELECT 1'])).toMatchObject({ host: 'h1,h2', uri: 'postgres://h1,h2:5433/db' });
    expect(await one(['psql', 'postgresql://[::1]:6000/db', '-c', 'SELECT 1'])).toMatchObject({ host: '::1', uri: 'postgres://[::1]:6000/db' });
  });

  it('does not guess the target of a service entry', async () => {
    const fact = await one(['psql', 'service=prod', '-c', 'SELECT 1'], { USER: 'carol' });
    expect(fact).toMatchObject({ service: 'prod', uri: 'postgres://service=prod/' });
    expect(fact.host).toBeUndefined();
    expect(fact.database).toBeUndefined();
  });
});

describe('psql SQL the server may read differently', () => {
  it('marks SQL opaque under a client encoding other than UTF-8 or SQL_ASCII', async () => {
    expect(await one(['psql', '-c', 'SELECT 1'], { PGCLIENTENCODING: 'GBK' })).toMatchObject({ statement: 'select', opaque: true, opaque_reason: 'client encoding GBK: gate reads the SQL as UTF-8' });
    expect(await one(['psql', '-d', 'dbname=app client_encoding=BIG5', '-c', 'SELECT 1'])).toMatchObject({ opaque: true });
    expect(await one(['psql', 'postgresql://db/app?client_encoding=SJIS', '-c', 'SELECT 1'])).toMatchObject({ opaque: true });
    // The connection string overrides the environment, like libpq.
    expect(await one(['psql', '-d', 'dbname=app client_encoding=gbk', '-c', 'SELECT 1'], { PGCLIENTENCODING: 'UTF8' })).toMatchObject({ opaque: true });
  });

  it('reads UTF-8 spellings and SQL_ASCII the same as gate', async () => {
    for (const encoding of ['UTF8', 'utf-8', 'Unicode', 'SQL_ASCII', '']) {
      expect((await one(['psql', '-c', 'SELECT 1'], { PGCLIENTENCODING: encoding })).opaque).toBeUndefined();
    }
  });

  it('marks SQL opaque when server options are sent', async () => {
    const reason = /server options/;
    expect((await one(['psql', '-c', 'SELECT 1'], { PGOPTIONS: '-c standard_conforming_strings=off' })).opaque_reason).toMatch(reason);
    expect((await one(['psql', '-d', "dbname=app options='-c standard_conforming_strings=off'", '-c', 'SELECT 1'])).opaque_reason).toMatch(reason);
    expect((await one(['psql', 'postgres://db/app?options=-cbackslash_quote%3Don', '-c', 'SELECT 1'])).opaque_reason).toMatch(reason);
  });

  it('takes the encoding of a terminal session from the locale', async () => {
    expect(await one(['psql', '-c', 'SELECT 1'], { LC_ALL: 'zh_CN.GBK' })).toMatchObject({ opaque: true });
    expect(await one(['psql', '-c', 'SELECT 1'], { LANG: 'ja_JP' })).toMatchObject({ opaque: true });
    expect(await one(['psql', '-c', 'SELECT 1'], { PGCLIENTENCODING: 'auto', LC_CTYPE: 'ko_KR.euckr' })).toMatchObject({ opaque: true });
    for (const env of [{ LANG: 'en_US.UTF-8' }, { LC_ALL: 'C' }, { LC_CTYPE: 'UTF-8' }, { LANG: 'de_DE.utf8@euro' }, { LC_ALL: 'C.utf8', LANG: 'zh_CN.GBK' }, { PGCLIENTENCODING: 'UTF8', LANG: 'ja_JP.SJIS' }]) {
      expect((await one(['psql', '-c', 'SELECT 1'], env)).opaque).toBeUndefined();
    }
  });

  it('a service entry may set the encoding or options', async () => {
    expect(await one(['psql', 'service=prod', '-c', 'SELECT 1'])).toMatchObject({ opaque: true });
  });

  it('keeps a statement opaque for its own reason, and leaves -o facts alone', async () => {
    const facts = await analyze(['psql', '-o', 'out.txt', '-c', 'DO $$ BEGIN END $$'], { PGCLIENTENCODING: 'GBK' });
    expect(facts[0]!.opaque_reason).toMatch(/DO block/);
    expect(facts[1]!.opaque).toBeUndefined();
  });
});

describe('psql input', () => {
  it('classifies each -c statement and marks multi-statement commands', async () => {
    const facts = await analyze(['psql', '-c', 'SELECT 1', '-c', 'DELETE FROM t WHERE id = 1']);
    expect(facts.map((f) => [f.statement, f.multi_statement])).toEqual([['select', true], ['delete', true]]);
  });

  it('bundled flags with an attached -c', async () => {
    expect(await one(['psql', '-Atqc', 'SELECT 1', 'app'])).toMatchObject({ statement: 'select', action: 'read', database: 'app' });
  });

  it('treats -f scripts as opaque with the script file', async () => {
    expect(await one(['psql', '-f', 'migrate.sql', 'app'])).toMatchObject({
      action: 'exec',
      statement: 'script',
      input: 'script',
      script_file: 'migrate.sql',
      opaque: true,
    });
    expect(await one(['psql', '--file=-'])).toMatchObject({ input: 'stdin', opaque: true });
  });

  it('treats a session without -c or -f as interactive', async () => {
    const fact = await one(['psql', '-h', 'db.prod', 'app']);
    expect(fact).toMatchObject({ action: 'exec', input: 'interactive', opaque: true, database: 'app' });
    expect(fact.opaque_reason).toMatch(/interactive session/);
  });

  it('psql -l is a read, even with -c', async () => {
    expect(await one(['psql', '-l', '-c', 'DROP TABLE t'])).toMatchObject({ action: 'read', statement: 'list', list: true });
  });

  it('--help and --version are reads', async () => {
    expect(await one(['psql', '--version'])).toEqual({ program: 'psql', action: 'read', args: ['--version'], help: true, via: [] });
    expect(await one(['psql', '-?'])).toMatchObject({ help: true });
  });

  it('an unknown option makes the call opaque', async () => {
    expect(await one(['psql', '--frobnicate', '-c', 'SELECT 1'])).toMatchObject({ opaque: true, opaque_reason: 'unknown psql option --frobnicate' });
  });

  it('-o adds an export of the results; -o |cmd is opaque', async () => {
    const facts = await analyze(['psql', '-o', 'out.txt', '-c', 'SELECT 1']);
    expect(facts.map((f) => f.statement)).toEqual(['select', 'output-file']);
    expect(facts[1]).toMatchObject({ action: 'export', output_file: 'out.txt' });
    const piped = await analyze(['psql', '-o', '|mail x', '-c', 'SELECT 1']);
    expect(piped[1]).toMatchObject({ action: 'exec', opaque: true });
  });
});

describe('psql meta-commands', () => {
  it('catalog listings are reads', async () => {
    expect(await one(['psql', '-c', '\\dt+ public.*'])).toMatchObject({ action: 'read', statement: 'describe', meta_command: 'dt' });
    expect(await one(['psql', '-c', '\\l'])).toMatchObject({ statement: 'describe', meta_command: 'l' });
  });

  it('backquotes in arguments (a shell command) make a listing opaque', async () => {
    expect(await one(['psql', '-c', '\\dt `touch /tmp/x`'])).toMatchObject({ statement: 'meta-command', opaque: true });
  });

  it('\\! is opaque and its shell command is analyzed too', async () => {
    const facts = await analyze(['psql', '-c', '\\! rm -rf /tmp/x']);
    expect(facts[0]).toMatchObject({ program: 'psql', statement: 'meta-command', meta_command: '!', opaque: true });
    expect(facts.slice(1).some((f) => f.program === 'rm')).toBe(true);
  });

  it('other meta-commands are opaque', async () => {
    expect(await one(['psql', '-c', '\\i fix.sql'])).toMatchObject({ statement: 'meta-command', meta_command: 'i', opaque: true });
    expect(await one(['psql', '-c', '\\gexec'])).toMatchObject({ opaque: true });
  });

  it('\\copy to a client file is an export, from a program an exec', async () => {
    expect(await one(['psql', '-c', "\\copy (SELECT * FROM users) to 'u.csv' csv header"])).toMatchObject({
      action: 'export',
      statement: 'copy-to',
      client_side: true,
      copy_file: 'u.csv',
      objects: ['users'],
    });
    expect(await one(['psql', '-c', '\\copy users(id, email) from /tmp/in.csv'])).toMatchObject({ action: 'write', statement: 'copy-from', copy_file: '/tmp/in.csv' });
    expect(await one(['psql', '-c', "\\copy t from program 'curl x'"])).toMatchObject({ action: 'exec', statement: 'copy-from-program', copy_program: 'curl x' });
    expect(await one(['psql', '-c', '\\copy t to stdout'])).toMatchObject({ action: 'export', stdio: true });
  });

  it('\\copy of a data-modifying query yields the write', async () => {
    const facts = await analyze(['psql', '-c', '\\copy (DELETE FROM t RETURNING *) to stdout']);
    expect(facts.map((f) => f.statement)).toEqual(['copy-to', 'delete']);
  });

  it('a malformed \\copy is opaque', async () => {
    expect(await one(['psql', '-c', '\\copy t sideways x'])).toMatchObject({ statement: 'meta-command', opaque: true });
  });
});

describe('pg_dump and pg_dumpall', () => {
  it('pg_dump exports the database; the positional wins over -d', async () => {
    expect(await one(['pg_dump', '-h', 'db.prod', '-d', 'other', '-Fc', '-f', 'app.dump', '-t', 'users', 'app'])).toMatchObject({
      program: 'pg_dump',
      action: 'export',
      database: 'app',
      target: 'app',
      uri: 'postgres://db.prod/app',
      output_file: 'app.dump',
      format: 'c',
      objects: ['users'],
    });
  });

  it('pg_dump hides URI passwords', async () => {
    const fact = await one(['pg_dump', '--dbname=postgres://u:pw123@db/app']);
    expect(fact).toMatchObject({ database: 'app', host: 'db' });
    expect(JSON.stringify(fact)).not.toContain('pw123');
  });

  it('pg_dumpall exports every database of the host', async () => {
    const fact = await one(['pg_dumpall', '-h', 'db.prod', '--globals-only']);
    expect(fact).toMatchObject({ action: 'export', all_databases: true, globals_only: true, target: 'db.prod', uri: 'postgres://db.prod/' });
    expect(fact.database).toBeUndefined();
  });
});

describe('pg_restore', () => {
  it('writes into the -d database, deletes with --clean', async () => {
    expect(await one(['pg_restore', '-d', 'app', 'app.dump'])).toMatchObject({ action: 'write', database: 'app', archive: 'app.dump' });
    expect(await one(['pg_restore', '-c', '--if-exists', '-d', 'app', 'app.dump'])).toMatchObject({ action: 'delete', clean: true });
  });

  it('without -d only prints SQL; -l lists the archive', async () => {
    expect(await one(['pg_restore', '-f', 'out.sql', 'app.dump'])).toMatchObject({ action: 'read', script_output: true, output_file: 'out.sql' });
    expect(await one(['pg_restore', '-l', 'app.dump'])).toMatchObject({ action: 'read', list: true });
  });
});

describe('dropdb and createdb', () => {
  it('dropdb deletes the named database', async () => {
    expect(await one(['dropdb', '-h', 'db.prod', '--force', 'app'])).toMatchObject({
      program: 'dropdb',
      action: 'delete',
      database: 'app',
      target: 'app',
      uri: 'postgres://db.prod/app',
      force: true,
    });
  });

  it('dropdb connects through --maintenance-db but drops the positional', async () => {
    expect(await one(['dropdb', '--maintenance-db=postgres://admin@db.prod/postgres', 'app'])).toMatchObject({ host: 'db.prod', user: 'admin', database: 'app' });
  });

  it('dropdb without a name is opaque', async () => {
    expect(await one(['dropdb', '-h', 'x'])).toMatchObject({ opaque: true });
  });

  it('createdb writes, defaulting the name like libpq', async () => {
    expect(await one(['createdb', '-O', 'app', '-T', 'template0', 'app'])).toMatchObject({ action: 'write', database: 'app', owner: 'app', template: 'template0' });
    expect(await one(['createdb'], { PGUSER: 'etl' })).toMatchObject({ database: 'etl' });
  });
});
