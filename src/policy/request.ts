// The request: what is about to run, who asks, and the digest a decision token binds to.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Env, Fact } from '../analyzers/types.js';

/** Variables that change what a command touches; recorded and bound into the digest. */
const BOUND_ENV = [
  'HOME',
  'AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ROLE_ARN',
  'KUBECONFIG', 'HELM_NAMESPACE', 'HELM_KUBECONTEXT',
  'PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGSERVICE', 'PGSERVICEFILE', 'PGSSLMODE', 'PGOPTIONS',
  'CLOUDSDK_CORE_PROJECT', 'CLOUDSDK_CORE_ACCOUNT', 'CLOUDSDK_CONFIG', 'CLOUDSDK_ACTIVE_CONFIG_NAME', 'GOOGLE_APPLICATION_CREDENTIALS',
  'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG',
  'TF_WORKSPACE', 'TF_DATA_DIR', 'TF_CLI_ARGS', 'TF_CLI_ARGS_apply', 'TF_CLI_ARGS_destroy', 'TF_CLI_ARGS_plan',
  'GIT_DIR', 'GIT_WORK_TREE',
] as const;

/** Secret variables: bound and recorded only as "present", never by value. */
const SECRET_ENV = [
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'PGPASSWORD', 'PGPASSFILE', 'VAULT_TOKEN',
  'GITHUB_TOKEN', 'GH_TOKEN', 'GOOGLE_OAUTH_ACCESS_TOKEN', 'CLOUDSDK_AUTH_ACCESS_TOKEN_FILE', 'KUBE_TOKEN', 'DOCKER_AUTH_CONFIG',
] as const;

export const PRESENT = 'present';

export interface Request {
  id: string;
  argv: string[];
  program: string;
  /** Absolute realpath of the executable, or null when it is not installed. */
  exe: string | null;
  /** The path found on PATH, which is what gets executed (exe is its realpath). */
  exe_path: string | null;
  exe_sha256: string | null;
  cwd: string;
  env: Record<string, string>;
  actor: string;
  host: string;
  reason: string | null;
  facts: Fact[];
  digest: string;
}

/**
 * Derived entry: kubectl's current context from the kubeconfig, bound so an approval for one
 * cluster cannot run against another after `kubectl config use-context`. The colon keeps it
 * apart from real variable names.
 */
export const KUBE_CONTEXT_ENTRY = 'kubeconfig:current-context';

/** The environment subset bound into a request (plus the kube context when it matters). */
export function boundEnv(env: Env, kubeContext?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (kubeContext !== undefined) out[KUBE_CONTEXT_ENTRY] = kubeContext;
  for (const name of BOUND_ENV) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  for (const name of SECRET_ENV) if (env[name] !== undefined) out[name] = PRESENT;
  return out;
}

export type BindingFields = Pick<Request, 'argv' | 'exe' | 'exe_sha256' | 'cwd' | 'env' | 'actor' | 'host'>;

/** digest = sha256(JCS(binding fields)), hex. Anything that changes what runs changes it. */
export function requestDigest(fields: BindingFields): string {
  const binding = { argv: fields.argv, exe: fields.exe, exe_sha256: fields.exe_sha256, cwd: fields.cwd, env: fields.env, actor: fields.actor, host: fields.host };
  return createHash('sha256').update(canonicalize(binding) ?? '').digest('hex');
}
