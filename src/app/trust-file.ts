// The trust store on disk: $GATE_HOME/trust.json, written atomically with mode 0600.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import type { TrustEntry, TrustStore } from '../token/trust.js';

export function readTrust(file: string): TrustStore {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [] };
    throw new ConfigError('trust_unreadable', `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as { keys?: TrustEntry[] };
    if (!Array.isArray(parsed.keys)) throw new Error('no "keys" list');
    return { entries: parsed.keys };
  } catch (error) {
    throw new ConfigError('trust_invalid', `${file} is not a gate trust store: ${(error as Error).message}`, undefined, {
      hint: 'restore it from a backup, or move it aside and trust the keys again with `gate keys trust`',
    });
  }
}

export function writeTrust(file: string, store: TrustStore): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ version: 1, keys: store.entries }, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
