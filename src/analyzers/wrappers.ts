// Wrappers: commands that run another command. The inner command is analyzed as if run
// directly (with `via` recording the wrapper), and privilege or remote wrappers add a fact of
// their own: `sudo rm -rf /` is both a privilege escalation and a recursive delete.
import { opaqueFact } from './opaque.js';
import { OptionTable, parseArgs, last, has, type OptionSpec } from './options.js';
import { programName } from './program.js';
import type { AnalyzeContext, Analyzer, Env, Fact } from './types.js';

const opt = (names: string[], key: string, value = false): OptionSpec => ({ names, key, value });

/** Parse leading options, then analyze the rest as the inner command. */
function innerAfterOptions(table: OptionTable, argv: string[]): { parsed: ReturnType<typeof parseArgs>; inner: string[] } {
  const parsed = parseArgs(argv.slice(1), table, { stopAtPositional: true });
  return { parsed, inner: argv.slice(1 + parsed.rest) };
}

async function wrap(ctx: AnalyzeContext, wrapper: string, inner: string[], env?: Env): Promise<Fact[]> {
  if (inner.length === 0) return [];
  return ctx.analyze(inner, wrapper, env);
}

const ENV_TABLE = new OptionTable([
  opt(['-i', '--ignore-environment', '-'], 'ignore'),
  opt(['-u', '--unset'], 'unset', true),
  opt(['-C', '--chdir'], 'chdir', true),
  opt(['-S', '--split-string'], 'split', true),
  opt(['-0', '--null'], 'null'),
  opt(['-v', '--debug'], 'debug'),
  opt(['--default-signal', '--ignore-signal', '--block-signal', '--list-signal-handling'], 'signals'),
]);

/** env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG]...] */
const envAnalyzer: Analyzer = async (argv, ctx) => {
  const parsed = parseArgs(argv.slice(1), ENV_TABLE, { stopAtPositional: true });
  const env: Record<string, string | undefined> = has(parsed, 'ignore') ? {} : { ...ctx.env };
  for (const name of parsed.values.get('unset') ?? []) delete env[name];
  let i = 1 + parsed.rest;
  for (; i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!); i++) {
    const eq = argv[i]!.indexOf('=');
    env[argv[i]!.slice(0, eq)] = argv[i]!.slice(eq + 1);
  }
  const split = last(parsed, 'split');
  if (split !== undefined) return ctx.analyzeScript([split, ...argv.slice(i)].join(' '), 'env');
  if (i >= argv.length) return [{ program: 'env', action: 'read' }];
  return ctx.analyze(argv.slice(i), 'env', env);
};

const SUDO_TABLE = new OptionTable([
  ...['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-T', '--command-timeout', '-U', '--other-user', '-R', '--chroot'].map((n) => opt([n], n.replace(/^-+/, ''), true)),
  opt(['-i', '--login'], 'login'),
  opt(['-s', '--shell'], 'shell'),
  opt(['-e', '--edit'], 'edit'),
  opt(['-l', '--list'], 'list'),
  opt(['-v', '--validate', '-k', '--reset-timestamp', '-K', '--remove-timestamp', '-V', '--version'], 'info'),
  opt(['-E', '--preserve-env', '-H', '--set-home', '-n', '--non-interactive', '-b', '--background', '-P', '--preserve-groups', '-S', '--stdin', '-A', '--askpass', '-B', '--bell', '-N', '--no-update'], 'flag'),
]);

/** sudo/doas: a privilege fact, plus the inner command run as another user. */
const sudoAnalyzer: Analyzer = async (argv, ctx) => {
  const program = programName(argv[0]!);
  const { parsed, inner } = innerAfterOptions(SUDO_TABLE, argv);
  const user = last(parsed, 'user') ?? last(parsed, 'u') ?? 'root';
  if (parsed.unknown.length > 0) return [opaqueFact(program, argv.slice(1), ctx.via, `unknown ${program} option ${parsed.unknown[0]}`)];
  if (has(parsed, 'list') || (has(parsed, 'info') && inner.length === 0)) return [{ program, action: 'read' }];
  const own: Fact = { program, action: 'privilege', user, target: user };
  if (has(parsed, 'edit')) return [{ ...own, action: 'write', edit: true, paths: inner }];
  if (inner.length === 0) {
    return [own, opaqueFact(program, argv.slice(1), ctx.via, `an interactive shell as ${user}`)];
  }
  // -s / -i run the command through the target user's shell.
  if (has(parsed, 'shell') || has(parsed, 'login')) return [own, ...(await ctx.analyzeScript(inner.join(' '), program))];
  return [own, ...(await wrap(ctx, program, inner))];
};

