// The replay ledger: each token id (jti) may run one command once. A jti is recorded with an
// exclusive create and fsynced before the command runs, so of two gate processes racing with
// the same token exactly one gets to run it.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { GateError, EXIT } from '../errors.js';
import { TokenError } from './token-error.js';

export interface Ledger {
  /** Record a jti as used; throws token_replayed when it already was. */
  consume(jti: string, note: Record<string, unknown>): void;
  /** Whether a jti was used (for inspection only: racing runs rely on consume). */
  seen(jti: string): boolean;
}

export function openLedger(dir: string): Ledger {
  // The jti is hashed into the file name: any string is a safe name then.
  const fileOf = (jti: string): string => join(dir, createHash('sha256').update(jti).digest('hex'));
  return {
    seen: (jti) => existsSync(fileOf(jti)),
    consume(jti, note) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw ledgerUnwritable(dir, error);
      }
      const file = fileOf(jti);
      let fd: number;
      try {
        fd = openSync(file, 'wx', 0o600);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new TokenError('token_replayed', `token ${jti} was already used`);
        throw ledgerUnwritable(dir, error);
      }
      try {
        writeSync(fd, JSON.stringify({ jti, ...note }) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      fsyncDir(dir);
    },
  };
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems cannot fsync a directory; the file itself is synced.
  }
}

function ledgerUnwritable(dir: string, cause: unknown): GateError {
  return new GateError('ledger_unwritable', EXIT.config, `cannot record the token in the replay ledger ${dir}: ${(cause as Error).message}; the command was not run`, {
    hint: 'free disk space or fix the permissions of the gate state directory',
    cause,
  });
}
