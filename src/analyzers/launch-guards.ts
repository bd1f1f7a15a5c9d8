// What can make a command run other code than its name says, whatever its arguments: a
// program named by a relative path, or environment variables that inject code into the
// program (or the shells and tools it starts). Each becomes an opaque fact.
import { BENIGN_EDITOR, BENIGN_PAGER } from './benign-programs.js';
import { opaqueFact } from './opaque.js';
import type { Env, Fact } from './types.js';

/** Inject code into whatever runs, wherever they come from. (git's own settings: git/git-safety.ts.) */
const ALWAYS = ['BASH_ENV', 'LD_PRELOAD', 'LD_AUDIT', 'PERL5OPT', 'RUBYOPT'];

/**
 * Commonly set in a user's own environment for good reasons (PAGER, EDITOR, ...), so they
 * only count when the command line itself sets or changes them.
 */
const WHEN_SET_BY_COMMAND = [
  'ENV', 'LD_LIBRARY_PATH', 'NODE_OPTIONS', 'NODE_PATH', 'PYTHONPATH', 'PYTHONSTARTUP', 'PERL5LIB', 'RUBYLIB', 'JAVA_TOOL_OPTIONS',
  'LESSOPEN', 'SSH_ASKPASS', 'PSQLRC', 'PATH',
];

/** Set by the command to something other than a plain pager or editor. */
const PAGERS = ['PAGER', 'PSQL_PAGER', 'MANPAGER'];
const EDITORS = ['EDITOR', 'VISUAL', 'KUBE_EDITOR'];

/** NODE_OPTIONS that load code. */
const NODE_LOADS = /(^|\s)(--require|-r|--import|--loader|--experimental-loader)(\s|=|$)/;

/** Opaque facts for the launch of `argv0` with `env`, given the caller's environment. */
export function launchGuards(program: string, argv0: string, args: string[], via: string[], env: Env, callerEnv: Env): Fact[] {
  const facts: Fact[] = [];
  if (argv0.includes('/') && !argv0.startsWith('/')) {
    facts.push(opaqueFact(program, args, via, `the program is named by a relative path (${argv0}): gate cannot vouch that it is the real ${program}`));
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
