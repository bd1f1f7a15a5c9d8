// Finds the executable a command names, the way execvp would.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { EXIT, notExecutable, notFound, ProgramError } from '../errors.js';
import { gateShimProgram } from './shim-marker.js';

export interface Located {
  /** The path found on PATH (or given), which is what runs: multi-call programs and
   * wrapper scripts like Debian's pg_wrapper dispatch on the name they were started by. */
  path: string;
  /** Its absolute realpath: the file whose bytes are hashed and bound into the digest. */
  realpath: string;
}

export interface ResolveOptions {
  /** Realpaths of gate's shim directories: nothing in them is ever the real program. */
  shimDirs?: ReadonlySet<string>;
  /** Filled with the shims passed over, so "not found" can say only a shim was there. */
  skipped?: string[];
}

/**
 * Locate argv[0] on PATH (or relative to cwd for a path); null when not found. A PATH search
 * passes over gate's shims (by content, and every file in a known shim dir compared by
 * realpath), so a shim dir on PATH twice, or through a symlink, still cannot make gate run
 * its own shim: that would recurse.
 */
export function findExecutable(program: string, pathVar: string | undefined, cwd: string, options: ResolveOptions = {}): Located | null {
  if (program.includes('/')) {
    const candidate = isAbsolute(program) ? program : resolve(cwd, program);
    return isFile(candidate) ? { path: candidate, realpath: realpathSync(candidate) } : null;
  }
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(resolve(cwd, dir), program);
    if (!isFile(candidate) || !isExecutable(candidate)) continue;
    if (isShim(candidate, options)) {
      options.skipped?.push(candidate);
      continue;
    }
    return { path: candidate, realpath: realpathSync(candidate) };
  }
  return null;
}

function isShim(candidate: string, options: ResolveOptions): boolean {
  if (gateShimProgram(candidate) !== null) return true;
  if (!options.shimDirs || options.shimDirs.size === 0) return false;
  try {
    return options.shimDirs.has(realpathSync(resolve(candidate, '..')));
  } catch {
    return false;
  }
}

/** Locate or throw the contract's 127 (not found) / 126 (not executable). */
export function resolveExecutable(program: string, pathVar: string | undefined, cwd: string, options: ResolveOptions = {}): Located {
  const skipped: string[] = [];
  const found = findExecutable(program, pathVar, cwd, { ...options, skipped });
  if (found !== null && isExecutable(found.path)) return found;
  if (found !== null) throw notExecutable(found.path);
  // Like execvp: a match on PATH that exists but is not executable is EACCES, not ENOENT.
  if (!program.includes('/')) {
    for (const dir of (pathVar ?? '').split(delimiter)) {
      const candidate = join(resolve(cwd, dir), program);
      if (dir !== '' && isFile(candidate) && !skipped.includes(candidate) && !isExecutable(candidate)) throw notExecutable(candidate);
    }
  }
  if (skipped.length > 0) throw shimOnly(program, skipped[0]!);
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

/** 127 for a program that is not installed, only shimmed: say so, and how to fix it. */
function shimOnly(program: string, shim: string): ProgramError {
  return new ProgramError('not_found', EXIT.notFound, `${program}: not installed: the only ${program} on PATH is the gate shim ${shim}`, {
    hint: `install ${program}, or remove the shim: gate shim uninstall ${program}`,
  });
}
