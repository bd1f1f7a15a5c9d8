// gate's command line: the only module that reads process.argv's meaning or exits.
// The plain `gate [run options] -- cmd` (every guarded command) runs without commander or any
// other command's code: gate's own cost is paid on every command an agent runs.
import { reportError } from './output.js';
import { runCommand } from './run.js';
import { runFlags } from './run-flags.js';
import { splitArgv } from './split-argv.js';

/** Run the CLI and exit the process with the contract's code. */
export async function main(argv: string[]): Promise<void> {
  const { gateArgs, command } = splitArgv(argv);
  const json = gateArgs.includes('--json');
  let exitCode: number;
  try {
    const flags = command === undefined ? undefined : runFlags(gateArgs);
    exitCode = flags !== undefined && command !== undefined ? await runCommand(command, flags) : await (await import('./program.js')).runProgram(gateArgs, command);
  } catch (error) {
    exitCode = reportError(error, json);
  }
  process.exit(exitCode);
}
