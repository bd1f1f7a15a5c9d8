// Shell scripts (`sh -c`, `bash -lc`, `ssh host CMD`, rule self-tests) parsed with
// tree-sitter-bash: every command anywhere in the tree (pipelines, lists, subshells, `$()`,
// backticks, process substitutions, function bodies, loops) is analyzed; strictest wins.
// Whatever cannot be known statically (a variable in command position, eval, a syntax
// error) is opaque.
import { opaqueFact } from './opaque.js';
import { commandHazard, DYNAMIC_SAFE_PROGRAMS, hazardFact, hazardOf } from './shell-hazards.js';
import { staticText } from './shell-words.js';
import { programName } from './program.js';
import type { AnalyzeContext, Analyzer, BashNode, Env, Fact } from './types.js';

/** Output redirections to these are harmless; anything else writes a file. */
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);

export async function analyzeShellScript(script: string, ctx: AnalyzeContext): Promise<Fact[]> {
  let root: BashNode;
  try {
    root = await ctx.parsers.bash(script);
  } catch (error) {
    return [opaqueFact('sh', [script], ctx.via, `shell parser failed: ${(error as Error).message}`)];
  }
  const facts: Fact[] = [];
  if (root.hasError) facts.push(opaqueFact('sh', [script], ctx.via, 'shell syntax error'));
  await walk(root, ctx, facts);
  return facts;
}

async function walk(node: BashNode, ctx: AnalyzeContext, facts: Fact[]): Promise<void> {
  const hazard = hazardOf(node);
  if (hazard) facts.push(hazardFact(hazard, node, ctx));
  switch (node.type) {
    case 'command':
      await analyzeCommandNode(node, ctx, facts);
      return;
    case 'file_redirect':
      redirectFact(node, ctx, facts);
      break;
    case 'comment':
      return;
    default:
      // Heredoc bodies too: an unquoted heredoc runs its $(...) when the heredoc is read.
      break;
  }
  for (const child of node.namedChildren) await walk(child, ctx, facts);
}

/** Hazards anywhere under a node (arguments and assignments of a command). */
function hazardsUnder(node: BashNode, ctx: AnalyzeContext, facts: Fact[]): void {
  const hazard = hazardOf(node);
  if (hazard) facts.push(hazardFact(hazard, node, ctx));
  // Substitutions are walked (and their hazards found) by walkSubstitutions.
  if (node.type === 'command_substitution' || node.type === 'process_substitution') return;
  for (const child of node.namedChildren) hazardsUnder(child, ctx, facts);
}

async function analyzeCommandNode(node: BashNode, ctx: AnalyzeContext, facts: Fact[]): Promise<void> {
  // Nested commands inside arguments and assignments run first: `$(...)`, backticks, `<(...)`.
  for (const child of node.namedChildren) {
    if (child.type !== 'command_name') {
      // A prefix assignment (`PAGER=cat psql`) is judged by the launch guards, which know the
      // harmless values; its value may still hold hazards.
      const value = child.type === 'variable_assignment' ? child.childForFieldName('value') : child;
      if (value) hazardsUnder(value, ctx, facts);
      await walkSubstitutions(child, ctx, facts);
    }
  }
  const nameNode = node.childForFieldName('name');
  const env: Record<string, string | undefined> = { ...ctx.env };
  for (const child of node.namedChildren) {
    if (child.type !== 'variable_assignment') continue;
    const name = child.childForFieldName('name')?.text;
    const value = child.childForFieldName('value');
    if (name) env[name] = value ? (staticText(value) ?? value.text) : '';
  }
  if (!nameNode) return; // assignments only
  await walkSubstitutions(nameNode, ctx, facts);
  const program = staticText(nameNode.namedChildren[0] ?? nameNode);
  if (program === null || program === '') {
    facts.push(opaqueFact('', [nameNode.text], ctx.via, `variable or expansion in command position: ${nameNode.text}`));
    return;
  }
  const argv = [program];
  let dynamic = false;
  for (const arg of node.childrenForFieldName('argument')) {
    const text = staticText(arg);
    if (text === null) dynamic = true;
    argv.push(text ?? arg.text);
  }
  const hazard = commandHazard(argv);
  if (hazard) facts.push(hazardFact(hazard, node, ctx));
  const inner = await ctx.analyze(argv, undefined, env as Env);
  if (dynamic) {
    for (const fact of inner) fact.dynamic_args = true;
    // What the analyzer judged is not what will run: only programs that no argument can make
    // harmful keep their verdict.
    if (!DYNAMIC_SAFE_PROGRAMS.has(programName(program))) {
      facts.push(opaqueFact(programName(program), argv.slice(1), ctx.via, 'arguments expand at run time (variables, substitutions, braces or globs), so gate cannot see them'));
    }
  }
  facts.push(...inner);
}

