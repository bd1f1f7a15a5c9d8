// The leaf commands ("verbs") of gcloud and what each does. gcloud's command tree is too large
// to ship, so the command path ends at the first word that is a known verb; a path with no
// known verb cannot be placed and is opaque.
import type { Action } from '../types.js';

export interface VerbClass {
  action: Action;
  secret?: boolean;
}

const READS = ['list', 'describe', 'get-iam-policy', 'get-value', 'get', 'info', 'version', 'help', 'ls', 'du', 'hash', 'read', 'tail',
  'wait', 'search-all-resources', 'search-all-iam-policies', 'analyze-iam-policy', 'browse', 'stat'];
const SECRET_READS = ['print-access-token', 'print-identity-token', 'print-refresh-token', 'access', 'decrypt', 'asymmetric-decrypt',
  'generate-login-token'];
const DELETES = ['delete', 'destroy', 'rm'];
const PRIVILEGE = ['add-iam-policy-binding', 'remove-iam-policy-binding', 'set-iam-policy', 'add-invoker-policy-binding',
  'remove-invoker-policy-binding', 'set-password', 'reset-windows-password'];
const EXPORTS = ['export', 'cat', 'sign-url', 'scp', 'copy-files'];
const EXEC = ['ssh', 'connect-to-serial-port', 'start-iap-tunnel', 'execute', 'call', 'connect', 'submit', 'run'];
const INFRA = ['deploy', 'apply'];
const WRITES = ['create', 'update', 'patch', 'set', 'unset', 'enable', 'disable', 'start', 'stop', 'suspend', 'resume', 'reset', 'resize',
  'restart', 'import', 'restore', 'clone', 'move', 'mv', 'cp', 'rsync', 'activate', 'login', 'logout', 'revoke', 'init', 'install',
  'remove', 'reinstall', 'cancel', 'promote', 'rollback', 'publish', 'pull', 'ack', 'seek', 'upgrade', 'failover', 'switchover',
  'rotate', 'undelete', 'copy', 'compose', 'add', 'attach', 'detach', 'replace', 'rename', 'tag', 'untag', 'approve', 'reject',
  'abandon', 'repair', 'migrate', 'config-ssh', 'configure-docker', 'get-credentials', 'acknowledge', 'renew', 'retry', 'redeploy'];

const READ_PREFIXES = ['list-', 'describe-', 'get-'];
const SECRET_PREFIXES = ['print-'];
const DELETE_PREFIXES = ['delete-'];
const WRITE_PREFIXES = ['add-', 'remove-', 'set-', 'update-', 'create-', 'attach-', 'detach-', 'enable-', 'disable-', 'reset-', 'start-',
  'stop-', 'move-', 'abandon-', 'recreate-', 'rolling-', 'simulate-', 'promote-', 'restore-', 'import-', 'export-', 'resize-'];

const TABLE = new Map<string, VerbClass>([
  ...WRITES.map((v) => [v, { action: 'write' }] as const),
  ...READS.map((v) => [v, { action: 'read' }] as const),
  ...SECRET_READS.map((v) => [v, { action: 'read', secret: true }] as const),
  ...DELETES.map((v) => [v, { action: 'delete' }] as const),
  ...PRIVILEGE.map((v) => [v, { action: 'privilege' }] as const),
  ...EXPORTS.map((v) => [v, { action: 'export' }] as const),
  ...EXEC.map((v) => [v, { action: 'exec' }] as const),
  ...INFRA.map((v) => [v, { action: 'infra' }] as const),
]);

/** Top-level groups that share a name with a verb (`gcloud run services list`, Cloud Deploy). */
const GROUPS_NAMED_LIKE_VERBS = new Set(['run', 'deploy']);

/** The class of `word` as a verb at `position` in the command path, or undefined for a group word. */
export function verbClass(word: string, position: number): VerbClass | undefined {
  if (position === 0 && GROUPS_NAMED_LIKE_VERBS.has(word)) return undefined;
  const exact = TABLE.get(word);
  if (exact) return exact;
  if (SECRET_PREFIXES.some((p) => word.startsWith(p))) return { action: 'read', secret: true };
  if (READ_PREFIXES.some((p) => word.startsWith(p))) return { action: 'read' };
  if (DELETE_PREFIXES.some((p) => word.startsWith(p))) return { action: 'delete' };
  if (WRITE_PREFIXES.some((p) => word.startsWith(p))) return { action: 'write' };
  return undefined;
}
