// git runs other programs when configuration or environment tells it to: core.pager,
// core.sshCommand, alias.*, diff.external, GIT_SSH_COMMAND, ... Such settings on a harmless
// looking `git log` would run anything, so only known-inert settings pass.
import { BENIGN_EDITOR, BENIGN_PAGER } from '../benign-programs.js';
import type { Env } from '../types.js';

/** Config keys (lower-case) that never make git run a program. `*` ends a prefix. */
const SAFE_KEYS = [
  'user.*', 'author.*', 'committer.*', 'color.*', 'advice.*', 'column.*', 'i18n.*', 'status.*', 'blame.*', 'log.*',
  'core.quotepath', 'core.autocrlf', 'core.safecrlf', 'core.eol', 'core.abbrev', 'core.longpaths', 'core.ignorecase',
  'core.filemode', 'core.precomposeunicode', 'core.commentchar', 'core.commentstring', 'core.whitespace',
  'core.compression', 'core.bigfilethreshold', 'core.untrackedcache', 'core.preloadindex', 'core.symlinks',
  'init.defaultbranch', 'safe.directory', 'format.pretty', 'pull.rebase', 'pull.ff', 'push.default',
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

const PLAIN_SSH = /^ssh(\s+[-\w.,=/@:~]+)*$/;

/**
 * Why the environment would make this git run another program, or undefined. Pager and
 * ssh settings with plain, common values pass (they are what users normally have).
 */
export function envRisk(env: Env): string | undefined {
  for (const name of ['GIT_PAGER', 'PAGER']) {
    const value = env[name]?.trim();
    if (value && !BENIGN_PAGER.test(value)) return `${name} runs ${value}`;
  }
  for (const name of ['GIT_SSH_COMMAND', 'GIT_SSH']) {
    const value = env[name]?.trim();
    if (value && !PLAIN_SSH.test(value)) return `${name} runs ${value}`;
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
