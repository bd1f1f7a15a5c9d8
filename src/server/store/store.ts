// The server's storage port: identities, requests with their votes, the event log and audit
// heads. SQLite implements it now and Postgres later, so every method is async, all times
// arrive as ISO strings from the caller's clock, and state changes go through `updateRequest`,
// which applies a pure change function atomically (a transaction, SELECT ... FOR UPDATE in
// Postgres) so that concurrent votes and redeems cannot both win. The event announcing a
// change is logged in the same transaction (Postgres: with its NOTIFY), so a change is never
// without its event.
import type { CreateRequestBody, RequestEvent, RequestStatus, Role, Vote } from '../../approval/api-types.js';

export interface IdentityRecord {
  name: string;
  role: Role;
  groups: string[];
  /** sha256 (hex) of the bearer token; the token itself is never stored. */
  token_hash: string;
  created_at: string;
  /** Lower case; single sign-on maps a provider's email claim to it (unique when set). */
  email?: string | null;
  /** 'cli': made by `gate server user add`; 'oidc': created at sign-in (auto_create). */
  origin?: 'cli' | 'oidc';
}

export interface Required {
  groups: string[];
  min: number;
}

export interface StoredRequest {
  body: CreateRequestBody;
  requester: string;
  status: RequestStatus;
  required: Required;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  redeemed_at: string | null;
  /** The jti of the token issued at redeem. */
  token_jti: string | null;
  votes: StoredVote[];
}

/** A vote as stored: with the decision token its reviewer signed, when they did (migration 005). */
export interface StoredVote extends Vote {
  /** Never shown in a RequestView; given only to the requester at redeem. */
  token?: string;
}

/** What a state change writes; fields left out keep their value. */
export interface RequestChange {
  /** When the change happens (ISO); the time of its logged event. */
  at: string;
  status: RequestStatus;
  expires_at?: string;
  decided_at?: string;
  redeemed_at?: string;
  token_jti?: string;
  /** A vote to add (one per reviewer and request). */
  vote?: StoredVote;
}

export interface RequestQuery {
  status: RequestStatus | 'all';
  /** Only this requester's requests. */
  requester?: string;
  limit: number;
}

/** A logged event and its monotonic id (never reused). */
export interface StoredEvent {
  id: number;
  event: RequestEvent;
}

/** The event that announces a change (null: nothing to announce). */
export type EventFor = (before: StoredRequest | null, after: StoredRequest) => RequestEvent | null;

export interface UpdateResult {
  before: StoredRequest;
  after: StoredRequest;
  /** The event logged with the change, if any. */
  logged: StoredEvent | null;
}

export interface StoredAuditHead {
  host: string;
  actor: string;
  seq: number;
  hash: string;
  at: string;
  received_at: string;
  received_by: string;
}

export interface Store extends ChannelRecords, WebSessionRecords {
  /** Where the data lives, for the startup log (never a password). */
  readonly location: string;

  addIdentity(identity: IdentityRecord): Promise<boolean>;
  removeIdentity(name: string): Promise<boolean>;
  listIdentities(): Promise<IdentityRecord[]>;
  findIdentityByTokenHash(tokenHash: string): Promise<IdentityRecord | null>;
  findIdentityByName(name: string): Promise<IdentityRecord | null>;
  /** `email` in lower case. */
  findIdentityByEmail(email: string): Promise<IdentityRecord | null>;
  /**
   * Create an 'oidc' identity, or refresh the groups and email of the 'oidc' identity of that
   * name. Null (and no change) when the name belongs to an identity made with the CLI.
   */
  saveOidcIdentity(identity: IdentityRecord): Promise<IdentityRecord | null>;
  /** Set (or clear, with null) an identity's email; false when there is no such identity. */
  setIdentityEmail(name: string, email: string | null): Promise<boolean>;

  /** Insert the request and log `event` (its creation); null when the id exists already. */
  insertRequest(request: StoredRequest, event: RequestEvent): Promise<StoredEvent | null>;
  getRequest(id: string): Promise<StoredRequest | null>;
  /** Newest first. */
  listRequests(query: RequestQuery): Promise<StoredRequest[]>;
  /**
   * Atomically read the request, compute the change (pure; it may throw to abort), write it and
   * log its event. Null when there is no such request; `change` returning null writes nothing.
   */
  updateRequest(id: string, change: (current: StoredRequest) => RequestChange | null, eventFor: EventFor): Promise<UpdateResult | null>;
  /** Ids of requests in `statuses` whose expires_at is at or before `now`. */
  dueForExpiry(now: string, statuses: readonly RequestStatus[]): Promise<string[]>;
  countByStatus(): Promise<Record<RequestStatus, number>>;

