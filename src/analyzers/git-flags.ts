// git's options: the global ones before the subcommand, and tables for the subcommands whose
// options change what they do. git accepts any unique prefix of a long option
// (`git push --forc`, `git reset --ha`), so prefixes are expanded before parsing.
import { OptionTable, parseArgs, type OptionSpec, type ParsedArgs } from './options.js';
import { scanArgs, type ScannedArgs } from './scan-args.js';

const v = (key: string, ...names: string[]): OptionSpec => ({ key, names, value: true });
const b = (key: string, ...names: string[]): OptionSpec => ({ key, names });
const opt = (key: string, ...names: string[]): OptionSpec => ({ key, names, optionalValue: true });
/** Boolean long options whose key is the name itself. */
const bools = (...names: string[]): OptionSpec[] => names.map((n) => b(n.replace(/-/g, '_'), `--${n}`));

const GLOBAL_SPECS: OptionSpec[] = [
  v('dir', '-C'),
  v('config', '-c'),
  v('git_dir', '--git-dir'),
  v('work_tree', '--work-tree'),
  v('namespace', '--namespace'),
  opt('exec_path', '--exec-path'),
  v('config_env', '--config-env'),
  v('super_prefix', '--super-prefix'),
  v('attr_source', '--attr-source'),
  v('list_cmds', '--list-cmds'),
  b('paginate', '-p', '--paginate'),
  b('no_pager', '-P', '--no-pager'),
  b('version', '-v', '--version'),
  b('help', '-h', '--help'),
  ...bools('no-replace-objects', 'no-lazy-fetch', 'no-optional-locks', 'no-advice', 'bare', 'literal-pathspecs',
    'glob-pathspecs', 'noglob-pathspecs', 'icase-pathspecs', 'html-path', 'man-path', 'info-path'),
];

