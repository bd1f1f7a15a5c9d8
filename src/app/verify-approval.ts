// The one path every reviewed command takes before it runs: recompute the digest from what
// is about to run (binary re-hashed now), verify every token, check the quorum, and record
// each jti in the replay ledger (fsynced) before exec.
import { realpathSync } from 'node:fs';
import { executableHash, openHashCache } from '../exec/hash.js';
import type { Evaluation } from '../policy/evaluate.js';
import { requestDigest, type Request } from '../policy/request.js';
import type { Ledger } from '../token/ledger.js';
import type { TrustStore } from '../token/trust.js';
import { checkQuorum, verifyDecision, type Expectations, type RuleRequirement, type VerifiedDecision } from '../token/verify.js';
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

/** What the tokens must match: the request as it would run now and the rules that ask for review. */
function expectationsOf(request: Request, evaluation: Evaluation, stateDir: string): Expectations {
  return { digest: digestNow(request, stateDir), requester: request.actor, rules: requirementsOf(evaluation) };
}

/** Verify `tokens` for `request`; returns the approval or throws a TokenError (exit 77). */
export async function verifyApproval(tokens: readonly string[], request: Request, evaluation: Evaluation, deps: VerifyDeps): Promise<VerifiedApproval> {
  const expect = expectationsOf(request, evaluation, deps.stateDir);
  const decisions: VerifiedDecision[] = [];
  for (const token of tokens) decisions.push(await verifyDecision(token, expect, deps.trust, deps.now));
  return spend(decisions, expect, request, deps);
}

/** Ledger entries of reviewed request ids are kept apart from jtis by this prefix. */
const REVIEWED_REQUEST = 'rid:';

/**
 * Check the quorum of verified decisions, then spend them: each reviewed request (`rid`) and
 * each jti is recorded in the ledger, durably, before the command runs. A server approval hands
 * the requester the server's token and the reviewers' own tokens for the same request, each of
 * which could pass on its own: spending the request id too means one review runs one command
 * once, whichever of its tokens is used (and however they were obtained).
 */
function spend(decisions: readonly VerifiedDecision[], expect: Expectations, request: Request, deps: VerifyDeps): VerifiedApproval {
  const counted = checkQuorum(decisions, expect);
  const requestIds = [...new Set(decisions.flatMap((d) => (typeof d.claims.rid === 'string' ? [d.claims.rid] : [])))];
  const note = { request_id: request.id, digest: request.digest, at: deps.now.toISOString() };
  for (const rid of requestIds) deps.ledger.consume(`${REVIEWED_REQUEST}${rid}`, note);
  for (const d of decisions) deps.ledger.consume(d.claims.jti, note);
  return {
    jtis: decisions.map((d) => d.claims.jti),
    requestIds,
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
 * pass it. Either way every token used passed verifyDecision, the quorum and the ledger.
 */
export async function verifyServerApproval(offer: { token: string; reviewerTokens: readonly string[] }, request: Request, evaluation: Evaluation, deps: VerifyDeps): Promise<ServerApprovalVerified> {
  const skipped: string[] = [];
  // One digest (the binary re-hashed once) for every token of the offer.
  const expect = expectationsOf(request, evaluation, deps.stateDir);
  const usable: VerifiedDecision[] = [];
  for (const token of offer.reviewerTokens) {
    try {
      usable.push(await verifyDecision(token, expect, deps.trust, deps.now));
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      skipped.push(error.code);
    }
  }
  if (usable.length > 0) {
    try {
      return { ...spend(usable, expect, request, deps), reviewerTokensSkipped: skipped };
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      skipped.push(error.code);
    }
  }
  const server = await verifyDecision(offer.token, expect, deps.trust, deps.now);
  return { ...spend([server], expect, request, deps), reviewerTokensSkipped: skipped };
}
