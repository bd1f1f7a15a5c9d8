// `gate shim install|uninstall|list`: write, remove and list shims. Only files that carry the
// shim marker are ever replaced or removed; anything else in a shim dir is left alone.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Env } from '../../analyzers/types.js';
import { ConfigError } from '../../errors.js';
import { findExecutable } from '../../exec/resolve.js';
import { gateShimProgram } from '../../exec/shim-marker.js';
import type { RuleSet } from '../../policy/rule-set.js';
import { knownShimDirs, recordedShimDirs, recordShimDir } from './shim-dirs.js';
import { checkProgramName, renderShim, type ShimTarget } from './shim-script.js';

export interface ShimEntry {
  program: string;
  path: string;
  /** The real program a run through this shim would find, or null (the shim exits 127). */
  real: string | null;
}

export interface InstalledShim extends ShimEntry {
  status: 'created' | 'updated' | 'unchanged';
}

/**
 * The programs the loaded rules can stop or send to review: every literal program a review or
 * deny rule names. Allow-only programs (ls, cat) gain nothing from a shim; globs and the
 * shell's pseudo-programs are not files.
 */
export function defaultShimPrograms(ruleSet: RuleSet): string[] {
  const programs = new Set<string>();
  for (const rule of ruleSet.rules) {
    if (rule.effect === 'allow' || rule.programs === undefined) continue;
    for (const program of rule.programs) if (/^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/.test(program) && program !== 'shell-redirect') programs.add(program);
  }
  return [...programs].sort();
}

function realProgram(env: Env, program: string): string | null {
  return findExecutable(program, env.PATH, process.cwd(), { shimDirs: knownShimDirs(env) })?.path ?? null;
}

export function installShims(env: Env, dir: string, programs: readonly string[], target: ShimTarget): InstalledShim[] {
  const absolute = resolve(dir);
  for (const program of programs) checkProgramName(program);
  mkdirSync(absolute, { recursive: true, mode: 0o755 });
  recordShimDir(env, absolute);
  const results: InstalledShim[] = [];
  for (const program of [...new Set(programs)]) {
    const path = join(absolute, program);
    const text = renderShim(program, target);
    let status: InstalledShim['status'] = 'created';
    if (existsSync(path)) {
      if (gateShimProgram(path) === null) {
        throw new ConfigError('shim_conflict', `${path} exists and is not a gate shim; it was left as it is`, undefined, {
          hint: 'install the shims into a directory of their own (gate shim install --dir DIR)',
        });
      }
      status = readFileSync(path, 'utf8') === text ? 'unchanged' : 'updated';
    }
    if (status !== 'unchanged') {
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, text, { mode: 0o755 });
      chmodSync(tmp, 0o755);
      renameSync(tmp, path);
    }
    results.push({ program, path, status, real: realProgram(env, program) });
  }
  return results;
}

/** Remove the named shims (all shims when none are named) from `dir`; returns what went. */
export function uninstallShims(env: Env, dir: string, programs: readonly string[]): ShimEntry[] {
  const absolute = resolve(dir);
  const present = shimsIn(absolute);
  const wanted = programs.length === 0 ? present : present.filter((p) => programs.includes(p));
  const removed: ShimEntry[] = [];
  for (const program of wanted) {
    const path = join(absolute, program);
    rmSync(path, { force: true });
    removed.push({ program, path, real: realProgram(env, program) });
  }
  return removed;
}

/** The gate shims in a directory, by program name. */
export function shimsIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => gateShimProgram(join(dir, name)) !== null).sort();
}

export interface ShimDirListing {
  dir: string;
  on_path: boolean;
  shims: ShimEntry[];
}

/** Every recorded shim dir with its shims and what each resolves to. */
export function listShims(env: Env, onPath: (dir: string) => boolean): ShimDirListing[] {
  return recordedShimDirs(env).map((dir) => ({
    dir,
    on_path: onPath(dir),
    shims: shimsIn(dir).map((program) => ({ program, path: join(dir, program), real: realProgram(env, program) })),
  }));
}
