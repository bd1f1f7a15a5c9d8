// Shell words: the literal text a word has when bash runs it, or null when bash would expand
// it at run time (variables, substitutions, brace expansion, globs).
import type { BashNode } from './types.js';

/** Unquoted brace expansion (`{a,b}`, `{1..3}`) turns one word into several. */
const BRACE_EXPANSION = /(^|[^\\$])\{[^{}\s]*(,|\.\.)[^{}\s]*\}/;
/** Unquoted glob characters match file names, which can be anything (`-rf` included). */
const GLOB = /(^|[^\\])[*?[]/;

/** The literal value of a word as the shell would see it, or null when it expands at run time. */
export function staticText(node: BashNode): string | null {
  switch (node.type) {
    case 'word':
      if (BRACE_EXPANSION.test(node.text) || GLOB.test(node.text)) return null;
      return unescapeWord(node.text);
    case 'number':
      return node.text;
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string':
    case 'translated_string': {
      if (node.namedChildren.some((child) => child.type !== 'string_content')) return null;
      // The text between the quotes, not the children: tree-sitter splits string_content at
      // newlines and drops them, and `psql -c "SELECT 1; --x<newline>DROP TABLE t"` must keep
      // the newline that ends the comment (found by test/cases/evasion.yaml).
      const open = node.text.indexOf('"');
      const body = node.text.slice(open + 1, -1);
      return body.replace(/\\([\\"$`\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
    }
    case 'ansi_c_string':
      return decodeAnsiC(node.text.slice(2, -1));
    case 'concatenation': {
      // Brace expansion can span the parts: `{-f,origin}` parses as `{`, `-f,origin`, `}`.
      const unquoted = node.namedChildren.filter((c) => c.type === 'word').map((c) => c.text).join('');
      if (BRACE_EXPANSION.test(unquoted)) return null;
      let out = '';
      for (const child of node.namedChildren) {
        const part = staticText(child);
        if (part === null) return null;
        out += part;
      }
      return out;
    }
    case 'command_name':
      return node.namedChildren.length === 1 ? staticText(node.namedChildren[0]!) : null;
    default:
      return null;
  }
}

function unescapeWord(text: string): string {
  return text.replace(/\\(\n|.)/g, (_m, c: string) => (c === '\n' ? '' : c));
}

function decodeAnsiC(body: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/g, (_m, esc: string) => {
    if (esc[0] === 'x' || esc[0] === 'u' || esc[0] === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    if (esc[0] === 'c') return String.fromCharCode(esc.charCodeAt(1) & 0x1f);
    return simple[esc] ?? `\\${esc}`;
  });
}

