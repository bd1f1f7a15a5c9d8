// What the API returns for a stored request.
import { decodeProtectedHeader } from 'jose';
import type { RequestEvent, RequestStatus, RequestView, Vote } from '../approval/api-types.js';
import type { StoredRequest, StoredVote } from './store/store.js';

/** A vote as clients see it: the reviewer's token stays on the server (only its kid shows). */
function voteView({ token, ...vote }: StoredVote): Vote {
  if (token === undefined) return vote;
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === 'string' ? { ...vote, kid } : vote;
  } catch {
    return vote;
  }
}

/** The request as clients see it; approval_url is `${publicUrl}/r/${id}`. */
export function toView(request: StoredRequest, publicUrl: string): RequestView {
  return {
    ...request.body,
    status: request.status,
    requester: request.requester,
    created_at: request.created_at,
    expires_at: request.expires_at,
    decided_at: request.decided_at,
    votes: request.votes.map(voteView),
    required: request.required,
    approval_url: `${publicUrl}/r/${encodeURIComponent(request.body.id)}`,
  };
}

const EVENT_FOR_STATUS: Record<Exclude<RequestStatus, 'pending'>, RequestEvent['type']> = {
  approved: 'request.approved',
  denied: 'request.denied',
  expired: 'request.expired',
  cancelled: 'request.cancelled',
  redeemed: 'request.redeemed',
};

/** The event a change from `before` to `after` status announces. */
export function eventTypeFor(before: RequestStatus, after: RequestStatus): RequestEvent['type'] {
  if (after === 'pending') return before === 'pending' ? 'request.voted' : 'request.created';
  return EVENT_FOR_STATUS[after];
}
