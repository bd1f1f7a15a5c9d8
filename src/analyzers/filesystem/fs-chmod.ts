// chmod: mode, -R in any spelling, and what the mode grants (setuid/setgid bits, write
// access for everyone). Symbolic modes may start with a dash (`chmod -x file`).
import { expandPrefixes } from '../long-prefixes.js';
import { flagOption, has, last, OptionTable, valueOption, type OptionSpec } from '../options.js';
import { opaqueFact } from '../opaque.js';
import { scanArgs } from '../scan-args.js';
import type { AnalyzeContext, Fact } from '../types.js';

const SPECS: OptionSpec[] = [
  flagOption('recursive', '-R', '--recursive'),
  flagOption('changes', '-c', '--changes'),
  flagOption('silent', '-f', '--silent', '--quiet'),
  flagOption('verbose', '-v', '--verbose'),
  valueOption('reference', '--reference'),
  flagOption('preserve_root', '--preserve-root'),
  flagOption('no_preserve_root', '--no-preserve-root'),
  flagOption('dereference', '--dereference'),
  flagOption('no_dereference', '-h', '--no-dereference'),
  flagOption('traverse', '-H', '-L', '-P'),
  flagOption('help', '--help', '--version'),
];
const TABLE = new OptionTable(SPECS);

/** A symbolic mode that begins with `-` (`-x`, `-w,o+r`): chmod reads it as the mode, not options. */
const DASH_MODE = /^-[rwxXst]+(,[ugoa]*[-+=][rwxXstugo]*)*$/;

/** What a mode grants: setuid/setgid bits, and write access for others. */
function modeFields(mode: string): Partial<Fact> {
  const fields: Partial<Fact> = {};
  if (/^[0-7]{1,4}$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    if ((Number(digits[0]) & 6) !== 0) fields.setuid = true;
    if ((Number(digits[3]) & 2) !== 0) fields.world_writable = true;
    return fields;
  }
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)([-+=].*)$/.exec(clause);
    if (!m) continue;
    const who = m[1]!;
    for (const op of m[2]!.match(/[+=][^-+=]*/g) ?? []) {
      if (op.includes('s')) fields.setuid = true;
      if (op.includes('w') && (who.includes('o') || who.includes('a'))) fields.world_writable = true;
    }
  }
  return fields;
}

/** Analyze `chmod [options] MODE FILE...` (one fact per file). */
export function chmodFacts(argv: string[], ctx: AnalyzeContext): Fact[] {
  const args = argv.slice(1);
  const dashMode = args.findIndex((a, i) => DASH_MODE.test(a) && !args.slice(0, i).includes('--'));
  const rest = dashMode === -1 ? args : args.filter((_, i) => i !== dashMode);
  const scan = scanArgs(expandPrefixes(rest, SPECS), TABLE);
  if (scan.ambiguous) return [opaqueFact('chmod', args, ctx.via, `unknown chmod option ${scan.parsed.unknown[0] ?? ''}`.trim())];
  if (has(scan.parsed, 'help')) return [{ program: 'chmod', action: 'read' }];
  let words = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  let mode = dashMode === -1 ? undefined : args[dashMode]!;
  if (mode === undefined && !has(scan.parsed, 'reference')) [mode, ...words] = words;
  const fields: Partial<Fact> = {};
  if (mode !== undefined) Object.assign(fields, { mode, ...modeFields(mode) });
  const reference = last(scan.parsed, 'reference');
  if (reference !== undefined) fields.reference = reference;
  if (has(scan.parsed, 'recursive')) fields.recursive = true;
  if (words.length === 0) return [{ program: 'chmod', action: 'write', ...fields }];
  return words.map((path) => ({ program: 'chmod', action: 'write', ...fields, path, target: path }));
}
