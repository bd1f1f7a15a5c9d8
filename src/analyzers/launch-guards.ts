// What can make a command run other code than its name says, whatever its arguments: a
// program named by a relative path, or environment variables that inject code into the
// program (or the shells and tools it starts). Each becomes an opaque fact.
import { BENIGN_EDITOR, BENIGN_PAGER } from './benign-programs.js';
import { opaqueFact } from './opaque.js';
import type { Env, Fact } from './types.js';

/** Inject code into whatever runs, wherever they come from. (git's own settings: git/git-safety.ts.) */
const ALWAYS = ['BASH_ENV', 'LD_PRELOAD', 'LD_AUDIT', 'PERL5OPT', 'RUBYOPT', 'PYTHONWARNINGS', 'CLOUDSDK_PYTHON_ARGS'];

/**
 * Commonly set in a user's own environment for good reasons (PAGER, EDITOR, ...), so they
 * only count when the command line itself sets or changes them.
 */
const WHEN_SET_BY_COMMAND = [
  'ENV', 'LD_LIBRARY_PATH', 'NODE_OPTIONS', 'NODE_PATH', 'PYTHONPATH', 'PYTHONSTARTUP', 'PERL5LIB', 'RUBYLIB', 'JAVA_TOOL_OPTIONS',
  'LESSOPEN', 'SSH_ASKPASS', 'PSQLRC', 'PATH', 'BROWSER',
  // Configuration files that name programs to run (kubeconfig exec plugins, credential_process, ...).
  'KUBECONFIG', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'CLOUDSDK_PYTHON', 'CLOUDSDK_CONFIG', 'DOCKER_CONFIG',
  'TF_CLI_CONFIG_FILE', 'HELM_PLUGINS', 'HOME', 'XDG_CONFIG_HOME',
];

/** Shells also run code from these: exported functions, prompts and options. */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash']);
const SHELL_VARIABLES = ['SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'ENV'];

/** Set by the command to something other than a plain pager or editor. */
const PAGERS = ['PAGER', 'PSQL_PAGER', 'MANPAGER'];
const EDITORS = ['EDITOR', 'VISUAL', 'KUBE_EDITOR'];

/** Every variable that decides which program runs or injects code into it. */
export const LAUNCH_VARIABLES: ReadonlySet<string> = new Set([...ALWAYS, ...WHEN_SET_BY_COMMAND, ...PAGERS, ...EDITORS, ...SHELL_VARIABLES, 'NODE_OPTIONS']);

/** NODE_OPTIONS that load code. */
const NODE_LOADS = /(^|\s)(--require|-r|--import|--loader|--experimental-loader)(\s|=|$)/;

/** Where installed programs live; a program named by a path elsewhere is not vouched for. */
const SYSTEM_DIRS = /^\/(usr|bin|sbin|lib|lib64|opt|snap|nix\/store|home\/linuxbrew)\//;

/** Opaque facts for the launch of `argv0` with `env`, given the caller's environment. */
export function launchGuards(program: string, argv0: string, args: string[], via: string[], env: Env, callerEnv: Env): Fact[] {
  const facts: Fact[] = [];
  if (argv0.includes('/') && !argv0.startsWith('/')) {
    facts.push(opaqueFact(program, args, via, `the program is named by a relative path (${argv0}): gate cannot vouch that it is the real ${program}`));
  } else if (argv0.startsWith('/') && !SYSTEM_DIRS.test(argv0.replace(/\\/g, ''))) {
    facts.push(opaqueFact(program, args, via, `the program is named by a path outside the system directories (${argv0}): gate cannot vouch that it is the real ${program}`));
  }
  if (SHELLS.has(program)) {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) continue;
      if (name.startsWith('BASH_FUNC_')) facts.push(opaqueFact(program, args, via, `${name} exports a shell function that can replace any command`));
      else if (SHELL_VARIABLES.includes(name) && env[name] !== callerEnv[name]) facts.push(opaqueFact(program, args, via, `the command sets ${name}, which the shell evaluates`));
      else if (/\$\(|`/.test(value)) facts.push(opaqueFact(program, args, via, `${name} holds shell code the shell may evaluate`));
    }
  }
  for (const name of ALWAYS) {
    if (env[name] !== undefined && env[name] !== '') facts.push(opaqueFact(program, args, via, `${name} is set: it runs code gate cannot inspect`));
  }
  if (env.NODE_OPTIONS && NODE_LOADS.test(env.NODE_OPTIONS)) facts.push(opaqueFact(program, args, via, 'NODE_OPTIONS loads code gate cannot inspect'));
  const setHere = (name: string): boolean => env[name] !== callerEnv[name];
  for (const name of WHEN_SET_BY_COMMAND) {
    if (setHere(name)) facts.push(opaqueFact(program, args, via, `the command sets ${name}, which can run code gate cannot inspect`));
  }
  for (const [names, benign] of [[PAGERS, BENIGN_PAGER], [EDITORS, BENIGN_EDITOR]] as const) {
    for (const name of names) {
      const value = env[name]?.trim();
      if (setHere(name) && value && !benign.test(value)) facts.push(opaqueFact(program, args, via, `the command sets ${name} to run ${value}`));
    }
  }
  return facts;
}
