// chmod: mode, -R in any spelling, and what the mode grants (setuid/setgid bits, write
// access for everyone). Symbolic modes may start with a dash (`chmod -x file`).
import { flagOption, has, last, valueOption, type OptionSpec } from '../options.js';
import { opaqueFact } from '../opaque.js';
import { prefixScanner } from '../scan-args.js';
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
const scanChmod = prefixScanner(SPECS);

/** A symbolic mode that begins with `-` (`-x`, `-w,o+r`): chmod reads it as the mode, not options. */
const DASH_MODE = /^-[rwxXst]+(,[ugoa]*[-+=][rwxXstugo]*)*$/;

/** Fields for an octal value of mode bits: setuid/setgid, and write for others. */
function octalFields(value: number): Partial<Fact> {
  const fields: Partial<Fact> = {};
  if ((value & 0o6000) !== 0) fields.setuid = true;
  if ((value & 0o002) !== 0) fields.world_writable = true;
  return fields;
}

/** One clause of a symbolic mode, as GNU chmod reads it: `[ugoa]*([-+=]([0-7]+|[ugo]|[rwxXst]*))+`. */
const CLAUSE = /^([ugoa]*)((?:[-+=](?:[0-7]+|[ugo]|[rwxXst]*))+)$/;

/**
 * What a mode grants: setuid/setgid bits, and write access for others. Octal modes may have
 * any number of leading zeros (`004755`); symbolic ones may copy another class's bits
 * (`o=u`) or carry octal digits (`+4755`). Undefined when chmod might read the mode otherwise.
 */
function modeFields(mode: string): Partial<Fact> | undefined {
  if (/^[0-7]+$/.test(mode)) {
    const value = parseInt(mode, 8);
    return value <= 0o7777 ? octalFields(value) : undefined;
  }
  const fields: Partial<Fact> = {};
  for (const clause of mode.split(',')) {
    const m = CLAUSE.exec(clause);
    if (!m) return undefined;
    const who = m[1]!;
    // An empty `who` is masked by the umask, which keeps others from write as usual.
    const others = who.includes('o') || who.includes('a');
    for (const op of m[2]!.match(/[-+=][^-+=]*/g) ?? []) {
      if (op[0] === '-') continue;
      const perms = op.slice(1);
      if (/^[0-7]+$/.test(perms)) {
        // Digits after the operator apply unmasked, and only without a `who`.
        if (who !== '') return undefined;
        Object.assign(fields, octalFields(parseInt(perms, 8)));
      } else if (/^[ugo]$/.test(perms)) {
        // Copies the bits another class has (usually write for the owner) to `who`.
        if (others) fields.world_writable = true;
      } else {
        if (perms.includes('s')) fields.setuid = true;
        if (perms.includes('w') && others) fields.world_writable = true;
      }
    }
  }
  return fields;
}

/** Analyze `chmod [options] MODE FILE...` (one fact per file). */
export function chmodFacts(argv: string[], ctx: AnalyzeContext): Fact[] {
  const args = argv.slice(1);
  const dashMode = args.findIndex((a, i) => DASH_MODE.test(a) && !args.slice(0, i).includes('--'));
  const rest = dashMode === -1 ? args : args.filter((_, i) => i !== dashMode);
  const scan = scanChmod(rest);
  if (scan.ambiguous) return [opaqueFact('chmod', args, ctx.via, `unknown chmod option ${scan.parsed.unknown[0] ?? ''}`.trim())];
  if (has(scan.parsed, 'help')) return [{ program: 'chmod', action: 'read' }];
  let words = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  let mode = dashMode === -1 ? undefined : args[dashMode]!;
  if (mode === undefined && !has(scan.parsed, 'reference')) [mode, ...words] = words;
  const fields: Partial<Fact> = {};
  if (mode !== undefined) {
    const granted = modeFields(mode);
    Object.assign(fields, { mode, ...(granted ?? { opaque: true, opaque_reason: `chmod mode ${mode} cannot be read` }) });
  }
  const reference = last(scan.parsed, 'reference');
  if (reference !== undefined) {
    // The mode is whatever FILE has: setuid or world-writable for all gate knows.
    Object.assign(fields, { reference, opaque: true, opaque_reason: `chmod --reference=${reference} copies a mode gate cannot see` });
  }
  if (has(scan.parsed, 'recursive')) fields.recursive = true;
  if (words.length === 0) return [{ program: 'chmod', action: 'write', ...fields }];
  return words.map((path) => ({ program: 'chmod', action: 'write', ...fields, path, target: path }));
}
