// Where a kubectl or helm command lands: kube context, namespace, and the kube:// URI and
// confirmation target of each fact.
import type { Fact } from '../types.js';

export interface KubeScope {
  /** --context / --kube-context, else the caller's resolved current context, else "current". */
  context: string;
  /** -n/--namespace, else "default"; "*" for --all-namespaces. */
  namespace: string;
  allNamespaces: boolean;
}

/** The fields a fact gets for a namespaced resource (or the namespace itself). */
export function namespacedPlace(scope: KubeScope, namespace = scope.namespace): Pick<Fact, 'uri' | 'target' | 'namespace'> {
  return { uri: `kube://${scope.context}/${namespace}`, target: namespace === '*' ? scope.context : namespace, namespace };
}

/** The fields a fact gets for a cluster-scoped resource (nodes, cluster roles, the API itself). */
export function clusterPlace(scope: KubeScope): Pick<Fact, 'uri' | 'target'> {
  return { uri: `kube://${scope.context}`, target: scope.context };
}

/** The context: an explicit flag wins, then the kubeconfig's current context. */
export function resolveContext(flagValue: string | undefined, fromEnv: string | undefined, kubeContext: string | undefined): string {
  for (const candidate of [flagValue, fromEnv, kubeContext]) if (candidate !== undefined && candidate !== '') return candidate;
  return 'current';
}
