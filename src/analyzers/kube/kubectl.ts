// Analyzer for kubectl: global options anywhere, the verb, resource kinds and names,
// namespace, context, --all, --dry-run; `kubectl exec` inner commands analyzed recursively.
//
// Fields: verb, subcommand, resource (canonical singular kind), names, namespace, context,
// uri (kube://context[/namespace]), target, dry_run, all, all_namespaces, force, prune,
// replicas (number), grace_period, cascade, secret, files, selector, raw, container, command,
// interactive, image, role, subjects, token, impersonate (--as), kubeconfig (--kubeconfig).
import { flag, last } from '../options.js';
import { opaqueFact } from '../opaque.js';
import { scanArgs, type ScannedArgs } from '../scan-args.js';
import type { Action, AnalyzeContext, Analyzer, Fact } from '../types.js';
import { baseFact, isDryRun, type KubeInvocation } from './kube-invocation.js';
import { cpFacts, execFacts, proxyFacts, runFacts, workloadFacts } from './kube-exec.js';
import { GLOBAL_TABLE, tableFor } from './kube-flags.js';
import { resourceVerbFacts } from './kube-resources.js';
import {
  applyFacts, authFacts, certificateFacts, clusterInfoFacts, configFacts, createFacts, pluginFacts,
  rolloutFacts, setFacts, topFacts, withoutAssignments,
} from './kube-subcommands.js';
import { clusterPlace, resolveContext, type KubeScope } from './kube-target.js';
import { splitAtVerb } from './verb-split.js';

type Handler = (inv: KubeInvocation, args: string[]) => Fact[] | Promise<Fact[]>;

const resources = (action: Action): Handler => (inv) => resourceVerbFacts(inv, action, inv.scan.positionals);
const assigning = (action: Action): Handler => (inv) => resourceVerbFacts(inv, action, withoutAssignments(inv.scan.positionals));
const clusterRead: Handler = (inv) => [baseFact(inv, 'read', clusterPlace(inv.scope))];
const localRead: Handler = (inv) => [baseFact(inv, 'read')];

/** `kubectl logs POD [CONTAINER]` or `kubectl logs TYPE/NAME`. */
const logsFacts: Handler = (inv) => {
  const first = inv.scan.positionals[0];
  const fact = resourceVerbFacts(inv, 'read', first === undefined ? ['pod'] : first.includes('/') ? [first] : ['pod', first]);
  const container = last(inv.scan.parsed, 'container') ?? inv.scan.positionals[1];
  return container === undefined ? fact : fact.map((f) => ({ ...f, container }));
};

const VERBS: Record<string, Handler> = {
  get: resources('read'),
  describe: resources('read'),
  wait: resources('read'),
  diff: resources('read'),
  events: resources('read'),
  logs: logsFacts,
  top: topFacts,
  explain: clusterRead,
  version: clusterRead,
  'api-resources': clusterRead,
  'api-versions': clusterRead,
  'cluster-info': clusterInfoFacts,
  completion: localRead,
  options: localRead,
  help: localRead,
  kustomize: localRead,
  plugin: pluginFacts,
  config: configFacts,
  auth: authFacts,
  certificate: certificateFacts,
  delete: resources('delete'),
  apply: applyFacts,
  create: createFacts,
  replace: resources('infra'),
  patch: resources('infra'),
  edit: resources('infra'),
  scale: resources('infra'),
  autoscale: resources('infra'),
  expose: resources('infra'),
  label: assigning('infra'),
  annotate: assigning('infra'),
  taint: assigning('infra'),
  set: setFacts,
  rollout: rolloutFacts,
  drain: (inv) => resourceVerbFacts(inv, 'infra', ['node', ...inv.scan.positionals]),
  cordon: (inv) => resourceVerbFacts(inv, 'infra', ['node', ...inv.scan.positionals]),
  uncordon: (inv) => resourceVerbFacts(inv, 'infra', ['node', ...inv.scan.positionals]),
  exec: execFacts,
  attach: workloadFacts,
  'port-forward': workloadFacts,
  debug: workloadFacts,
  run: runFacts,
  proxy: proxyFacts,
  cp: cpFacts,
};

