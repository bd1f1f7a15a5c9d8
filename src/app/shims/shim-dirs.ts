// The shim directories this gate home knows: the default one plus every `--dir` an install
// used, kept in a small JSON list. Resolution skips all of them, compared by realpath.
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Env } from '../../analyzers/types.js';
import { gatePaths } from '../../platform/paths.js';

/** Every shim dir recorded for this home (absolute, as installed), default first. */
export function recordedShimDirs(env: Env): string[] {
  const paths = gatePaths(env);
  const dirs = [paths.shims];
  try {
    const list = JSON.parse(readFileSync(paths.shimDirs, 'utf8')) as unknown;
    if (Array.isArray(list)) for (const dir of list) if (typeof dir === 'string' && !dirs.includes(dir)) dirs.push(dir);
  } catch {
    // No list yet (or unreadable): the default dir is still known, and shims are still
    // recognized by their content.
  }
  return dirs;
}

/** Realpaths of the recorded shim dirs that exist. */
export function knownShimDirs(env: Env): Set<string> {
  const real = new Set<string>();
  for (const dir of recordedShimDirs(env)) {
    try {
      real.add(realpathSync(dir));
    } catch {
      // not created yet
    }
  }
  return real;
}

/** Remember a shim dir (idempotent). */
export function recordShimDir(env: Env, dir: string): void {
  const paths = gatePaths(env);
  const absolute = resolve(dir);
  const dirs = recordedShimDirs(env).filter((d) => d !== paths.shims);
  if (absolute === paths.shims || dirs.includes(absolute)) return;
  dirs.push(absolute);
  mkdirSync(dirname(paths.shimDirs), { recursive: true });
  const tmp = `${paths.shimDirs}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(dirs, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, paths.shimDirs);
}
