// pg_dump, pg_dumpall, pg_restore, dropdb and createdb: one fact naming the database each acts
// on, with the action it takes (dump = export, restore = write or delete, dropdb = delete).
import { flag, has, last, type ParsedArgs } from '../options.js';
import type { AnalyzeContext, Env, Fact, FactValue } from '../types.js';
import { parseClient } from './pg-client.js';
import { connectionFields, resolveConnection, type Connection } from './pg-connection.js';
import { CREATEDB_OPTIONS, DROPDB_OPTIONS, PG_DUMPALL_OPTIONS, PG_DUMP_OPTIONS, PG_RESTORE_OPTIONS } from './pg-options.js';

/** Connection from -h/-p/-U and a dbname (which may be a connection string). */
function connect(parsed: ParsedArgs, dbname: string | undefined, env: Env): Connection {
  return resolveConnection({ host: last(parsed, 'host'), port: last(parsed, 'port'), user: last(parsed, 'user'), dbname }, env);
}

/** Copy boolean flags and repeatable values into fact fields (only when given). */
function optionFields(parsed: ParsedArgs, booleans: string[], lists: Record<string, string>): Record<string, FactValue> {
  const fields: Record<string, FactValue> = {};
  for (const key of booleans) if (flag(parsed, key)) fields[key] = true;
  for (const [key, field] of Object.entries(lists)) {
    const values = parsed.values.get(key);
    if (values) fields[field] = values;
  }
  const file = last(parsed, 'file');
  if (file !== undefined && file !== '-') fields.output_file = file;
  return fields;
}

/** pg_dump [DBNAME]: the positional wins over -d. */
function analyzePgDump(argv: string[], ctx: AnalyzeContext): Fact[] {
  const call = parseClient(argv, PG_DUMP_OPTIONS, ctx.via);
  if (call.settled) return call.settled;
  const { parsed } = call;
  const connection = connect(parsed, parsed.positionals[0] ?? last(parsed, 'dbname'), ctx.env);
  const fields = optionFields(parsed, ['schema_only', 'data_only', 'clean', 'create'], { table: 'objects', schema: 'schemas' });
  const format = last(parsed, 'format');
  if (format !== undefined) fields.format = format.toLowerCase();
  return [{ program: call.program, action: 'export', args: call.args, ...connectionFields(connection), ...fields }];
}

/** pg_dumpall: every database of a server; the target a reviewer confirms is the host. */
function analyzePgDumpall(argv: string[], ctx: AnalyzeContext): Fact[] {
  const call = parseClient(argv, PG_DUMPALL_OPTIONS, ctx.via);
  if (call.settled) return call.settled;
  const { parsed } = call;
  const connection = connect(parsed, last(parsed, 'dbname'), ctx.env);
  delete connection.database;
  const fields = connectionFields(connection);
  fields.target = connection.host ?? fields.uri;
  const options = optionFields(parsed, ['globals_only', 'roles_only', 'tablespaces_only', 'schema_only', 'data_only', 'clean'], {});
  return [{ program: call.program, action: 'export', args: call.args, ...fields, all_databases: true, ...options }];
}

/** pg_restore [FILE]: with -d it writes into a database (--clean drops first), else it prints SQL. */
function analyzePgRestore(argv: string[], ctx: AnalyzeContext): Fact[] {
  const call = parseClient(argv, PG_RESTORE_OPTIONS, ctx.via);
  if (call.settled) return call.settled;
  const { parsed } = call;
  const fields = optionFields(parsed, ['clean', 'create', 'data_only', 'schema_only', 'single_transaction'], { table: 'objects', schema: 'schemas' });
  const archive = parsed.positionals[0];
  if (archive !== undefined) fields.archive = archive;
  const base = { program: call.program, args: call.args, ...fields };
  if (has(parsed, 'list')) return [{ ...base, action: 'read', list: true }];
  const dbname = last(parsed, 'dbname');
  if (dbname === undefined) return [{ ...base, action: 'read', script_output: true }];
  const connection = connect(parsed, dbname, ctx.env);
  return [{ ...base, ...connectionFields(connection), action: flag(parsed, 'clean') ? 'delete' : 'write' }];
}

/**
 * dropdb / createdb DBNAME: -h/-p/-U and --maintenance-db say where to connect; the database
 * acted on is the positional, a plain name (never a connection string).
 */
function databaseCommand(argv: string[], ctx: AnalyzeContext, drop: boolean): Fact[] {
  const call = parseClient(argv, drop ? DROPDB_OPTIONS : CREATEDB_OPTIONS, ctx.via);
  if (call.settled) return call.settled;
  const { parsed } = call;
  const connection = connect(parsed, last(parsed, 'maintenance_db'), ctx.env);
  // createdb defaults the name like libpq does (PGDATABASE, then the user); dropdb requires it.
  const name = parsed.positionals[0] ?? (drop ? undefined : ctx.env.PGDATABASE || connection.user);
  if (name === undefined) {
    return [{ program: call.program, action: 'exec', args: call.args, opaque: true, opaque_reason: `${call.program} without a database name` }];
  }
  connection.database = name;
  const fields = optionFields(parsed, drop ? ['force', 'if_exists'] : [], {});
  for (const key of drop ? [] : ['template', 'owner']) {
    const value = last(parsed, key);
    if (value !== undefined) fields[key] = value;
  }
  return [{ program: call.program, action: drop ? 'delete' : 'write', args: call.args, ...connectionFields(connection), ...fields }];
}

export const analyzePgTools = {
  pg_dump: analyzePgDump,
  pg_dumpall: analyzePgDumpall,
  pg_restore: analyzePgRestore,
  dropdb: (argv: string[], ctx: AnalyzeContext) => databaseCommand(argv, ctx, true),
  createdb: (argv: string[], ctx: AnalyzeContext) => databaseCommand(argv, ctx, false),
};
