// Wrappers: commands that run another command. The inner command is analyzed as if run
// directly (with `via` recording the wrapper), and privilege or remote wrappers add a fact of
// their own: `sudo rm -rf /` is both a privilege escalation and a recursive delete.
import { opaqueFact } from './opaque.js';
import { DYNAMIC_SAFE_PROGRAMS } from './shell-hazards.js';
import { flagOption, has, last, OptionTable, optionalValueOption, parseArgs, valueOption } from './options.js';
import { programName } from './program.js';
import type { AnalyzeContext, Analyzer, Env, Fact } from './types.js';

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
  flagOption('ignore', '-i', '--ignore-environment', '-'),
  valueOption('unset', '-u', '--unset'),
  valueOption('chdir', '-C', '--chdir'),
  valueOption('split', '-S', '--split-string'),
  flagOption('null', '-0', '--null'),
  flagOption('debug', '-v', '--debug'),
  flagOption('signals', '--default-signal', '--ignore-signal', '--block-signal', '--list-signal-handling'),
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
  ...['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-T', '--command-timeout', '-U', '--other-user', '-R', '--chroot'].map((n) => valueOption(n.replace(/^-+/, ''), n)),
  flagOption('login', '-i', '--login'),
  flagOption('shell', '-s', '--shell'),
  flagOption('edit', '-e', '--edit'),
  flagOption('list', '-l', '--list'),
  flagOption('info', '-v', '--validate', '-k', '--reset-timestamp', '-K', '--remove-timestamp', '-V', '--version'),
  flagOption('flag', '-E', '--preserve-env', '-H', '--set-home', '-n', '--non-interactive', '-b', '--background', '-P', '--preserve-groups', '-S', '--stdin', '-A', '--askpass', '-B', '--bell', '-N', '--no-update'),
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

const TIMEOUT_TABLE = new OptionTable([valueOption('signal', '-s', '--signal'), valueOption('kill', '-k', '--kill-after'), flagOption('flag', '--preserve-status', '--foreground', '-v', '--verbose')]);

/** timeout [OPTION] DURATION COMMAND [ARG]... */
const timeoutAnalyzer: Analyzer = async (argv, ctx) => {
  const { inner } = innerAfterOptions(TIMEOUT_TABLE, argv);
  return wrap(ctx, 'timeout', inner.slice(1));
};

const NICE_TABLE = new OptionTable([valueOption('n', '-n', '--adjustment')]);

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

const TIME_TABLE = new OptionTable([valueOption('format', '-f', '--format'), valueOption('output', '-o', '--output'), flagOption('flag', '-p', '--portability', '-v', '--verbose', '-a', '--append', '-q', '--quiet')]);

/** time [-o FILE] COMMAND: -o writes its report into a file. */
const timeAnalyzer: Analyzer = async (argv, ctx) => {
  const { parsed, inner } = innerAfterOptions(TIME_TABLE, argv);
  const output = last(parsed, 'output');
  const own: Fact[] = output !== undefined ? [{ program: 'time', action: 'write', path: output, target: output }] : [];
  if (inner.length === 0) return own.length > 0 ? own : [{ program: 'time', action: 'read' }];
  return [...own, ...(await wrap(ctx, 'time', inner))];
};

const COMMAND_TABLE = new OptionTable([flagOption('p', '-p'), flagOption('lookup', '-v', '-V')]);

/** command [-p] CMD runs CMD; `command -v CMD` only looks it up. */
const commandAnalyzer: Analyzer = async (argv, ctx) => {
  const { parsed, inner } = innerAfterOptions(COMMAND_TABLE, argv);
  if (has(parsed, 'lookup') || inner.length === 0) return [{ program: 'command', action: 'read' }];
  return wrap(ctx, 'command', inner);
};

const XARGS_TABLE = new OptionTable([
  ...[['-a', '--arg-file'], ['-d', '--delimiter'], ['-E', '--eof'], ['-I', '--replace'], ['-L', '--max-lines'], ['-n', '--max-args'], ['-P', '--max-procs'], ['-s', '--max-chars'], ['--process-slot-var']].map((names) => valueOption(names[0]!.replace(/^-+/, ''), ...names)),
  flagOption('flag', '-0', '--null', '-p', '--interactive', '-r', '--no-run-if-empty', '-t', '--verbose', '-x', '--exit', '-o', '--open-tty', '--show-limits'),
  optionalValueOption('legacy', '-i', '-e', '-l'),
]);

/** xargs [OPTIONS] [COMMAND [ARGS]]: COMMAND runs with arguments read from stdin. */
const xargsAnalyzer: Analyzer = async (argv, ctx) => {
  const { parsed, inner } = innerAfterOptions(XARGS_TABLE, argv);
  if (parsed.unknown.length > 0) return [opaqueFact('xargs', argv.slice(1), ctx.via, `unknown xargs option ${parsed.unknown[0]}`)];
  const command = inner.length > 0 ? inner : ['echo'];
  const facts = await wrap(ctx, 'xargs', command);
  // The real arguments come from stdin: what the inner command touches is not fully known,
  // and `-R` or `--force` read from stdin would change it.
  for (const fact of facts) fact.dynamic_args = true;
  const program = programName(command[0]!);
  if (!DYNAMIC_SAFE_PROGRAMS.has(program)) facts.push(opaqueFact(program, command.slice(1), [...ctx.via, 'xargs'], 'xargs appends arguments read from stdin, which gate cannot see'));
  return facts;
};

const SSH_VALUE = ['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B', '-P'];
const SSH_TABLE = new OptionTable([
  ...SSH_VALUE.map((n) => valueOption(n.slice(1), n)),
  ...'46AaCfGgKkMNnqsTtVvXxYy'.split('').map((c) => flagOption(c, `-${c}`)),
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
  const table = new OptionTable([valueOption('n', '-n', '--interval'), flagOption('d', '-d', '--differences'), flagOption('g', '-q', '--equexit', '-g', '--chgexit'), flagOption('flag', '-t', '--no-title', '-b', '--beep', '-e', '--errexit', '-c', '--color', '-x', '--exec', '-p', '--precise', '-w', '--no-wrap')]);
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
  setsid: simpleWrapper('setsid', new OptionTable([flagOption('flag', '-c', '--ctty', '-f', '--fork', '-w', '--wait')])),
  stdbuf: simpleWrapper('stdbuf', new OptionTable([valueOption('mode', '-i', '--input', '-o', '--output', '-e', '--error')])),
  ionice: simpleWrapper('ionice', new OptionTable([valueOption('v', '-c', '--class', '-n', '--classdata', '-p', '--pid', '-P', '--pgid', '-u', '--uid'), flagOption('flag', '-t', '--ignore')])),
  time: timeAnalyzer,
  command: commandAnalyzer,
  builtin: simpleWrapper('builtin', NO_OPTIONS),
  exec: simpleWrapper('exec', new OptionTable([valueOption('a', '-a'), flagOption('flag', '-c', '-l')])),
  xargs: xargsAnalyzer,
  ssh: sshAnalyzer,
  watch: watchAnalyzer,
};
