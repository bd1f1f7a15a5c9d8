// Finds the executable a command names, the way execvp would.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { notExecutable, notFound } from '../errors.js';

export interface Located {
  /** The path found on PATH (or given), which is what runs: multi-call programs and
   * wrapper scripts like Debian's pg_wrapper dispatch on the name they were started by. */
  path: string;
  /** Its absolute realpath: the file whose bytes are hashed and bound into the digest. */
  realpath: string;
}

/** Locate argv[0] on PATH (or relative to cwd for a path); null when not found. */
export function findExecutable(program: string, pathVar: string | undefined, cwd: string): Located | null {
  if (program.includes('/')) {
    const candidate = isAbsolute(program) ? program : resolve(cwd, program);
    return isFile(candidate) ? { path: candidate, realpath: realpathSync(candidate) } : null;
  }
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(resolve(cwd, dir), program);
    if (isFile(candidate) && isExecutable(candidate)) return { path: candidate, realpath: realpathSync(candidate) };
  }
  return null;
}

/** Locate or throw the contract's 127 (not found) / 126 (not executable). */
export function resolveExecutable(program: string, pathVar: string | undefined, cwd: string): Located {
  const found = findExecutable(program, pathVar, cwd);
  if (found !== null && isExecutable(found.path)) return found;
  if (found !== null) throw notExecutable(found.path);
  // Like execvp: a match on PATH that exists but is not executable is EACCES, not ENOENT.
  if (!program.includes('/')) {
    for (const dir of (pathVar ?? '').split(delimiter)) {
      const candidate = join(resolve(cwd, dir), program);
      if (dir !== '' && isFile(candidate)) throw notExecutable(candidate);
    }
  }
  throw notFound(program);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
