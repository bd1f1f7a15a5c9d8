// `gate shim install|uninstall|list|env|doctor`: shims put gate in front of programs without
// changing how agents and scripts call them.
import { realpathSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { loadPolicy } from '../app/load-policy.js';
import { defaultShimPrograms, installShims, listShims, uninstallShims } from '../app/shims/install-shims.js';
import { shimDoctor } from '../app/shims/shim-doctor.js';
import { pathLine, pickShell } from '../app/shims/shim-env.js';
import type { ShimTarget } from '../app/shims/shim-script.js';
import { gatePackageRoot, gatePaths } from '../platform/paths.js';
import { err, out } from './output.js';

/** This gate, by absolute path: what a shim execs. */
export function currentTarget(env: NodeJS.ProcessEnv): ShimTarget {
  const entry = join(gatePackageRoot(), 'bin', 'gate.js');
  return { node: process.execPath, entry: realpathSync(entry), gateHome: env.GATE_HOME ? resolve(env.GATE_HOME) : null };
}

function onPath(env: NodeJS.ProcessEnv): (dir: string) => boolean {
  const real = (p: string): string | null => {
    try {
      return realpathSync(p);
    } catch {
      return null;
    }
  };
  const entries = new Set((env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => real(resolve(d))));
  return (dir) => {
    const r = real(dir);
    return r !== null && entries.has(r);
  };
}

export function shimCommand(setExit: (code: number) => void): Command {
  const shim = new Command('shim').description('shims: small executables on PATH that run programs through gate');
  const dirOption = (cmd: Command): Command => cmd.option('--dir <dir>', 'the shim directory (default: $GATE_HOME/shims)');

  dirOption(shim.command('install').description('write shims (default: every program a review or deny rule names)'))
    .argument('[program...]', 'programs to shim, e.g. aws kubectl psql')
    .option('--rules <dir>', 'extra rules directory or file, for the default program list (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--json', 'machine-readable output')
    .action(async (programs: string[], flags: { dir?: string; json?: boolean; rules?: string[] }) => {
      const env = process.env;
      const names = programs.length > 0 ? programs : defaultShimPrograms(await loadPolicy(env, flags.rules ?? []));
      const dir = resolve(flags.dir ?? gatePaths(env).shims);
      const installed = installShims(env, dir, names, currentTarget(env));
      const visible = onPath(env)(dir);
      if (flags.json) out(JSON.stringify({ dir, on_path: visible, shims: installed }));
      else {
        for (const s of installed) out(`${s.status.padEnd(9)} ${s.path}  ->  ${s.real ?? '(not installed: exits 127 until it is)'}`);
        if (!visible) err(`the shims work once ${dir} is first on PATH:\n  eval "$(gate shim env${flags.dir ? ` --dir ${dir}` : ''})"`);
      }
      setExit(0);
    });

  dirOption(shim.command('uninstall').description('remove shims (all of them in the directory when none are named)'))
    .argument('[program...]', 'programs whose shims to remove')
    .option('--json', 'machine-readable output')
    .action((programs: string[], flags: { dir?: string; json?: boolean }) => {
      const env = process.env;
      const dir = resolve(flags.dir ?? gatePaths(env).shims);
      const removed = uninstallShims(env, dir, programs);
      const missing = programs.filter((p) => !removed.some((r) => r.program === p));
      if (flags.json) out(JSON.stringify({ dir, removed, not_found: missing }));
      else {
        for (const r of removed) out(`removed ${r.path}`);
        for (const p of missing) err(`no gate shim for ${p} in ${dir}`);
        if (removed.length === 0 && programs.length === 0) out(`no shims in ${dir}`);
      }
      setExit(missing.length > 0 ? 1 : 0);
    });

  shim
    .command('list')
    .description('every shim, its directory, and the real program it runs')
    .option('--json', 'machine-readable output')
    .action((flags: { json?: boolean }) => {
      const env = process.env;
      const listings = listShims(env, onPath(env));
      if (flags.json) out(JSON.stringify({ dirs: listings }));
      else {
        const used = listings.filter((l) => l.shims.length > 0);
        if (used.length === 0) out('no shims installed: gate shim install aws kubectl psql');
        for (const listing of used) {
          out(`${listing.dir}${listing.on_path ? '' : '  (NOT on PATH: eval "$(gate shim env)")'}`);
          for (const s of listing.shims) out(`  ${s.program.padEnd(16)} -> ${s.real ?? '(not installed: exits 127)'}`);
        }
      }
      setExit(0);
    });

  dirOption(shim.command('env').description('print the line that puts the shim dir first on PATH'))
    .addOption(new Option('--shell <shell>', 'bash, zsh, fish or sh (default: from $SHELL)').choices(['bash', 'zsh', 'fish', 'sh']))
    .addHelpText('after', '\nExamples:\n  eval "$(gate shim env)"                 # bash, zsh: add to ~/.bashrc or ~/.zshrc\n  gate shim env --shell fish | source     # fish: add to ~/.config/fish/config.fish')
    .action((flags: { dir?: string; shell?: string }) => {
      const env = process.env;
      out(pathLine(pickShell(flags.shell, env.SHELL), resolve(flags.dir ?? gatePaths(env).shims)));
      setExit(0);
    });

  shim
    .command('doctor')
    .description('check PATH order, that each shim runs this gate and resolves to a real program, and no recursion')
    .option('--json', 'machine-readable output')
    .action((flags: { json?: boolean }) => {
      const env = process.env;
      const findings = shimDoctor(env, process.cwd(), currentTarget(env));
      const errors = findings.filter((f) => f.level === 'error').length;
      const warnings = findings.filter((f) => f.level === 'warning').length;
      if (flags.json) out(JSON.stringify({ ok: errors === 0, errors, warnings, findings }));
      else {
        for (const f of findings) out(`${f.level === 'ok' ? 'ok     ' : f.level === 'error' ? 'ERROR  ' : 'warning'} ${f.message}`);
        out(errors === 0 ? `shims ok${warnings ? ` (${warnings} warning(s))` : ''}` : `${errors} problem(s)${warnings ? `, ${warnings} warning(s)` : ''}`);
      }
      setExit(errors === 0 ? 0 : 1);
    });

  return shim;
}
