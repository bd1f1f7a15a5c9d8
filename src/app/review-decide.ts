// Deciding from `gate review`: one vote on the server. With the reviewer's own key
// (`gate keys init`) an approval also carries a decision token they signed for this request,
// which the requester's gate prefers when it trusts that key; without one the server signs.
import { randomUUID } from 'node:crypto';
import type { RequestView } from '../approval/api-types.js';
import type { ApprovalClient } from '../approval/http-client.js';
import { decisionClaims } from '../token/claims.js';
import { signDecision, type SigningKey } from '../token/sign.js';
import { DEFAULT_MAX_TTL_MS } from '../token/verify.js';

export interface ReviewSigner {
  /** The key's name (`gate keys init --name`), the token's issuer. */
  name: string;
  kid: string;
  key: SigningKey;
}

export interface Decided {
  view: RequestView;
  /** The kid of the reviewer's key when the approval carried a token it signed. */
  signedWith: string | null;
}

export interface Decider {
  approve(request: RequestView, input: { comment: string | null; confirm: string | null }): Promise<Decided>;
  deny(request: RequestView, comment: string): Promise<Decided>;
}

/**
 * The token a reviewer signs for a server request: bound to its digest, requester and id,
 * naming only `voter` (the reviewer's server identity), for no longer than its rules' ttl.
 */
export function reviewerApprovalToken(request: RequestView, voter: string, signer: ReviewSigner, comment: string | null, now: Date): Promise<string> {
  const ttls = request.rules.map((r) => r.ttl_ms).filter((ms): ms is number => ms !== null);
  const claims = decisionClaims({
    issuer: signer.name,
    requester: request.requester,
    digest: request.digest,
    decision: 'approve',
    rules: request.rules.map((r) => r.id),
    approvers: [{ id: voter, via: 'review', at: now.toISOString() }],
    ...(comment ? { comment } : {}),
    requestId: request.id,
    jti: randomUUID(),
    now,
    lifetimeMs: ttls.length > 0 ? Math.min(...ttls) : DEFAULT_MAX_TTL_MS,
  });
  return signDecision(claims, signer.key);
}

export function reviewDecider(client: ApprovalClient, voter: () => string | null, signer: ReviewSigner | null, now: () => Date): Decider {
  return {
    async approve(request, { comment, confirm }) {
      const name = voter();
      const text = comment?.trim() || null;
      const token = signer && name ? await reviewerApprovalToken(request, name, signer, text, now()) : null;
      const view = await client.approve(request.id, { ...(text ? { comment: text } : {}), ...(confirm !== null ? { confirm } : {}), ...(token ? { token } : {}) });
      return { view, signedWith: token ? signer!.kid : null };
    },
    async deny(request, comment) {
      return { view: await client.deny(request.id, { comment }), signedWith: null };
    },
  };
}
