// What one SQL statement is: its kind (select, delete, drop, copy-to ...), its action and the
// statement-specific fields rules match (where, delete_all, drop_kind, analyze, copy target).
import type { Action, FactValue } from '../types.js';
import { dotted, isNode, list, sval, unwrap, walk, type AstNode } from './sql-ast.js';

export interface StatementInfo {
  kind: string;
  action: Action;
  fields: Record<string, FactValue>;
  /** Set when the statement's effect cannot be judged from the text (DO, CALL, EXECUTE). */
  opaqueReason?: string;
}

type Describe = (node: AstNode) => StatementInfo;

const info = (kind: string, action: Action, fields: Record<string, FactValue> = {}): StatementInfo => ({ kind, action, fields });

const opaque = (kind: string, reason: string): StatementInfo => ({ kind, action: 'exec', fields: {}, opaqueReason: reason });

/** OBJECT_FOREIGN_TABLE -> foreign-table (OBJECT_MATVIEW -> materialized-view). */
function objectKind(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const kind = value.replace(/^OBJECT_/, '').toLowerCase().replace(/_/g, '-');
  return kind === 'matview' ? 'materialized-view' : kind;
}

/** CreateForeignTableStmt -> foreign-table. */
function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** True when a WHERE clause references no column: `WHERE true`, `WHERE 1 = 1` hit every row (or none). */
function isConstantCondition(where: unknown): boolean {
  let columns = false;
  walk(where, (node) => {
    if ('ColumnRef' in node || 'CurrentOfExpr' in node) columns = true;
    return !columns;
  });
  return !columns;
}

/** where / <verb>_all fields shared by UPDATE and DELETE. */
function whereFields(node: AstNode, allField: string): Record<string, FactValue> {
  const where = node.whereClause;
  if (where === undefined) return { [allField]: true };
  if (isConstantCondition(where)) return { where: true, where_constant: true, [allField]: true };
  return { where: true };
}

/** A DefElem boolean option: `ANALYZE`, `ANALYZE true`, `ANALYZE off`. */
function defElemOn(option: unknown, name: string): boolean {
  const entry = unwrap(option);
  if (!entry || entry[0] !== 'DefElem' || entry[1].defname !== name) return false;
  const arg = unwrap(entry[1].arg);
  if (!arg) return true;
  const value = String(arg[1].sval ?? arg[1].ival ?? arg[1].boolval ?? '').toLowerCase();
  return !['false', 'off', '0', 'no'].includes(value);
}

/** Whether an EXPLAIN runs its statement. */
export function explainAnalyzes(node: AstNode): boolean {
  return list(node, 'options').some((option) => defElemOn(option, 'analyze'));
}

/** COPY: direction, file or program, server- or client-side. */
function describeCopy(node: AstNode): StatementInfo {
  const from = node.is_from === true;
  const program = node.is_program === true;
  const filename = typeof node.filename === 'string' ? node.filename : undefined;
  const fields: Record<string, FactValue> = {};
  if (program && filename !== undefined) fields.copy_program = filename;
  else if (filename !== undefined) {
    fields.copy_file = filename;
    fields.server_file = true;
  } else fields.stdio = true;
  const kind = `copy-${from ? 'from' : 'to'}${program ? '-program' : ''}`;
  // COPY FROM PROGRAM runs a command on the server; COPY TO (anywhere) copies data out.
  const action: Action = from ? (program ? 'exec' : 'write') : 'export';
  return info(kind, action, fields);
}

function roleName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const entry = unwrap(value);
  const node = entry ? entry[1] : (value as AstNode | undefined);
  const name = node?.rolename ?? node?.priv_name;
  return typeof name === 'string' ? name : undefined;
}

function roleNames(values: readonly unknown[]): string[] {
  return values.map(roleName).filter((name): name is string => name !== undefined);
}

/** GRANT/REVOKE on objects and of role memberships. */
function describeGrant(node: AstNode, granted: string): StatementInfo {
  const grantees = roleNames(list(node, granted === 'grantees' ? 'grantees' : 'grantee_roles'));
  const fields: Record<string, FactValue> = { grantees };
  if (granted === 'granted_roles') fields.roles = roleNames(list(node, 'granted_roles'));
  else fields.privileges = list(node, 'privileges').map(roleName).filter((p): p is string => p !== undefined);
  if (grantees.length === 0) delete fields.grantees;
  return info(node.is_grant === true ? 'grant' : 'revoke', 'privilege', fields);
}

