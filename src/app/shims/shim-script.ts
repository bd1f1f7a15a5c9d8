// The shim itself (pure): a tiny POSIX sh script that execs gate, by absolute path, with the
// program's name and the arguments exactly as given ("$@" keeps empty arguments, spaces and
// newlines; exec keeps the exit status and signals, since the shell is replaced by gate).
import { SHIM_MARKER } from '../../exec/shim-marker.js';
import { UsageError } from '../../errors.js';

/** How a shim reaches gate: node and gate's entry script, both absolute. */
export interface ShimTarget {
  node: string;
  entry: string;
  /** GATE_HOME at install time, used when the caller has none (so agents share the home). */
  gateHome: string | null;
}

/** A program name that is a plain file name: no slashes, not an option, not `.`/`..`. */
export function checkProgramName(program: string): string {
  if (!/^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/.test(program) || program === '.' || program === '..') {
    throw new UsageError(`"${program}" is not a program name a shim can stand for`, { hint: 'give bare program names: gate shim install aws kubectl psql' });
  }
  return program;
}

function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function renderShim(program: string, target: ShimTarget): string {
  const lines = [
    '#!/bin/sh',
    `${SHIM_MARKER} ${checkProgramName(program)}`,
    `# Written by \`gate shim install\`: runs ${program} through gate, which finds the real ${program}`,
    `# on PATH past every shim. Remove it with \`gate shim uninstall ${program}\`.`,
  ];
  if (target.gateHome !== null) lines.push(`if [ -z "\${GATE_HOME:-}" ]; then GATE_HOME=${shQuote(target.gateHome)}; export GATE_HOME; fi`);
  lines.push(`exec ${shQuote(target.node)} ${shQuote(target.entry)} -- ${shQuote(program)} "$@"`, '');
  return lines.join('\n');
}

/** The node and entry paths a shim execs (for doctor's staleness check), or null. */
export function shimExecTarget(text: string): { node: string; entry: string } | null {
  const line = text.split('\n').find((l) => l.startsWith('exec '));
  const match = line ? /^exec '((?:[^']|'\\'')*)' '((?:[^']|'\\'')*)' -- /.exec(line) : null;
  if (!match) return null;
  const unquote = (s: string): string => s.replace(/'\\''/g, "'");
  return { node: unquote(match[1]!), entry: unquote(match[2]!) };
}
