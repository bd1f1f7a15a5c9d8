// `gate completion bash|zsh|fish`: shell completion generated from this program's own
// command tree, so a new command or option is completed without anyone editing a script.
import { Argument, Command, type Option } from 'commander';
import type { CommandNode, OptionNode } from '../app/completion/command-tree.js';
import { bashCompletion, fishCompletion, zshCompletion } from '../app/completion/render-completion.js';
import { out } from './output.js';

function optionNode(option: Option): OptionNode {
  return {
    names: [option.short, option.long].filter((n): n is string => typeof n === 'string'),
    description: option.description,
    takesValue: option.required || option.optional,
    choices: option.argChoices ?? [],
  };
}

/** The commander tree as plain data (hidden commands left out). */
export function commandTree(command: Command, path: string[] = []): CommandNode {
  const options = command.options.filter((o) => !o.hidden).map(optionNode);
  if (!options.some((o) => o.names.includes('--help'))) options.push({ names: ['-h', '--help'], description: 'display help', takesValue: false, choices: [] });
  return {
    path,
    description: command.description(),
    options,
    subcommands: command.commands
      .filter((c) => !(c as unknown as { _hidden?: boolean })._hidden)
      .map((c) => commandTree(c, [...path, c.name()])),
  };
}

export function completionCommand(setExit: (code: number) => void): Command {
  const cmd = new Command('completion')
    .description('print a shell completion script generated from the command tree')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', '\nExamples:\n  source <(gate completion bash)        # in ~/.bashrc\n  source <(gate completion zsh)         # in ~/.zshrc, after compinit\n  gate completion fish | source         # in ~/.config/fish/config.fish');
  cmd.action((shell: 'bash' | 'zsh' | 'fish') => {
    let root: Command = cmd;
    while (root.parent) root = root.parent;
    const tree = commandTree(root);
    out(shell === 'bash' ? bashCompletion(tree) : shell === 'zsh' ? zshCompletion(tree) : fishCompletion(tree));
    setExit(0);
  });
  return cmd;
}
