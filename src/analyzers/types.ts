// The fact model: what analyzers produce and what rules match.

/** What a command does to its resource. Rules and classification labels key on it. */
export type Action = 'read' | 'write' | 'delete' | 'export' | 'privilege' | 'exec' | 'infra';

export const ACTIONS: readonly Action[] = ['read', 'write', 'delete', 'export', 'privilege', 'exec', 'infra'];

export type FactValue = string | number | boolean | string[] | undefined;

/**
 * One normalized observation about a command. A command yields one fact per thing it does
 * (an `aws s3 cp s3://a/x s3://b/y` yields an export of the source and a write of the
 * destination; a psql script yields one fact per statement).
 *
 * Field conventions (rules match these names):
 * - program: normalized program name (basename, no leading backslash), e.g. "kubectl".
 * - args: the arguments after the program, as given (for `match.args`).
 * - action: see Action.
 * - uri: the resource URI (s3://bucket/key, gs://..., postgres://host/db, kube://context/namespace).
 * - target: the short name a reviewer must type to confirm a high-risk approval
 *   (namespace, bucket, database, context).
 * - opaque: true when the command cannot be understood; opaque_reason says why.
 * - via: wrappers this command was reached through, outermost first (["bash", "sudo"]).
 * - classification: labels from `classify` lists (filled in by the policy, not by analyzers).
 * Booleans default to false when absent. Other fields are analyzer specific (verb, resource,
 * service, operation, statement, ...), documented in each analyzer.
 */
export interface Fact {
  program: string;
  action: Action;
  args?: string[];
  uri?: string;
  target?: string;
  opaque?: boolean;
  opaque_reason?: string;
  via?: string[];
  classification?: string[];
  [field: string]: FactValue;
}

/** Environment a command runs with; analyzers read PG*, AWS_PROFILE, KUBECONFIG and the like. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface SqlStatement {
  /** Lower-case kind: select, insert, update, delete, truncate, drop, alter, grant, ... */
  kind: string;
  node: unknown;
}

/** Lazily loaded parsers; the allow path of a simple command loads neither. */
export interface Parsers {
  /** Parse SQL with the real Postgres parser; throws on a syntax error. */
  sql(text: string): Promise<{ stmts: Array<{ stmt: Record<string, unknown> }> }>;
  /** Parse a shell script with tree-sitter-bash; returns the root node. */
  bash(text: string): Promise<BashNode>;
}

/** The subset of a tree-sitter node the shell analyzer uses. */
export interface BashNode {
  type: string;
  text: string;
  hasError: boolean;
  isNamed: boolean;
  namedChildren: BashNode[];
  children: BashNode[];
  childForFieldName(name: string): BashNode | null;
  childrenForFieldName(name: string): BashNode[];
}

export interface AnalyzeContext {
  env: Env;
  /** kubectl's current context from the kubeconfig, resolved by the caller (analyzers do no I/O). */
  kubeContext?: string;
  parsers: Parsers;
  /** Wrappers already traversed, outermost first. */
  via: string[];
  /**
   * Analyze a nested command (the inner command of sudo, kubectl exec, ...). `wrapper` is
   * appended to `via`; pass undefined for a command at the same level (a shell's commands).
   */
  analyze(argv: string[], wrapper: string | undefined, env?: Env): Promise<Fact[]>;
  /** Analyze a shell script (the string of `sh -c`, `ssh host CMD`, ...). */
  analyzeScript(script: string, wrapper: string): Promise<Fact[]>;
}

/**
 * An analyzer turns `argv` (argv[0] is the program as typed) into facts. It must not throw
 * on odd input: anything it cannot understand becomes an opaque fact.
 */
export type Analyzer = (argv: string[], ctx: AnalyzeContext) => Fact[] | Promise<Fact[]>;
