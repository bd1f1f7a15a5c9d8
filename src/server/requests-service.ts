// The approval use cases over the store, the event bus and the clock: create, read, vote,
// cancel, redeem and expire. Each change is logged with its event in one transaction, then
// the event is pushed to subscribers.
import { randomUUID } from 'node:crypto';
import type { CreateRequestBody, Identity, RedeemResponse, RequestStatus, RequestView } from '../approval/api-types.js';
import type { Clock } from '../platform/clock.js';
import type { SigningKey } from '../token/sign.js';
import { issueDecisionToken } from './decision-token.js';
import type { EventBus } from './event-bus.js';
import { HttpError, notFound } from './http-error.js';
import { assertRedeemable, cancelChange, expireChange, mayView, pendingDeadline, redeemChange, requiredOf, voteChange, type VoteInput } from './lifecycle.js';
import type { Metrics } from './metrics.js';
import type { EventFor, RequestChange, Store, StoredRequest } from './store/store.js';
import { eventTypeFor, toView } from './view.js';

export interface RequestsDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  metrics: Metrics;
  /** Base of approval_url and the tokens' issuer. */
  publicUrl: string;
  requestTtlMs: number;
  signingKey: SigningKey;
  /** Events the log keeps for replay. */
  eventLogSize: number;
}

/** How many requests a reviewer's list reads before filtering to what they may see. */
const REVIEWER_SCAN = 5000;

export type RequestsService = ReturnType<typeof requestsService>;

export function requestsService(deps: RequestsDeps) {
  const { store, clock, bus } = deps;
  const view = (request: StoredRequest): RequestView => toView(request, deps.publicUrl);
  const eventFor: EventFor = (before, after) => ({ type: before ? eventTypeFor(before.status, after.status) : 'request.created', request: view(after) });

  /** Apply a change atomically with its event, then push the event. */
  const update = async (id: string, change: (current: StoredRequest) => RequestChange | null): Promise<StoredRequest | null> => {
    const result = await store.updateRequest(id, change, eventFor);
    if (!result) return null;
    if (result.logged) {
      const { before, after } = result;
      if (before.status === 'pending' && (after.status === 'approved' || after.status === 'denied')) {
        deps.metrics.decision((Date.parse(after.decided_at ?? after.created_at) - Date.parse(after.created_at)) / 1000);
      }
      bus.deliver(result.logged);
    }
    return result.after;
  };

  /** The request as stored, expired first if it is due (null when unknown). */
  const fresh = async (id: string, now: Date): Promise<StoredRequest | null> => {
    const current = await store.getRequest(id);
    return current && expireChange(current, now) ? update(id, (c) => expireChange(c, now)) : current;
  };

  const visible = async (caller: Identity, id: string, now: Date): Promise<StoredRequest> => {
    const request = await fresh(id, now);
    if (!request || !mayView(caller, request)) throw notFound(`request ${id}`);
    return request;
  };

  const mustExist = (request: StoredRequest | null, id: string): StoredRequest => {
    if (!request) throw notFound(`request ${id}`);
    return request;
  };

  /** Expire everything that is due now; resolves with how many expired. */
  const expireDue = async (): Promise<number> => {
    const now = clock.now();
    let expired = 0;
    for (const id of await store.dueForExpiry(now.toISOString(), ['pending', 'approved'])) {
      // Another replica (or a read) may expire it first: count only what this sweep changed.
      let changed = false;
      const after = await update(id, (c) => {
        const change = expireChange(c, now);
        changed = change !== null;
        return change;
      });
      if (changed && after?.status === 'expired') expired += 1;
    }
    return expired;
  };

  /** The timer's work: expire what is due and trim the event log. */
  const sweep = async (): Promise<number> => {
    const expired = await expireDue();
    await store.pruneEvents(deps.eventLogSize);
    return expired;
  };

  return {
    sweep,

    async create(caller: Identity, body: CreateRequestBody): Promise<RequestView> {
      if (body.actor !== caller.name) throw new HttpError(403, 'actor_mismatch', `actor ${JSON.stringify(body.actor)} is not the authenticated identity ${JSON.stringify(caller.name)}`);
      const now = clock.now();
      const request: StoredRequest = {
        body,
        requester: caller.name,
        status: 'pending',
        required: requiredOf(body.rules),
        created_at: now.toISOString(),
        expires_at: pendingDeadline(now, body.rules, deps.requestTtlMs).toISOString(),
        decided_at: null,
        redeemed_at: null,
        token_jti: null,
        votes: [],
      };
      const created = view(request);
      const logged = await store.insertRequest(request, { type: 'request.created', request: created });
      if (!logged) throw new HttpError(409, 'duplicate_id', `a request with id ${body.id} exists already`);
      bus.deliver(logged);
      return created;
    },

    async get(caller: Identity, id: string): Promise<RequestView> {
      return view(await visible(caller, id, clock.now()));
    },

    async list(caller: Identity, status: RequestStatus | 'all', limit: number): Promise<RequestView[]> {
      await expireDue();
      const own = caller.role === 'requester';
      const rows = await store.listRequests({ status, limit: own ? limit : REVIEWER_SCAN, ...(own ? { requester: caller.name } : {}) });
      return rows.filter((r) => mayView(caller, r)).slice(0, limit).map(view);
    },

    async vote(caller: Identity, id: string, input: VoteInput): Promise<RequestView> {
      if (caller.role === 'requester') throw new HttpError(403, 'forbidden_role', `${caller.name} is a requester; only reviewers and admins decide`);
      const now = clock.now();
      mustExist(await fresh(id, now), id);
      const identities = new Map((await store.listIdentities()).map((i) => [i.name, i]));
      return view(mustExist(await update(id, (current) => voteChange(current, caller, input, now, deps.requestTtlMs, (name) => identities.get(name))), id));
    },

    async cancel(caller: Identity, id: string): Promise<RequestView> {
      const now = clock.now();
      await visible(caller, id, now);
      return view(mustExist(await update(id, (current) => cancelChange(current, caller, now)), id));
    },

    async redeem(caller: Identity, id: string, digest: string): Promise<RedeemResponse> {
      const now = clock.now();
      const request = await visible(caller, id, now);
      assertRedeemable(request, caller, digest, now);
      // Sign first, then mark redeemed only if still approved: of concurrent redeems exactly
      // one transition succeeds, and only its token leaves the server.
      const jti = randomUUID();
      const token = await issueDecisionToken(request, jti, now, deps.publicUrl, deps.signingKey);
      const redeemed = mustExist(await update(id, (current) => redeemChange(current, caller, digest, jti, now)), id);
      const reviewerTokens = redeemed.votes.flatMap((v) => (v.decision === 'approve' && v.token !== undefined ? [v.token] : []));
      return { token, reviewer_tokens: reviewerTokens };
    },
  };
}