/** Analyze every command nested in substitutions under `node` (not the node's own command). */
async function walkSubstitutions(node: BashNode, ctx: AnalyzeContext, facts: Fact[]): Promise<void> {
  if (node.type === 'command_substitution' || node.type === 'process_substitution') {
    for (const child of node.namedChildren) await walk(child, ctx, facts);
    return;
  }
  for (const child of node.namedChildren) await walkSubstitutions(child, ctx, facts);
}

/**
 * `> file`, `>> file`, `&> file`, `>& file` write a file (harmless targets excepted); a
 * redirection to or from /dev/tcp or /dev/udp opens a network connection.
 */
function redirectFact(node: BashNode, ctx: AnalyzeContext, facts: Fact[]): void {
  const operator = node.children.find((c) => !c.isNamed)?.type ?? '';
  const destination = node.childForFieldName('destination');
  if (!destination) return;
  const path = staticText(destination) ?? destination.text;
  if (/^\/dev\/(tcp|udp)\//.test(path)) {
    facts.push(opaqueFact('shell-redirect', [operator, path], ctx.via, `a network connection through ${path}`));
    return;
  }
  if (!operator.includes('>')) return;
  // `>&2` and `2>&1` duplicate a descriptor; with `>` a number is a file name (`> 1`).
  const duplicates = operator === '>&' || operator === '<&' || operator === '>&-';
  if (duplicates && (destination.type === 'number' || path === '-')) return;
  if (HARMLESS_TARGETS.has(path)) return;
  facts.push({ program: 'shell-redirect', action: 'write', path, args: [operator, path], via: ctx.via, ...(staticText(destination) === null ? { dynamic_args: true } : {}) });
}

/** Shell options that take a value: `bash -o pipefail -c ...`, `--rcfile F`. */
const VALUE_OPTIONS = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);

/** sh/bash/zsh/dash: `-c SCRIPT` is analyzed; a script file or stdin cannot be. */
const shellAnalyzer: Analyzer = async (argv, ctx) => {
  const program = programName(argv[0]!);
  let runsString = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--' || arg === '-') {
      i++;
      break;
    }
    if (VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (arg === '--version' || arg === '--help') return [{ program, action: 'read' }];
    if (arg.startsWith('--')) continue;
    if ((arg.startsWith('-') || arg.startsWith('+')) && arg.length > 1) {
      if (arg.slice(1).includes('c')) runsString = true;
      if (/[oO]$/.test(arg)) i++; // -eo pipefail: the value follows the bundle
      continue;
    }
    break;
  }
  const operand = argv[i];
  if (runsString) {
    if (operand === undefined) return [opaqueFact(program, argv.slice(1), ctx.via, '-c without a script')];
    return ctx.analyzeScript(operand, program);
  }
  if (operand !== undefined) return [opaqueFact(program, argv.slice(1), ctx.via, `runs the script file ${operand}, which gate cannot inspect`)];
  return [opaqueFact(program, argv.slice(1), ctx.via, 'a shell reading commands from stdin or the terminal')];
};

/** eval runs a string as code: opaque, and its words analyzed as a script too (strictest wins). */
const evalAnalyzer: Analyzer = async (argv, ctx) => {
  const facts = [opaqueFact('eval', argv.slice(1), ctx.via, 'eval runs a string as shell code')];
  if (argv.length > 1) facts.push(...(await ctx.analyzeScript(argv.slice(1).join(' '), 'eval')));
  return facts;
};

const sourceAnalyzer: Analyzer = (argv, ctx) => [opaqueFact(programName(argv[0]!), argv.slice(1), ctx.via, 'runs the commands of a file gate cannot inspect')];

/** Interpreters run code gate cannot read; only version and help queries are understood. */
const interpreterAnalyzer: Analyzer = (argv, ctx) => {
  const program = programName(argv[0]!);
  const args = argv.slice(1);
  if (args.length > 0 && args.every((a) => a === '--version' || a === '-V' || a === '--help' || a === '-h' || a === 'version' || a === '-v')) return [{ program, action: 'read' }];
  return [opaqueFact(program, args, ctx.via, `${program} runs code gate cannot inspect`)];
};

export const analyzers: Record<string, Analyzer> = {
  sh: shellAnalyzer,
  bash: shellAnalyzer,
  zsh: shellAnalyzer,
  dash: shellAnalyzer,
  ksh: shellAnalyzer,
  ash: shellAnalyzer,
  fish: shellAnalyzer,
  eval: evalAnalyzer,
  source: sourceAnalyzer,
  '.': sourceAnalyzer,
  python: interpreterAnalyzer,
  python3: interpreterAnalyzer,
  node: interpreterAnalyzer,
  perl: interpreterAnalyzer,
  ruby: interpreterAnalyzer,
  php: interpreterAnalyzer,
  lua: interpreterAnalyzer,
  deno: interpreterAnalyzer,
  bun: interpreterAnalyzer,
  awk: interpreterAnalyzer,
  gawk: interpreterAnalyzer,
};
