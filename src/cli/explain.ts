// `gate explain [--json] [run options] -- <command>`: the decision, without running anything.
import { Command } from 'commander';
import { lazyParsers } from '../analyzers/parsers.js';
import { explainView, formatExplain } from '../app/explain-view.js';
import { loadPolicy } from '../app/load-policy.js';
import { prepare } from '../app/prepare.js';
import { UsageError } from '../errors.js';
import { resolveHost } from '../platform/identity.js';
import { requesterActor } from '../app/actor.js';
import { addRunOptions } from './run-options.js';
import { decisionColor, out } from './output.js';
import type { RunFlags } from './run.js';

export function explainCommand(command: () => string[] | undefined, setExit: (code: number) => void): Command {
  const cmd = new Command('explain')
    .description('show the request, facts, matched rules and decision for a command; runs nothing')
    .usage('[--json] [run options] -- <command> [args...]')
    .allowExcessArguments(true);
  addRunOptions(cmd).action(async (flags: RunFlags) => {
    const argv = command();
    if (cmd.args.length > 0) {
      throw new UsageError(`unexpected "${cmd.args[0]}" before \`--\``, { hint: `put \`--\` before the command: gate explain -- ${cmd.args.join(' ')}` });
    }
    if (argv === undefined || argv.length === 0) throw new UsageError('no command to explain', { hint: 'gate explain -- <command> [args...]' });
    const env = process.env;
    const ruleSet = await loadPolicy(env, flags.rules ?? []);
    const prepared = await prepare(ruleSet, {
      argv,
      cwd: process.cwd(),
      env,
      actor: requesterActor(flags.actor, env),
      host: resolveHost(),
      reason: flags.reason ?? (env.GATE_REASON || null),
      parsers: lazyParsers,
    });
    const view = explainView(prepared);
    out(flags.json ? JSON.stringify(view) : formatExplain(view).replace(/^decision: (\w+)/m, (_line, word: string) => `decision: ${decisionColor(word)}`));
    setExit(0);
  });
  return cmd;
}
