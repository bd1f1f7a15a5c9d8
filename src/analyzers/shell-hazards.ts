// Bash evaluates data as code in more places than command substitutions: arithmetic
// (`a[$(cmd)]` subscripts are run when a value is used as a number), indirect expansion,
// prompt expansion (`${x@P}`, PS4), `declare -i/-n`, `printf -v`, `read`, `test -v`. gate
// cannot know what such data holds, so these constructs are opaque, and so is any literal text
// carrying `$(` or backticks that bash might later evaluate.
import { LAUNCH_VARIABLES } from './launch-guards.js';
import { opaqueFact } from './opaque.js';
import type { AnalyzeContext, BashNode, Fact } from './types.js';

/** Programs whose arguments cannot make them write, run or change anything. */
export const DYNAMIC_SAFE_PROGRAMS = new Set([
  'echo', 'true', 'false', 'pwd', 'cat', 'ls', 'grep', 'egrep', 'fgrep', 'head', 'tail', 'wc', 'basename', 'dirname',
  'cut', 'tr', 'id', 'whoami', 'uname', 'stat', 'file', 'du', 'df', 'cd', 'unset', ':',
]);

const CODE_IN_TEXT = /\$\(|`/;
const REFERENCES_DATA = new Set(['simple_expansion', 'expansion', 'variable_name', 'command_substitution', 'subscript']);
const ARITHMETIC_TEST = /^-(eq|ne|lt|le|gt|ge)$/;

function referencesData(node: BashNode): boolean {
  if (REFERENCES_DATA.has(node.type)) return true;
  return node.namedChildren.some(referencesData);
}

/** Why this node makes bash evaluate data as code, or undefined. */
export function hazardOf(node: BashNode): string | undefined {
  switch (node.type) {
    case 'raw_string':
    case 'string_content':
    case 'heredoc_content':
    case 'ansi_c_string':
      return CODE_IN_TEXT.test(node.text) ? 'literal text holding $( or backticks, which bash may evaluate later' : undefined;
    case 'word':
      return /\\\$\(|\\`/.test(node.text) ? 'literal text holding $( or backticks, which bash may evaluate later' : undefined;
    case 'arithmetic_expansion':
    case 'c_style_for_statement':
      return referencesData(node) ? 'arithmetic on variables (a value like a[$(cmd)] runs cmd)' : undefined;
    case 'compound_statement':
      // `(( x ))` parses as a compound statement holding the expression.
      return node.text.startsWith('((') && referencesData(node) ? 'arithmetic on variables (a value like a[$(cmd)] runs cmd)' : undefined;
    case 'test_command':
      return /\s-(eq|ne|lt|le|gt|ge)\s/.test(node.text) && referencesData(node) ? 'an arithmetic comparison of variables in [[ ]]' : undefined;
    case 'expansion':
      if (node.text.startsWith('${!')) return 'indirect expansion ${!...}';
      if (/@[PEAK]\}$/.test(node.text)) return 'prompt or quoting expansion ${...@P}';
      if (node.namedChildren.some((c) => c.type === 'subscript')) return 'an array subscript, evaluated as arithmetic';
      return undefined;
    case 'declaration_command':
      if (node.namedChildren.some((c) => c.type === 'word' && /^-[a-zA-Z]*[in]/.test(c.text))) return 'declare -i/-n evaluates values as arithmetic or names';
      // `export $V`: which variable is set (PATH? LD_PRELOAD?) is only known at run time.
      if (node.namedChildren.some((c) => c.type !== 'word' && c.type !== 'variable_assignment' && c.type !== 'variable_name')) return 'a declaration whose name expands at run time';
      return undefined;
    case 'variable_assignment': {
      // PATH=..., export LD_PRELOAD=...: later commands of the script run other code than
      // their names say. (As a command's own prefix it is also caught by the launch guards.)
      const name = node.childForFieldName('name')?.text ?? '';
      return LAUNCH_VARIABLES.has(name) ? `the script sets ${name}, which decides what later commands run` : undefined;
    }
    default:
      return undefined;
  }
}

/** Commands whose arguments bash evaluates: `printf -v NAME`, `read NAME`, `test -v NAME`. */
export function commandHazard(argv: readonly string[]): string | undefined {
  const [program, ...args] = argv;
  if (program === 'printf' && args.some((a) => a === '-v' || a.startsWith('-v'))) return 'printf -v assigns to a name bash evaluates';
  if (program === 'read' || program === 'mapfile' || program === 'readarray') return `${program} assigns input to names bash evaluates`;
  if ((program === 'test' || program === '[') && args.includes('-v')) return 'test -v evaluates an array subscript';
  if ((program === 'test' || program === '[') && args.some((a) => ARITHMETIC_TEST.test(a))) return 'test compares values as arithmetic';
  if (program === 'let') return 'let evaluates arithmetic';
  return undefined;
}

/** An opaque fact for a hazard found in the script. */
export function hazardFact(reason: string, node: BashNode, ctx: AnalyzeContext): Fact {
  return opaqueFact('sh', [node.text.slice(0, 200)], ctx.via, reason);
}
