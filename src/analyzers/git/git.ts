// Analyzer for git: global options (-C, -c, --git-dir, ...), the subcommand, and what it can
// destroy: force pushes (incl. `+refspec`, --force-with-lease, --mirror), remote branch
// deletion (`--delete`, `:branch`), reset --hard, clean -f, branch -D, discarding checkouts.
// Settings that make git run another program (-c core.pager=..., GIT_SSH_COMMAND, aliases,
// rebase --exec, submodule foreach, bisect run) are analyzed or made opaque.
//
// Another repository (--git-dir, GIT_DIR ...) brings config and hooks gate cannot see, and a
// URL naming a remote helper (`ext::cmd`) runs a program: both are opaque unless only reading.
//
// Fields: subcommand, operation, dir (-C), remote, branch, tag, refspec, force,
// force_with_lease, delete, mirror, all, tags, dry_run, mode (reset), commit, names, paths,
// ref, discard, staged, create, directories, ignored, interactive, remote_tracking, config_key,
// config_safe, scope, output, input (apply: stdin), secret, target (push: remote branch, else
// remote).
import { last } from '../options.js';
import { opaqueFact } from '../opaque.js';
import type { ScannedArgs } from '../scan-args.js';
import type { AnalyzeContext, Analyzer, Fact } from '../types.js';
import { applyFacts } from './git-apply.js';
import { configFacts } from './git-config.js';
import { EXEC_OPTIONS, NESTED, OUTPUT_SUBCOMMANDS, SIMPLE, usesOption } from './git-commands.js';
import { parseGlobals, scanSubcommand } from './git-flags.js';
import {
  branchFacts, checkoutFacts, cleanFacts, resetFacts, restoreFacts, rmFacts, stashFacts, switchFacts, tagFacts, type LocalResult,
} from './git-local.js';
import { pushFacts } from './git-push.js';
import { configKey, envRisk, foreignRepository, isSafeConfigKey, remoteHelperRisk } from './git-safety.js';

const LOCAL: Record<string, (scan: ScannedArgs) => LocalResult | undefined> = {
  reset: resetFacts, clean: cleanFacts, branch: branchFacts, checkout: checkoutFacts, restore: restoreFacts,
  switch: switchFacts, tag: tagFacts, rm: rmFacts, config: configFacts, apply: applyFacts,
};

/** Subcommands that take a repository URL (`--repo=`, `--remote=` included). */
const URL_SUBCOMMANDS = new Set(['fetch', 'pull', 'push', 'clone', 'ls-remote', 'remote', 'submodule', 'archive', 'request-pull']);

/** Reads that still talk to a remote (whose transport the repository's config chooses) or update refs. */
const REMOTE_READS = new Set(['fetch', 'ls-remote', 'archive', 'request-pull']);

/** Opaque facts for global settings that make git run a program of the caller's choosing. */
function globalRisks(args: string[], ctx: AnalyzeContext, parsed: ReturnType<typeof parseGlobals>): Fact[] {
  const reasons: string[] = [];
  for (const setting of parsed.values.get('config') ?? []) {
    if (!isSafeConfigKey(configKey(setting))) reasons.push(`git -c ${configKey(setting)} may run a program`);
  }
  for (const setting of parsed.values.get('config_env') ?? []) {
    if (!isSafeConfigKey(configKey(setting))) reasons.push(`git --config-env ${configKey(setting)} may run a program`);
  }
  if ((last(parsed, 'exec_path') ?? '') !== '') reasons.push('git --exec-path picks the programs git runs');
  const env = envRisk(ctx.env);
  if (env !== undefined) reasons.push(env);
  return reasons.map((reason) => opaqueFact('git', args, ctx.via, reason));
}