/** Options of the subcommands analyzed in depth; others are classified by subcommand alone. */
const SUBCOMMAND_SPECS: Record<string, OptionSpec[]> = {
  push: [
    b('force', '-f', '--force'),
    opt('force_with_lease', '--force-with-lease'),
    b('no_force_with_lease', '--no-force-with-lease'),
    b('force_if_includes', '--force-if-includes'),
    b('delete', '-d', '--delete'),
    b('all', '--all', '--branches'),
    b('dry_run', '-n', '--dry-run'),
    b('set_upstream', '-u', '--set-upstream'),
    b('quiet', '-q', '--quiet'),
    b('verbose', '-v', '--verbose'),
    v('push_option', '-o', '--push-option'),
    v('receive_pack', '--receive-pack', '--exec'),
    v('repo', '--repo'),
    opt('signed', '--signed'),
    v('recurse_submodules', '--recurse-submodules'),
    b('ipv4', '-4', '--ipv4'),
    b('ipv6', '-6', '--ipv6'),
    ...bools('mirror', 'tags', 'follow-tags', 'no-follow-tags', 'prune', 'progress', 'no-progress', 'no-verify', 'verify',
      'atomic', 'no-atomic', 'no-signed', 'porcelain', 'no-recurse-submodules', 'thin', 'no-thin', 'no-dry-run',
      'no-force-if-includes'),
  ],
  reset: [
    b('quiet', '-q', '--quiet'),
    b('patch', '-p', '--patch'),
    b('intent_to_add', '-N', '--intent-to-add'),
    v('pathspec_from_file', '--pathspec-from-file'),
    ...bools('hard', 'soft', 'mixed', 'merge', 'keep', 'recurse-submodules', 'no-recurse-submodules', 'pathspec-file-nul', 'no-refresh', 'refresh'),
  ],
  clean: [
    b('force', '-f', '--force'),
    b('dry_run', '-n', '--dry-run'),
    b('dirs', '-d'),
    b('ignored', '-x'),
    b('only_ignored', '-X'),
    b('interactive', '-i', '--interactive'),
    b('quiet', '-q', '--quiet'),
    v('exclude', '-e', '--exclude'),
    ...bools('no-dry-run'),
  ],
  branch: [
    b('delete', '-d', '--delete'),
    b('delete_force', '-D'),
    b('force', '-f', '--force'),
    b('move', '-m', '--move'),
    b('move_force', '-M'),
    b('copy', '-c', '--copy'),
    b('copy_force', '-C'),
    b('remotes', '-r', '--remotes'),
    b('all', '-a', '--all'),
    b('list', '-l', '--list'),
    b('verbose', '-v', '--verbose'),
    b('quiet', '-q', '--quiet'),
    opt('merged', '--merged'),
    opt('no_merged', '--no-merged'),
    opt('contains', '--contains'),
    opt('no_contains', '--no-contains'),
    v('points_at', '--points-at'),
    v('sort', '--sort'),
    v('format', '--format'),
    opt('color', '--color'),
    opt('column', '--column'),
    v('set_upstream_to', '-u', '--set-upstream-to'),
    opt('track', '-t', '--track'),
    opt('abbrev', '--abbrev'),
    b('ignore_case', '-i', '--ignore-case'),
    ...bools('no-color', 'no-column', 'unset-upstream', 'no-track', 'show-current', 'edit-description', 'no-abbrev',
      'create-reflog', 'omit-empty', 'recurse-submodules'),
  ],
  checkout: [
    v('new_branch', '-b'),
    v('reset_branch', '-B'),
    v('orphan', '--orphan'),
    b('force', '-f', '--force'),
    b('patch', '-p', '--patch'),
    b('merge', '-m', '--merge'),
    b('quiet', '-q', '--quiet'),
    opt('track', '-t', '--track'),
    v('conflict', '--conflict'),
    v('pathspec_from_file', '--pathspec-from-file'),
    b('ours', '--ours', '-2'),
    b('theirs', '--theirs', '-3'),
    b('detach', '-d', '--detach'),
    ...bools('no-track', 'progress', 'no-progress', 'ignore-other-worktrees', 'overwrite-ignore', 'no-overwrite-ignore',
      'recurse-submodules', 'no-recurse-submodules', 'pathspec-file-nul', 'guess', 'no-guess', 'overlay', 'no-overlay',
      'ignore-skip-worktree-bits'),
  ],
  restore: [
    v('source', '-s', '--source'),
    b('staged', '-S', '--staged'),
    b('worktree', '-W', '--worktree'),
    b('patch', '-p', '--patch'),
    b('merge', '-m', '--merge'),
    b('quiet', '-q', '--quiet'),
    b('ours', '--ours', '-2'),
    b('theirs', '--theirs', '-3'),
    v('conflict', '--conflict'),
    v('pathspec_from_file', '--pathspec-from-file'),
    ...bools('ignore-unmerged', 'overlay', 'no-overlay', 'progress', 'no-progress', 'recurse-submodules',
      'no-recurse-submodules', 'pathspec-file-nul', 'ignore-skip-worktree-bits'),
  ],
  switch: [
    v('create', '-c', '--create'),
    v('force_create', '-C', '--force-create'),
    b('detach', '-d', '--detach'),
    b('force', '-f', '--force', '--discard-changes'),
    b('merge', '-m', '--merge'),
    b('quiet', '-q', '--quiet'),
    opt('track', '-t', '--track'),
    v('conflict', '--conflict'),
    v('orphan', '--orphan'),
    ...bools('guess', 'no-guess', 'progress', 'no-progress', 'no-track', 'ignore-other-worktrees', 'recurse-submodules',
      'no-recurse-submodules'),
  ],
  tag: [
    b('delete', '-d', '--delete'),
    b('list', '-l', '--list'),
    b('annotate', '-a', '--annotate'),
    b('sign', '-s', '--sign'),
    v('local_user', '-u', '--local-user'),
    b('force', '-f', '--force'),
    v('message', '-m', '--message'),
    v('file', '-F', '--file'),
    b('edit', '-e', '--edit'),
    v('cleanup', '--cleanup'),
    b('ignore_case', '-i', '--ignore-case'),
    v('lines', '-n'),
    opt('merged', '--merged'),
    opt('no_merged', '--no-merged'),
    opt('contains', '--contains'),
    opt('no_contains', '--no-contains'),
    v('points_at', '--points-at'),
    v('sort', '--sort'),
    v('format', '--format'),
    opt('color', '--color'),
    opt('column', '--column'),
    b('verify', '-v', '--verify'),
    v('trailer', '--trailer'),
    ...bools('create-reflog', 'no-column', 'omit-empty', 'no-sign'),
  ],
  config: [
    v('file', '-f', '--file'),
    v('blob', '--blob'),
    b('list', '-l', '--list'),
    b('edit', '-e', '--edit'),
    v('type', '-t', '--type'),
    b('null', '-z', '--null'),
    v('default', '--default'),
    v('comment', '--comment'),
    v('value', '--value'),
    v('url', '--url'),
    ...bools('global', 'system', 'local', 'worktree', 'get', 'get-all', 'get-regexp', 'get-urlmatch', 'replace-all', 'add',
      'unset', 'unset-all', 'rename-section', 'remove-section', 'get-color', 'get-colorbool', 'bool', 'int', 'bool-or-int',
      'path', 'expiry-date', 'name-only', 'show-origin', 'show-scope', 'includes', 'no-includes', 'fixed-value', 'all',
      'no-type'),
  ],
  rm: [
    b('force', '-f', '--force'),
    b('recursive', '-r'),
    b('dry_run', '-n', '--dry-run'),
    b('quiet', '-q', '--quiet'),
    v('pathspec_from_file', '--pathspec-from-file'),
    ...bools('cached', 'ignore-unmatch', 'sparse', 'pathspec-file-nul'),
  ],
  rebase: [
    v('onto', '--onto'),
    b('interactive', '-i', '--interactive'),
    v('exec', '-x', '--exec'),
    b('merge', '-m', '--merge'),
    v('strategy', '-s', '--strategy'),
    v('strategy_option', '-X', '--strategy-option'),
    opt('rebase_merges', '-r', '--rebase-merges'),
    b('force_rebase', '-f', '--force-rebase'),
    opt('gpg_sign', '-S', '--gpg-sign'),
    b('quiet', '-q', '--quiet'),
    b('verbose', '-v', '--verbose'),
    b('no_stat', '-n', '--no-stat'),
    v('empty', '--empty'),
    v('whitespace', '--whitespace'),
    v('context', '-C'),
    v('trailer', '--trailer'),
    ...bools('keep-base', 'root', 'autosquash', 'no-autosquash', 'autostash', 'no-autostash', 'continue', 'abort', 'skip',
      'quit', 'edit-todo', 'show-current-patch', 'no-rebase-merges', 'no-ff', 'fork-point', 'no-fork-point',
      'committer-date-is-author-date', 'ignore-date', 'reset-author-date', 'signoff', 'no-gpg-sign', 'stat', 'verify',
      'no-verify', 'apply', 'reschedule-failed-exec', 'no-reschedule-failed-exec', 'update-refs', 'no-update-refs',
      'keep-empty', 'no-keep-empty', 'reapply-cherry-picks', 'no-reapply-cherry-picks', 'allow-empty-message',
      'ignore-whitespace'),
  ],
};

