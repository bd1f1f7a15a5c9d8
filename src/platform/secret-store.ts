// Where private keys and credentials live: the OS keychain through keytar when a Secret
// Service answers, otherwise a 0600 file under GATE_HOME. keytar is archived upstream, so it
// sits behind this one small interface and can be swapped.
import { createRequire } from 'node:module';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretStore {
  readonly kind: 'keychain' | 'file';
  /** Where the secrets are, for messages. */
  readonly location: string;
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** Secrets as 0600 files in a 0700 directory. */
export function fileSecretStore(dir: string): SecretStore {
  const path = (account: string) => join(dir, `${account.replace(/[^A-Za-z0-9_.-]/g, '_')}.secret`);
  return {
    kind: 'file',
    location: dir,
    async get(account) {
      try {
        return readFileSync(path(account), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async set(account, secret) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
      const tmp = `${path(account)}.${process.pid}.tmp`;
      writeFileSync(tmp, secret, { mode: 0o600 });
      renameSync(tmp, path(account));
    },
    async delete(account) {
      try {
        rmSync(path(account));
        return true;
      } catch {
        return false;
      }
    },
  };
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** How long to wait for a Secret Service before falling back to the file store. */
const PROBE_TIMEOUT_MS = 3000;

/** The keychain through keytar, or the reason it is not available. */
export async function keychainSecretStore(service: string): Promise<SecretStore | { unavailable: string }> {
  let keytar: Keytar;
  try {
    // keytar is an optional native dependency: load it only here, and only when present.
    const required = createRequire(import.meta.url)('keytar') as Keytar & { default?: Keytar };
    keytar = required.default ?? required;
  } catch (error) {
    return { unavailable: `keytar is not installed (${(error as Error).message.split('\n')[0]}); install libsecret-1-dev and run npm install` };
  }
  try {
    await withTimeout(keytar.findCredentials(service), PROBE_TIMEOUT_MS);
  } catch (error) {
    return { unavailable: `no Secret Service answered (${(error as Error).message.split('\n')[0]})` };
  }
  return {
    kind: 'keychain',
    location: `the OS keychain (service "${service}")`,
    get: (account) => keytar.getPassword(service, account),
    set: (account, secret) => keytar.setPassword(service, account, secret),
    delete: (account) => keytar.deletePassword(service, account),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
