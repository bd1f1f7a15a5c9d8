// kubectl verbs with a subcommand of their own: config, auth, create GENERATOR, apply
// view-last-applied, rollout, set, top, certificate, cluster-info, plugin.
import { flag, last } from '../options.js';
import { opaqueFact } from '../opaque.js';
import type { Action, Fact } from '../types.js';
import { normalizeKind } from './kube-kinds.js';
import { baseFact, resourceFact, type KubeInvocation } from './kube-invocation.js';
import { resourceVerbFacts } from './kube-resources.js';
import { clusterPlace } from './kube-target.js';

const CONFIG_READS = new Set(['view', 'get-contexts', 'current-context', 'get-clusters', 'get-users']);
const CONFIG_WRITES = new Set([
  'use-context', 'use', 'set-context', 'set-cluster', 'set-credentials', 'set', 'unset',
  'delete-context', 'delete-cluster', 'delete-user', 'rename-context',
]);

/** `kubectl config SUB`: the local kubeconfig. `view --raw` prints credentials. */
export function configFacts(inv: KubeInvocation, args: string[]): Fact[] {
  const [sub, ...rest] = inv.scan.positionals;
  if (sub === undefined) return [baseFact(inv, 'read', { subcommand: 'help' })];
  if (CONFIG_READS.has(sub)) {
    const fact = baseFact(inv, 'read', { subcommand: sub });
    // --raw and --flatten print credentials (tokens, client keys) instead of REDACTED.
    if (sub === 'view' && (flag(inv.scan.parsed, 'raw_config') || flag(inv.scan.parsed, 'flatten'))) fact.secret = true;
    return [fact];
  }
  if (CONFIG_WRITES.has(sub)) return [baseFact(inv, 'write', { subcommand: sub, ...(rest.length > 0 ? { names: rest } : {}) })];
  return [opaqueFact('kubectl', args, inv.ctx.via, `unknown kubectl config subcommand ${sub}`)];
}

/** `kubectl auth can-i|whoami` look; `auth reconcile` writes RBAC. */
export function authFacts(inv: KubeInvocation, args: string[]): Fact[] {
  const sub = inv.scan.positionals[0];
  if (sub === 'can-i' || sub === 'whoami' || sub === undefined) return [baseFact(inv, 'read', { subcommand: sub ?? 'help', ...clusterPlace(inv.scope) })];
  if (sub === 'reconcile') return resourceVerbFacts(inv, 'privilege', [], { subcommand: sub });
  return [opaqueFact('kubectl', args, inv.ctx.via, `unknown kubectl auth subcommand ${sub}`)];
}

/** `kubectl create GENERATOR` spellings -> [kind, whether a type word follows (secret generic)]. */
const GENERATORS: Record<string, boolean> = {
  clusterrole: false, clusterrolebinding: false, configmap: false, cm: false, cronjob: false, cj: false,
  deployment: false, deploy: false, ingress: false, ing: false, job: false, namespace: false, ns: false,
  poddisruptionbudget: false, pdb: false, priorityclass: false, pc: false, quota: false, resourcequota: false,
  role: false, rolebinding: false, secret: true, service: true, svc: true, serviceaccount: false, sa: false, token: false,
};

/** `kubectl create -f FILE` or `kubectl create GENERATOR NAME`; RBAC objects and tokens grant access. */
export function createFacts(inv: KubeInvocation, args: string[]): Fact[] {
  const [generator, ...rest] = inv.scan.positionals;
  if (generator === undefined) return resourceVerbFacts(inv, 'infra', []);
  if (!(generator in GENERATORS)) return [opaqueFact('kubectl', args, inv.ctx.via, `unknown kubectl create subcommand ${generator}`)];
  const extra: Partial<Fact> = { subcommand: generator };
  let names = rest;
  if (GENERATORS[generator] && rest.length > 0) {
    extra[generator === 'secret' ? 'secret_type' : 'service_type'] = rest[0]!.toLowerCase();
    names = rest.slice(1);
  }
  if (generator === 'token') {
    // Minting a service account token hands out that account's access.
    return resourceVerbFacts(inv, 'privilege', ['serviceaccount', ...names], { ...extra, token: true });
  }
  const kind = normalizeKind(generator);
  if (kind === 'rolebinding' || kind === 'clusterrolebinding') Object.assign(extra, bindingFields(inv));
  return resourceVerbFacts(inv, 'infra', [kind, ...names], extra);
}

