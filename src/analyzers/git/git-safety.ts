// git runs other programs when configuration or environment tells it to: core.pager,
// core.sshCommand, alias.*, diff.external, GIT_SSH_COMMAND, ... Such settings on a harmless
// looking `git log` would run anything, so only known-inert settings pass.
import { BENIGN_EDITOR, BENIGN_PAGER } from '../benign-programs.js';
import type { Env } from '../types.js';
import { isPlainSshCommand, isPlainSshProgram } from './git-ssh.js';

/** Config keys (lower-case) that never make git run a program. `*` ends a prefix. */
const SAFE_KEYS = [
  'user.*', 'author.*', 'committer.*', 'color.*', 'advice.*', 'column.*', 'i18n.*', 'status.*', 'blame.*', 'log.*',
  'core.quotepath', 'core.autocrlf', 'core.safecrlf', 'core.eol', 'core.abbrev', 'core.longpaths', 'core.ignorecase',
  'core.filemode', 'core.precomposeunicode', 'core.commentchar', 'core.commentstring', 'core.whitespace',
  'core.compression', 'core.bigfilethreshold', 'core.untrackedcache', 'core.preloadindex', 'core.symlinks',
  'init.defaultbranch', 'format.pretty', 'pull.rebase', 'pull.ff', 'push.default',
  'push.autosetupremote', 'push.followtags', 'fetch.prune', 'fetch.prunetags', 'fetch.parallel', 'merge.conflictstyle',
  'merge.ff', 'rebase.autostash', 'rebase.autosquash', 'rebase.updaterefs', 'diff.renames', 'diff.algorithm',
  'diff.colormoved', 'diff.mnemonicprefix', 'diff.noprefix', 'diff.context', 'diff.indentheuristic', 'diff.submodule',
  'branch.autosetupmerge', 'branch.autosetuprebase', 'branch.sort', 'tag.sort', 'gc.auto', 'gc.autodetach',
  'http.sslverify', 'http.version', 'http.postbuffer', 'protocol.version', 'pack.threads', 'commit.gpgsign',
  'commit.verbose', 'rerere.enabled', 'feature.manyfiles', 'index.version', 'checkout.defaultremote', 'credential.usehttppath',
];

/** Whether setting `key` cannot make git run a program. */
export function isSafeConfigKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SAFE_KEYS.some((safe) => (safe.endsWith('.*') ? lower.startsWith(safe.slice(0, -1)) : lower === safe));
}

/** `git -c key=value`: the key. */
export function configKey(setting: string): string {
  const eq = setting.indexOf('=');
  return (eq === -1 ? setting : setting.slice(0, eq)).toLowerCase();
}

/** Transports git speaks itself; GIT_ALLOW_PROTOCOL listing only these enables no helper. */
const BUILTIN_PROTOCOLS = new Set(['http', 'https', 'ssh', 'git', 'file', 'ftp', 'ftps']);

/**
 * Why the environment would make this git run another program, or undefined. Pager and
 * ssh settings with plain, common values pass (they are what users normally have).
 */
export function envRisk(env: Env): string | undefined {
  for (const name of ['GIT_PAGER', 'PAGER']) {
    const value = env[name]?.trim();
    if (value && !BENIGN_PAGER.test(value)) return `${name} runs ${value}`;
  }
  const sshCommand = env.GIT_SSH_COMMAND?.trim();
  if (sshCommand && !isPlainSshCommand(sshCommand)) return `GIT_SSH_COMMAND runs ${sshCommand}`;
  const ssh = env.GIT_SSH?.trim();
  if (ssh && !isPlainSshProgram(ssh)) return `GIT_SSH runs ${ssh}`;
  // ext:: (a command as the remote) and other remote helpers are off unless allowed here.
  const allowed = env.GIT_ALLOW_PROTOCOL;
  if (allowed !== undefined && allowed.split(':').some((p) => p !== '' && !BUILTIN_PROTOCOLS.has(p.toLowerCase()))) {
    return `GIT_ALLOW_PROTOCOL allows ${allowed}`;
  }
  for (const name of ['GIT_EDITOR', 'GIT_SEQUENCE_EDITOR']) {
    const value = env[name]?.trim();
    if (value && !BENIGN_EDITOR.test(value)) return `${name} runs ${value}`;
  }
  for (const name of ['GIT_EXTERNAL_DIFF', 'GIT_ASKPASS', 'GIT_PROXY_COMMAND', 'GIT_EXEC_PATH', 'GIT_TEMPLATE_DIR', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM']) {
    if (env[name]) return `${name} is set`;
  }
  const count = Number(env.GIT_CONFIG_COUNT ?? '0');
  if (!Number.isInteger(count) || count < 0) return 'GIT_CONFIG_COUNT is not a number';
  for (let i = 0; i < count; i++) {
    const key = env[`GIT_CONFIG_KEY_${i}`] ?? '';
    if (!isSafeConfigKey(key)) return `GIT_CONFIG_KEY_${i} sets ${key}`;
  }
  return undefined;
}

/** Variables that point git at another repository, index, object store or config file. */
const FOREIGN_REPOSITORY_VARIABLES = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CONFIG',
];

/**
 * Why git would work on a repository other than the one found from the working directory
 * (--git-dir, --work-tree, GIT_DIR ...), or undefined. Its config and hooks are unseen.
 */
export function foreignRepository(env: Env, gitDir: string | undefined, workTree: string | undefined): string | undefined {
  if (gitDir !== undefined) return `git --git-dir=${gitDir}`;
  if (workTree !== undefined) return `git --work-tree=${workTree}`;
  const name = FOREIGN_REPOSITORY_VARIABLES.find((variable) => (env[variable] ?? '') !== '');
  return name === undefined ? undefined : `${name}=${env[name]!}`;
}

/** Transports a URL may name as `<transport>::<address>` without running a helper of its own choosing. */
const BUILTIN_HELPERS = new Set(['http', 'https', 'ftp', 'ftps']);

/** Why a URL argument makes git run a program (`ext::cmd`, `<helper>::addr`), or undefined. */
export function remoteHelperRisk(arg: string): string | undefined {
  const helper = /(?:^|=)([A-Za-z][A-Za-z0-9+.-]*)::/.exec(arg)?.[1]?.toLowerCase();
  if (helper === undefined || BUILTIN_HELPERS.has(helper)) return undefined;
  if (helper === 'ext') return `ext:: remote runs a command: ${arg}`;
  return `remote helper git-remote-${helper} is a program gate cannot see`;
}
