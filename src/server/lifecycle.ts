// The request lifecycle as pure functions (no I/O, time is an argument): who may see and
// decide a request, and what each action changes. pending → approved | denied | expired |
// cancelled; approved → redeemed (once) | expired. Each refusal is an HttpError.
import type { DecisionBody, Identity, RuleRequirementWire } from '../approval/api-types.js';
import { HttpError } from './http-error.js';
import { checkReviewerToken } from './reviewer-token.js';
import type { RequestChange, Required, StoredRequest, StoredVote } from './store/store.js';

type Routed = Pick<StoredRequest, 'requester' | 'required'>;

/** Groups and quorum a request needs: the union of its rules' groups, the largest min. */
export function requiredOf(rules: readonly RuleRequirementWire[]): Required {
  const groups = [...new Set(rules.flatMap((r) => r.groups))].sort();
  return { groups, min: rules.reduce((m, r) => Math.max(m, r.min), 1) };
}

/** When a new request stops waiting: the shortest rule pending_ms, else the server's ttl. */
export function pendingDeadline(created: Date, rules: readonly RuleRequirementWire[], requestTtlMs: number): Date {
  const limits = rules.map((r) => r.pending_ms).filter((ms): ms is number => ms !== null);
  return new Date(created.getTime() + (limits.length > 0 ? Math.min(...limits) : requestTtlMs));
}

/** Why `caller` may not decide the request, or null when they may. */
export function decideRefusal(caller: Identity, request: Routed): HttpError | null {
  if (caller.role === 'requester') return new HttpError(403, 'forbidden_role', `${caller.name} is a requester; only reviewers and admins decide`);
  // Security invariant: nobody decides their own request, admins included.
  if (caller.name === request.requester) return new HttpError(403, 'self_approval', `${caller.name} cannot decide their own request`);
  if (caller.role === 'admin' || request.required.groups.length === 0) return null;
  if (caller.groups.some((g) => request.required.groups.includes(g))) return null;
  return new HttpError(403, 'not_in_group', `${caller.name} is not in an approver group of this request (${request.required.groups.join(', ')})`);
}

export const mayDecide = (caller: Identity, request: Routed): boolean => decideRefusal(caller, request) === null;

/** Requesters see their own requests, reviewers also those they may decide, admins all. */
export function mayView(caller: Identity, request: Routed): boolean {
  return caller.role === 'admin' || caller.name === request.requester || mayDecide(caller, request);
}

function assertPending(request: StoredRequest, now: Date): void {
  if (request.status !== 'pending') throw new HttpError(409, 'not_pending', `request ${request.body.id} is ${request.status}, not pending`, { status: request.status });
  if (Date.parse(request.expires_at) <= now.getTime()) throw new HttpError(409, 'not_pending', `request ${request.body.id} expired at ${request.expires_at}`, { status: 'expired' });
}

export interface VoteInput {
  decision: 'approve' | 'deny';
  body: DecisionBody;
  /** The channel the vote came through (api, web, slack, ...). */
  via: string;
}

/** Who a voter is now (role and groups), for counting which rules their approval covers. */
export type VoterLookup = (name: string) => Pick<Identity, 'role' | 'groups'> | undefined;

/**
 * Every rule needs its own quorum from approvers in its groups (admins count for any rule),
 * so a request matched by a `dba` rule and a `security` rule needs both.
 */
function rulesSatisfied(request: StoredRequest, approvers: readonly string[], lookup: VoterLookup): boolean {
  for (const rule of request.body.rules) {
    const eligible = rule.groups.length === 0
      ? approvers
      : approvers.filter((name) => {
          const who = lookup(name);
          return who !== undefined && (who.role === 'admin' || who.groups.some((g) => rule.groups.includes(g)));
        });
    if (eligible.length < rule.min) return false;
  }
  return true;
}

