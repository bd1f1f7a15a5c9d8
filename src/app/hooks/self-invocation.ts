// Recognizes a command that is already a run through this gate (`gate [run options] -- cmd`,
// or the absolute `node .../bin/gate.js ... -- cmd` form a rewrite produces). gate itself
// enforces the rules on such a run, so the hook lets it through instead of reviewing gate.
// Only the run form counts: `gate keys trust`, `gate shim uninstall` and the like are
// analyzed as any other program, and the word must resolve to this very gate.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BashNode, Env, Parsers } from '../../analyzers/types.js';
import { staticText } from '../../analyzers/shell-words.js';
import { findExecutable } from '../../exec/resolve.js';
// The run options exactly as the plain run parses them (main.ts): what gate would treat as a
// run is what counts as one here, and the two cannot drift apart.
import { runFlags } from '../../cli/run-flags.js';

/** This gate's node and entry script, as realpaths. */
export interface SelfPaths {
  node: string;
  entry: string;
}

/** Nodes that are plain words of a command; assignments and redirections are not. */
const WORD_TYPES = new Set(['command_name', 'word', 'string', 'raw_string', 'ansi_c_string', 'concatenation', 'number']);

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function locate(word: string, env: Env, cwd: string): string | null {
  if (word.includes('/')) return realOrNull(resolve(cwd, word));
  return findExecutable(word, env.PATH, cwd)?.realpath ?? null;
}

/** The gated command when `argv` is a run through this gate; null otherwise. */
export function gatedArgv(argv: readonly string[], env: Env, cwd: string, self: SelfPaths): string[] | null {
  if (argv.length === 0) return null;
  let rest: readonly string[];
  const first = locate(argv[0]!, env, cwd);
  if (first === self.entry) rest = argv.slice(1);
  else if (first !== null && first === self.node && argv.length > 1 && realOrNull(resolve(cwd, argv[1]!)) === self.entry) rest = argv.slice(2);
  else return null;
  // As main.ts splits and parses it: run options up to the first `--`, then the command.
  const split = rest.indexOf('--');
  if (split === -1 || split + 1 === rest.length) return null;
  return runFlags(rest.slice(0, split)) === undefined ? null : rest.slice(split + 1);
}

/** The words of a script that is exactly one plain command (no redirections, assignments,
 * expansions, lists or pipes), or null. */
export function singleCommandWords(root: BashNode): string[] | null {
  if (root.hasError) return null;
  const statements = root.namedChildren.filter((c) => c.type !== 'comment');
  if (statements.length !== 1 || statements[0]!.type !== 'command') return null;
  const command = statements[0]!;
  const words: string[] = [];
  for (const child of command.namedChildren) {
    if (child.type === 'comment') continue;
    if (!WORD_TYPES.has(child.type)) return null;
    const text = staticText(child);
    if (text === null) return null;
    words.push(text);
  }
  return words.length > 0 ? words : null;
}

/** The gated command when the shell script is one run through this gate; null otherwise. */
export async function gatedScript(script: string, parsers: Parsers, env: Env, cwd: string, self: SelfPaths): Promise<string[] | null> {
  let root: BashNode;
  try {
    root = await parsers.bash(script);
  } catch {
    return null;
  }
  const words = singleCommandWords(root);
  return words === null ? null : gatedArgv(words, env, cwd, self);
}
