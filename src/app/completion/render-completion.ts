// Completion scripts for bash, zsh and fish, rendered from the command tree (pure). Each
// walks the words typed so far to find the subcommand path, skips option values, and after
// `--` hands over to command and file completion: that part belongs to the child.
import { allNodes, shortDescription, type CommandNode } from './command-tree.js';

const key = (node: CommandNode): string => node.path.join(' ');
const sq = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** `case` arms that advance the path or mark an option value to skip (bash and zsh syntax). */
function walkArms(root: CommandNode, pathVar: string): string[] {
  const arms: string[] = [];
  for (const node of allNodes(root)) {
    for (const sub of node.subcommands) arms.push(`      ${sq(`${key(node)}|${sub.path.at(-1)}`)}) ${pathVar}=${sq(key(sub))} ;;`);
    const valued = node.options.filter((o) => o.takesValue).flatMap((o) => o.names);
    if (valued.length > 0) arms.push(`      ${valued.map((n) => sq(`${key(node)}|${n}`)).join('|')}) skip=1 ;;`);
  }
  return arms;
}

/** `case` arms giving the choices of options that have them, by "path|option". */
function choiceArms(root: CommandNode, render: (choices: string[]) => string): string[] {
  const arms: string[] = [];
  for (const node of allNodes(root)) {
    for (const option of node.options.filter((o) => o.choices.length > 0)) {
      arms.push(`      ${option.names.map((n) => sq(`${key(node)}|${n}`)).join('|')}) ${render(option.choices)} ;;`);
    }
  }
  return arms;
}

export function bashCompletion(root: CommandNode): string {
  const wordArms = allNodes(root).map((node) => `    ${sq(key(node))}) words=${sq([...node.subcommands.map((s) => s.path.at(-1)!), ...node.options.flatMap((o) => o.names)].join(' '))} ;;`);
  return `# bash completion for gate (generated from gate's own command tree).
# Load it now: source <(gate completion bash)
# Or for good: gate completion bash > ~/.local/share/bash-completion/completions/gate
_gate_completion() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word="" prev="" skip=0 i words=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; prev=""; continue; fi
    if [[ "$word" == "--" ]]; then
      # Everything after -- is the command gate runs: complete it like a command line.
      if ((i == COMP_CWORD - 1)); then COMPREPLY=($(compgen -c -- "$cur")); else COMPREPLY=(); fi
      return 0
    fi
    prev="$word"
    case "$path|$word" in
${walkArms(root, 'path').join('\n')}
    esac
  done
  if ((skip)); then
    case "$path|$prev" in
${choiceArms(root, (c) => `COMPREPLY=($(compgen -W ${sq(c.join(' '))} -- "$cur"))`).join('\n')}
      *) COMPREPLY=() ;;
    esac
    return 0
  fi
  case "$path" in
${wordArms.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -o bashdefault -F _gate_completion gate
`;
}

export function zshCompletion(root: CommandNode): string {
  const esc = (text: string): string => text.replace(/:/g, '\\:');
  const arms = allNodes(root).map((node) => {
    const subs = node.subcommands.map((s) => sq(`${esc(s.path.at(-1)!)}:${shortDescription(s.description)}`));
    const opts = node.options.flatMap((o) => o.names.map((n) => sq(`${esc(n)}:${shortDescription(o.description)}`)));
    return `    ${sq(key(node))}) subcommands=(${subs.join(' ')}); options=(${opts.join(' ')}) ;;`;
  });
  return `#compdef gate
# zsh completion for gate (generated from gate's own command tree).
# Load it now: source <(gate completion zsh)   (after compinit)
# Or for good: gate completion zsh > "\${fpath[1]}/_gate"
_gate() {
  local path_="" word="" prev="" i skip=0
  local -a subcommands options
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if ((skip)); then skip=0; prev=""; continue; fi
    if [[ "$word" == "--" ]]; then
      # Everything after -- is the command gate runs.
      if ((i == CURRENT - 1)); then _command_names -e; else _files; fi
      return
    fi
    prev="$word"
    case "$path_|$word" in
${walkArms(root, 'path_').join('\n')}
    esac
  done
  if ((skip)); then
    case "$path_|$prev" in
${choiceArms(root, (c) => `compadd -- ${c.map(sq).join(' ')}`).join('\n')}
      *) _files ;;
    esac
    return
  fi
  case "$path_" in
${arms.join('\n')}
  esac
  _describe -t commands 'gate command' subcommands
  _describe -t options 'option' options
}
if [[ "\${funcstack[1]}" == "_gate" ]]; then _gate "$@"; else compdef _gate gate; fi
`;
}

export function fishCompletion(root: CommandNode): string {
  const fq = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines: string[] = [];
  const fishArms: string[] = [];
  for (const node of allNodes(root)) {
    for (const sub of node.subcommands) fishArms.push(`      case ${fq(`${key(node)}|${sub.path.at(-1)}`)}\n        set path ${fq(key(sub))}`);
    const valued = node.options.filter((o) => o.takesValue).flatMap((o) => o.names);
    if (valued.length > 0) fishArms.push(`      case ${valued.map((n) => fq(`${key(node)}|${n}`)).join(' ')}\n        set skip 1`);
    const when = `-n ${fq(`test (__gate_path) = ${fq(key(node))}`)}`;
    for (const sub of node.subcommands) lines.push(`complete -c gate ${when} -f -a ${fq(sub.path.at(-1)!)} -d ${fq(shortDescription(sub.description))}`);
    for (const option of node.options) {
      const spellings = option.names.map((n) => (n.startsWith('--') ? `-l ${fq(n.slice(2))}` : `-s ${fq(n.slice(1))}`)).join(' ');
      const value = option.takesValue ? (option.choices.length > 0 ? ` -x -a ${fq(option.choices.join(' '))}` : ' -r') : '';
      lines.push(`complete -c gate ${when} ${spellings}${value} -d ${fq(shortDescription(option.description))}`);
    }
  }
  return `# fish completion for gate (generated from gate's own command tree).
# Load it now: gate completion fish | source
# Or for good: gate completion fish > ~/.config/fish/completions/gate.fish
function __gate_path --description 'the gate subcommand path typed so far'
  set -l tokens (commandline -opc)
  set -l path ''
  set -l skip 0
  set -l n (count $tokens)
  for i in (seq 2 $n)
    set -l t $tokens[$i]
    if test $skip = 1
      set skip 0
      continue
    end
    if test "$t" = '--'
      # The first word after -- is the command gate runs; later words are its arguments.
      if test $i -eq $n
        echo -- '--'
      else
        echo -- '--args'
      end
      return
    end
    switch "$path|$t"
${fishArms.join('\n')}
    end
  end
  echo -- $path
end
complete -c gate -f
complete -c gate -n 'test (__gate_path) = --' -a '(__fish_complete_command)'
complete -c gate -n 'test (__gate_path) = --args' -F
${lines.join('\n')}
`;
}