/** What a new role binding grants, and to whom. */
function bindingFields(inv: KubeInvocation): Partial<Fact> {
  const p = inv.scan.parsed;
  const fields: Partial<Fact> = {};
  const role = last(p, 'clusterrole') ?? last(p, 'role');
  if (role !== undefined) fields.role = role;
  const subjects = [
    ...(p.values.get('user') ?? []).map((u) => `user:${u}`),
    ...(p.values.get('group') ?? []).map((g) => `group:${g}`),
    ...(p.values.get('serviceaccount') ?? []).map((s) => `serviceaccount:${s}`),
  ];
  if (subjects.length > 0) fields.subjects = subjects;
  return fields;
}

/** `kubectl apply view-last-applied` only looks; the other apply subcommands write. */
export function applyFacts(inv: KubeInvocation): Fact[] {
  const [first, ...rest] = inv.scan.positionals;
  if (first === 'view-last-applied') return resourceVerbFacts(inv, 'read', rest, { subcommand: first });
  if (first === 'set-last-applied' || first === 'edit-last-applied') return resourceVerbFacts(inv, 'infra', rest, { subcommand: first });
  return resourceVerbFacts(inv, 'infra', inv.scan.positionals);
}

const ROLLOUT_READS = new Set(['status', 'history']);
const ROLLOUT_WRITES = new Set(['restart', 'undo', 'pause', 'resume']);

/** `kubectl rollout SUB RESOURCE`: status/history look, the rest change workloads. */
export function rolloutFacts(inv: KubeInvocation, args: string[]): Fact[] {
  const [sub, ...rest] = inv.scan.positionals;
  if (sub !== undefined && ROLLOUT_READS.has(sub)) return resourceVerbFacts(inv, 'read', rest, { subcommand: sub });
  if (sub !== undefined && ROLLOUT_WRITES.has(sub)) return resourceVerbFacts(inv, 'infra', rest, { subcommand: sub });
  return [opaqueFact('kubectl', args, inv.ctx.via, `unknown kubectl rollout subcommand ${sub ?? '(none)'}`)];
}

const SET_SUBCOMMANDS = new Set(['image', 'env', 'resources', 'selector', 'serviceaccount', 'sa', 'subject']);

/** `kubectl set SUB RESOURCE ...`; `set subject` changes who a role binding grants to. */
export function setFacts(inv: KubeInvocation, args: string[]): Fact[] {
  const [sub, ...rest] = inv.scan.positionals;
  if (sub === undefined || !SET_SUBCOMMANDS.has(sub)) return [opaqueFact('kubectl', args, inv.ctx.via, `unknown kubectl set subcommand ${sub ?? '(none)'}`)];
  let targets = withoutAssignments(rest);
  // `kubectl set serviceaccount deploy web SA`: the last word is the account, not a target.
  if ((sub === 'serviceaccount' || sub === 'sa') && targets.length > 1) targets = targets.slice(0, -1);
  const action: Action = sub === 'subject' ? 'privilege' : 'infra';
  return resourceVerbFacts(inv, action, targets, { subcommand: sub === 'sa' ? 'serviceaccount' : sub });
}

/** Drop `key=value`, `key-` and `key:Effect` words (labels, env, taints) from resource arguments. */
export function withoutAssignments(words: readonly string[]): string[] {
  return words.filter((word, i) => i === 0 || !(word.includes('=') || word.includes(':') || word.endsWith('-')));
}

/** `kubectl top node|pod [NAME]`. */
export function topFacts(inv: KubeInvocation): Fact[] {
  return resourceVerbFacts(inv, 'read', inv.scan.positionals);
}

/** `kubectl certificate approve|deny CSR`: approving a CSR issues a cluster identity. */
export function certificateFacts(inv: KubeInvocation, args: string[]): Fact[] {
  const [sub, ...names] = inv.scan.positionals;
  if (sub !== 'approve' && sub !== 'deny') return [opaqueFact('kubectl', args, inv.ctx.via, `unknown kubectl certificate subcommand ${sub ?? '(none)'}`)];
  return [resourceFact(inv, 'privilege', 'certificatesigningrequest', names, { subcommand: sub })];
}

/** `kubectl cluster-info` looks; `cluster-info dump` copies the cluster's state and logs out. */
export function clusterInfoFacts(inv: KubeInvocation): Fact[] {
  const dump = inv.scan.positionals[0] === 'dump';
  return [baseFact(inv, dump ? 'export' : 'read', { ...clusterPlace(inv.scope), ...(dump ? { subcommand: 'dump' } : {}) })];
}

/** `kubectl plugin list` looks; anything else is a plugin we cannot see into. */
export function pluginFacts(inv: KubeInvocation, args: string[]): Fact[] {
  if (inv.scan.positionals[0] === 'list') return [baseFact(inv, 'read', { subcommand: 'list' })];
  return [opaqueFact('kubectl', args, inv.ctx.via, 'kubectl plugin subcommand')];
}
