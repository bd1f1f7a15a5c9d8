// The full command line (commander and every subcommand): every invocation except the plain
// `gate [run options] -- cmd`, which main.ts runs without loading this module.
import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { approveCommand } from './approve.js';
import { auditCommand } from './audit.js';
import { keysCommand } from './keys.js';
import { loginCommands } from './login.js';
import { requestsCommands } from './requests.js';
import { tokenCommand } from './token.js';
import { explainCommand } from './explain.js';
import { reviewCommand } from './review.js';
import { runCommand, type RunFlags } from './run.js';
import { rulesCommand } from './rules.js';
import { serverCommand } from './server.js';
import { shimCommand } from './shim.js';
import { hookCommand } from './hook.js';
import { completionCommand } from './completion.js';
import { addRunOptions } from './run-options.js';
import { VERSION } from '../version.js';

/** Commander's own error text for the last parse failure, turned into a UsageError below. */
let commanderMessage = '';
const captureError = (text: string): void => {
  commanderMessage += text;
};

function buildProgram(command: string[] | undefined, setExit: (code: number) => void): Command {
  const program = new Command('gate');
  program
    .description('Put a human decision at the exact privileged command: parse, decide, review, run, audit.')
    .usage('[run options] -- <command> [args...]')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .enablePositionalOptions()
    .configureOutput({ writeErr: captureError })
    .addHelpText(
      'after',
      `
Examples:
  gate -- kubectl get pods -n prod          run it if the rules allow it
  gate --reason "INC-123" -- kubectl delete ns scratch
  gate explain -- psql -c "DELETE FROM users"   show facts, rules and decision; runs nothing

Exit codes: the command's own code when it ran (128+N if killed by signal N); 64 usage;
69 approval server unreachable; 70 internal error; 75 review pending (not a denial);
77 denied; 78 rules or configuration error; 126/127 program not executable / not found.`,
    );
  addRunOptions(program).action(async (flags: RunFlags) => {
    if (command === undefined) {
      const hint = program.args.length > 0 ? `put \`--\` before the command: gate -- ${program.args.join(' ')}` : 'gate [run options] -- <command> [args...]; see gate --help';
      throw new UsageError(program.args.length > 0 ? `unknown command "${program.args[0]}"` : 'no command given', { hint });
    }
    setExit(await runCommand(command, flags));
  });
  program.allowExcessArguments(true);
  program.addCommand(explainCommand(() => command, setExit));
  program.addCommand(rulesCommand(setExit));
  program.addCommand(auditCommand(setExit));
  program.addCommand(keysCommand(setExit));
  program.addCommand(approveCommand(setExit));
  program.addCommand(reviewCommand(setExit));
  program.addCommand(tokenCommand(() => command, setExit));
  program.addCommand(serverCommand(setExit));
  program.addCommand(shimCommand(setExit));
  program.addCommand(hookCommand(setExit));
  program.addCommand(completionCommand(setExit));
  for (const cmd of requestsCommands(setExit)) program.addCommand(cmd);
  for (const cmd of loginCommands(setExit)) program.addCommand(cmd);
  inheritErrorHandling(program);
  return program;
}

/** Subcommands made apart from the program do not inherit exitOverride: usage errors must be 64. */
function inheritErrorHandling(command: Command): void {
  for (const sub of command.commands) {
    sub.exitOverride().configureOutput({ writeErr: captureError });
    inheritErrorHandling(sub);
  }
}

/** Parse and run any gate command line; resolves to the exit code. */
export async function runProgram(gateArgs: string[], command: string[] | undefined): Promise<number> {
  let exitCode = 0;
  try {
    const program = buildProgram(command, (code) => {
      exitCode = code;
    });
    await program.parseAsync(gateArgs, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and --version exit 0; every other parse failure is a usage error (64) reported
    // like any other, so --json still gets its one object and secrets stay redacted.
    if (error.exitCode === 0) return 0;
    throw new UsageError(commanderMessage.replace(/^error: /, '').trim() || error.message, { hint: 'run `gate --help` (or `gate <command> --help`) for usage' });
  }
  return exitCode;
}
