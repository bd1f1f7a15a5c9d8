// The server's Ed25519 signing key (decision tokens, rules bundles): created on first start,
// kept like every gate key (keychain, else a 0600 file under GATE_HOME); or, for replicas, a
// key file they share.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { ConfigError, UsageError } from '../errors.js';
import { createKey, loadSigningKey, readKeyMeta, type KeyDeps } from '../app/own-keys.js';
import type { SigningKey } from '../token/sign.js';

export interface ServerKey {
  signing: SigningKey;
  /** Public JWK with kid (the RFC 7638 thumbprint), alg and use. */
  publicJwk: JWK;
  created: boolean;
}

export async function loadOrCreateServerKey(deps: KeyDeps, name: string, now: Date): Promise<ServerKey> {
  const created = readKeyMeta(deps.paths, 'server') === null;
  if (created) await createKey(deps, 'server', name, now);
  const { meta, key } = await loadSigningKey(deps, 'server');
  return { signing: key, publicJwk: meta.public_jwk, created };
}

/**
 * Replicas behind one load balancer must sign with one key (requesters pin it at `gate login`):
 * `key_file` names a private Ed25519 JWK shared by all of them (a mounted secret), made once
 * with `gate server key generate FILE`.
 */
export async function loadServerKeyFile(file: string, warn: (line: string) => void): Promise<ServerKey> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('server_key_file', `cannot read the server key file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, undefined, { hint: `create it once with: gate server key generate ${file}` });
  }
  if ((statSync(file).mode & 0o077) !== 0) warn(`the server key file ${file} is readable by group or others: chmod 600 it`);
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new ConfigError('server_key_file', `the server key file ${file} is not JSON`, undefined, { hint: 'it holds a private Ed25519 JWK, as `gate server key generate` writes it' });
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw new ConfigError('server_key_file', `the server key file ${file} does not hold a private Ed25519 key (kty OKP, crv Ed25519, d, x)`, undefined, { hint: `make one with: gate server key generate ${file}` });
  }
  const publicPart: JWK = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  const kid = await calculateJwkThumbprint(publicPart);
  return { signing: { kid, privateJwk: { ...publicPart, d: jwk.d } }, publicJwk: { ...publicPart, kid, alg: 'EdDSA', use: 'sig' }, created: false };
}

/** Write a new private Ed25519 JWK to `file` (mode 0600); refuses to replace one. */
export async function generateServerKeyFile(file: string): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return writeKeyFile(file, await exportJWK(privateKey));
}

/** Write the key this server already has (under GATE_HOME) to `file`, for its replicas. */
export async function exportServerKeyFile(deps: KeyDeps, file: string): Promise<string> {
  if (readKeyMeta(deps.paths, 'server') === null) throw new UsageError('this GATE_HOME has no server key yet', { hint: 'start `gate server` once, or make a new key with `gate server key generate FILE`' });
  const { key } = await loadSigningKey(deps, 'server');
  return writeKeyFile(file, key.privateJwk);
}

async function writeKeyFile(file: string, jwk: JWK): Promise<string> {
  try {
    writeFileSync(file, `${JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d })}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${file} exists already`, { hint: 'a server key is never replaced by accident: remove it first if you mean to (every requester must then `gate login` again)' });
    throw error;
  }
  return calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x! });
}
