// How each git subcommand is classified when its options do not need a full parse: a plain
// action, or an action per operation (`git remote add`, `git worktree remove`, ...), plus the
// options that make an otherwise harmless subcommand run a program.
import type { Action } from '../types.js';

export const SIMPLE: Record<string, Action> = {
  // Look only.
  status: 'read', log: 'read', diff: 'read', show: 'read', blame: 'read', annotate: 'read', shortlog: 'read',
  describe: 'read', 'rev-parse': 'read', 'rev-list': 'read', 'ls-files': 'read', 'ls-tree': 'read', 'ls-remote': 'read',
  'cat-file': 'read', grep: 'read', whatchanged: 'read', 'show-ref': 'read', 'show-branch': 'read',
  'for-each-ref': 'read', 'name-rev': 'read', 'merge-base': 'read', 'count-objects': 'read', fsck: 'read',
  'verify-commit': 'read', 'verify-tag': 'read', 'verify-pack': 'read', var: 'read', 'check-ignore': 'read',
  'check-attr': 'read', 'check-ref-format': 'read', 'check-mailmap': 'read', cherry: 'read', 'range-diff': 'read',
  'diff-tree': 'read', 'diff-files': 'read', 'diff-index': 'read', help: 'read', version: 'read', fetch: 'read',
  'request-pull': 'read', archive: 'read', 'get-tar-commit-id': 'read', 'patch-id': 'read', stripspace: 'read',
  column: 'read', 'interpret-trailers': 'read',
  // Change the local repository.
  add: 'write', commit: 'write', mv: 'write', init: 'write', clone: 'write', pull: 'write', merge: 'write',
  'cherry-pick': 'write', revert: 'write', am: 'write', 'format-patch': 'write', gc: 'write',
  repack: 'write', maintenance: 'write', 'update-index': 'write', 'symbolic-ref': 'write', replace: 'write',
  'commit-tree': 'write', 'write-tree': 'write', 'read-tree': 'write', 'hash-object': 'write', 'pack-refs': 'write',
  rerere: 'write', 'checkout-index': 'write', 'merge-file': 'write', mktag: 'write', mktree: 'write',
  'fast-import': 'write', bugreport: 'write', 'filter-branch': 'write',
  prune: 'delete', 'prune-packed': 'delete',
  // Run other programs or serve the repository.
  difftool: 'exec', mergetool: 'exec', daemon: 'exec', instaweb: 'exec', gui: 'exec', citool: 'exec', shell: 'exec',
  'upload-pack': 'exec', 'receive-pack': 'exec', 'http-backend': 'exec',
  'send-email': 'export',
};

export interface Nested {
  /** Action with no operation word. */
  bare: Action;
  ops: Record<string, Action>;
  /** Action for an unknown operation word; undefined makes the command opaque. */
  other?: Action;
}

export const NESTED: Record<string, Nested> = {
  remote: {
    bare: 'read',
    ops: { show: 'read', 'get-url': 'read', add: 'write', rename: 'write', remove: 'write', rm: 'write', 'set-url': 'write', 'set-head': 'write', 'set-branches': 'write', prune: 'write', update: 'write' },
  },
  worktree: { bare: 'read', ops: { list: 'read', add: 'write', move: 'write', lock: 'write', unlock: 'write', repair: 'write', remove: 'delete', prune: 'delete' } },
  reflog: { bare: 'read', ops: { show: 'read', list: 'read', exists: 'read', expire: 'delete', delete: 'delete', drop: 'delete' }, other: 'read' },
  notes: { bare: 'read', ops: { list: 'read', show: 'read', 'get-ref': 'read', add: 'write', copy: 'write', append: 'write', edit: 'write', merge: 'write', remove: 'write', prune: 'write' } },
  bundle: { bare: 'read', ops: { verify: 'read', 'list-heads': 'read', create: 'write', unbundle: 'write' } },
  'sparse-checkout': { bare: 'read', ops: { list: 'read', init: 'write', set: 'write', add: 'write', reapply: 'write', disable: 'write', check_rules: 'read' } },
  credential: { bare: 'read', ops: { fill: 'read', approve: 'write', reject: 'write', capability: 'read' } },
  submodule: {
    bare: 'read',
    ops: { status: 'read', summary: 'read', update: 'write', init: 'write', deinit: 'write', add: 'write', sync: 'write', absorbgitdirs: 'write', 'set-branch': 'write', 'set-url': 'write' },
  },
  bisect: {
    bare: 'read',
    ops: { log: 'read', visualize: 'read', view: 'read', terms: 'read', start: 'write', bad: 'write', good: 'write', new: 'write', old: 'write', skip: 'write', reset: 'write', replay: 'write' },
  },
};

/**
 * Options that make a subcommand run a program of the caller's choosing (long spellings and
 * unique prefixes of them, or short letters anywhere in a bundle).
 */
export const EXEC_OPTIONS: Record<string, { long: string[]; short?: string }> = {
  fetch: { long: ['--upload-pack'] },
  pull: { long: ['--upload-pack'] },
  'ls-remote': { long: ['--upload-pack', '--exec'] },
  archive: { long: ['--exec'] },
  grep: { long: ['--open-files-in-pager'], short: 'O' },
  difftool: { long: ['--extcmd'], short: 'x' },
  'filter-branch': { long: ['--env-filter', '--tree-filter', '--index-filter', '--parent-filter', '--msg-filter', '--commit-filter', '--tag-name-filter'] },
};

/** Subcommands whose --output=FILE writes a file of the caller's choosing. */
export const OUTPUT_SUBCOMMANDS = new Set(['diff', 'log', 'show', 'range-diff', 'whatchanged', 'diff-tree', 'diff-files', 'diff-index']);

/** Whether `args` (before `--`) use one of the given options, by full name, prefix or bundle. */
export function usesOption(args: readonly string[], long: readonly string[], short: string | undefined, minPrefix = 4): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg.startsWith('--')) {
      const name = arg.split('=')[0]!;
      if (name.length >= minPrefix && long.some((l) => l.startsWith(name))) return true;
    } else if (short !== undefined && arg.startsWith('-') && arg.slice(1).includes(short)) {
      return true;
    }
  }
  return false;
}
