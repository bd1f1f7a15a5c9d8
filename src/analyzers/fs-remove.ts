// rm, rmdir, shred and truncate: one fact per path, with recursive/force in any spelling
// (-rf, -fr, -r -f, -R, --recursive --force, `--rec` prefixes, options after the paths).
import { expandPrefixes } from './long-prefixes.js';
import { flag, has, last, OptionTable, type OptionSpec } from './options.js';
import { opaqueFact } from './opaque.js';
import { scanArgs } from './scan-args.js';
import type { Action, AnalyzeContext, Fact } from './types.js';

const v = (key: string, ...names: string[]): OptionSpec => ({ key, names, value: true });
const b = (key: string, ...names: string[]): OptionSpec => ({ key, names });
const opt = (key: string, ...names: string[]): OptionSpec => ({ key, names, optionalValue: true });

const COMMON: OptionSpec[] = [b('verbose', '-v', '--verbose'), b('help', '--help'), b('version', '--version')];

const SPECS: Record<string, OptionSpec[]> = {
  rm: [
    ...COMMON,
    b('recursive', '-r', '-R', '--recursive'),
    b('force', '-f', '--force'),
    b('interactive', '-i'),
    b('interactive_once', '-I'),
    opt('interactive_when', '--interactive'),
    b('dir', '-d', '--dir'),
    b('one_file_system', '-x', '--one-file-system'),
    b('no_preserve_root', '--no-preserve-root'),
    opt('preserve_root', '--preserve-root'),
    b('overwrite', '-P'),
    b('undelete', '-W'),
  ],
  rmdir: [...COMMON, b('parents', '-p', '--parents'), b('ignore_fail_on_non_empty', '--ignore-fail-on-non-empty')],
  shred: [
    ...COMMON,
    b('force', '-f', '--force'),
    v('iterations', '-n', '--iterations'),
    v('random_source', '--random-source'),
    v('size', '-s', '--size'),
    b('remove', '-u'),
    opt('remove', '--remove'),
    b('exact', '-x', '--exact'),
    b('zero', '-z', '--zero'),
  ],
  truncate: [
    ...COMMON,
    b('no_create', '-c', '--no-create'),
    b('io_blocks', '-o', '--io-blocks'),
    v('reference', '-r', '--reference'),
    v('size', '-s', '--size'),
  ],
};

const TABLES = new Map(Object.entries(SPECS).map(([name, specs]) => [name, new OptionTable(specs)]));

/** `/`, `//`, `/.`, `/*`: the whole filesystem. */
function isRoot(path: string): boolean {
  const squeezed = path.replace(/\/+/g, '/').replace(/(\/\.)+$/, '/');
  return squeezed === '/' || squeezed === '/*';
}

/** Analyze rm / rmdir / shred / truncate (`program` is the normalized name). */
export function removeFacts(program: string, argv: string[], ctx: AnalyzeContext): Fact[] {
  const args = argv.slice(1);
  const specs = SPECS[program]!;
  const scan = scanArgs(expandPrefixes(args, specs), TABLES.get(program)!);
  if (scan.ambiguous) return [opaqueFact(program, args, ctx.via, `unknown ${program} option ${scan.parsed.unknown[0] ?? ''}`.trim())];
  const p = scan.parsed;
  const paths = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  const fields: Partial<Fact> = {};
  let action: Action = 'delete';
  if (program === 'rm') {
    if (has(p, 'recursive')) fields.recursive = true;
    if (has(p, 'force')) fields.force = true;
    if (has(p, 'no_preserve_root')) fields.no_preserve_root = true;
    if (has(p, 'interactive') || has(p, 'interactive_once')) fields.interactive = true;
  } else if (program === 'rmdir') {
    if (has(p, 'parents')) fields.parents = true;
  } else if (program === 'shred') {
    if (has(p, 'force')) fields.force = true;
    if (has(p, 'remove')) fields.remove = true;
  } else {
    const size = last(p, 'size');
    if (size !== undefined) fields.size = size;
    // Truncating to zero destroys the content; other sizes resize.
    action = size !== undefined && /^0+[KMGTPEZY]?i?B?$/i.test(size) ? 'delete' : 'write';
  }
  if (flag(p, 'help') || flag(p, 'version')) return [{ program, action: 'read' }];
  if (paths.length === 0) return [{ program, action, ...fields }];
  return paths.map((path) => ({ program, action, ...fields, path, target: path, ...(isRoot(path) ? { root: true } : {}) }));
}
