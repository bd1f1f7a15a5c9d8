// Analyzer for helm: global options anywhere, the verb (aliases normalized), release, chart,
// namespace and kube context, --dry-run.
//
// Fields: verb, subcommand, release, chart, revision, namespace, context, uri
// (kube://context/namespace), target (the release for release operations, else the
// namespace), dry_run, all_namespaces, secret (output can include rendered Secrets/values),
// impersonate (--kube-as-user), kubeconfig.
import { flag, last } from '../options.js';
import { opaqueFact } from '../opaque.js';
import { scanArgs, type ScannedArgs } from '../scan-args.js';
import type { Action, AnalyzeContext, Analyzer, Fact } from '../types.js';
import { GLOBAL_TABLE, helmTableFor } from './helm-flags.js';
import { namespacedPlace, resolveContext, type KubeScope } from './kube-target.js';
import { splitAtVerb } from './verb-split.js';

const ALIASES: Record<string, string> = {
  ls: 'list', del: 'uninstall', delete: 'uninstall', un: 'uninstall', hist: 'history', inspect: 'show',
  fetch: 'pull', dep: 'dependency', dependencies: 'dependency',
};

/** Verbs with a subcommand: which subcommands only look; the rest get `otherwise`. */
const NESTED: Record<string, { reads: string[]; otherwise: Action; known: string[] }> = {
  get: { reads: ['all', 'values', 'manifest', 'notes', 'hooks', 'metadata'], otherwise: 'read', known: [] },
  show: { reads: ['all', 'chart', 'readme', 'values', 'crds'], otherwise: 'read', known: [] },
  search: { reads: ['hub', 'repo'], otherwise: 'read', known: [] },
  repo: { reads: ['list', 'ls'], otherwise: 'write', known: ['add', 'update', 'up', 'remove', 'rm', 'index'] },
  dependency: { reads: ['list', 'ls'], otherwise: 'write', known: ['update', 'up', 'build'] },
  // A plugin's install hooks run code; `plugin uninstall` only removes files.
  plugin: { reads: ['list', 'ls'], otherwise: 'exec', known: ['install', 'update', 'up', 'uninstall', 'rm', 'remove', 'package', 'verify'] },
  registry: { reads: [], otherwise: 'write', known: ['login', 'logout'] },
};

/** `helm get` subcommands whose output can carry secret values. */
const SECRET_GETS = new Set(['all', 'values', 'manifest', 'hooks']);

const CLUSTER_READS = new Set(['list', 'status', 'history']);
const LOCAL_READS = new Set(['template', 'lint', 'version', 'env', 'verify', 'completion', 'help']);
const LOCAL_WRITES = new Set(['pull', 'package', 'create', 'push']);
const RELEASE_ACTIONS: Record<string, Action> = { install: 'infra', upgrade: 'infra', rollback: 'infra', uninstall: 'delete', test: 'exec' };

interface HelmInvocation {
  verb: string;
  scan: ScannedArgs;
  scope: KubeScope;
}

/** Verbs that never talk to the cluster: their facts carry no kube:// place. */
const LOCAL_VERBS = new Set([...LOCAL_READS, ...LOCAL_WRITES, 'show', 'search', 'repo', 'dependency', 'plugin', 'registry']);

function helmFact(h: HelmInvocation, action: Action, extra: Partial<Fact> = {}): Fact {
  const fact: Fact = { program: 'helm', action, verb: h.verb, context: h.scope.context };
  if (!LOCAL_VERBS.has(h.verb)) Object.assign(fact, namespacedPlace(h.scope));
  const dry = last(h.scan.parsed, 'dry_run');
  if (dry !== undefined && dry !== 'none' && dry !== 'false') fact.dry_run = true;
  if (h.scope.allNamespaces) fact.all_namespaces = true;
  const as = last(h.scan.parsed, 'kube_as_user');
  if (as !== undefined) fact.impersonate = as;
  const kubeconfig = last(h.scan.parsed, 'kubeconfig');
  if (kubeconfig !== undefined) fact.kubeconfig = kubeconfig;
  return Object.assign(fact, extra);
}

/** install/upgrade/rollback/uninstall/test: facts naming the release (one per uninstalled release). */
function releaseFacts(h: HelmInvocation, action: Action): Fact[] {
  const pos = h.scan.positionals;
  const release = (name: string | undefined, extra: Partial<Fact> = {}): Fact =>
    helmFact(h, action, name === undefined ? extra : { release: name, names: [name], target: name, ...extra });
  switch (h.verb) {
    case 'install':
      if (flag(h.scan.parsed, 'generate_name')) return [release(undefined, chartField(pos[0]))];
      return [release(pos[0], chartField(pos[1]))];
    case 'upgrade':
      return [release(pos[0], { ...chartField(pos[1]), ...(flag(h.scan.parsed, 'install') ? { install: true } : {}) })];
    case 'rollback':
      return [release(pos[0], pos[1] === undefined ? {} : { revision: pos[1] })];
    default:
      return pos.length === 0 ? [release(undefined)] : pos.map((name) => release(name));
  }
}

