// kubectl verbs that run code in, or open a channel into, the cluster: exec (whose inner
// command is analyzed too), attach, run, debug, port-forward, proxy and cp.
import { flag, last } from '../options.js';
import { opaqueFact } from '../opaque.js';
import type { Fact } from '../types.js';
import { parseResourceArgs } from './kube-kinds.js';
import { baseFact, resourceFact, type KubeInvocation } from './kube-invocation.js';
import { clusterPlace, namespacedPlace } from './kube-target.js';

/** `POD` or `TYPE/NAME`: the workload an exec-family verb addresses. */
function workload(inv: KubeInvocation, spec: string | undefined, extra: Partial<Fact>): Fact {
  const ref = spec === undefined ? undefined : spec.includes('/') ? parseResourceArgs([spec])[0] : { resource: 'pod', names: [spec] };
  const fact = resourceFact(inv, 'exec', ref?.resource ?? 'pod', ref?.names ?? [], extra);
  const container = last(inv.scan.parsed, 'container');
  if (container !== undefined) fact.container = container;
  if (flag(inv.scan.parsed, 'stdin') || flag(inv.scan.parsed, 'tty')) fact.interactive = true;
  return fact;
}

/** `kubectl exec POD [-c C] -- CMD...`: the exec itself, then what CMD does inside the pod. */
export async function execFacts(inv: KubeInvocation): Promise<Fact[]> {
  const { positionals, afterDashDash } = inv.scan;
  // Without `--`, kubectl's deprecated form takes everything after the pod as the command.
  const inner = afterDashDash ?? positionals.slice(1);
  const pod = positionals[0] ?? last(inv.scan.parsed, 'patch');
  const fact = workload(inv, pod, inner.length > 0 ? { command: inner } : {});
  if (inner.length === 0) return [{ ...fact, interactive: true }];
  return [fact, ...(await inv.ctx.analyze(inner, 'kubectl-exec'))];
}

/** attach / port-forward / debug: an exec fact on the addressed workload. */
export function workloadFacts(inv: KubeInvocation): Fact[] {
  const extra: Partial<Fact> = {};
  const image = last(inv.scan.parsed, 'image');
  if (image !== undefined) extra.image = image;
  if (inv.verb === 'port-forward' && inv.scan.positionals.length > 1) extra.ports = inv.scan.positionals.slice(1);
  return [workload(inv, inv.scan.positionals[0], extra)];
}

/** `kubectl run NAME --image=I [-- ARGS]`: a new pod running arbitrary code. */
export function runFacts(inv: KubeInvocation): Fact[] {
  const extra: Partial<Fact> = {};
  const image = last(inv.scan.parsed, 'image');
  if (image !== undefined) extra.image = image;
  const command = inv.scan.afterDashDash ?? inv.scan.positionals.slice(1);
  if (command.length > 0) extra.command = command;
  if (flag(inv.scan.parsed, 'privileged')) extra.privileged = true;
  const name = inv.scan.positionals[0];
  return [resourceFact(inv, 'exec', 'pod', name === undefined ? [] : [name], extra)];
}

/** `kubectl proxy`: exposes the API server on a local port. */
export function proxyFacts(inv: KubeInvocation): Fact[] {
  return [baseFact(inv, 'exec', clusterPlace(inv.scope))];
}

interface RemoteSpec {
  namespace: string | undefined;
  pod: string;
  path: string;
}

/** kubectl's `[namespace/]pod:path` file spec; anything else is a local path. */
function remoteSpec(arg: string): RemoteSpec | undefined {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.startsWith('/') || arg.startsWith('.')) return undefined;
  const where = arg.slice(0, colon).split('/');
  if (where.length > 2) return undefined;
  const spec: RemoteSpec = { namespace: where.length === 2 ? where[0] : undefined, pod: where[where.length - 1]!, path: arg.slice(colon + 1) };
  return spec;
}

/** `kubectl cp`: out of a pod is an export; into a pod runs tar in it (exec). */
export function cpFacts(inv: KubeInvocation, args: string[]): Fact[] {
  const [src, dst] = inv.scan.positionals;
  if (src === undefined || dst === undefined || inv.scan.positionals.length > 2) return [opaqueFact('kubectl', args, inv.ctx.via, 'kubectl cp needs exactly a source and a destination')];
  const from = remoteSpec(src);
  const to = remoteSpec(dst);
  if ((from === undefined) === (to === undefined)) return [opaqueFact('kubectl', args, inv.ctx.via, 'kubectl cp needs one pod side and one local side')];
  const remote = (from ?? to)!;
  const action = from ? 'export' : 'exec';
  const fact = resourceFact(inv, action, 'pod', [remote.pod], { path: remote.path, local_path: from ? dst : src });
  const container = last(inv.scan.parsed, 'container');
  if (container !== undefined) fact.container = container;
  return [remote.namespace !== undefined ? { ...fact, ...namespacedPlace(inv.scope, remote.namespace) } : fact];
}
