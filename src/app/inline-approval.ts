// Approval by the human at the requester's own terminal (DESIGN.md section 10): the prompt's
// verdict becomes a decision token signed by the local terminal key, so it runs through the
// same verifier as every other approval.
import { randomUUID } from 'node:crypto';
import { decisionClaims, type Approver } from '../token/claims.js';
import { confirmationTarget } from './confirmation-target.js';
import type { ExplainView } from './explain-view.js';
import type { Prepared } from './prepare.js';
import { requirementsOf } from './verify-approval.js';

export interface InlineVerdict {
  decision: 'approve' | 'deny';
  comment?: string;
  /** The reason typed at the prompt, when a rule required one and none was given. */
  reason?: string;
}

export interface InlinePromptOptions {
  /** Text the reviewer must type to approve (high/critical risk), or null. */
  confirm: string | null;
  /** A matched rule requires --reason and none was given: ask for it first. */
  askReason: boolean;
}

/** The human at the requester's own terminal. */
export interface InlineReviewer {
  review(view: ExplainView, options: InlinePromptOptions): Promise<InlineVerdict>;
}

/** Signs decision claims with the local terminal key. */
export interface TerminalSigner {
  issuer: string;
  sign(claims: ReturnType<typeof decisionClaims>): Promise<string>;
}

export type InlineOutcome =
  | { decision: 'approve'; token: string; approver: Approver; reason?: string }
  | { decision: 'deny'; approver: Approver; comment?: string };

/** An inline token only has to live until the command starts. */
const INLINE_TOKEN_LIFETIME_MS = 60_000;

export async function approveInline(
  reviewer: InlineReviewer,
  signer: TerminalSigner,
  prepared: Prepared,
  view: ExplainView,
  options: { askReason: boolean; now(): Date },
): Promise<InlineOutcome> {
  const { request, evaluation } = prepared;
  const verdict = await reviewer.review(view, { confirm: confirmationTarget(prepared), askReason: options.askReason });
  const now = options.now();
  const approver: Approver = { id: `tty:${request.actor}`, via: 'tty', at: now.toISOString() };
  if (verdict.decision === 'deny') return { decision: 'deny', approver, ...(verdict.comment ? { comment: verdict.comment } : {}) };
  const ttls = requirementsOf(evaluation).map((r) => r.ttlMs).filter((t): t is number => t !== undefined);
  const claims = decisionClaims({
    issuer: signer.issuer,
    requester: request.actor,
    digest: request.digest,
    decision: 'approve',
    rules: requirementsOf(evaluation).map((r) => r.id),
    approvers: [approver],
    jti: randomUUID(),
    now,
    lifetimeMs: Math.min(INLINE_TOKEN_LIFETIME_MS, ...ttls),
  });
  return { decision: 'approve', token: await signer.sign(claims), approver, ...(verdict.reason ? { reason: verdict.reason } : {}) };
}
