// The plain run's options parsed without commander (main.ts): the same result commander gives
// for these arguments, which must stay in step with run-options.ts.
import type { RunFlags } from './run.js';

/** The run options that take a value (the next argument, or `--name=value`), and the flags. */
const VALUED = new Set(['--reason', '--actor', '--token', '--request', '--server', '--wait', '--rules']);
const REPEATABLE = new Set(['--token', '--rules']);
const FLAGS = new Set(['--open', '--non-interactive', '--json', '--quiet']);

/**
 * The run flags when `args` (what comes before `--`) is nothing but run options, parsed as
 * commander parses them (a value is the next argument whatever it looks like; --token and
 * --rules accumulate; the last value wins). Undefined for anything else (a subcommand, help,
 * an unknown or incomplete option): that goes through the full program and its usual errors.
 */
export function runFlags(args: readonly string[]): RunFlags | undefined {
  const flags: Record<string, unknown> = {};
  const set = (name: string, value: string | true): void => {
    const key = name.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    flags[key] = REPEATABLE.has(name) ? [...((flags[key] as string[] | undefined) ?? []), value] : value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    if (FLAGS.has(arg)) set(arg, true);
    else if (VALUED.has(arg) && i + 1 < args.length) set(arg, args[++i]!);
    else if (eq > 0 && VALUED.has(arg.slice(0, eq))) set(arg.slice(0, eq), arg.slice(eq + 1));
    else return undefined;
  }
  return flags as RunFlags;
}
