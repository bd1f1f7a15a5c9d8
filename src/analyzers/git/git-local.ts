// git subcommands that can lose local work: reset --hard, clean, branch -D, checkout/restore
// of paths, stash drop, tag -d, rm -f. Each returns the fields and action of its one fact.
import { flag, has, last } from '../options.js';
import type { ScannedArgs } from '../scan-args.js';
import type { Action, Fact } from '../types.js';

export interface LocalResult {
  action: Action;
  fields: Partial<Fact>;
}

/** reset: --hard throws away uncommitted work (any --hard counts, whatever follows). */
export function resetFacts(scan: ScannedArgs): LocalResult {
  const p = scan.parsed;
  const mode = has(p, 'hard') ? 'hard' : has(p, 'keep') ? 'keep' : has(p, 'merge') ? 'merge' : has(p, 'soft') ? 'soft' : 'mixed';
  const fields: Partial<Fact> = { mode };
  if (scan.positionals[0] !== undefined) fields.commit = scan.positionals[0];
  return { action: mode === 'hard' ? 'delete' : 'write', fields };
}

/** clean: deletes untracked files unless -n (which wins over -f). */
export function cleanFacts(scan: ScannedArgs): LocalResult {
  const p = scan.parsed;
  const fields: Partial<Fact> = {};
  if (has(p, 'force')) fields.force = true;
  if (has(p, 'dirs')) fields.directories = true;
  if (has(p, 'ignored') || has(p, 'only_ignored')) fields.ignored = true;
  if (has(p, 'interactive')) fields.interactive = true;
  const paths = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  if (paths.length > 0) fields.paths = paths;
  if (has(p, 'dry_run') && !has(p, 'no_dry_run')) return { action: 'read', fields: { ...fields, dry_run: true } };
  return { action: 'delete', fields };
}

const BRANCH_LIST_KEYS = ['list', 'all', 'remotes', 'merged', 'no_merged', 'contains', 'no_contains', 'points_at', 'show_current', 'verbose', 'format', 'sort', 'column'];

/** branch: -d deletes merged branches only; -D / --delete --force deletes unmerged work too. */
export function branchFacts(scan: ScannedArgs): LocalResult {
  const p = scan.parsed;
  const names = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  const fields: Partial<Fact> = names.length > 0 ? { names } : {};
  if (has(p, 'remotes')) fields.remote_tracking = true;
  if (has(p, 'delete') || has(p, 'delete_force')) {
    if (has(p, 'delete_force') || has(p, 'force')) fields.force = true;
    return { action: 'delete', fields: { ...fields, delete: true } };
  }
  if (has(p, 'move_force') || has(p, 'copy_force') || has(p, 'force')) fields.force = true;
  const changes = ['move', 'move_force', 'copy', 'copy_force', 'set_upstream_to', 'unset_upstream', 'edit_description'];
  if (changes.some((k) => has(p, k))) return { action: 'write', fields };
  if (names.length === 0 || BRANCH_LIST_KEYS.some((k) => has(p, k))) return { action: 'read', fields };
  return { action: 'write', fields: { ...fields, create: true } };
}

