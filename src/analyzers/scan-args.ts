// Interspersed option scanning for tools whose flags may follow positionals (cobra/pflag CLIs
// such as kubectl and helm, git's parse-options, GNU rm): built on parseArgs, it also keeps
// the arguments after `--` apart and says when an unknown option makes the parse ambiguous.
import { expandPrefixes } from './long-prefixes.js';
import { OptionTable, parseArgs, type OptionSpec, type ParsedArgs } from './options.js';

export interface ScannedArgs {
  /** Option values, unknown options and `rest` as parseArgs reports them, merged. */
  parsed: ParsedArgs;
  /** Positionals before `--`. */
  positionals: string[];
  /** Arguments after the first `--`, or undefined when there was none. */
  afterDashDash: string[] | undefined;
  /**
   * True when an option is unknown (its effect, and whether it took the next argument as its
   * value, cannot be known). Callers turn this into an opaque fact.
   */
  ambiguous: boolean;
}

export interface ScanOptions {
  singleDashLong?: boolean;
  /** Stop at the first positional, like Go's flag package: the rest are all positionals. */
  stopAtPositional?: boolean;
}

/** Scan `args` with options allowed anywhere before `--`. Never throws. */
export function scanArgs(args: readonly string[], table: OptionTable, opts: ScanOptions = {}): ScannedArgs {
  const plain = scanOnce(args, table, opts, false);
  const greedy = scanOnce(args, table, opts, true);
  const sameSplit =
    plain.positionals.join('\0') === greedy.positionals.join('\0') &&
    (plain.afterDashDash ?? []).join('\0') === (greedy.afterDashDash ?? []).join('\0') &&
    (plain.afterDashDash === undefined) === (greedy.afterDashDash === undefined);
  // Security invariant: an option the table does not know is never dropped. Even where it
  // cannot move the positionals (a trailing `--bogus`), its effect is unknown: opaque.
  return { ...plain, ambiguous: !sameSplit || plain.parsed.unknown.length > 0 };
}

/**
 * A scanner for a getopt_long / git parse-options style tool: unique long-option prefixes
 * (`--rec`, `--forc`) are expanded against `specs`, then scanned with a table of the same specs.
 */
export function prefixScanner(specs: readonly OptionSpec[]): (args: readonly string[]) => ScannedArgs {
  const table = new OptionTable([...specs]);
  return (args) => scanArgs(expandPrefixes(args, specs), table);
}

function scanOnce(args: readonly string[], table: OptionTable, opts: ScanOptions, unknownTakesValue: boolean): Omit<ScannedArgs, 'ambiguous'> {
  const merged: ParsedArgs = { values: new Map(), positionals: [], unknown: [], rest: args.length, sawDoubleDash: false };
  const positionals: string[] = [];
  let afterDashDash: string[] | undefined;
  let i = 0;
  while (i < args.length) {
    const part = parseArgs(args.slice(i), table, {
      stopAtPositional: true,
      unknownTakesValue,
      ...(opts.singleDashLong ? { singleDashLong: true } : {}),
    });
    for (const [key, values] of part.values) merged.values.set(key, [...(merged.values.get(key) ?? []), ...values]);
    merged.unknown.push(...part.unknown);
    if (part.sawDoubleDash) {
      merged.sawDoubleDash = true;
      afterDashDash = args.slice(i + part.rest);
      break;
    }
    if (i + part.rest >= args.length) break;
    if (opts.stopAtPositional) {
      positionals.push(...args.slice(i + part.rest));
      break;
    }
    positionals.push(args[i + part.rest]!);
    i += part.rest + 1;
  }
  merged.positionals = [...positionals, ...(afterDashDash ?? [])];
  return { parsed: merged, positionals, afterDashDash };
}
