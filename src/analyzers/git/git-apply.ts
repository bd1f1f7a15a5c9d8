// `git apply`: patches from a file change the working tree like any local edit; a patch read
// from stdin is content gate never sees, --unsafe-paths lifts git's own check that keeps
// writes inside the working tree (force), and --build-fake-ancestor writes a file (output).
import { has, last } from '../options.js';
import type { ScannedArgs } from '../scan-args.js';
import type { Fact } from '../types.js';
import type { LocalResult } from './git-local.js';

/** Options that only report on the patch unless --apply is also given. */
const REPORTS = ['stat', 'numstat', 'summary', 'check'];

/** Facts for `git apply [options] [patch...]` (no patch, or `-`, reads stdin). */
export function applyFacts(scan: ScannedArgs): LocalResult {
  const p = scan.parsed;
  const patches = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  const fields: Partial<Fact> = {};
  const named = patches.filter((patch) => patch !== '-');
  if (named.length > 0) fields.paths = named;
  if (patches.length === 0 || patches.includes('-')) fields.input = 'stdin';
  if (REPORTS.some((k) => has(p, k)) && !has(p, 'apply')) return { action: 'read', fields };
  const ancestor = last(p, 'build_fake_ancestor');
  if (ancestor !== undefined) fields.output = ancestor;
  if (has(p, 'unsafe_paths')) fields.force = true;
  return { action: 'write', fields };
}