export const GLOBAL_TABLE = new OptionTable(GLOBAL_SPECS);

const TABLES = new Map(Object.entries(SUBCOMMAND_SPECS).map(([name, specs]) => [name, new OptionTable(specs)]));

/** Global options before the subcommand (no prefix expansion: git's own loop does none). */
export function parseGlobals(args: readonly string[]): ParsedArgs {
  return parseArgs(args, GLOBAL_TABLE, { stopAtPositional: true });
}

/** Scan a subcommand's arguments with its table, long-option prefixes expanded. */
export function scanSubcommand(subcommand: string, args: readonly string[]): ScannedArgs | undefined {
  const specs = SUBCOMMAND_SPECS[subcommand];
  const table = TABLES.get(subcommand);
  if (!specs || !table) return undefined;
  return scanArgs(expandPrefixes(args, specs), table);
}

/** `--forc` -> `--force` when exactly one long option starts that way (before `--` only). */
export function expandPrefixes(args: readonly string[], specs: readonly OptionSpec[]): string[] {
  const longNames = specs.flatMap((spec) => spec.names.filter((n) => n.startsWith('--')));
  const out: string[] = [];
  let done = false;
  for (const arg of args) {
    if (done || !arg.startsWith('--') || arg === '--') {
      if (arg === '--') done = true;
      out.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const candidates = longNames.includes(name) ? [] : longNames.filter((n) => n.startsWith(name));
    const keys = new Set(candidates.map((n) => specs.find((s) => s.names.includes(n))!.key));
    out.push(keys.size === 1 ? candidates[0]! + (eq === -1 ? '' : arg.slice(eq)) : arg);
  }
  return out;
}
