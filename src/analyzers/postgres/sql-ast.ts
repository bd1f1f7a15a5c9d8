// Small readers over libpg-query's JSON AST, where every node is `{ TypeName: { ...fields } }`
// inside lists and a bare `{ ...fields }` where the field's type is fixed (DeleteStmt.relation).

export type AstNode = Record<string, unknown>;

/** A plain JSON object (not an array, not null). */
export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ DeleteStmt: {...} }` -> ['DeleteStmt', {...}]; anything else -> undefined. */
export function unwrap(value: unknown): [string, AstNode] | undefined {
  if (!isNode(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const inner = value[keys[0]!];
  return isNode(inner) ? [keys[0]!, inner] : undefined;
}

/** The array stored under `key`, or an empty one. */
export function list(node: AstNode, key: string): unknown[] {
  const value = node[key];
  return Array.isArray(value) ? value : [];
}

/** The string value of a `{ String: { sval } }` node. */
export function sval(value: unknown): string | undefined {
  const entry = unwrap(value);
  if (!entry || entry[0] !== 'String') return undefined;
  const text = entry[1].sval;
  return typeof text === 'string' ? text : undefined;
}

/** Dotted name from a list of String nodes (['public', 'users'] -> 'public.users'). */
export function dotted(items: readonly unknown[]): string | undefined {
  const parts = items.map(sval);
  if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
  return parts.join('.');
}

/** Depth-first visit of every object in the tree; `visit` returns false to skip a subtree. */
export function walk(value: unknown, visit: (node: AstNode) => boolean): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (!isNode(value)) return;
  if (!visit(value)) return;
  for (const child of Object.values(value)) walk(child, visit);
}
