// SQL classifier: text -> one fact per statement, with Postgres's own parser (libpg-query).
// Statements executed inside another one (data-modifying CTEs, EXPLAIN ANALYZE, COPY (DELETE
// ... RETURNING)) yield facts of their own, so a DELETE cannot hide behind a SELECT.
import type { Fact, Parsers } from '../types.js';
import { classifyFunction } from './sql-functions.js';
import { list, sval, unwrap, walk, type AstNode } from './sql-ast.js';
import { describeStatement, explainAnalyzes, namedObjects } from './sql-statement.js';

export interface SqlClassification {
  facts: Fact[];
  /** Top-level statements in the text (nested ones not counted). */
  statements: number;
}

/**
 * Catalogs holding credentials: password hashes (pg_authid, pg_shadow), user-mapping options
 * with remote passwords (pg_user_mapping, pg_user_mappings) and subscription conninfo.
 */
const CREDENTIAL_RELATIONS = new Set(['pg_authid', 'pg_shadow', 'pg_user_mapping', 'pg_user_mappings', 'pg_subscription']);

/** Statement types that change data wherever they appear (a CTE, COPY's query, a rule body). */
const NESTED_WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Classify SQL text; every fact starts from `base` (program and connection fields). */
export async function classifySql(text: string, parsers: Parsers, base: Fact): Promise<SqlClassification> {
  let parsed: Awaited<ReturnType<Parsers['sql']>>;
  try {
    parsed = await parsers.sql(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const fact: Fact = { ...base, action: 'exec', statement: 'unparseable', opaque: true, opaque_reason: `SQL parse error: ${message}` };
    return { facts: [fact], statements: 1 };
  }
  const stmts = Array.isArray(parsed?.stmts) ? parsed.stmts : [];
  if (stmts.length === 0) return { facts: [{ ...base, action: 'read', statement: 'empty' }], statements: 0 };
  return { facts: stmts.flatMap((raw) => statementFacts(rawStatement(raw.stmt), base, undefined)), statements: stmts.length };
}

/** Older libpg-query versions wrap each statement in a RawStmt. */
function rawStatement(stmt: unknown): unknown {
  const entry = unwrap(stmt);
  return entry && entry[0] === 'RawStmt' ? entry[1].stmt : stmt;
}

/** The fact for one statement node, followed by the facts of the statements it executes. */
function statementFacts(wrapper: unknown, base: Fact, within: string | undefined): Fact[] {
  const entry = unwrap(wrapper);
  if (!entry) return [{ ...base, action: 'exec', statement: 'unknown', opaque: true, opaque_reason: 'unrecognized SQL statement' }];
  const [type, node] = entry;
  const described = describeStatement(type, node);
  const fact: Fact = { ...base, action: described.action, statement: described.kind, ...described.fields };
  if (within !== undefined) fact.within = within;
  if (described.opaqueReason !== undefined) {
    fact.opaque = true;
    fact.opaque_reason = described.opaqueReason;
  }
  const objects = [...namedObjects(type, node), ...relationNames(node)];
  if (objects.length > 0) fact.objects = [...new Set(objects)];
  if (readsCredentials(node)) fact.secret = true;

  // A plain EXPLAIN only plans: neither its statement nor its functions run.
  const executes = type !== 'ExplainStmt' || explainAnalyzes(node);
  if (executes) addFunctionFields(fact, node);
  const nested = type === 'ExplainStmt' ? (executes ? [node.query] : []) : nestedWrites(node);
  return [fact, ...nested.flatMap((inner) => statementFacts(inner, base, described.kind))];
}

/** Data-modifying statements nested anywhere below `node` (not below each other). */
function nestedWrites(node: AstNode): unknown[] {
  const found: unknown[] = [];
  walk(node, (child) => {
    if (child === node) return true;
    const entry = unwrap(child);
    if (entry && NESTED_WRITES.has(entry[0])) {
      found.push(child);
      return false;
    }
    return true;
  });
  return found;
}

/** Relation names (schema-qualified when written so), without references to CTEs. */
function relationNames(node: AstNode): string[] {
  const ctes = new Set<string>();
  const names: string[] = [];
  walk(node, (child) => {
    if (typeof child.ctename === 'string') ctes.add(child.ctename);
    if (typeof child.relname === 'string') {
      const schema = typeof child.schemaname === 'string' ? `${child.schemaname}.` : '';
      names.push(schema + child.relname);
    }
    return true;
  });
  return names.filter((name) => !ctes.has(name));
}

/** Whether any relation below `node` is a credential catalog (a CTE of that name counts too). */
function readsCredentials(node: AstNode): boolean {
  let found = false;
  walk(node, (child) => {
    if (typeof child.relname === 'string' && CREDENTIAL_RELATIONS.has(child.relname.toLowerCase())) found = true;
    return !found;
  });
  return found;
}

/** functions, side_effects and privileged_function from every function call in `node`. */
function addFunctionFields(fact: Fact, node: AstNode): void {
  const names = new Set<string>();
  walk(node, (child) => {
    const call = unwrap(child);
    if (!call || call[0] !== 'FuncCall') return true;
    const parts = list(call[1], 'funcname').map(sval).filter((part): part is string => part !== undefined);
    const verdict = classifyFunction(parts);
    names.add(parts.join('.'));
    if (verdict.sideEffects) fact.side_effects = true;
    if (verdict.privileged) fact.privileged_function = true;
    return true;
  });
  if (names.size > 0) fact.functions = [...names];
}
