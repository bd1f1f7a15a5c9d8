// The command tree completion scripts are generated from (pure data), so they stay in sync
// with the CLI: every command, subcommand and option comes from the commander program itself.

export interface OptionNode {
  /** `--json`, `-n`: every spelling. */
  names: string[];
  description: string;
  takesValue: boolean;
  choices: string[];
}

export interface CommandNode {
  /** Subcommand names from the root, e.g. ['rules', 'list']; [] for the root. */
  path: string[];
  description: string;
  subcommands: CommandNode[];
  options: OptionNode[];
}

/** Every node of the tree, root first. */
export function allNodes(node: CommandNode): CommandNode[] {
  return [node, ...node.subcommands.flatMap(allNodes)];
}

/** One line of description, without characters that would need care in every shell. */
export function shortDescription(text: string): string {
  return text.split('\n')[0]!.replace(/\s+/g, ' ').trim().slice(0, 100);
}
