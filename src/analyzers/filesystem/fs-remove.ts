// rm, rmdir, shred and truncate: one fact per path, with recursive/force in any spelling
// (-rf, -fr, -r -f, -R, --recursive --force, `--rec` prefixes, options after the paths).
import { flag, flagOption, has, last, optionalValueOption, valueOption, type OptionSpec } from '../options.js';
import { opaqueFact } from '../opaque.js';
import { prefixScanner } from '../scan-args.js';
import type { Action, AnalyzeContext, Fact } from '../types.js';

const COMMON: OptionSpec[] = [flagOption('verbose', '-v', '--verbose'), flagOption('help', '--help'), flagOption('version', '--version')];

const SPECS: Record<string, OptionSpec[]> = {
  rm: [
    ...COMMON,
    flagOption('recursive', '-r', '-R', '--recursive'),
    flagOption('force', '-f', '--force'),
    flagOption('interactive', '-i'),
    flagOption('interactive_once', '-I'),
    optionalValueOption('interactive_when', '--interactive'),
    flagOption('dir', '-d', '--dir'),
    flagOption('one_file_system', '-x', '--one-file-system'),
    flagOption('no_preserve_root', '--no-preserve-root'),
    optionalValueOption('preserve_root', '--preserve-root'),
    flagOption('overwrite', '-P'),
    flagOption('undelete', '-W'),
  ],
  rmdir: [...COMMON, flagOption('parents', '-p', '--parents'), flagOption('ignore_fail_on_non_empty', '--ignore-fail-on-non-empty')],
  shred: [
    ...COMMON,
    flagOption('force', '-f', '--force'),
    valueOption('iterations', '-n', '--iterations'),
    valueOption('random_source', '--random-source'),
    valueOption('size', '-s', '--size'),
    flagOption('remove', '-u'),
    optionalValueOption('remove', '--remove'),
    flagOption('exact', '-x', '--exact'),
    flagOption('zero', '-z', '--zero'),
  ],
  truncate: [
    ...COMMON,
    flagOption('no_create', '-c', '--no-create'),
    flagOption('io_blocks', '-o', '--io-blocks'),
    valueOption('reference', '-r', '--reference'),
    valueOption('size', '-s', '--size'),
  ],
};

const SCANNERS = new Map(Object.entries(SPECS).map(([name, specs]) => [name, prefixScanner(specs)]));

/** `/`, `//`, `/.`, `/*`: the whole filesystem. */
function isRoot(path: string): boolean {
  const squeezed = path.replace(/\/+/g, '/').replace(/(\/\.)+$/, '/');
  return squeezed === '/' || squeezed === '/*';
}

/** Analyze rm / rmdir / shred / truncate (`program` is the normalized name). */
export function removeFacts(program: string, argv: string[], ctx: AnalyzeContext): Fact[] {
  const args = argv.slice(1);
  const scan = SCANNERS.get(program)!(args);
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
