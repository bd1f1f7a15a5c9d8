// This home's own Ed25519 keys: `signing` (a reviewer's personal key, `gate keys init`) and
// `terminal` (signs approvals given at the requester's own terminal). The public half and
// metadata live in $GATE_HOME/keys/<role>.json, the private half in the secret store.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { ConfigError } from '../errors.js';
import type { GatePaths } from '../platform/paths.js';
import { fileSecretStore, keychainSecretStore, type SecretStore } from '../platform/secret-store.js';
import type { SigningKey } from '../token/sign.js';

export type KeyRole = 'signing' | 'terminal' | 'server';

export interface KeyMeta {
  role: KeyRole;
  name: string;
  kid: string;
  public_jwk: JWK;
  store: 'keychain' | 'file';
  created: string;
}

export interface KeyDeps {
  paths: GatePaths;
  /** Prefer the file store even when a keychain answers (tests, headless hosts). */
  forceFile?: boolean;
  warn(line: string): void;
}

const metaFile = (paths: GatePaths, role: KeyRole): string => join(paths.keys, `${role}.json`);
const account = (role: KeyRole): string => `${role}-key`;
const keychainService = (paths: GatePaths): string => `gate:${paths.config}`;

export function readKeyMeta(paths: GatePaths, role: KeyRole): KeyMeta | null {
  try {
    return JSON.parse(readFileSync(metaFile(paths, role), 'utf8')) as KeyMeta;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError('key_unreadable', `cannot read ${metaFile(paths, role)}: ${(error as Error).message}`);
  }
}

/** The keychain when a Secret Service answers, else the 0600 file store with a warning. */
export async function chooseStore(deps: KeyDeps): Promise<SecretStore> {
  const files = fileSecretStore(join(deps.paths.keys, 'private'));
  if (deps.forceFile) return files;
  const keychain = await keychainSecretStore(keychainService(deps.paths));
  if ('unavailable' in keychain) {
    deps.warn(`gate: warning: ${keychain.unavailable}; keeping the private key in ${files.location} (mode 0600)`);
    return files;
  }
  return keychain;
}

/** The store a secret was put in (recorded as `keychain` or `file`). */
export async function storeOf(deps: KeyDeps, meta: { store: 'keychain' | 'file'; role: string }): Promise<SecretStore> {
  if (meta.store === 'file') return fileSecretStore(join(deps.paths.keys, 'private'));
  const keychain = await keychainSecretStore(keychainService(deps.paths));
  if ('unavailable' in keychain) {
    throw new ConfigError('keychain_unavailable', `the ${meta.role} secret is in the OS keychain, which is not available: ${keychain.unavailable}`, undefined, {
      hint: 'run gate where the keychain is unlocked (a desktop session), or create a new key with `gate keys init --force`',
    });
  }
  return keychain;
}

/** Create a key for `role`; refuses to replace an existing one unless `force`. */
export async function createKey(deps: KeyDeps, role: KeyRole, name: string, now: Date, force = false): Promise<KeyMeta> {
  const existing = readKeyMeta(deps.paths, role);
  if (existing && !force) {
    throw new ConfigError('key_exists', `a ${role} key already exists (${existing.name}, kid ${existing.kid})`, undefined, { hint: 'use it, or replace it with --force (tokens it signed stop verifying where it was trusted)' });
  }
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const store = await chooseStore(deps);
  await store.set(account(role), JSON.stringify({ ...privateJwk, kid }));
  const meta: KeyMeta = { role, name, kid, public_jwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }, store: store.kind, created: now.toISOString() };
  mkdirSync(deps.paths.keys, { recursive: true, mode: 0o700 });
  const tmp = `${metaFile(deps.paths, role)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(meta, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, metaFile(deps.paths, role));
  return meta;
}

/** The private key of `role`, ready to sign. */
export async function loadSigningKey(deps: KeyDeps, role: KeyRole): Promise<{ meta: KeyMeta; key: SigningKey }> {
  const meta = readKeyMeta(deps.paths, role);
  if (!meta) throw new ConfigError('no_key', `there is no ${role} key in ${deps.paths.keys}`, undefined, { hint: 'create one with `gate keys init`' });
  const store = await storeOf(deps, meta);
  const secret = await store.get(account(role));
  if (secret === null) throw new ConfigError('key_missing', `the private ${role} key is missing from ${store.location}`, undefined, { hint: 'create a new key with `gate keys init --force` and have it trusted again' });
  const privateJwk = JSON.parse(secret) as JWK;
  return { meta, key: { kid: meta.kid, privateJwk } };
}
