// gate's command line: the only module that reads process.argv's meaning or exits.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { approveCommand } from './approve.js';
import { auditCommand } from './audit.js';
import { keysCommand } from './keys.js';
import { tokenCommand } from './token.js';
import { explainCommand } from './explain.js';
import { err, reportError } from './output.js';
import { runCommand, type RunFlags } from './run.js';
import { rulesCommand } from './rules.js';
import { splitArgv } from './split-argv.js';
import { VERSION } from './version.js';

/** Options every run-like command accepts (before `--`). */
export function addRunOptions(command: Command): Command {
  return command
    .option('--reason <text>', 'why you need this; shown to reviewers and audited')
    .option('--actor <id>', 'who is asking (default: GATE_ACTOR or the OS user)')
    .addOption(new Option('--token <jws>', 'a decision token approving this command (repeatable; also GATE_TOKEN)').argParser((value: string, previous: string[] = []) => [...previous, value]))
    .option('--wait <duration>', 'how long to wait for a review; 0 = do not wait (end as pending, exit 75)')
    .option('--non-interactive', 'never prompt at this terminal (implied by CI or no TTY)')
    .option('--json', 'when gate ends the run itself, print one JSON object on stdout')
    .addOption(new Option('--rules <dir>', 'extra rules directory or file (repeatable)').argParser((value: string, previous: string[] = []) => [...previous, value]))
    .option('--quiet', 'print nothing of gate\'s own unless it ends the run');
}

function buildProgram(command: string[] | undefined, setExit: (code: number) => void): Command {
  const program = new Command('gate');
  program
    .description('Put a human decision at the exact privileged command: parse, decide, review, run, audit.')
    .usage('[run options] -- <command> [args...]')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run `gate --help` for usage)')
    .exitOverride()
    .enablePositionalOptions()
    .configureOutput({ writeErr: (s) => err(s.replace(/\n$/, '')) })
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
  program.addCommand(tokenCommand(() => command, setExit));
  inheritErrorHandling(program);
  return program;
}

/** Subcommands made apart from the program do not inherit exitOverride: usage errors must be 64. */
function inheritErrorHandling(command: Command, prefix = 'gate'): void {
  for (const sub of command.commands) {
    const name = `${prefix} ${sub.name()}`;
    sub.exitOverride().configureOutput({ writeErr: (s) => err(s.replace(/\n$/, '')) }).showHelpAfterError(`(run \`${name} --help\` for usage)`);
    inheritErrorHandling(sub, name);
  }
}

/** Run the CLI and exit the process with the contract's code. */
export async function main(argv: string[]): Promise<void> {
  const { gateArgs, command } = splitArgv(argv);
  const json = gateArgs.includes('--json');
  let exitCode = 0;
  try {
    const program = buildProgram(command, (code) => {
      exitCode = code;
    });
    await program.parseAsync(gateArgs, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      exitCode = error.exitCode === 0 ? 0 : EXIT.usage;
    } else {
      exitCode = reportError(error, json);
    }
  }
  process.exit(exitCode);
}
