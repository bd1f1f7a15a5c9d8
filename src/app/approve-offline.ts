// `gate approve --offline`: a reviewer signs a decision token for a saved request with their
// own key, on their own machine. The token is bound to the request's digest.
import { randomUUID } from 'node:crypto';
import { DeniedError, UsageError } from '../errors.js';
import { requestDigest } from '../policy/request.js';
import { decisionClaims, type DecisionClaims } from '../token/claims.js';
import { signDecision, type SigningKey } from '../token/sign.js';
import { DEFAULT_MAX_TTL_MS, type RuleRequirement } from '../token/verify.js';
import type { SavedRequest } from './request-file.js';

export interface OfflineApproval {
  token: string;
  claims: DecisionClaims;
  /** Things the reviewer should know (digest not checkable, ...). */
  warnings: string[];
}

/** The review rules of a saved request, as requirements. */
export function savedRequirements(saved: SavedRequest): RuleRequirement[] {
  return saved.rules
    .filter((r) => r.effect === 'review')
    .map((r) => ({ id: r.id, groups: r.approvers?.groups ?? [], min: r.approvers?.min ?? 1, ttlMs: r.ttl_ms ?? undefined, inline: r.inline !== false }));
}

export async function approveOffline(
  saved: SavedRequest,
  signer: { name: string; key: SigningKey },
  options: { comment?: string; ttlMs?: number; now: Date; decision?: 'approve' | 'deny' },
): Promise<OfflineApproval> {
  const warnings: string[] = [];
  if (saved.binding.argv !== null) {
    // Recompute the digest from the binding fields: what the reviewer is shown is what is signed.
    const digest = requestDigest({ ...saved.binding, argv: saved.binding.argv });
    if (digest !== saved.request.digest) {
      throw new UsageError('the request file does not match its own digest: it was edited after gate wrote it', { hint: 'ask the requester for the original request file' });
    }
  } else {
    warnings.push('the command holds secrets that the request file keeps only redacted, so its digest cannot be checked against the command shown');
  }
  if (signer.name === saved.request.actor) {
    throw new DeniedError('token_self_approval', `${signer.name} cannot approve their own request`, { hint: 'ask another reviewer' });
  }
  const requirements = savedRequirements(saved);
  const ttls = requirements.map((r) => r.ttlMs).filter((t): t is number => t !== undefined);
  const maxMs = ttls.length > 0 ? Math.min(...ttls) : DEFAULT_MAX_TTL_MS;
  if (options.ttlMs !== undefined && options.ttlMs > maxMs) {
    throw new UsageError(`--ttl is longer than the ${Math.round(maxMs / 1000)} s the request's rules allow`);
  }
  const claims = decisionClaims({
    issuer: signer.name,
    requester: saved.request.actor,
    digest: saved.request.digest,
    decision: options.decision ?? 'approve',
    rules: requirements.map((r) => r.id),
    approvers: [{ id: signer.name, via: 'offline', at: options.now.toISOString() }],
    ...(options.comment ? { comment: options.comment } : {}),
    requestId: saved.request.id,
    jti: randomUUID(),
    now: options.now,
    lifetimeMs: options.ttlMs ?? maxMs,
  });
  return { token: await signDecision(claims, signer.key), claims, warnings };
}
