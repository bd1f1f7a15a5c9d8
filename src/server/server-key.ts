// The server's Ed25519 signing key (decision tokens, rules bundles): created on first start,
// kept like every gate key (keychain, else a 0600 file under GATE_HOME).
import type { JWK } from 'jose';
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