const TRANSACTION_KINDS: Record<string, [string, Action]> = {
  TRANS_STMT_BEGIN: ['begin', 'read'],
  TRANS_STMT_START: ['begin', 'read'],
  TRANS_STMT_COMMIT: ['commit', 'read'],
  TRANS_STMT_ROLLBACK: ['rollback', 'read'],
  TRANS_STMT_SAVEPOINT: ['savepoint', 'read'],
  TRANS_STMT_RELEASE: ['release', 'read'],
  TRANS_STMT_ROLLBACK_TO: ['rollback', 'read'],
  // Two-phase commit outlives the session: it holds locks until someone resolves it.
  TRANS_STMT_PREPARE: ['prepare-transaction', 'write'],
  TRANS_STMT_COMMIT_PREPARED: ['commit-prepared', 'write'],
  TRANS_STMT_ROLLBACK_PREPARED: ['rollback-prepared', 'write'],
};

const EXPLICIT: Record<string, Describe> = {
  SelectStmt: (n) => (n.intoClause ? info('select-into', 'write') : info('select', 'read')),
  InsertStmt: () => info('insert', 'write'),
  UpdateStmt: (n) => info('update', 'write', whereFields(n, 'update_all')),
  DeleteStmt: (n) => info('delete', 'delete', whereFields(n, 'delete_all')),
  MergeStmt: (n) => {
    const deletes = list(n, 'mergeWhenClauses').some((c) => unwrap(c)?.[1].commandType === 'CMD_DELETE');
    return info('merge', deletes ? 'delete' : 'write');
  },
  TruncateStmt: (n) => info('truncate', 'delete', n.behavior === 'DROP_CASCADE' ? { cascade: true } : {}),
  DropStmt: (n) => {
    const fields: Record<string, FactValue> = { drop_kind: objectKind(n.removeType) ?? 'object' };
    if (n.behavior === 'DROP_CASCADE') fields.cascade = true;
    return info('drop', 'delete', fields);
  },
  DropdbStmt: () => info('drop', 'delete', { drop_kind: 'database' }),
  DropTableSpaceStmt: () => info('drop', 'delete', { drop_kind: 'tablespace' }),
  DropOwnedStmt: () => info('drop', 'delete', { drop_kind: 'owned' }),
  DropSubscriptionStmt: () => info('drop', 'delete', { drop_kind: 'subscription' }),
  DropUserMappingStmt: () => info('drop', 'privilege', { drop_kind: 'user-mapping' }),
  DropRoleStmt: (n) => info('drop-role', 'privilege', { roles: roleNames(list(n, 'roles')) }),
  CreateRoleStmt: (n) => info('create-role', 'privilege', { roles: roleNames([n.role]) }),
  AlterRoleStmt: (n) => info('alter-role', 'privilege', { roles: roleNames([n.role]) }),
  AlterRoleSetStmt: (n) => info('alter-role', 'privilege', { roles: roleNames([n.role]) }),
  GrantStmt: (n) => describeGrant(n, 'grantees'),
  GrantRoleStmt: (n) => describeGrant(n, 'granted_roles'),
  AlterDefaultPrivilegesStmt: (n) => {
    const grant = isNode(n.action) ? describeGrant(n.action, 'grantees') : info('grant', 'privilege');
    return { ...grant, fields: { ...grant.fields, default_privileges: true } };
  },
  AlterOwnerStmt: () => info('alter-owner', 'privilege'),
  ReassignOwnedStmt: () => info('reassign-owned', 'privilege'),
  CreatePolicyStmt: () => info('create', 'privilege', { create_kind: 'policy' }),
  AlterPolicyStmt: () => info('alter', 'privilege'),
  CreateUserMappingStmt: () => info('create', 'privilege', { create_kind: 'user-mapping' }),
  AlterUserMappingStmt: () => info('alter', 'privilege'),
  AlterTableStmt: (n) => {
    const subtypes = new Set(list(n, 'cmds').map((c) => unwrap(c)?.[1].subtype));
    // Ownership and row-level security decide who can read the table: access changes.
    if (subtypes.has('AT_ChangeOwner')) return info('alter-owner', 'privilege');
    if ([...subtypes].some((t) => typeof t === 'string' && /RowSecurity$/.test(t))) return info('alter', 'privilege', { row_security: true });
    return subtypes.has('AT_DropColumn') ? info('alter', 'delete', { drop_column: true }) : info('alter', 'write');
  },
  AlterSystemStmt: () => info('alter-system', 'write'),
  RenameStmt: () => info('alter', 'write', { rename: true }),
  IndexStmt: () => info('create', 'write', { create_kind: 'index' }),
  ViewStmt: () => info('create', 'write', { create_kind: 'view' }),
  RuleStmt: () => info('create', 'write', { create_kind: 'rule' }),
  DefineStmt: (n) => info('create', 'write', { create_kind: objectKind(n.kind) ?? 'object' }),
  CompositeTypeStmt: () => info('create', 'write', { create_kind: 'type' }),
  CreateTableAsStmt: (n) =>
    info('create', 'write', { create_kind: n.objtype === 'OBJECT_MATVIEW' ? 'materialized-view' : 'table' }),
  CreateStmt: () => info('create', 'write', { create_kind: 'table' }),
  CreatedbStmt: () => info('create', 'write', { create_kind: 'database' }),
  CopyStmt: describeCopy,
  DoStmt: () => opaque('do', 'DO block: its procedural body cannot be judged'),
  CallStmt: () => opaque('call', 'CALL: the procedure body cannot be judged'),
  ExecuteStmt: () => opaque('execute', 'EXECUTE of a prepared statement that cannot be seen'),
  LoadStmt: () => opaque('load', 'LOAD of a shared library runs native code'),
  ExplainStmt: (n) => info('explain', 'read', explainAnalyzes(n) ? { analyze: true } : {}),
  VariableShowStmt: () => info('show', 'read'),
  VariableSetStmt: (n) => info(String(n.kind).startsWith('VAR_RESET') ? 'reset' : 'set', 'read'),
  ConstraintsSetStmt: () => info('set', 'read'),
  DiscardStmt: () => info('discard', 'read'),
  TransactionStmt: (n) => {
    const [kind, action] = TRANSACTION_KINDS[String(n.kind)] ?? ['transaction', 'write'];
    return info(kind, action);
  },
  PrepareStmt: () => info('prepare', 'read'),
  DeallocateStmt: () => info('deallocate', 'read'),
  DeclareCursorStmt: () => info('declare', 'read'),
  FetchStmt: () => info('fetch', 'read'),
  ClosePortalStmt: () => info('close', 'read'),
  ListenStmt: () => info('listen', 'read'),
  UnlistenStmt: () => info('unlisten', 'read'),
  NotifyStmt: () => info('notify', 'write'),
  VacuumStmt: (n) => info(n.is_vacuumcmd === true ? 'vacuum' : 'analyze', 'write'),
  ReindexStmt: () => info('reindex', 'write'),
  ClusterStmt: () => info('cluster', 'write'),
  RefreshMatViewStmt: () => info('refresh', 'write'),
  CheckPointStmt: () => info('checkpoint', 'write'),
  LockStmt: () => info('lock', 'write'),
  CommentStmt: () => info('comment', 'write'),
  SecLabelStmt: () => info('security-label', 'write'),
  ImportForeignSchemaStmt: () => info('create', 'write', { create_kind: 'foreign-schema' }),
};

