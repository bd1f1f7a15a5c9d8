// The decision token the server issues at redeem: signed now by the server key, naming every
// approving reviewer so that a verifier counts the distinct humans of the quorum.
import type { SigningKey } from '../token/sign.js';
import { decisionClaims } from '../token/claims.js';
import { signDecision } from '../token/sign.js';
import type { StoredRequest } from './store/store.js';

/** Token lifetime when no rule of the request sets a ttl. */
export const DEFAULT_TOKEN_LIFETIME_MS = 10 * 60_000;

/** Sign an approve decision for `request` (which must be approved) at `now`. */
export function issueDecisionToken(request: StoredRequest, jti: string, now: Date, issuer: string, key: SigningKey): Promise<string> {
  const ttls = request.body.rules.map((r) => r.ttl_ms).filter((ms): ms is number => ms !== null);
  const claims = decisionClaims({
    issuer,
    requester: request.body.actor,
    digest: request.body.digest,
    decision: 'approve',
    rules: request.body.rules.map((r) => r.id),
    approvers: request.votes.filter((v) => v.decision === 'approve').map((v) => ({ id: v.reviewer, via: v.via, at: v.at })),
    requestId: request.body.id,
    enforced: request.body.rules.map((r) => ({ id: r.id, groups: [...r.groups].sort(), min: r.min })),
    jti,
    now,
    lifetimeMs: ttls.length > 0 ? Math.min(...ttls) : DEFAULT_TOKEN_LIFETIME_MS,
  });
  return signDecision(claims, key);
}