/** A reviewer's vote: one deny decides; approvals decide once every rule's quorum is met. */
export function voteChange(request: StoredRequest, caller: Identity, vote: VoteInput, now: Date, redeemWindowMs: number, lookup: VoterLookup = () => undefined): RequestChange {
  const refusal = decideRefusal(caller, request);
  if (refusal) throw refusal;
  assertPending(request, now);
  if (request.votes.some((v) => v.reviewer === caller.name)) throw new HttpError(409, 'already_voted', `${caller.name} has already voted on request ${request.body.id}`);
  const comment = vote.body.comment?.trim() ?? '';
  const at = now.toISOString();
  const cast: StoredVote = { reviewer: caller.name, decision: vote.decision, comment: comment === '' ? null : comment, via: vote.via, at };
  if (vote.decision === 'deny') {
    if (comment === '') throw new HttpError(400, 'comment_required', 'a denial needs a comment saying why');
    if (vote.body.token !== undefined) throw new HttpError(400, 'bad_request', 'a reviewer token goes with an approval, not a denial');
    return { at, status: 'denied', decided_at: at, vote: cast };
  }
  checkConfirmation(request, vote.body.confirm);
  if (vote.body.token !== undefined) {
    checkReviewerToken(request, caller, vote.body.token, cast.comment, now);
    cast.token = vote.body.token;
  }
  const approvals = new Set(request.votes.filter((v) => v.decision === 'approve').map((v) => v.reviewer)).add(caller.name);
  const voters: VoterLookup = (name) => (name === caller.name ? caller : lookup(name));
  if (approvals.size < request.required.min || !rulesSatisfied(request, [...approvals], voters)) return { at, status: 'pending', vote: cast };
  // An approved request stays redeemable for one request ttl after the decision.
  return { at, status: 'approved', decided_at: at, expires_at: new Date(now.getTime() + redeemWindowMs).toISOString(), vote: cast };
}

/** High and critical risk need the request's confirmation text typed back. */
function checkConfirmation(request: StoredRequest, typed: string | undefined): void {
  const { risk, confirm } = request.body;
  if ((risk !== 'high' && risk !== 'critical') || confirm === null) return;
  if ((typed ?? '').trim() !== confirm.trim()) {
    throw new HttpError(400, 'confirmation_mismatch', `this is a ${risk}-risk request: set "confirm" to the exact target (${JSON.stringify(confirm)})`);
  }
}

/** The requester withdraws a pending request. */
export function cancelChange(request: StoredRequest, caller: Identity, now: Date): RequestChange {
  if (caller.name !== request.requester) throw new HttpError(403, 'not_owner', `only ${request.requester} may cancel request ${request.body.id}`);
  assertPending(request, now);
  return { at: now.toISOString(), status: 'cancelled' };
}

/** Pending and approved requests past expires_at expire; null when it is not due. */
export function expireChange(request: StoredRequest, now: Date): RequestChange | null {
  if (request.status !== 'pending' && request.status !== 'approved') return null;
  return Date.parse(request.expires_at) <= now.getTime() ? { at: now.toISOString(), status: 'expired' } : null;
}

/** Checks that the requester may redeem this approved request for `digest` now. */
export function assertRedeemable(request: StoredRequest, caller: Identity, digest: string, now: Date): void {
  if (caller.name !== request.requester) throw new HttpError(403, 'not_owner', `only ${request.requester} may redeem request ${request.body.id}`);
  if (request.status === 'redeemed') throw new HttpError(409, 'already_redeemed', `request ${request.body.id} was redeemed at ${request.redeemed_at}; each approval runs once`);
  if (request.status !== 'approved') throw new HttpError(409, 'not_approved', `request ${request.body.id} is ${request.status}, not approved`, { status: request.status });
  if (Date.parse(request.expires_at) <= now.getTime()) throw new HttpError(409, 'not_approved', `the approval of request ${request.body.id} expired at ${request.expires_at}`, { status: 'expired' });
  if (digest !== request.body.digest) throw new HttpError(409, 'digest_mismatch', `request ${request.body.id} approved a different command (digest differs)`);
}

/** Marks the approved request redeemed by the token `jti` (single use). */
export function redeemChange(request: StoredRequest, caller: Identity, digest: string, jti: string, now: Date): RequestChange {
  assertRedeemable(request, caller, digest, now);
  return { at: now.toISOString(), status: 'redeemed', redeemed_at: now.toISOString(), token_jti: jti };
}
