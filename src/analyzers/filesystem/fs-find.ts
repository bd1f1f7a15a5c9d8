// find: start paths, then an expression. -delete deletes, -fprint* write files, and each
// -exec/-execdir/-ok/-okdir runs a command that is analyzed itself (`{}` stays an argument).
// find's expression is a small language, not options, so it is walked here token by token;
// an unknown primary makes the command opaque rather than guessing its arity.
import { opaqueFact } from '../opaque.js';
import type { AnalyzeContext, Fact } from '../types.js';

/** Primaries that take one argument. */
const ONE_ARG = new Set([
  '-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-lname', '-ilname',
  '-type', '-xtype', '-size', '-perm', '-user', '-group', '-uid', '-gid', '-newer', '-anewer', '-cnewer',
  '-mtime', '-atime', '-ctime', '-mmin', '-amin', '-cmin', '-used', '-inum', '-links', '-samefile', '-maxdepth',
  '-mindepth', '-printf', '-context', '-fstype', '-regextype', '-files0-from', '-flags', '-Bmin', '-Btime',
  '-Bnewer',
]);

/** Primaries and operators that take none. */
const NO_ARG = new Set([
  '-print', '-print0', '-ls', '-prune', '-quit', '-true', '-false', '-empty', '-executable', '-readable', '-writable',
  '-nouser', '-nogroup', '-depth', '-d', '-mount', '-xdev', '-noleaf', '-ignore_readdir_race',
  '-noignore_readdir_race', '-follow', '-daystart', '-a', '-and', '-o', '-or', '-not', '!', '(', ')', ',', '-help',
  '--help', '-version', '--version', '-warn', '-nowarn', '-L', '-H', '-P',
]);

const EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
/** Primaries that write their output to a file: -fprint FILE, -fprintf FILE FORMAT. */
const FILE_OUTPUT: Record<string, number> = { '-fprint': 1, '-fprint0': 1, '-fls': 1, '-fprintf': 2 };

/** Analyze `find [-H|-L|-P|-D x|-Olevel] [path...] [expression]`. */
export async function findFacts(argv: string[], ctx: AnalyzeContext): Promise<Fact[]> {
  const args = argv.slice(1);
  const opaque = (reason: string): Fact[] => [opaqueFact('find', args, ctx.via, reason)];
  let i = 0;
  // Leading options (GNU -H -L -P -D -O, BSD -E -X -s -x -f PATH).
  while (i < args.length) {
    const arg = args[i]!;
    if (['-H', '-L', '-P', '-E', '-X', '-s', '-x'].includes(arg) || /^-O\d*$/.test(arg)) i++;
    else if (arg === '-D' || arg === '-f') i += 2;
    else break;
  }
  const paths: string[] = [];
  while (i < args.length && !/^[-(!),]/.test(args[i]!)) paths.push(args[i++]!);

  const fact: Fact = { program: 'find', action: 'read' };
  const inner: string[][] = [];
  const outputs: string[] = [];
  while (i < args.length) {
    const token = args[i]!;
    if (token === '-delete') {
      fact.delete = true;
      i++;
    } else if (EXEC.has(token)) {
      const end = execEnd(args, i + 1);
      if (end === undefined) return opaque(`${token} without a terminating ; or +`);
      const command = args.slice(i + 1, end);
      if (command.length === 0) return opaque(`${token} without a command`);
      inner.push(command);
      i = end + 1;
    } else if (Object.hasOwn(FILE_OUTPUT, token)) {
      if (args[i + 1] !== undefined) outputs.push(args[i + 1]!);
      i += 1 + FILE_OUTPUT[token]!;
    } else if (ONE_ARG.has(token) || /^-newer[aBcmt][aBcmt]$/.test(token)) {
      i += 2;
    } else if (NO_ARG.has(token)) {
      i++;
    } else {
      return opaque(`unknown find primary ${token}`);
    }
  }
  if (paths.length > 0) fact.paths = paths;
  if (outputs.length > 0) Object.assign(fact, { action: 'write', outputs });
  if (fact.delete) fact.action = 'delete';
  if (inner.length > 0) fact.exec = true;
  const facts: Fact[] = [fact];
  for (const command of inner) facts.push(...(await ctx.analyze(command, 'find-exec')));
  return facts;
}

/** Index of the `;` (or the `+` right after `{}`) that ends an -exec command. */
function execEnd(args: readonly string[], from: number): number | undefined {
  for (let j = from; j < args.length; j++) {
    if (args[j] === ';') return j;
    if (args[j] === '+' && args[j - 1] === '{}') return j;
  }
  return undefined;
}