  /** Logged events with id > `afterId`, oldest first. */
  eventsAfter(afterId: number, limit: number): Promise<StoredEvent[]>;
  /** Keep only the newest `keep` events. */
  pruneEvents(keep: number): Promise<void>;

  getAuditHead(host: string, actor: string): Promise<StoredAuditHead | null>;
  /** Atomically read the stored head and write what `change` returns (null: keep it). */
  updateAuditHead(host: string, actor: string, change: (current: StoredAuditHead | null) => StoredAuditHead | null): Promise<StoredAuditHead | null>;

  close(): Promise<void>;
}

/** A signed-in browser: the signed cookie counts only while this record exists. */
export interface WebSessionRecord {
  /** sha256 (hex) of the session id; the id itself is only in the cookie. */
  sid_hash: string;
  identity: string;
  method: 'token' | 'oidc';
  created_at: string;
  expires_at: string;
}

/** Web sessions the server can end (migration 004). */
export interface WebSessionRecords {
  /** Record a new session, and forget sessions that expired before `now` (ISO). */
  addWebSession(session: WebSessionRecord, now: string): Promise<void>;
  findWebSession(sidHash: string): Promise<WebSessionRecord | null>;
  removeWebSession(sidHash: string): Promise<boolean>;
  /** End every session of `identity`; returns how many there were. */
  removeWebSessions(identity: string): Promise<number>;
  /** Sessions not yet expired at `now` (ISO), per identity. */
  countWebSessions(now: string): Promise<Record<string, number>>;
}

/** Who a channel account is in gate: kind 'slack' links a Slack user id to an identity. */
export interface IdentityLink {
  kind: 'slack';
  value: string;
  identity: string;
  created_at: string;
}

/** A webhook event waiting for (another) delivery attempt, or one that gave up. */
export interface WebhookDelivery {
  id: number;
  /** The receiving URL. */
  target: string;
  /** The logged event's id: deliveries are unique per target and event. */
  seq: number;
  /** The event's id in the body (consumers de-duplicate on it). */
  event_id: string;
  type: string;
  body: string;
  status: 'pending' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
}

export type NewWebhookDelivery = Omit<WebhookDelivery, 'id' | 'status' | 'attempts' | 'last_error'>;

/** The channels' records (Slack, Teams, webhooks): links, posted messages, webhook queue. */
export interface ChannelRecords {
  /** False when the (kind, value) pair is linked already. */
  addIdentityLink(link: IdentityLink): Promise<boolean>;
  removeIdentityLink(kind: IdentityLink['kind'], value: string): Promise<boolean>;
  listIdentityLinks(): Promise<IdentityLink[]>;
  findIdentityByLink(kind: IdentityLink['kind'], value: string): Promise<IdentityRecord | null>;

  /** Remember (replace) where `channel` posted the message of a request. */
  putChannelMessage(channel: string, requestId: string, ref: Record<string, string>, at: string): Promise<void>;
  getChannelMessage(channel: string, requestId: string): Promise<Record<string, string> | null>;

  /** Queue deliveries and return those queued; one that exists for its target and seq is left as is. */
  enqueueDeliveries(deliveries: readonly NewWebhookDelivery[]): Promise<WebhookDelivery[]>;
  /** Pending deliveries, soonest first. */
  pendingDeliveries(limit: number): Promise<WebhookDelivery[]>;
  updateDelivery(id: number, change: Pick<WebhookDelivery, 'status' | 'attempts' | 'next_attempt_at' | 'last_error'>): Promise<void>;
  deleteDelivery(id: number): Promise<void>;
  /** Forget failed deliveries created before `before`; resolves with how many. */
  pruneFailedDeliveries(before: string): Promise<number>;

  /** The last event id a channel has handled (null: never ran). */
  getChannelCursor(name: string): Promise<number | null>;
  setChannelCursor(name: string, eventId: number): Promise<void>;
  /** The newest logged event id (0 when none). */
  lastEventId(): Promise<number>;
}

export const REQUEST_STATUSES: readonly RequestStatus[] = ['pending', 'approved', 'denied', 'expired', 'cancelled', 'redeemed'];
