// Reading the web's secrets when the server starts: from an environment variable, a file, or
// (for the session key only) a random secret generated once into a 0600 file.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { SecretSource } from './web-config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Session secrets shorter than this are refused: they would be guessable. */
const MIN_SESSION_SECRET = 32;

/** The secret's text; a missing variable or unreadable file is a ConfigError naming it. */
export function readSecret(source: SecretSource, env: Env, what: string): string {
  if ('env' in source) {
    const value = env[source.env]?.trim();
    if (!value) throw new ConfigError('secret_missing', `${what}: the environment variable ${source.env} is not set`, undefined, { hint: `set ${source.env} in the server's environment` });
    return value;
  }
  if ('file' in source) return readSecretFile(source.file, what);
  return generatedSecret(source.generate);
}

function readSecretFile(file: string, what: string): string {
  try {
    const mode = statSync(file).mode;
    if ((mode & 0o077) !== 0) throw new ConfigError('secret_file_open', `${what}: ${file} is readable by others (mode ${(mode & 0o777).toString(8)})`, undefined, { hint: `chmod 600 ${file}` });
    const value = readFileSync(file, 'utf8').trim();
    if (value === '') throw new ConfigError('secret_missing', `${what}: ${file} is empty`);
    return value;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('secret_missing', `${what}: cannot read ${file}: ${(error as Error).message}`, undefined, { cause: error });
  }
}

/** The secret in `file`, creating it (32 random bytes, mode 0600) when missing. */
function generatedSecret(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      // 'wx': two servers starting at once must not overwrite each other's secret.
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readSecretFile(file, 'the web session secret');
}

/** The key that signs sessions: configured, generated, or random for this process. */
export function sessionSecret(source: SecretSource | 'ephemeral', env: Env): Buffer {
  if (source === 'ephemeral') return randomBytes(32);
  const value = readSecret(source, env, 'web.session_secret');
  if (value.length < MIN_SESSION_SECRET) {
    throw new ConfigError('secret_too_short', `web.session_secret: at least ${MIN_SESSION_SECRET} characters are needed, got ${value.length}`, undefined, { hint: 'generate one with: openssl rand -base64 32' });
  }
  return Buffer.from(value, 'utf8');
}
