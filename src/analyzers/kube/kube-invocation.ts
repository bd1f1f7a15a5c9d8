// One parsed kubectl command line, and the fact builder every verb handler shares, so each
// fact carries the same verb, context, dry-run and place fields.
import { has, last } from '../options.js';
import type { ScannedArgs } from '../scan-args.js';
import type { Action, AnalyzeContext, Fact } from '../types.js';
import { isClusterScoped } from './kube-kinds.js';
import { clusterPlace, namespacedPlace, type KubeScope } from './kube-target.js';

export interface KubeInvocation {
  verb: string;
  /** The verb's arguments: global options removed, positionals and values parsed. */
  scan: ScannedArgs;
  scope: KubeScope;
  dryRun: boolean;
  ctx: AnalyzeContext;
}

/** The first fields of every kubectl fact. */
export function baseFact(inv: KubeInvocation, action: Action, extra: Partial<Fact> = {}): Fact {
  const fact: Fact = { program: 'kubectl', action, verb: inv.verb, context: inv.scope.context };
  if (inv.dryRun) fact.dry_run = true;
  return Object.assign(fact, extra);
}

/** A fact about `resource` (optionally some names of it), placed in the right scope. */
export function resourceFact(inv: KubeInvocation, action: Action, resource: string | undefined, names: string[], extra: Partial<Fact> = {}): Fact {
  const fact = baseFact(inv, action);
  if (resource !== undefined) fact.resource = resource;
  if (names.length > 0) fact.names = names;
  const place = resource !== undefined && isClusterScoped(resource) ? clusterPlace(inv.scope) : namespacedPlace(inv.scope);
  Object.assign(fact, place);
  if (inv.scope.allNamespaces) fact.all_namespaces = true;
  return Object.assign(fact, extra);
}

/** `--dry-run`, `--dry-run=client|server|true` are dry runs; `none`/`false` are not. */
export function isDryRun(scan: ScannedArgs): boolean {
  const value = last(scan.parsed, 'dry_run');
  if (value === undefined) return false;
  return value === '' || value === 'client' || value === 'server' || value === 'true';
}

/** The -f/--filename and -k/--kustomize sources, when given. */
export function sourceFields(scan: ScannedArgs): Partial<Fact> {
  const files = [...(scan.parsed.values.get('filename') ?? []), ...(scan.parsed.values.get('kustomize') ?? [])];
  const extra: Partial<Fact> = {};
  if (files.length > 0) extra.files = files;
  if (files.includes('-')) extra.from_stdin = true;
  if (has(scan.parsed, 'kustomize')) extra.kustomize = true;
  const selector = last(scan.parsed, 'selector');
  if (selector !== undefined) extra.selector = selector;
  return extra;
}
