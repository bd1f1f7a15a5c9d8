// A small, spec-driven option parser shared by analyzers, so every analyzer normalizes the
// same spellings the same way: bundled short flags (-rf), attached values (-nprod, -n=prod),
// long options with `=` or a separate value, and `--` ending the options.

export interface OptionSpec {
  /** Every spelling, e.g. ['-n', '--namespace']. */
  names: string[];
  /** Canonical key the values are stored under. */
  key: string;
  /** Takes a value: `--x v`, `--x=v`, `-xv`, `-x v`. */
  value?: boolean;
  /** Takes a value only when attached with `=` (`--dry-run` or `--dry-run=client`). */
  optionalValue?: boolean;
}

export interface ParseOptions {
  /** Stop at the first positional argument (global options before a subcommand). */
  stopAtPositional?: boolean;
  /** `-name` is one long option, as in Go's flag package (terraform) and find. */
  singleDashLong?: boolean;
  /** Values of unknown `--long value` options: assume they take none (default) or one. */
  unknownTakesValue?: boolean;
}

export interface ParsedArgs {
  /** Values per canonical key, in order; a flag without value records ''. */
  values: Map<string, string[]>;
  positionals: string[];
  /** Unknown option tokens as written. */
  unknown: string[];
  /** Index in `args` where parsing stopped (for stopAtPositional), else args.length. */
  rest: number;
  /** True when `--` was seen. */
  sawDoubleDash: boolean;
}

export class OptionTable {
  private readonly byName = new Map<string, OptionSpec>();

  constructor(specs: OptionSpec[]) {
    for (const spec of specs) for (const name of spec.names) this.byName.set(name, spec);
  }

  get(name: string): OptionSpec | undefined {
    return this.byName.get(name);
  }
}

/** The key an option is stored under when it is named after itself: `no-verify` -> `no_verify`. */
export function optionKey(name: string): string {
  return name.replace(/-/g, '_');
}

/** An option that takes a value, in any of the given spellings. */
export function valueOption(key: string, ...names: string[]): OptionSpec {
  return { key, names, value: true };
}

/** An option that takes no value. */
export function flagOption(key: string, ...names: string[]): OptionSpec {
  return { key, names };
}

/** An option that takes a value only when attached with `=` (`--dry-run`, `--dry-run=client`). */
export function optionalValueOption(key: string, ...names: string[]): OptionSpec {
  return { key, names, optionalValue: true };
}

/** Flags spelled `--name` and keyed by their own name. */
export function flagOptions(...longNames: string[]): OptionSpec[] {
  return longNames.map((name) => flagOption(optionKey(name), `--${name}`));
}

/**
 * Tables for cobra-style CLIs (kubectl, helm): global options, then one union of the verbs'
 * options, then a verb's own spellings where a short letter means something else. Later specs
 * win in OptionTable, so the overrides go last. Tables are built once per distinct override.
 */
export function verbTables(
  global: readonly OptionSpec[],
  verbUnion: readonly OptionSpec[],
  overrides: Readonly<Record<string, readonly OptionSpec[]>>,
): (verb: string) => OptionTable {
  const tables = new Map<string, OptionTable>();
  return (verb) => {
    const key = Object.hasOwn(overrides, verb) ? verb : '';
    let table = tables.get(key);
    if (!table) {
      table = new OptionTable([...global, ...verbUnion, ...(overrides[key] ?? [])]);
      tables.set(key, table);
    }
    return table;
  };
}

/** Parse `args` against a table of options; never throws. */
export function parseArgs(args: readonly string[], table: OptionTable, opts: ParseOptions = {}): ParsedArgs {
  const parsed: ParsedArgs = { values: new Map(), positionals: [], unknown: [], rest: args.length, sawDoubleDash: false };
  const record = (key: string, value: string): void => {
    const list = parsed.values.get(key);
    if (list) list.push(value);
    else parsed.values.set(key, [value]);
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      parsed.sawDoubleDash = true;
      if (opts.stopAtPositional) {
        parsed.rest = i + 1;
        return parsed;
      }
      parsed.positionals.push(...args.slice(i + 1));
      return parsed;
    }
    const isLong = arg.startsWith('--') || (opts.singleDashLong === true && arg.startsWith('-') && arg.length > 1);
    if (isLong) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      const spec = table.get(name) ?? (opts.singleDashLong ? table.get(name.replace(/^--?/, '-')) ?? table.get(name.replace(/^-(?!-)/, '--')) : undefined);
      if (!spec) {
        parsed.unknown.push(arg);
        if (opts.unknownTakesValue && eq === -1 && i + 1 < args.length && !args[i + 1]!.startsWith('-')) i++;
        continue;
      }
      if (eq !== -1) record(spec.key, arg.slice(eq + 1));
      else if (spec.value && i + 1 < args.length) record(spec.key, args[++i]!);
      else record(spec.key, '');
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // Bundled short options: -rf, -nprod, -n=prod.
      for (let j = 1; j < arg.length; j++) {
        const name = `-${arg[j]}`;
        const spec = table.get(name);
        if (!spec) {
          parsed.unknown.push(name);
          continue;
        }
        if (spec.value) {
          let value = arg.slice(j + 1);
          if (value.startsWith('=')) value = value.slice(1);
          if (value === '' && i + 1 < args.length && j === arg.length - 1) value = args[++i]!;
          record(spec.key, value);
          break;
        }
        record(spec.key, '');
      }
      continue;
    }
    if (opts.stopAtPositional) {
      parsed.rest = i;
      return parsed;
    }
    parsed.positionals.push(arg);
  }
  return parsed;
}

/** The last value given for `key`, or undefined. */
export function last(parsed: ParsedArgs, key: string): string | undefined {
  const list = parsed.values.get(key);
  return list === undefined ? undefined : list[list.length - 1];
}

/** Whether `key` was given at all. */
export function has(parsed: ParsedArgs, key: string): boolean {
  return parsed.values.has(key);
}

/** The false spellings of Go's strconv.ParseBool (docker, kubectl, terraform, helm, gcloud's Go tools). */
const FALSE_VALUES = new Set(['false', '0', 'f', 'F', 'FALSE', 'False']);

/**
 * Boolean option value: `--x`, `--x=true`, `--x=T` are true; `--x=false|F|0|...` is false.
 * Any other value counts as true: the tool either takes it so or refuses to run.
 */
export function flag(parsed: ParsedArgs, key: string): boolean {
  const value = last(parsed, key);
  if (value === undefined) return false;
  return !FALSE_VALUES.has(value);
}