/** Analyze `git [global options] SUBCOMMAND [args]`. */
async function analyzeGit(argv: string[], ctx: AnalyzeContext): Promise<Fact[]> {
  const args = argv.slice(1);
  const globals = parseGlobals(args);
  if (globals.unknown.length > 0) return [opaqueFact('git', args, ctx.via, `unknown git option ${globals.unknown[0]}`)];
  if (globals.sawDoubleDash) return [opaqueFact('git', args, ctx.via, '`--` before the git subcommand')];
  const risks = globalRisks(args, ctx, globals);
  const subcommand = args[globals.rest];
  const base: Fact = { program: 'git', action: 'read', subcommand: subcommand ?? 'help' };
  const dir = last(globals, 'dir');
  if (dir !== undefined) base.dir = dir;
  if (subcommand === undefined) return [...risks, base];
  const opaque = (reason: string): Fact[] => [opaqueFact('git', args, ctx.via, reason)];
  const rest = args.slice(globals.rest + 1);
  if (URL_SUBCOMMANDS.has(subcommand)) {
    for (const arg of rest) {
      const helper = remoteHelperRisk(arg);
      if (helper !== undefined) risks.push(...opaque(helper));
    }
  }
  const facts = await subcommandFacts(subcommand, rest, base, ctx, opaque);
  const foreign = foreignRepository(ctx.env, last(globals, 'git_dir'), last(globals, 'work_tree'));
  const localRead = !REMOTE_READS.has(subcommand) && facts.every((f) => f.program !== 'git' || f.action === 'read');
  if (foreign !== undefined && !localRead) risks.push(...opaque(`${foreign}: another repository's config and hooks may run programs`));
  return [...risks, ...facts];
}

async function subcommandFacts(subcommand: string, rest: string[], base: Fact, ctx: AnalyzeContext, opaque: Opaque): Promise<Fact[]> {
  const exec = EXEC_OPTIONS[subcommand];
  if (exec && usesOption(rest, exec.long, exec.short)) return opaque(`git ${subcommand} option that runs a program`);

  if (subcommand === 'push' || subcommand === 'clone' || subcommand === 'rebase' || Object.hasOwn(LOCAL, subcommand)) {
    const scan = scanSubcommand(subcommand, rest)!;
    if (scan.ambiguous) return opaque(`unknown git ${subcommand} option ${scan.parsed.unknown[0] ?? ''}`.trim());
    if (subcommand === 'push') {
      if (scan.parsed.values.has('receive_pack')) return opaque('git push --receive-pack/--exec runs a program');
      return pushFacts(scan).map((f) => ({ ...base, ...f }));
    }
    if (subcommand === 'clone') return cloneFacts(scan, base, opaque);
    if (subcommand === 'rebase') return rebaseFacts(scan, base, ctx);
    const result = LOCAL[subcommand]!(scan);
    if (!result) return opaque(`unknown git ${subcommand} form`);
    return [{ ...base, ...result.fields, action: result.action }];
  }
  if (subcommand === 'stash') {
    const result = stashFacts(rest);
    return result ? [{ ...base, ...result.fields, action: result.action }] : opaque(`unknown git stash operation ${rest[0]}`);
  }
  if (Object.hasOwn(NESTED, subcommand)) return nestedFacts(subcommand, rest, base, ctx, opaque);
  if (subcommand === 'update-ref') return [{ ...base, action: rest.includes('-d') || rest.includes('--delete') ? 'delete' : 'write' }];
  if (Object.hasOwn(SIMPLE, subcommand)) {
    const fact: Fact = { ...base, action: SIMPLE[subcommand]! };
    const short = subcommand === 'archive' ? 'o' : undefined;
    if ((OUTPUT_SUBCOMMANDS.has(subcommand) || short !== undefined) && usesOption(rest, ['--output'], short, 5)) {
      // --output=FILE (archive: -o FILE) writes wherever it is told to.
      const output = outputFile(rest, short);
      Object.assign(fact, { action: 'write', ...(output ? { output } : {}) });
    }
    return [fact];
  }
  // Aliases and git-<name> programs on PATH: we cannot see what they run.
  return opaque(`unknown git subcommand ${subcommand} (an alias or external command)`);
}

type Opaque = (reason: string) => Fact[];

