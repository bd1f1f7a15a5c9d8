// Reads the channels' secrets at startup from the environment or from files, so a missing
// variable or unreadable file stops the server with the config key to fix.
import { readFileSync, statSync } from 'node:fs';
import type { Env } from '../../analyzers/types.js';
import { ConfigError } from '../../errors.js';
import type { SecretRef } from './channels-config.js';

export interface SecretSource {
  env: Env;
  /** Told when a secret file is readable by others than its owner. */
  warn(message: string): void;
}

/** The secret `ref` names, trimmed; throws a ConfigError naming the key when it is missing or empty. */
export function readSecret(ref: SecretRef, source: SecretSource): string {
  if ('env' in ref) {
    const value = source.env[ref.env]?.trim();
    if (!value) throw new ConfigError('channel_secret_missing', `${ref.key}: the environment variable ${ref.env} is not set (or empty)`, undefined, { hint: `export ${ref.env}=... before starting the server` });
    return value;
  }
  let value: string;
  try {
    value = readFileSync(ref.file, 'utf8').trim();
    if ((statSync(ref.file).mode & 0o077) !== 0) source.warn(`${ref.key}: ${ref.file} is readable by group or others; chmod 600 it`);
  } catch (error) {
    throw new ConfigError('channel_secret_missing', `${ref.key}: cannot read ${ref.file}: ${(error as Error).message}`, undefined, { hint: 'check the path (relative to the config file) and its permissions', cause: error });
  }
  if (value === '') throw new ConfigError('channel_secret_missing', `${ref.key}: ${ref.file} is empty`);
  return value;
}