function chartField(chart: string | undefined): Partial<Fact> {
  return chart === undefined ? {} : { chart };
}

function nestedFacts(h: HelmInvocation, args: string[], via: string[]): Fact[] {
  const spec = NESTED[h.verb]!;
  const [sub, ...rest] = h.scan.positionals;
  const extra: Partial<Fact> = sub === undefined ? {} : { subcommand: sub };
  if (sub === undefined) return [helmFact(h, 'read', extra)];
  if (h.verb === 'get' && rest[0] !== undefined) Object.assign(extra, { release: rest[0], names: [rest[0]] });
  if (h.verb === 'get' && SECRET_GETS.has(sub)) extra.secret = true;
  if (spec.reads.includes(sub)) return [helmFact(h, 'read', extra)];
  if (spec.known.includes(sub)) return [helmFact(h, spec.otherwise, extra)];
  return [opaqueFact('helm', args, via, `unknown helm ${h.verb} subcommand ${sub}`)];
}

/**
 * Options that decide which credentials helm uses and where they go: a kubeconfig of the
 * caller's choosing can run an exec credential plugin (like KUBECONFIG set by the command),
 * and another API server (or TLS checks off) receives the kubeconfig's credentials.
 */
const CONNECTION_OPTIONS: Record<string, string> = {
  kubeconfig: '--kubeconfig names a kubeconfig of the caller\'s choosing, whose exec credential plugin can run any program',
  kube_apiserver: '--kube-apiserver sends the credentials to a server gate cannot vouch for',
  kube_insecure_skip_tls_verify: '--kube-insecure-skip-tls-verify sends the credentials to a server gate cannot vouch for',
};

/** Analyze `helm [global options] VERB [args]`. */
function analyzeHelm(argv: string[], ctx: AnalyzeContext): Fact[] {
  const facts = helmFacts(argv, ctx);
  const args = argv.slice(1);
  const split = splitAtVerb('helm', args, GLOBAL_TABLE);
  if ('unreadable' in split) return facts; // already opaque
  // verbArgs holds the global options given before the verb too.
  const { parsed } = scanArgs(split.verbArgs, helmTableFor(split.verb === undefined ? 'help' : ALIASES[split.verb] ?? split.verb));
  for (const [option, reason] of Object.entries(CONNECTION_OPTIONS)) {
    if (parsed.values.has(option)) facts.push(opaqueFact('helm', args, ctx.via, reason));
  }
  return facts;
}

function helmFacts(argv: string[], ctx: AnalyzeContext): Fact[] {
  const args = argv.slice(1);
  const opaque = (reason: string): Fact[] => [opaqueFact('helm', args, ctx.via, reason)];
  const split = splitAtVerb('helm', args, GLOBAL_TABLE);
  if ('unreadable' in split) return opaque(split.unreadable);
  const verb = split.verb === undefined ? 'help' : ALIASES[split.verb] ?? split.verb;
  const scan = scanArgs(split.verbArgs, helmTableFor(verb));
  if (scan.ambiguous) return opaque(`unknown helm option ${scan.parsed.unknown[0] ?? ''}`.trim());
  scan.positionals = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  if (scan.parsed.values.has('post_renderer')) return opaque('--post-renderer runs a local program');
  const allNamespaces = flag(scan.parsed, 'all_namespaces');
  const scope: KubeScope = {
    context: resolveContext(last(scan.parsed, 'kube_context'), ctx.env.HELM_KUBECONTEXT, ctx.kubeContext),
    namespace: allNamespaces ? '*' : last(scan.parsed, 'namespace') || ctx.env.HELM_NAMESPACE || 'default',
    allNamespaces,
  };
  const h: HelmInvocation = { verb, scan, scope };
  if (Object.hasOwn(NESTED, verb)) return nestedFacts(h, args, ctx.via);
  if (Object.hasOwn(RELEASE_ACTIONS, verb)) return releaseFacts(h, RELEASE_ACTIONS[verb]!);
  if (CLUSTER_READS.has(verb)) {
    const name = scan.positionals[0];
    return [helmFact(h, 'read', verb !== 'list' && name !== undefined ? { release: name, names: [name] } : {})];
  }
  if (LOCAL_READS.has(verb)) return [helmFact(h, 'read')];
  if (LOCAL_WRITES.has(verb)) return [helmFact(h, 'write')];
  // Anything else may be a helm plugin: code we cannot see into.
  return opaque(`unknown helm command ${verb}`);
}

export const analyzers: Record<string, Analyzer> = { helm: analyzeHelm };