/** Classify one statement node by its libpg-query type name; unknown types are opaque. */
export function describeStatement(type: string, node: AstNode): StatementInfo {
  const explicit = EXPLICIT[type];
  if (explicit) return explicit(node);
  const create = /^Create(\w+)Stmt$/.exec(type);
  if (create) return info('create', 'write', { create_kind: kebab(create[1]!) });
  if (/^Alter\w+Stmt$/.test(type)) return info('alter', 'write');
  const drop = /^Drop(\w+)Stmt$/.exec(type);
  if (drop) return info('drop', 'delete', { drop_kind: kebab(drop[1]!) });
  return opaque(kebab(type.replace(/Stmt$/, '')), `unrecognized SQL statement ${type}`);
}

/** Names a statement acts on that are not relations (DROP SCHEMA s, DROP DATABASE d ...). */
export function namedObjects(type: string, node: AstNode): string[] {
  if (type === 'DropdbStmt' || type === 'CreatedbStmt') return typeof node.dbname === 'string' ? [node.dbname] : [];
  if (type !== 'DropStmt' && type !== 'GrantStmt') return [];
  const names: string[] = [];
  for (const object of list(node, 'objects')) {
    const direct = sval(object);
    if (direct !== undefined) names.push(direct);
    const entry = unwrap(object);
    if (!entry) continue;
    const [kind, inner] = entry;
    const name =
      kind === 'List' ? dotted(list(inner, 'items'))
      : kind === 'ObjectWithArgs' ? dotted(list(inner, 'objname'))
      : kind === 'TypeName' ? dotted(list(inner, 'names'))
      : undefined;
    if (name !== undefined) names.push(name);
  }
  return names;
}
