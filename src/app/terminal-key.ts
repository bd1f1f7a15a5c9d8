// The local terminal key signs approvals given at the requester's own terminal. It is created
// and trusted (kind `terminal`, any group, only for rules that allow inline review) on first use.
import { signDecision } from '../token/sign.js';
import type { TrustEntry } from '../token/trust.js';
import type { TerminalSigner } from './inline-approval.js';
import { createKey, loadSigningKey, readKeyMeta, type KeyDeps } from './own-keys.js';
import { readTrust, writeTrust } from './trust-file.js';

export async function terminalSigner(deps: KeyDeps, identity: { actor: string; host: string }, now: Date): Promise<TerminalSigner> {
  if (!readKeyMeta(deps.paths, 'terminal')) await createKey(deps, 'terminal', `terminal:${identity.actor}@${identity.host}`, now);
  const { meta, key } = await loadSigningKey(deps, 'terminal');
  const trust = readTrust(deps.paths.trust);
  if (!trust.entries.some((e) => e.kid === meta.kid && e.revoked === null)) {
    const entry: TrustEntry = { name: meta.name, kid: meta.kid, jwk: meta.public_jwk, groups: ['*'], kind: 'terminal', added: now.toISOString(), expires: null, revoked: null };
    // A replaced terminal key supersedes the old entry of the same name.
    writeTrust(deps.paths.trust, { entries: [...trust.entries.filter((e) => !(e.kind === 'terminal' && e.name === meta.name && e.revoked === null)), entry] });
  }
  return { issuer: meta.name, sign: (claims) => signDecision(claims, key) };
}
