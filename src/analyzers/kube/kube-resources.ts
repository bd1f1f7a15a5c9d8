// Facts for kubectl's resource verbs (get, delete, apply, scale, ...): one fact per kind
// named, and one per namespace when namespaces themselves are the resource.
import { flag, has, last } from '../options.js';
import type { Action, Fact } from '../types.js';
import { parseResourceArgs, RBAC_KINDS } from './kube-kinds.js';
import { baseFact, resourceFact, sourceFields, type KubeInvocation } from './kube-invocation.js';
import { parseRawPath } from './kube-raw.js';
import { namespacedPlace } from './kube-target.js';

/** Verbs whose change to an RBAC object grants or alters access. */
const RBAC_WRITE_VERBS = new Set(['create', 'apply', 'replace', 'patch', 'edit']);

/** Facts for a verb acting on `TYPE NAME...` / `TYPE/NAME` arguments (or -f files). */
export function resourceVerbFacts(inv: KubeInvocation, action: Action, positionals: readonly string[], extra: Partial<Fact> = {}): Fact[] {
  const common: Partial<Fact> = { ...sourceFields(inv.scan), ...modifierFields(inv), ...extra };
  const raw = last(inv.scan.parsed, 'raw');
  if (raw !== undefined) {
    // --raw sends the request as is: --dry-run does not apply to it.
    const { dry_run: _ignored, ...rawCommon } = common;
    // A raw path through a `proxy` subresource reaches the pod, service or kubelet behind it.
    return [rawFact({ ...inv, dryRun: false }, raw.split('?')[0]!.split('/').includes('proxy') ? 'exec' : action, raw, rawCommon)];
  }
  const refs = parseResourceArgs(positionals);
  if (refs.length === 0) {
    // `get -f -`, `-f URL`, `-k DIR`: the kinds come from files gate cannot read, secrets maybe.
    if (common.files !== undefined && revealsValues(inv, action)) return [resourceFact(inv, 'export', undefined, [], { ...common, secret: true })];
    return [resourceFact(inv, action, undefined, [], common)];
  }
  const facts: Fact[] = [];
  for (const ref of refs) {
    const fields: Partial<Fact> = { ...common };
    if (ref.resource === 'secret') fields.secret = true;
    const refAction: Action =
      ref.resource === 'secret' && revealsValues(inv, action)
        ? 'export'
        : RBAC_KINDS.has(ref.resource) && RBAC_WRITE_VERBS.has(inv.verb) && action !== 'read'
          ? 'privilege'
          : action;
    if (ref.resource === 'namespace' && ref.names.length > 0) {
      // Each namespace is its own target: `kubectl delete ns a b` destroys two of them.
      for (const name of ref.names) facts.push({ ...resourceFact(inv, refAction, 'namespace', [name], fields), ...namespacedPlace(inv.scope, name) });
    } else {
      facts.push(resourceFact(inv, refAction, ref.resource, ref.names, fields));
    }
  }
  return facts;
}

/** Output formats of `kubectl get` that print only names and metadata, not secret values. */
const METADATA_OUTPUTS = new Set(['wide', 'name']);

/**
 * `kubectl get secret -o yaml|json|jsonpath=...` prints the secret's values: an export of the
 * data (so one rule on `action: export` covers it); the default table and `describe` show only
 * names and sizes.
 */
/** `kubectl get -o yaml|json|jsonpath=...|go-template=...` prints whole objects, values included. */
function revealsValues(inv: KubeInvocation, action: Action): boolean {
  if (action !== 'read' || inv.verb !== 'get') return false;
  const output = last(inv.scan.parsed, 'output');
  return output !== undefined && !METADATA_OUTPUTS.has(output.toLowerCase());
}

/** Flags that change what a mutation does: --all, --force, --prune, --replicas, ... */
function modifierFields(inv: KubeInvocation): Partial<Fact> {
  const p = inv.scan.parsed;
  const fields: Partial<Fact> = {};
  if (flag(p, 'all') || (inv.verb === 'delete' && inv.scope.allNamespaces)) fields.all = true;
  if (flag(p, 'force') || flag(p, 'force_conflicts')) fields.force = true;
  if (flag(p, 'prune')) fields.prune = true;
  if (flag(p, 'server_side')) fields.server_side = true;
  const grace = last(p, 'grace_period');
  if (grace !== undefined && /^-?\d+$/.test(grace)) fields.grace_period = Number(grace);
  const cascade = last(p, 'cascade');
  if (cascade !== undefined) fields.cascade = cascade === '' ? 'background' : cascade.toLowerCase();
  const replicas = last(p, 'replicas');
  if (replicas !== undefined) fields.replicas = /^\d+$/.test(replicas) ? Number(replicas) : replicas;
  if (has(p, 'interactive') && inv.verb === 'delete') fields.interactive = true;
  return fields;
}

/** `--raw /api/v1/namespaces/prod/secrets/x`: the fact names what the path addresses. */
function rawFact(inv: KubeInvocation, action: Action, path: string, common: Partial<Fact>): Fact {
  const target = parseRawPath(path);
  const fields: Partial<Fact> = { ...common, raw: path };
  if (!target) return baseFact(inv, action, { ...fields, uri: `kube://${inv.scope.context}`, target: inv.scope.context });
  if (target.resource === 'secret') fields.secret = true;
  // A raw GET of a secret returns its data: the values leave the cluster.
  if (target.resource === 'secret' && action === 'read') action = 'export';
  if (target.resource === 'unknown') return baseFact(inv, action, { ...fields, opaque: true, opaque_reason: `the raw path ${path} cannot be judged`, uri: `kube://${inv.scope.context}`, target: inv.scope.context });
  const names = target.name !== undefined ? [target.name] : [];
  if (target.resource === 'namespace' && target.name !== undefined) {
    return { ...resourceFact(inv, action, 'namespace', names, fields), ...namespacedPlace(inv.scope, target.name) };
  }
  const fact = resourceFact(inv, action, target.resource, names, fields);
  if (target.namespace !== undefined) return { ...fact, ...namespacedPlace(inv.scope, target.namespace) };
  // A namespaced kind without a namespace in the path spans every namespace.
  return fact.namespace !== undefined ? { ...fact, ...namespacedPlace(inv.scope, '*'), all_namespaces: true } : fact;
}
