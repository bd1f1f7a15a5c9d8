// Whether a human can be asked at this terminal. Never in CI, never without a terminal.
import { closeSync, openSync } from 'node:fs';
import type { Env } from '../analyzers/types.js';

/** CI is set to anything but an explicit false. */
export function isCI(env: Env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** A controlling terminal exists and the user is at it (stdin or stderr is a TTY), and not CI. */
export function isInteractive(env: Env): boolean {
  if (isCI(env)) return false;
  if (!process.stdin.isTTY && !process.stderr.isTTY) return false;
  try {
    closeSync(openSync('/dev/tty', 'r+'));
    return true;
  } catch {
    return false;
  }
}
