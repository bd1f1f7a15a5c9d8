// Everything after the first `--` belongs to the child, untouched; only what comes before it
// is gate's to parse.

export interface SplitArgv {
  gateArgs: string[];
  /** The child's argv, or undefined when there was no `--`. */
  command: string[] | undefined;
}

export function splitArgv(argv: readonly string[]): SplitArgv {
  const index = argv.indexOf('--');
  if (index === -1) return { gateArgs: [...argv], command: undefined };
  return { gateArgs: argv.slice(0, index), command: argv.slice(index + 1) };
}
