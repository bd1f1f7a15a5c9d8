// `gate shim doctor`: is every shim reachable, first on PATH, pointing at a working gate, and
// standing in front of a real program (never itself or gate)? Findings, worst first.
import { accessSync, constants, readFileSync, realpathSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { Env } from '../../analyzers/types.js';
import { findExecutable } from '../../exec/resolve.js';
import { gateShimProgram } from '../../exec/shim-marker.js';
import { listShims } from './install-shims.js';
import { knownShimDirs } from './shim-dirs.js';
import { shimExecTarget, type ShimTarget } from './shim-script.js';

export interface Finding {
  level: 'error' | 'warning' | 'ok';
  code: string;
  message: string;
  program?: string;
  path?: string;
}

function real(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** PATH entries as realpaths (null for missing dirs), in order. */
function pathDirs(env: Env, cwd: string): Array<{ dir: string; real: string | null }> {
  return (env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((dir) => ({ dir, real: real(resolve(cwd, dir)) }));
}

export function shimDoctor(env: Env, cwd: string, current: ShimTarget): Finding[] {
  const findings: Finding[] = [];
  const dirs = pathDirs(env, cwd);
  const shimDirs = knownShimDirs(env);
  const gateEntry = real(current.entry);
  const onPath = (dir: string): boolean => {
    const r = real(dir);
    return r !== null && dirs.some((d) => d.real === r);
  };
  const listings = listShims(env, onPath).filter((l) => l.shims.length > 0);
  if (listings.length === 0) findings.push({ level: 'warning', code: 'no_shims', message: 'no shims installed: gate shim install aws kubectl psql' });

  for (const listing of listings) {
    const realDir = real(listing.dir);
    const positions = dirs.flatMap((d, i) => (d.real !== null && d.real === realDir ? [i] : []));
    if (positions.length === 0) {
      findings.push({ level: 'error', code: 'not_on_path', path: listing.dir, message: `${listing.dir} is not on PATH, so its shims are never used: eval "$(gate shim env)"` });
    } else {
      findings.push({ level: 'ok', code: 'on_path', path: listing.dir, message: `${listing.dir} is on PATH (position ${positions[0]! + 1})` });
      if (positions.length > 1) findings.push({ level: 'ok', code: 'listed_twice', path: listing.dir, message: `${listing.dir} is on PATH ${positions.length} times (directly or through a symlink); harmless: gate skips shims when it looks for the real program` });
    }
    for (const shim of listing.shims) findings.push(...checkShim(env, cwd, shim.program, shim.path, { dirs, shimDirs, gateEntry, current, firstShimDir: positions[0] }));
  }
  const order = { error: 0, warning: 1, ok: 2 } as const;
  return findings.sort((a, b) => order[a.level] - order[b.level]);
}

interface ShimContext {
  dirs: Array<{ dir: string; real: string | null }>;
  shimDirs: Set<string>;
  gateEntry: string | null;
  current: ShimTarget;
  firstShimDir: number | undefined;
}

function checkShim(env: Env, cwd: string, program: string, path: string, ctx: ShimContext): Finding[] {
  const findings: Finding[] = [];
  const at = { program, path };
  if (!executable(path)) findings.push({ level: 'error', code: 'not_executable', ...at, message: `${path} is not executable: gate shim install ${program}` });
  const target = shimExecTarget(readFileSync(path, 'utf8'));
  if (target === null) {
    findings.push({ level: 'error', code: 'damaged', ...at, message: `${path} does not exec gate as a shim should: gate shim install ${program}` });
    return findings;
  }
  if (!executable(target.node)) findings.push({ level: 'error', code: 'node_missing', ...at, message: `${program}: the node it runs (${target.node}) is gone: gate shim install ${program}` });
  if (real(target.entry) === null) findings.push({ level: 'error', code: 'gate_missing', ...at, message: `${program}: the gate it runs (${target.entry}) is gone: gate shim install ${program}` });
  else if (target.node !== ctx.current.node || real(target.entry) !== ctx.gateEntry) {
    findings.push({ level: 'warning', code: 'stale', ...at, message: `${program}: runs ${target.node} ${target.entry}, not this gate (${ctx.current.node} ${ctx.current.entry}): gate shim install ${program}` });
  }

  // What a bare `program` finds first on PATH: it must be a shim, or commands bypass gate.
  for (let i = 0; i < ctx.dirs.length; i++) {
    const candidate = join(resolve(cwd, ctx.dirs[i]!.dir), program);
    if (!executable(candidate)) continue;
    if (gateShimProgram(candidate) === null && !(ctx.dirs[i]!.real !== null && ctx.shimDirs.has(ctx.dirs[i]!.real!))) {
      findings.push({ level: 'error', code: 'shadowed', ...at, message: `${program}: ${candidate} comes before the shim on PATH, so \`${program}\` bypasses gate; put the shim dir first: eval "$(gate shim env)"` });
    }
    break;
  }

  const located = findExecutable(program, env.PATH, cwd, { shimDirs: ctx.shimDirs });
  if (located === null) {
    findings.push({ level: 'warning', code: 'program_missing', ...at, message: `${program}: not installed (only the shim is on PATH); running it exits 127` });
    return findings;
  }
  if (located.realpath === ctx.gateEntry || gateShimProgram(located.realpath) !== null) {
    findings.push({ level: 'error', code: 'recursion', ...at, message: `${program}: the program found on PATH (${located.path}) is gate itself, which would run its own shim again` });
    return findings;
  }
  findings.push({ level: 'ok', code: 'resolves', ...at, message: `${program} -> ${located.path}${located.realpath !== located.path ? ` (${located.realpath})` : ''}` });
  return findings;
}
