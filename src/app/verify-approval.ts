// The one path every reviewed command takes before it runs: recompute the digest from what
// is about to run (binary re-hashed now), verify every token, check the quorum, and record
// each jti in the replay ledger (fsynced) before exec.
import { realpathSync } from 'node:fs';
import { executableHash, openHashCache } from '../exec/hash.js';
import type { Evaluation } from '../policy/evaluate.js';
import { requestDigest, type Request } from '../policy/request.js';
import type { Ledger } from '../token/ledger.js';
import type { TrustStore } from '../token/trust.js';
import { checkQuorum, verifyDecision, type Expectations, type RuleRequirement } from '../token/verify.js';
import type { Approver } from '../token/claims.js';
import { TokenError } from '../token/token-error.js';

export interface VerifiedApproval {
  jtis: string[];
  /** The reviewed requests the tokens name (their `rid`), when they do. */
  requestIds: string[];
  approvers: Approver[];
  /** Distinct identities counted toward the quorum. */
  counted: string[];
  /** The trusted keys that signed the tokens, for the audit record. */
  signers: Array<{ name: string; kid: string; kind: string }>;
}

/** What the review rules of an evaluation ask of an approval. */
export function requirementsOf(evaluation: Evaluation): RuleRequirement[] {
  return evaluation.matches
    .filter((m) => m.rule.effect === 'review')
    .map(({ rule }) => ({ id: rule.id, groups: rule.approvers?.groups ?? [], min: rule.approvers?.min ?? 1, ttlMs: rule.ttlMs, inline: rule.inline }));
}

/** The digest of the request as it would run now: exe re-resolved and re-hashed, no cache. */
export function digestNow(request: Request, stateDir: string): string {
  let exe: string | null = null;
  let sha: string | null = null;
  try {
    exe = request.exe_path === null ? null : realpathSync(request.exe_path);
    sha = exe === null ? null : executableHash({ ...openHashCache(stateDir), entries: {} }, exe);
  } catch {
    exe = null;
  }
  return requestDigest({ ...request, exe, exe_sha256: sha });
}

export interface VerifyDeps {
  trust: TrustStore;
  ledger: Ledger;
  now: Date;
  stateDir: string;
}

/** Verify `tokens` for `request`; returns the approval or throws a TokenError (exit 77). */
export async function verifyApproval(tokens: readonly string[], request: Request, evaluation: Evaluation, deps: VerifyDeps): Promise<VerifiedApproval> {
  const expect: Expectations = { digest: digestNow(request, deps.stateDir), requester: request.actor, rules: requirementsOf(evaluation) };
  const decisions = [];
  for (const token of tokens) decisions.push(await verifyDecision(token, expect, deps.trust, deps.now));
  const counted = checkQuorum(decisions, expect);
  // Only after every check: each jti is spent, durably, before the command runs.
  for (const d of decisions) deps.ledger.consume(d.claims.jti, { request_id: request.id, digest: request.digest, at: deps.now.toISOString() });
  return {
    jtis: decisions.map((d) => d.claims.jti),
    requestIds: [...new Set(decisions.flatMap((d) => (typeof d.claims.rid === 'string' ? [d.claims.rid] : [])))],
    approvers: decisions.flatMap((d) => d.claims.approvers),
    counted,
    signers: decisions.map((d) => ({ name: d.key.name, kid: d.key.kid, kind: d.key.kind })),
  };
}

export interface ServerApprovalVerified extends VerifiedApproval {
  /** Why reviewer tokens that came with the approval were not used (token error codes). */
  reviewerTokensSkipped: string[];
}

/**
 * A server approval comes with the server's token and any tokens reviewers signed with their
 * own keys. The reviewers' tokens are used when they pass the very same verifier on their own
 * (a trusted reviewer key covering the rules, quorum met); otherwise the server's token must
 * pass it. Either way nothing runs unless verifyApproval accepted the tokens used.
 */
export async function verifyServerApproval(offer: { token: string; reviewerTokens: readonly string[] }, request: Request, evaluation: Evaluation, deps: VerifyDeps): Promise<ServerApprovalVerified> {
  const skipped: string[] = [];
  if (offer.reviewerTokens.length > 0) {
    const expect: Expectations = { digest: digestNow(request, deps.stateDir), requester: request.actor, rules: requirementsOf(evaluation) };
    const usable: string[] = [];
    for (const token of offer.reviewerTokens) {
      try {
        await verifyDecision(token, expect, deps.trust, deps.now);
        usable.push(token);
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        skipped.push(error.code);
      }
    }
    if (usable.length > 0) {
      try {
        return { ...(await verifyApproval(usable, request, evaluation, deps)), reviewerTokensSkipped: skipped };
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        skipped.push(error.code);
      }
    }
  }
  return { ...(await verifyApproval([offer.token], request, evaluation, deps)), reviewerTokensSkipped: skipped };
}
