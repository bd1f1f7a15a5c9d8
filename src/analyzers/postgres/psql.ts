// psql: the connection target, then one fact per SQL statement of each -c. Scripts (-f) and
// sessions reading stdin cannot be judged from the command line, so they are opaque.
import { has, last, type ParsedArgs } from '../options.js';
import type { AnalyzeContext, Env, Fact } from '../types.js';
import { parseClient } from './pg-client.js';
import { connectionFields, resolveConnection, type Connection } from './pg-connection.js';
import { PSQL_OPTIONS } from './pg-options.js';
import { classifyMetaCommand } from './psql-meta.js';
import { sqlReadingRisk } from './sql-reading.js';
import { classifySql } from './sql.js';

/** psql's positionals: `[DBNAME [USERNAME]]`, each filling what -d / -U left unset. */
function psqlConnection(parsed: ParsedArgs, env: Env): Connection {
  let dbname = last(parsed, 'dbname');
  let user = last(parsed, 'user');
  for (const positional of parsed.positionals) {
    if (dbname === undefined) dbname = positional;
    else if (user === undefined) user = positional;
  }
  return resolveConnection({ host: last(parsed, 'host'), port: last(parsed, 'port'), user, dbname }, env);
}

/** -o/-L send query results to a file (or, with `|cmd`, into a command). */
function outputFacts(parsed: ParsedArgs, base: Fact): Fact[] {
  const targets = [...(parsed.values.get('output') ?? []), ...(parsed.values.get('log_file') ?? [])];
  return targets.map((target): Fact =>
    target.startsWith('|')
      ? { ...base, action: 'exec', statement: 'output-pipe', opaque: true, opaque_reason: `psql output piped to a command: ${target.slice(1).trim()}` }
      : { ...base, action: 'export', statement: 'output-file', output_file: target },
  );
}

/** The facts of the SQL given with -c and -f, and the count of statements behind them. */
async function commandFacts(parsed: ParsedArgs, ctx: AnalyzeContext, base: Fact): Promise<{ facts: Fact[]; statements: number }> {
  const facts: Fact[] = [];
  let statements = 0;
  for (const text of parsed.values.get('command') ?? []) {
    const classified = text.trimStart().startsWith('\\') ? await classifyMetaCommand(text, ctx, base) : await classifySql(text, ctx.parsers, base);
    facts.push(...classified.facts);
    statements += classified.statements;
  }
  for (const file of parsed.values.get('file') ?? []) {
    statements++;
    facts.push(
      file === '-'
        ? { ...base, action: 'exec', statement: 'script', input: 'stdin', opaque: true, opaque_reason: 'SQL script read from stdin' }
        : { ...base, action: 'exec', statement: 'script', input: 'script', script_file: file, opaque: true, opaque_reason: `SQL script file ${file} is not read` },
    );
  }
  return { facts, statements };
}

/** Analyze a psql invocation. */
export async function analyzePsql(argv: string[], ctx: AnalyzeContext): Promise<Fact[]> {
  const call = parseClient(argv, PSQL_OPTIONS, ctx.via);
  if (call.settled) return call.settled;
  const { parsed, args } = call;
  const connection = psqlConnection(parsed, ctx.env);
  const base: Fact = { program: call.program, action: 'read', ...connectionFields(connection), args };
  const output = outputFacts(parsed, base);
  // -l lists the databases and exits; -c and -f are ignored.
  if (has(parsed, 'list')) return [{ ...base, action: 'read', statement: 'list', list: true }, ...output];

  const { facts, statements } = await commandFacts(parsed, ctx, base);
  if (facts.length === 0) {
    facts.push({ ...base, action: 'exec', statement: 'session', input: 'interactive', opaque: true, opaque_reason: 'interactive session: commands come from stdin' });
  }
  if (statements > 1) {
    for (const fact of facts) if (fact.program === call.program && fact.via === undefined) fact.multi_statement = true;
  }
  const risk = sqlReadingRisk(connection, ctx.env);
  if (risk !== undefined) {
    for (const fact of facts) {
      if (fact.program !== call.program || fact.via !== undefined || fact.opaque === true) continue;
      fact.opaque = true;
      fact.opaque_reason = risk;
    }
  }
  return [...facts, ...output];
}
