// The run options (before `--`) shared by `gate -- cmd` and `gate explain -- cmd`.
import { Option, type Command } from 'commander';

/** Options every run-like command accepts (before `--`). */
export function addRunOptions(command: Command): Command {
  return command
    .option('--reason <text>', 'why you need this; shown to reviewers and audited (also GATE_REASON)')
    .option('--actor <id>', 'who is asking (default: GATE_ACTOR or the OS user)')
    .addOption(new Option('--token <jws>', 'a decision token approving this command (repeatable; also GATE_TOKEN)').argParser((value: string, previous: string[] = []) => [...previous, value]))
    .option('--request <id>', 'redeem an approval the server gave earlier for this same command')
    .option('--server <url>', 'the approval server (default: GATE_SERVER or the one you logged in to)')
    .option('--open', 'open the approval page in a browser while waiting')
    .option('--wait <duration>', 'how long to wait for a review; 0 = do not wait (end as pending, exit 75)')
    .option('--non-interactive', 'never prompt at this terminal (implied by CI or no TTY)')
    .option('--json', 'when gate ends the run itself, print one JSON object on stdout')
    .addOption(new Option('--rules <dir>', 'extra rules directory or file (repeatable)').argParser((value: string, previous: string[] = []) => [...previous, value]))
    .option('--quiet', 'print nothing of gate\'s own unless it ends the run');
}
