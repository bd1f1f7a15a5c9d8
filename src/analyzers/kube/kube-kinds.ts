// Kubernetes resource kinds: every spelling kubectl accepts (plural, singular, short name,
// `kind.group`, any case) normalized to one lower-case singular kind, plus which are
// cluster-scoped (their facts carry no namespace).

/** Canonical kind -> [plural, short names...]; the canonical singular is implied. */
const KINDS: Record<string, string[]> = {
  apiservice: ['apiservices'],
  binding: ['bindings'],
  certificatesigningrequest: ['certificatesigningrequests', 'csr'],
  clusterrole: ['clusterroles'],
  clusterrolebinding: ['clusterrolebindings'],
  componentstatus: ['componentstatuses', 'cs'],
  configmap: ['configmaps', 'cm'],
  controllerrevision: ['controllerrevisions'],
  cronjob: ['cronjobs', 'cj'],
  csidriver: ['csidrivers'],
  csinode: ['csinodes'],
  csistoragecapacity: ['csistoragecapacities'],
  customresourcedefinition: ['customresourcedefinitions', 'crd', 'crds'],
  daemonset: ['daemonsets', 'ds'],
  deployment: ['deployments', 'deploy'],
  endpoints: ['ep'],
  endpointslice: ['endpointslices'],
  event: ['events', 'ev'],
  flowschema: ['flowschemas'],
  horizontalpodautoscaler: ['horizontalpodautoscalers', 'hpa'],
  ingress: ['ingresses', 'ing'],
  ingressclass: ['ingressclasses'],
  job: ['jobs'],
  lease: ['leases'],
  limitrange: ['limitranges', 'limits'],
  mutatingwebhookconfiguration: ['mutatingwebhookconfigurations'],
  namespace: ['namespaces', 'ns'],
  networkpolicy: ['networkpolicies', 'netpol'],
  node: ['nodes', 'no'],
  persistentvolume: ['persistentvolumes', 'pv'],
  persistentvolumeclaim: ['persistentvolumeclaims', 'pvc'],
  pod: ['pods', 'po'],
  poddisruptionbudget: ['poddisruptionbudgets', 'pdb'],
  podtemplate: ['podtemplates'],
  priorityclass: ['priorityclasses', 'pc'],
  prioritylevelconfiguration: ['prioritylevelconfigurations'],
  replicaset: ['replicasets', 'rs'],
  replicationcontroller: ['replicationcontrollers', 'rc'],
  resourcequota: ['resourcequotas', 'quota'],
  role: ['roles'],
  rolebinding: ['rolebindings'],
  runtimeclass: ['runtimeclasses'],
  secret: ['secrets'],
  service: ['services', 'svc'],
  serviceaccount: ['serviceaccounts', 'sa'],
  statefulset: ['statefulsets', 'sts'],
  storageclass: ['storageclasses', 'sc'],
  validatingadmissionpolicy: ['validatingadmissionpolicies'],
  validatingadmissionpolicybinding: ['validatingadmissionpolicybindings'],
  validatingwebhookconfiguration: ['validatingwebhookconfigurations'],
  volumeattachment: ['volumeattachments'],
};

const CLUSTER_SCOPED = new Set([
  'apiservice',
  'certificatesigningrequest',
  'clusterrole',
  'clusterrolebinding',
  'componentstatus',
  'csidriver',
  'csinode',
  'customresourcedefinition',
  'flowschema',
  'ingressclass',
  'mutatingwebhookconfiguration',
  'namespace',
  'node',
  'persistentvolume',
  'priorityclass',
  'prioritylevelconfiguration',
  'runtimeclass',
  'storageclass',
  'validatingadmissionpolicy',
  'validatingadmissionpolicybinding',
  'validatingwebhookconfiguration',
  'volumeattachment',
]);

/** Kinds whose creation or change grants access (RBAC). */
export const RBAC_KINDS: ReadonlySet<string> = new Set(['role', 'clusterrole', 'rolebinding', 'clusterrolebinding']);

const ALIASES = new Map<string, string>();
for (const [kind, spellings] of Object.entries(KINDS)) {
  ALIASES.set(kind, kind);
  for (const spelling of spellings) ALIASES.set(spelling, kind);
}

/**
 * The canonical kind for any spelling: `PO`, `pods`, `deployments.apps`,
 * `deployments.v1.apps`. A known name with any group collapses to the built-in kind (a custom
 * resource that reuses a built-in name is then treated like the built-in: stricter, never
 * looser). Unknown kinds (custom resources) stay as typed, lower-cased.
 */
export function normalizeKind(spelling: string): string {
  const lower = spelling.toLowerCase();
  const known = ALIASES.get(lower);
  if (known) return known;
  const dot = lower.indexOf('.');
  const head = dot > 0 ? ALIASES.get(lower.slice(0, dot)) : undefined;
  return head ?? lower;
}

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

export interface ResourceRef {
  resource: string;
  names: string[];
}

/**
 * kubectl's resource arguments: `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME ...`.
 * Returns one entry per kind, in order, with its names.
 */
export function parseResourceArgs(positionals: readonly string[]): ResourceRef[] {
  const refs: ResourceRef[] = [];
  const entry = (kind: string): ResourceRef => {
    let ref = refs.find((r) => r.resource === kind);
    if (!ref) refs.push((ref = { resource: kind, names: [] }));
    return ref;
  };
  if (positionals.length === 0) return refs;
  if (positionals[0]!.includes('/')) {
    for (const arg of positionals) {
      for (const piece of arg.split(',')) {
        const slash = piece.indexOf('/');
        if (slash === -1) entry(normalizeKind(piece));
        else entry(normalizeKind(piece.slice(0, slash))).names.push(piece.slice(slash + 1));
      }
    }
    return refs;
  }
  const kinds = positionals[0]!.split(',').filter((k) => k !== '').map(normalizeKind);
  for (const kind of kinds) entry(kind).names.push(...positionals.slice(1));
  return refs;
}
