// Runs the resolved executable without a shell, stdio inherited, signals forwarded, through
// execa (bundled: about 15 ms of the allow path on Node 20 to compile, see bench/NOTES.md).
import { constants } from 'node:os';
import { isatty } from 'node:tty';
import { execa } from 'execa';
import { notExecutable, notFound } from '../errors.js';

export interface ChildResult {
  /** The exit code gate must exit with: the child's, or 128+N for signal N. */
  exitCode: number;
  signal: string | null;
  durationMs: number;
}

/** Signals gate passes on to the child. SIGINT reaches the child from the terminal itself. */
const FORWARDED = ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

/** Run `exe` with `argv` (argv[0] kept as the child's argv0); resolves when the child ends. */
export async function runChild(exe: string, argv: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ChildResult> {
  const started = performance.now();
  const child = execa(exe, argv.slice(1), {
    argv0: argv[0],
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdio: 'inherit',
    reject: false,
    shell: false,
    cleanup: true,
    forceKillAfterDelay: false,
    stripFinalNewline: false,
  });
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
  // At a terminal, Ctrl-C reaches the whole foreground group, child included: gate waits for
  // the child's answer. Without one (CI, agents), SIGINT is aimed at gate alone: pass it on.
  // (isatty(0), not process.stdin.isTTY: that would build a stdin stream the child owns.)
  const onInterrupt = isatty(0) ? (): void => {} : forward('SIGINT');
  process.on('SIGINT', onInterrupt);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    const result = await child;
    const durationMs = Math.round(performance.now() - started);
    if (result.signal) {
      const number = constants.signals[result.signal as keyof typeof constants.signals] ?? 0;
      return { exitCode: 128 + number, signal: result.signal, durationMs };
    }
    if (result.exitCode === undefined) {
      const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ENOENT') throw notFound(exe);
      if (code === 'EACCES') throw notExecutable(exe, result.cause);
      throw new Error(`could not start ${exe}: ${result.shortMessage}`, { cause: result.cause });
    }
    return { exitCode: result.exitCode, signal: null, durationMs };
  } finally {
    process.off('SIGINT', onInterrupt);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
