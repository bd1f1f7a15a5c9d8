// The trust store's model (pure): which public keys may sign decisions, for which groups.
import type { JWK } from 'jose';

/**
 * reviewer: a person's key; all its approvals count as that one person (its name).
 * terminal: the local inline-review key; only for rules that allow approval at the terminal.
 * server: an approval server's key, attesting the distinct humans named in `approvers`.
 */
export type TrustKind = 'reviewer' | 'terminal' | 'server';

export interface TrustEntry {
  name: string;
  /** RFC 7638 thumbprint of the public key; tokens name it in their `kid` header. */
  kid: string;
  jwk: JWK;
  /** Approver groups this key may approve for; `*` means any. */
  groups: string[];
  kind: TrustKind;
  added: string;
  expires: string | null;
  revoked: string | null;
}

export interface TrustStore {
  entries: TrustEntry[];
}

export function findTrusted(store: TrustStore, kid: string): TrustEntry | undefined {
  return store.entries.find((e) => e.kid === kid);
}

/** Whether a key may approve for a rule whose approvers come from `groups` (empty: anyone). */
export function keyCovers(entry: TrustEntry, groups: readonly string[]): boolean {
  if (groups.length === 0 || entry.groups.includes('*')) return true;
  return groups.some((g) => entry.groups.includes(g));
}