const TIMEOUT_TABLE = new OptionTable([opt(['-s', '--signal'], 'signal', true), opt(['-k', '--kill-after'], 'kill', true), opt(['--preserve-status', '--foreground', '-v', '--verbose'], 'flag')]);

/** timeout [OPTION] DURATION COMMAND [ARG]... */
const timeoutAnalyzer: Analyzer = async (argv, ctx) => {
  const { inner } = innerAfterOptions(TIMEOUT_TABLE, argv);
  return wrap(ctx, 'timeout', inner.slice(1));
};

const NICE_TABLE = new OptionTable([opt(['-n', '--adjustment'], 'n', true)]);

/** nice [-n N | -N] COMMAND [ARG]... */
const niceAnalyzer: Analyzer = async (argv, ctx) => {
  const args = argv.slice(1);
  if (args[0] && /^-\d+$/.test(args[0])) args.shift();
  const { inner } = innerAfterOptions(NICE_TABLE, ['nice', ...args]);
  if (inner.length === 0) return [{ program: 'nice', action: 'read' }];
  return wrap(ctx, 'nice', inner);
};

/** Wrappers whose options (listed with their value-taking flags) precede the command. */
function simpleWrapper(name: string, table: OptionTable): Analyzer {
  return async (argv, ctx) => {
    const { inner } = innerAfterOptions(table, argv);
    if (inner.length === 0) return [{ program: name, action: 'read' }];
    return wrap(ctx, name, inner);
  };
}

const COMMAND_TABLE = new OptionTable([opt(['-p'], 'p'), opt(['-v', '-V'], 'lookup')]);

/** command [-p] CMD runs CMD; `command -v CMD` only looks it up. */
const commandAnalyzer: Analyzer = async (argv, ctx) => {
  const { parsed, inner } = innerAfterOptions(COMMAND_TABLE, argv);
  if (has(parsed, 'lookup') || inner.length === 0) return [{ program: 'command', action: 'read' }];
  return wrap(ctx, 'command', inner);
};

const XARGS_TABLE = new OptionTable([
  ...[['-a', '--arg-file'], ['-d', '--delimiter'], ['-E', '--eof'], ['-I', '--replace'], ['-L', '--max-lines'], ['-n', '--max-args'], ['-P', '--max-procs'], ['-s', '--max-chars'], ['--process-slot-var']].map((names) => opt(names, names[0]!.replace(/^-+/, ''), true)),
  opt(['-0', '--null', '-p', '--interactive', '-r', '--no-run-if-empty', '-t', '--verbose', '-x', '--exit', '-o', '--open-tty', '--show-limits'], 'flag'),
  { names: ['-i', '-e', '-l'], key: 'legacy', optionalValue: true },
]);

/** xargs [OPTIONS] [COMMAND [ARGS]]: COMMAND runs with arguments read from stdin. */
const xargsAnalyzer: Analyzer = async (argv, ctx) => {
  const { parsed, inner } = innerAfterOptions(XARGS_TABLE, argv);
  if (parsed.unknown.length > 0) return [opaqueFact('xargs', argv.slice(1), ctx.via, `unknown xargs option ${parsed.unknown[0]}`)];
  const facts = await wrap(ctx, 'xargs', inner.length > 0 ? inner : ['echo']);
  // The real arguments come from stdin: what the inner command touches is not fully known.
  for (const fact of facts) fact.dynamic_args = true;
  return facts;
};

