// Key and trust management behind `gate keys`: import, list and revoke trusted public keys.
import { calculateJwkThumbprint, type JWK } from 'jose';
import { ConfigError, UsageError } from '../errors.js';
import { parseDuration } from '../policy/duration.js';
import type { GatePaths } from '../platform/paths.js';
import type { TrustEntry, TrustKind } from '../token/trust.js';
import { readKeyMeta, type KeyMeta } from './own-keys.js';
import { readTrust, writeTrust } from './trust-file.js';

export interface TrustOptions {
  name: string;
  groups: string[];
  kind: TrustKind;
  /** ISO date or a duration from now (90d). */
  expires?: string;
  force?: boolean;
}

/** Parse and check a public Ed25519 JWK; a private key is refused so it is not copied around. */
export async function parsePublicJwk(text: string): Promise<{ jwk: JWK; kid: string }> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch (error) {
    throw new UsageError(`not a JSON Web Key: ${(error as Error).message}`, { hint: 'pass the output of `gate keys export` from the reviewer' });
  }
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(jwk.x)) {
    throw new UsageError('not an Ed25519 public key (need kty OKP, crv Ed25519, x)', { hint: 'pass the output of `gate keys export` from the reviewer' });
  }
  if ('d' in jwk) throw new UsageError('this is a PRIVATE key: never copy it; trust the public key from `gate keys export`');
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  const kid = await calculateJwkThumbprint(publicJwk);
  if (jwk.kid !== undefined && jwk.kid !== kid) throw new UsageError(`the key's kid ${jwk.kid} does not match its thumbprint ${kid}`);
  return { jwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }, kid };
}

function expiresAt(text: string | undefined, now: Date): string | null {
  if (text === undefined) return null;
  const ms = parseDuration(text);
  if (ms !== undefined && ms > 0) return new Date(now.getTime() + ms).toISOString();
  const date = Date.parse(text);
  if (Number.isNaN(date)) throw new UsageError(`--expires ${JSON.stringify(text)} is neither a date nor a duration`, { hint: 'use 2027-01-31 or 90d' });
  if (date <= now.getTime()) throw new UsageError(`--expires ${text} is in the past`);
  return new Date(date).toISOString();
}

export async function trustKey(paths: GatePaths, jwkText: string, options: TrustOptions, now: Date): Promise<TrustEntry> {
  if (options.groups.length === 0) throw new UsageError('name at least one --group this key may approve for (or --group "*" for any)');
  const { jwk, kid } = await parsePublicJwk(jwkText);
  const store = readTrust(paths.trust);
  const sameName = store.entries.find((e) => e.name === options.name && e.revoked === null);
  const sameKid = store.entries.find((e) => e.kid === kid);
  if (sameKid?.revoked) throw new ConfigError('key_revoked', `key ${kid} (${sameKid.name}) was revoked; a revoked key cannot be trusted again`, undefined, { hint: 'ask the reviewer for a new key (`gate keys init --force`)' });
  if (sameKid && sameKid.name !== options.name) throw new UsageError(`this key is already trusted as "${sameKid.name}"`, { hint: `revoke it first (gate keys revoke ${sameKid.name}) or keep that name` });
  if (sameName && !options.force) throw new UsageError(`a key named "${options.name}" is already trusted (kid ${sameName.kid})`, { hint: 'pass --force to replace its groups, expiry or key' });
  const entry: TrustEntry = { name: options.name, kid, jwk, groups: [...new Set(options.groups)].sort(), kind: options.kind, added: now.toISOString(), expires: expiresAt(options.expires, now), revoked: null };
  writeTrust(paths.trust, { entries: [...store.entries.filter((e) => e !== sameName && e !== sameKid), entry] });
  return entry;
}

/** Revoke by name or kid: the entry stays, so its tokens fail as revoked, not unknown. */
export function revokeKey(paths: GatePaths, nameOrKid: string, now: Date): TrustEntry {
  const store = readTrust(paths.trust);
  const entry = store.entries.find((e) => (e.name === nameOrKid || e.kid === nameOrKid) && e.revoked === null);
  if (!entry) throw new UsageError(`no trusted key named ${JSON.stringify(nameOrKid)}`, { hint: '`gate keys list` shows the trusted keys' });
  entry.revoked = now.toISOString();
  writeTrust(paths.trust, store);
  return entry;
}

export function listKeys(paths: GatePaths): { own: KeyMeta[]; trusted: TrustEntry[] } {
  const own = (['signing', 'terminal'] as const).map((role) => readKeyMeta(paths, role)).filter((m): m is KeyMeta => m !== null);
  return { own, trusted: readTrust(paths.trust).entries };
}