/** A word that can only be a path, never a branch name. */
function pathLike(word: string): boolean {
  return word === '.' || word === '..' || word.startsWith('./') || word.startsWith('../') || word.startsWith(':') || /[*?[]/.test(word);
}

/** A word that can only be a revision: `-`, `@{-1}`, HEAD~2, a commit id. */
const REVISION = /^(?:(?:-|@|HEAD|ORIG_HEAD|FETCH_HEAD|MERGE_HEAD|@\{-?\d+\})(?:[~^]\d*)*|[0-9a-f]{7,40})$/;

/** Plain names that are usually a directory or file of the repository, not a branch. */
const COMMON_PATHS = new Set([
  'src', 'lib', 'libs', 'test', 'tests', 'spec', 'specs', 'doc', 'docs', 'app', 'apps', 'bin', 'build', 'dist', 'out', 'target',
  'config', 'configs', 'conf', 'etc', 'scripts', 'script', 'pkg', 'packages', 'cmd', 'internal', 'vendor', 'public', 'static',
  'assets', 'include', 'tools', 'examples', 'web', 'www', 'server', 'client', 'api', 'migrations', 'db', 'data', 'deploy',
  'infra', 'charts', 'k8s', 'helm', 'ci', 'node_modules', 'modules', 'templates', 'views', 'models', 'components', 'styles',
  'css', 'js', 'images', 'img', 'fonts', 'locales', 'i18n', 'fixtures', 'mocks', 'e2e', 'bench', 'benchmarks', 'hack',
  'third_party', 'proto', 'protos', 'schemas', 'sql', 'var', 'tmp', 'log', 'logs', 'cache', 'storage', 'resources', 'res',
  'terraform', 'makefile', 'dockerfile', 'jenkinsfile', 'vagrantfile', 'gemfile', 'rakefile', 'procfile', 'pipfile',
  'readme', 'license', 'changelog', 'contributing', 'authors', 'notice', 'todo',
]);

/**
 * Whether `git checkout WORD` surely switches to a branch. Without `--`, a word that is no
 * revision but names a file checks that file out, discarding its changes; gate cannot see
 * which refs and files exist, so only plain names that rarely name files pass (`git switch`
 * is the unambiguous spelling).
 */
function surelyRef(word: string): boolean {
  if (REVISION.test(word)) return true;
  return /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(word) && !COMMON_PATHS.has(word.toLowerCase());
}

/** checkout: switching branches is harmless; checking out paths (or -f) discards changes. */
export function checkoutFacts(scan: ScannedArgs): LocalResult {
  const p = scan.parsed;
  const [first, ...others] = scan.positionals;
  const fields: Partial<Fact> = {};
  const created = last(p, 'new_branch') ?? last(p, 'reset_branch') ?? last(p, 'orphan');
  // Before `--`, with a branch to create, --detach or --track the first word must be a commit.
  const refOnly = created !== undefined || has(p, 'detach') || has(p, 'track') || scan.afterDashDash !== undefined;
  const firstIsPath = first !== undefined && (pathLike(first) || (!refOnly && !surelyRef(first)));
  const paths = [...(firstIsPath ? [first] : []), ...others, ...(scan.afterDashDash ?? [])];
  if (created !== undefined) Object.assign(fields, { ref: created, create: true });
  else if (first !== undefined && !pathLike(first)) fields.ref = first;
  if (paths.length > 0) fields.paths = paths;
  if (paths.length > 0 || has(p, 'force') || has(p, 'patch') || has(p, 'pathspec_from_file') || has(p, 'reset_branch')) fields.discard = true;
  if (has(p, 'force') || has(p, 'reset_branch')) fields.force = true;
  return { action: 'write', fields };
}

/** restore: the working tree is overwritten unless only --staged is restored. */
export function restoreFacts(scan: ScannedArgs): LocalResult {
  const p = scan.parsed;
  const paths = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  const fields: Partial<Fact> = paths.length > 0 ? { paths } : {};
  if (has(p, 'staged')) fields.staged = true;
  if (!has(p, 'staged') || has(p, 'worktree')) fields.discard = true;
  return { action: 'write', fields };
}

/** switch: -f/--discard-changes throws local changes away; -C resets an existing branch. */
export function switchFacts(scan: ScannedArgs): LocalResult {
  const p = scan.parsed;
  const fields: Partial<Fact> = {};
  const ref = last(p, 'create') ?? last(p, 'force_create') ?? scan.positionals[0];
  if (ref !== undefined) fields.ref = ref;
  if (flag(p, 'force')) fields.discard = true;
  if (flag(p, 'force') || has(p, 'force_create')) fields.force = true;
  return { action: 'write', fields };
}

const STASH: Record<string, Action> = {
  list: 'read', show: 'read', push: 'write', save: 'write', apply: 'write', pop: 'write', branch: 'write',
  create: 'write', store: 'write', drop: 'delete', clear: 'delete',
};

/** stash: `git stash` and `git stash -u` are push; drop/clear lose stashed work. */
export function stashFacts(args: readonly string[]): LocalResult | undefined {
  const first = args[0];
  const operation = first === undefined || first.startsWith('-') ? 'push' : first;
  if (!Object.hasOwn(STASH, operation)) return undefined;
  return { action: STASH[operation]!, fields: { operation } };
}

/** tag: -d deletes, -l and friends list, anything else creates (-f replaces). */
export function tagFacts(scan: ScannedArgs): LocalResult {
  const p = scan.parsed;
  const names = scan.positionals;
  const fields: Partial<Fact> = names.length > 0 ? { names } : {};
  if (has(p, 'delete')) return { action: 'delete', fields: { ...fields, delete: true } };
  const listing = ['list', 'lines', 'contains', 'no_contains', 'merged', 'no_merged', 'points_at', 'verify', 'format', 'sort', 'column'];
  if (names.length === 0 || listing.some((k) => has(p, k))) return { action: 'read', fields };
  if (has(p, 'force')) fields.force = true;
  return { action: 'write', fields };
}

/** rm: removes tracked files (recoverable from the index/HEAD) unless -f drops local changes. */
export function rmFacts(scan: ScannedArgs): LocalResult {
  const p = scan.parsed;
  const paths = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  const fields: Partial<Fact> = paths.length > 0 ? { paths } : {};
  if (has(p, 'force')) fields.force = true;
  if (has(p, 'recursive')) fields.recursive = true;
  if (has(p, 'cached')) fields.cached = true;
  if (has(p, 'dry_run')) return { action: 'read', fields: { ...fields, dry_run: true } };
  return { action: 'write', fields };
}