const SSH_VALUE = ['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B', '-P'];
const SSH_TABLE = new OptionTable([
  ...SSH_VALUE.map((n) => opt([n], n.slice(1), true)),
  ...'46AaCfGgKkMNnqsTtVvXxYy'.split('').map((c) => opt([`-${c}`], c)),
]);

/** ssh [options] destination [command...]: the remote command is a shell line, analyzed. */
const sshAnalyzer: Analyzer = async (argv, ctx) => {
  const { parsed, inner } = innerAfterOptions(SSH_TABLE, argv);
  if (parsed.unknown.length > 0) return [opaqueFact('ssh', argv.slice(1), ctx.via, `unknown ssh option ${parsed.unknown[0]}`)];
  if (has(parsed, 'V') || has(parsed, 'G')) return [{ program: 'ssh', action: 'read' }];
  const destination = inner[0];
  if (destination === undefined) return [opaqueFact('ssh', argv.slice(1), ctx.via, 'ssh without a destination')];
  const host = destination.replace(/^[^@]*@/, '').replace(/^ssh:\/\//, '');
  const own: Fact = { program: 'ssh', action: 'exec', host, target: host, remote: true };
  const remote = inner.slice(1);
  if (remote.length === 0) {
    if (has(parsed, 'N')) return [{ ...own, forward: true }];
    return [own, opaqueFact('ssh', argv.slice(1), ctx.via, `an interactive shell on ${host}`)];
  }
  // ssh joins the words with spaces and the remote shell parses them.
  return [own, ...(await ctx.analyzeScript(remote.join(' '), 'ssh'))];
};

/** watch runs its command line through `sh -c` repeatedly. */
const watchAnalyzer: Analyzer = async (argv, ctx) => {
  const table = new OptionTable([opt(['-n', '--interval'], 'n', true), opt(['-d', '--differences'], 'd', false), opt(['-q', '--equexit', '-g', '--chgexit'], 'g', false), opt(['-t', '--no-title', '-b', '--beep', '-e', '--errexit', '-c', '--color', '-x', '--exec', '-p', '--precise', '-w', '--no-wrap'], 'flag')]);
  const { inner } = innerAfterOptions(table, argv);
  if (inner.length === 0) return [{ program: 'watch', action: 'read' }];
  const direct = argv.slice(1, argv.length - inner.length).some((a) => a === '--exec' || /^-[a-z]*x/.test(a));
  return direct ? wrap(ctx, 'watch', inner) : ctx.analyzeScript(inner.join(' '), 'watch');
};

const NO_OPTIONS = new OptionTable([]);

export const analyzers: Record<string, Analyzer> = {
  env: envAnalyzer,
  sudo: sudoAnalyzer,
  doas: sudoAnalyzer,
  timeout: timeoutAnalyzer,
  nice: niceAnalyzer,
  nohup: simpleWrapper('nohup', NO_OPTIONS),
  setsid: simpleWrapper('setsid', new OptionTable([opt(['-c', '--ctty', '-f', '--fork', '-w', '--wait'], 'flag')])),
  stdbuf: simpleWrapper('stdbuf', new OptionTable([opt(['-i', '--input', '-o', '--output', '-e', '--error'], 'mode', true)])),
  ionice: simpleWrapper('ionice', new OptionTable([opt(['-c', '--class', '-n', '--classdata', '-p', '--pid', '-P', '--pgid', '-u', '--uid'], 'v', true), opt(['-t', '--ignore'], 'flag')])),
  time: simpleWrapper('time', new OptionTable([opt(['-f', '--format', '-o', '--output'], 'v', true), opt(['-p', '--portability', '-v', '--verbose', '-a', '--append', '-q', '--quiet'], 'flag')])),
  command: commandAnalyzer,
  builtin: simpleWrapper('builtin', NO_OPTIONS),
  exec: simpleWrapper('exec', new OptionTable([opt(['-a'], 'a', true), opt(['-c', '-l'], 'flag')])),
  xargs: xargsAnalyzer,
  ssh: sshAnalyzer,
  watch: watchAnalyzer,
};
