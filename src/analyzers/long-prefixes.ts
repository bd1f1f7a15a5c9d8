// getopt_long and git's parse-options accept any unique prefix of a long option
// (`rm --rec`, `git push --forc`): expanding them first lets the shared parser see the option.
import type { OptionSpec } from './options.js';

/** `--forc` -> `--force` when exactly one long option starts that way (before `--` only). */
export function expandPrefixes(args: readonly string[], specs: readonly OptionSpec[]): string[] {
  const longNames = specs.flatMap((spec) => spec.names.filter((n) => n.startsWith('--')));
  const out: string[] = [];
  let done = false;
  for (const arg of args) {
    if (done || !arg.startsWith('--') || arg === '--') {
      if (arg === '--') done = true;
      out.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const candidates = longNames.includes(name) ? [] : longNames.filter((n) => n.startsWith(name));
    const keys = new Set(candidates.map((n) => specs.find((s) => s.names.includes(n))!.key));
    out.push(keys.size === 1 ? candidates[0]! + (eq === -1 ? '' : arg.slice(eq)) : arg);
  }
  return out;
}