/**
 * Who the command acts as and which kubeconfig it reads, for reviewers: --as impersonates,
 * and a kubeconfig of the caller's choosing can name an exec credential plugin.
 */
function connectionFields(scan: ScannedArgs): Partial<Fact> {
  const fields: Partial<Fact> = {};
  const as = last(scan.parsed, 'as');
  if (as !== undefined) fields.impersonate = as;
  const kubeconfig = last(scan.parsed, 'kubeconfig');
  if (kubeconfig !== undefined) fields.kubeconfig = kubeconfig;
  return fields;
}

/** Analyze `kubectl [global options] VERB [args]`. */
async function analyzeKubectl(argv: string[], ctx: AnalyzeContext): Promise<Fact[]> {
  const args = argv.slice(1);
  const opaque = (reason: string): Fact[] => [opaqueFact('kubectl', args, ctx.via, reason)];
  const split = splitAtVerb('kubectl', args, GLOBAL_TABLE);
  if ('unreadable' in split) return opaque(split.unreadable);
  const { globals, verb, verbArgs } = split;
  if (verb === undefined) {
    return [{ program: 'kubectl', action: 'read', verb: 'help', context: resolveContext(last(globals, 'context'), undefined, ctx.kubeContext) }];
  }
  const handler = Object.hasOwn(VERBS, verb) ? VERBS[verb]! : undefined;
  // An unknown verb may be a kubectl plugin (kubectl-<verb> on PATH): arbitrary code.
  if (!handler) return opaque(`unknown kubectl command ${verb}`);
  // `kubectl diff` runs KUBECTL_EXTERNAL_DIFF as its diff program.
  if (verb === 'diff' && ctx.env.KUBECTL_EXTERNAL_DIFF) return opaque('KUBECTL_EXTERNAL_DIFF runs a program');
  const scan = scanArgs(verbArgs, tableFor(verb));
  if (scan.ambiguous) return opaque(`unknown kubectl option ${scan.parsed.unknown[0] ?? ''}`.trim());
  if (['enable_alpha_plugins', 'enable_exec', 'enable_helm', 'helm_command'].some((k) => scan.parsed.values.has(k))) {
    return opaque('kustomize plugins run programs');
  }
  // Only exec and run give `--` a meaning of its own; elsewhere the words after it are positionals.
  if (verb !== 'exec' && verb !== 'run' && scan.afterDashDash !== undefined) {
    scan.positionals = [...scan.positionals, ...scan.afterDashDash];
    scan.afterDashDash = undefined;
  }
  const allNamespaces = flag(scan.parsed, 'all_namespaces');
  const scope: KubeScope = {
    context: resolveContext(last(scan.parsed, 'context'), undefined, ctx.kubeContext),
    namespace: allNamespaces ? '*' : last(scan.parsed, 'namespace') || 'default',
    allNamespaces,
  };
  const facts = await handler({ verb, scan, scope, dryRun: isDryRun(scan), ctx }, args);
  const withConnection = facts.map((fact) => (fact.opaque || fact.program !== 'kubectl' ? fact : { ...fact, ...connectionFields(scan) }));
  // A server named on the command line (or TLS checks off) receives the kubeconfig's
  // credentials: whatever the verb, that is not a read gate can vouch for.
  const redirected = ['server', 'insecure_skip_tls_verify'].find((k) => globals.values.has(k) || scan.parsed.values.has(k));
  if (redirected) withConnection.push(opaqueFact('kubectl', args, ctx.via, `--${redirected.replace(/_/g, '-')} sends the credentials to a server gate cannot vouch for`));
  // A kubeconfig named on the command line can hold an exec credential plugin (any program),
  // just like KUBECONFIG set by the command (launch-guards.ts); a read through it is not one.
  if (globals.values.has('kubeconfig') || scan.parsed.values.has('kubeconfig')) {
    withConnection.push(opaqueFact('kubectl', args, ctx.via, '--kubeconfig names a kubeconfig of the caller\'s choosing, whose exec credential plugin can run any program'));
  }
  return withConnection;
}

export const analyzers: Record<string, Analyzer> = { kubectl: analyzeKubectl };
