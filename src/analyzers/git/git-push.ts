// `git push`: which remote refs it updates, which it deletes, and whether it may overwrite
// history (--force, --force-with-lease, `+refspec`, --mirror). One fact per refspec.
import { flag, has } from '../options.js';
import type { ScannedArgs } from '../scan-args.js';
import type { Fact } from '../types.js';

interface Refspec {
  text: string;
  force: boolean;
  /** The remote ref updated or deleted, short form (`main`, `v1.0` for tags). */
  dst: string | undefined;
  delete: boolean;
  tag: boolean;
}

/** Parse `[+]<src>[:<dst>]`; `:dst` deletes dst. */
function parseRefspec(text: string, deleteAll: boolean): Refspec {
  const force = text.startsWith('+');
  const body = force ? text.slice(1) : text;
  const colon = body.indexOf(':');
  const src = colon === -1 ? body : body.slice(0, colon);
  const dstFull = colon === -1 ? src : body.slice(colon + 1) || src;
  // A lone `:` pushes the matching branches; `:dst` deletes dst.
  const deletes = deleteAll || (colon !== -1 && src === '' && body !== ':');
  const tag = dstFull.startsWith('refs/tags/');
  const dst = dstFull === '' ? undefined : dstFull.replace(/^refs\/(heads|tags)\//, '');
  return { text, force, dst, delete: deletes, tag };
}

/** `push REMOTE tag v1.0` means `refs/tags/v1.0`. */
function refspecWords(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'tag' && i + 1 < words.length) out.push(`refs/tags/${words[++i]}`);
    else out.push(words[i]!);
  }
  return out;
}

/** Facts for `git push`, given its scanned arguments. */
export function pushFacts(scan: ScannedArgs): Fact[] {
  const p = scan.parsed;
  const [repository, ...rest] = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  const remote = repository ?? p.values.get('repo')?.at(-1);
  const mirror = flag(p, 'mirror');
  const common: Fact = { program: 'git', action: 'write', subcommand: 'push' };
  if (remote !== undefined) common.remote = remote;
  const withLease = has(p, 'force_with_lease') && !has(p, 'no_force_with_lease');
  if (flag(p, 'force') || withLease || mirror) common.force = true;
  if (withLease) common.force_with_lease = true;
  if (has(p, 'dry_run') && !has(p, 'no_dry_run')) common.dry_run = true;
  if (flag(p, 'all')) common.all = true;
  if (flag(p, 'tags')) common.tags = true;
  if (mirror) common.mirror = true;
  // --prune and --mirror delete remote refs that have no local counterpart.
  if (flag(p, 'prune') || mirror) {
    common.delete = true;
    common.action = 'delete';
  }
  const refspecs = refspecWords(rest).map((r) => parseRefspec(r, flag(p, 'delete')));
  if (refspecs.length === 0) {
    const fact = { ...common, target: remote ?? 'upstream' };
    if (flag(p, 'delete')) Object.assign(fact, { delete: true, action: 'delete' });
    return [fact];
  }
  return refspecs.map((spec) => {
    const fact: Fact = { ...common, refspec: spec.text, target: spec.dst ?? remote ?? 'upstream' };
    if (spec.dst !== undefined) fact[spec.tag ? 'tag' : 'branch'] = spec.dst;
    if (spec.force) fact.force = true;
    if (spec.delete) Object.assign(fact, { delete: true, action: 'delete' });
    return fact;
  });
}
