// Drives a real terminal program in tmux on a private socket: start it, send keys, read the
// screen, and wait (generously: the machine is small and busy) for text to appear.
import { execFileSync } from 'node:child_process';

export interface TmuxSession {
  /** The visible screen as plain text. */
  screen(): string;
  /** Keys by tmux name (`Enter`, `Escape`, `Down`) or literal text with `literal`. */
  keys(...keys: string[]): void;
  type(text: string): void;
  /** Resolves with the screen once `text` (or a match) is on it; throws with the screen after `ms`. */
  waitFor(text: string | RegExp, ms?: number): Promise<string>;
  kill(): void;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Start `argv` with exactly `env` in a detached `columns`x`rows` tmux session. */
export function startTmux(name: string, argv: string[], env: Record<string, string>, size = { columns: 120, rows: 40 }): TmuxSession {
  const socket = `gate-test-${name}-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-u', '-L', socket, ...args], { encoding: 'utf8' });
  // env -i: nothing from the test runner (CI, TERM, ...) leaks into the program.
  const vars = Object.entries({ TERM: 'xterm-256color', LANG: 'C.UTF-8', ...env }).map(([k, v]) => `${k}=${quote(v)}`);
  const command = `env -i ${vars.join(' ')} ${argv.map(quote).join(' ')}; echo "[exited $?]"; sleep 600`;
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), command);
  const session: TmuxSession = {
    screen: () => tmux('capture-pane', '-p', '-t', 'main'),
    keys: (...keys) => void tmux('send-keys', '-t', 'main', ...keys),
    type: (text) => void tmux('send-keys', '-t', 'main', '-l', text),
    async waitFor(text, ms = 60_000) {
      const end = Date.now() + ms;
      let screen = '';
      while (Date.now() < end) {
        screen = session.screen();
        if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${String(text)} on the screen:\n${screen}`);
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
  return session;
}
