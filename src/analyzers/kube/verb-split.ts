// kubectl and helm read `PROGRAM [global options] VERB [args]` the same way: global options
// before the verb must be known, or the verb cannot be told apart from an option's value.
import { parseArgs, type OptionTable, type ParsedArgs } from '../options.js';

/** The parts of the command line, or why the verb cannot be found (the caller makes that opaque). */
export type VerbSplit = { globals: ParsedArgs; verb: string | undefined; verbArgs: string[] } | { unreadable: string };

/** The global options before the verb, the verb, and every other argument (options may follow it). */
export function splitAtVerb(program: string, args: readonly string[], globalTable: OptionTable): VerbSplit {
  const globals = parseArgs(args, globalTable, { stopAtPositional: true });
  if (globals.unknown.length > 0) return { unreadable: `unknown ${program} option ${globals.unknown[0]} before the verb` };
  if (globals.sawDoubleDash) return { unreadable: `\`--\` before the ${program} verb` };
  return { globals, verb: args[globals.rest], verbArgs: [...args.slice(0, globals.rest), ...args.slice(globals.rest + 1)] };
}
