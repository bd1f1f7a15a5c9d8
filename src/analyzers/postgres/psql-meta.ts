// psql backslash meta-commands given with -c: catalog listings (\l, \dt) are reads, \copy is a
// client-side COPY classified like the SQL one, and every other meta-command is opaque (they
// run shell commands, write files, include scripts, change the connection ...).
import type { AnalyzeContext, Fact } from '../types.js';
import { classifySql, type SqlClassification } from './sql.js';

/** Catalog lookups: \d and its family, \l, \z, \sf/\sv (show source), \conninfo, help. */
const DESCRIBE = /^(?:d[a-zA-Z]*|l|list|z|sf|sv|conninfo)$/;
const HELP = /^(?:\?|h|help)$/;

/** Arguments that could run something: backquotes run a shell command, \ starts another meta-command. */
const UNSAFE_ARGS = /[`\\|\n]/;

/** Classify a -c string that starts with a backslash. */
export async function classifyMetaCommand(text: string, ctx: AnalyzeContext, base: Fact): Promise<SqlClassification> {
  const body = text.trimStart().slice(1);
  const match = /^([a-zA-Z]+|[^\sa-zA-Z])/.exec(body);
  const name = match?.[1] ?? '';
  // `\dt+`: the + (more detail) is part of the command, not an argument.
  const args = body.slice(name.length).replace(/^\+/, '');
  const single = (fact: Fact): SqlClassification => ({ facts: [fact], statements: 1 });
  const opaque = (reason: string): SqlClassification =>
    single({ ...base, action: 'exec', statement: 'meta-command', meta_command: name, opaque: true, opaque_reason: reason });

  if (name === 'copy' && !/[`\n]/.test(args)) return classifyClientCopy(args, ctx, base);
  if (UNSAFE_ARGS.test(args)) return opaque(`psql meta-command \\${name} with arguments that cannot be judged`);
  if (DESCRIBE.test(name)) return single({ ...base, action: 'read', statement: 'describe', meta_command: name });
  if (HELP.test(name)) return single({ ...base, action: 'read', statement: 'help', meta_command: name });
  if (name === '!') {
    // \! runs a shell command on the client: judge it as one, and keep the opaque marker.
    const inner = args.trim() === '' ? [] : await ctx.analyzeScript(args, 'psql');
    const shell = opaque('psql \\! runs a shell command');
    return { facts: [...shell.facts, ...inner], statements: 1 };
  }
  return opaque(`psql meta-command \\${name} cannot be judged`);
}

/** One token of a \copy line: a quoted string, a parenthesized group, or a bare word. */
function token(text: string): string | undefined {
  if (text.startsWith('(')) {
    let depth = 0;
    let quote: string | undefined;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quote !== undefined) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return text.slice(0, i + 1);
    }
    return undefined;
  }
  return /^(?:'(?:[^']|'')*'|(?:"(?:[^"]|"")*"|[^\s('"]+)(?:\.(?:"(?:[^"]|"")*"|[^\s('"]+))*)/.exec(text)?.[0];
}

/**
 * `\copy {table [(cols)] | (query)} {from|to} {'file' | program 'cmd' | stdin | stdout} [options]`:
 * rewritten to a server COPY over STDIN/STDOUT so the parser checks the table or query, then
 * marked client-side with its file or program.
 */
async function classifyClientCopy(args: string, ctx: AnalyzeContext, base: Fact): Promise<SqlClassification> {
  const fail = (reason: string): SqlClassification => ({
    facts: [{ ...base, action: 'exec', statement: 'meta-command', meta_command: 'copy', opaque: true, opaque_reason: reason }],
    statements: 1,
  });
  let rest = args.trim();
  const source = token(rest);
  if (source === undefined) return fail('\\copy without a table or query');
  rest = rest.slice(source.length).trimStart();
  let columns = '';
  if (!source.startsWith('(') && rest.startsWith('(')) {
    columns = token(rest) ?? '';
    if (columns === '') return fail('\\copy with an unbalanced column list');
    rest = rest.slice(columns.length).trimStart();
  }
  const direction = /^(from|to)\s+/i.exec(rest);
  if (!direction) return fail('\\copy without FROM or TO');
  const from = direction[1]!.toLowerCase() === 'from';
  rest = rest.slice(direction[0].length);
  const program = /^program\s+/i.exec(rest);
  if (program) rest = rest.slice(program[0].length);
  const where = token(rest);
  if (where === undefined) return fail('\\copy without a file, program, stdin or stdout');
  const options = rest.slice(where.length);
  const place = where.startsWith("'") ? where.slice(1, -1).replace(/''/g, "'") : where;
  const stdio = program === null && /^p?std(?:in|out)$/i.test(place);

  const sql = `COPY ${source}${columns} ${from ? 'FROM STDIN' : 'TO STDOUT'}${options}`;
  const classified = await classifySql(sql, ctx.parsers, base);
  for (const fact of classified.facts) {
    if (fact.statement !== 'copy-to' && fact.statement !== 'copy-from') continue;
    fact.client_side = true;
    delete fact.stdio;
    if (program) {
      // The program runs on the client machine, with the user's own privileges.
      fact.statement = `${fact.statement}-program`;
      fact.copy_program = place;
      if (from) fact.action = 'exec';
    } else if (stdio) fact.stdio = true;
    else fact.copy_file = place;
  }
  return classified;
}
