// Finds the executable a command names, the way execvp would, and returns its realpath.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { notExecutable, notFound } from '../errors.js';

export interface Resolved {
  /** Absolute realpath of the file that will run. */
  exe: string;
}

/** Resolve argv[0] against PATH (or cwd for a path); null when not found anywhere. */
export function findExecutable(program: string, pathVar: string | undefined, cwd: string): string | null {
  if (program.includes('/')) {
    const candidate = isAbsolute(program) ? program : resolve(cwd, program);
    return isFile(candidate) ? realpathSync(candidate) : null;
  }
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(resolve(cwd, dir), program);
    if (isFile(candidate) && isExecutable(candidate)) return realpathSync(candidate);
  }
  return null;
}

/** Resolve or throw the contract's 127 / 126. */
export function resolveExecutable(program: string, pathVar: string | undefined, cwd: string): Resolved {
  const exe = findExecutable(program, pathVar, cwd);
  if (exe !== null && isExecutable(exe)) return { exe };
  if (exe !== null) throw notExecutable(exe);
  // Like execvp: a match on PATH that exists but is not executable is EACCES, not ENOENT.
  if (!program.includes('/')) {
    for (const dir of (pathVar ?? '').split(delimiter)) {
      if (dir !== '' && isFile(join(resolve(cwd, dir), program))) throw notExecutable(join(resolve(cwd, dir), program));
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