/** The file of `--output=FILE` (or a prefix of it), `--output FILE`, and with `short`, `-o FILE` or `-oFILE`. */
function outputFile(rest: readonly string[], short: string | undefined): string | undefined {
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--') return undefined;
    const name = arg.split('=')[0]!;
    if (name.length >= 5 && '--output'.startsWith(name)) return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[i + 1];
    if (short !== undefined && arg === `-${short}`) return rest[i + 1];
    if (short !== undefined && arg.startsWith(`-${short}`) && !arg.startsWith('--')) return arg.slice(2);
  }
  return undefined;
}

/** clone: --upload-pack and --template run programs; -c sets config for the new repository. */
function cloneFacts(scan: ScannedArgs, base: Fact, opaque: Opaque): Fact[] {
  const p = scan.parsed;
  if (p.values.has('upload_pack')) return opaque('git clone --upload-pack runs a program');
  if (p.values.has('template')) return opaque('git clone --template installs hooks that run');
  for (const setting of p.values.get('config') ?? []) {
    if (!isSafeConfigKey(configKey(setting))) return opaque(`git clone -c ${configKey(setting)} may run a program`);
  }
  const [repository, directory] = scan.positionals;
  return [{ ...base, action: 'write', ...(repository ? { remote: repository } : {}), ...(directory ? { paths: [directory] } : {}) }];
}

/** rebase: each --exec command runs in a shell after every commit. */
async function rebaseFacts(scan: ScannedArgs, base: Fact, ctx: AnalyzeContext): Promise<Fact[]> {
  const fact: Fact = { ...base, action: 'write' };
  if (scan.parsed.values.has('interactive')) fact.interactive = true;
  const inner: Fact[] = [];
  for (const command of scan.parsed.values.get('exec') ?? []) inner.push(...(await ctx.analyzeScript(command, 'git-rebase-exec')));
  return [fact, ...inner];
}

/** remote / worktree / reflog / submodule / bisect / ...: classified by operation word. */
async function nestedFacts(subcommand: string, rest: string[], base: Fact, ctx: AnalyzeContext, opaque: Opaque): Promise<Fact[]> {
  const spec = NESTED[subcommand]!;
  const index = rest.findIndex((word) => !word.startsWith('-'));
  const operation = index === -1 ? undefined : rest[index]!;
  if (subcommand === 'submodule' && operation === 'foreach') return submoduleForeach(rest.slice(index + 1), base, ctx, opaque);
  if (subcommand === 'bisect' && operation === 'run') {
    const command = rest.slice(index + 1);
    if (command.length === 0) return opaque('git bisect run without a command');
    return [{ ...base, action: 'exec', operation }, ...(await ctx.analyze(command, 'git-bisect-run'))];
  }
  if (operation === undefined) return [{ ...base, action: spec.bare }];
  const action = Object.hasOwn(spec.ops, operation) ? spec.ops[operation]! : spec.other;
  if (action === undefined) return opaque(`unknown git ${subcommand} operation ${operation}`);
  const fact: Fact = { ...base, action, operation: Object.hasOwn(spec.ops, operation) ? operation : 'show' };
  // `git credential fill` prints a stored password.
  if (subcommand === 'credential' && operation === 'fill') fact.secret = true;
  return [fact];
}

/** `git submodule foreach CMD`: git runs CMD with the shell in every submodule. */
async function submoduleForeach(words: string[], base: Fact, ctx: AnalyzeContext, opaque: Opaque): Promise<Fact[]> {
  let i = 0;
  while (i < words.length && ['--recursive', '-q', '--quiet', '--'].includes(words[i]!)) i++;
  const command = words.slice(i);
  if (command.length === 0) return opaque('git submodule foreach without a command');
  // Extra words become "$@" of the script; plain words can be appended as they are.
  if (command.slice(1).some((w) => !/^[\w./=:@%+,-]+$/.test(w))) return opaque('git submodule foreach with quoted arguments');
  return [{ ...base, action: 'exec', operation: 'foreach' }, ...(await ctx.analyzeScript(command.join(' '), 'git-submodule-foreach'))];
}

export const analyzers: Record<string, Analyzer> = { git: analyzeGit };
