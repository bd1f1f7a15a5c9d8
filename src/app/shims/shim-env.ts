// `gate shim env`: the line that puts a shim dir first on PATH, for each shell (pure).
import { basename } from 'node:path';
import { UsageError } from '../../errors.js';

export const SHELLS = ['bash', 'zsh', 'fish', 'sh'] as const;
export type ShellName = (typeof SHELLS)[number];

/** The shell to print for: --shell, else $SHELL's name, else POSIX sh syntax. */
export function pickShell(flag: string | undefined, shellVar: string | undefined): ShellName {
  const name = flag ?? (shellVar ? basename(shellVar) : 'sh');
  if ((SHELLS as readonly string[]).includes(name)) return name as ShellName;
  if (flag !== undefined) throw new UsageError(`--shell ${JSON.stringify(flag)} is not one of ${SHELLS.join(', ')}`, { hint: 'gate shim env --shell bash|zsh|fish' });
  return 'sh';
}

function posixQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The PATH line; evaluating it twice does not add the dir twice. */
export function pathLine(shell: ShellName, dir: string): string {
  if (shell === 'fish') return `contains -- ${fishQuote(dir)} $PATH; or set -gx PATH ${fishQuote(dir)} $PATH`;
  const quoted = posixQuote(dir);
  return `case ":\${PATH}:" in *:${quoted}:*) ;; *) PATH=${quoted}":\${PATH}"; export PATH ;; esac`;
}
