// The approval server's wire format (/v1), shared by the server and its clients. Plain types:
// the server validates bodies with zod schemas that must accept exactly these shapes.

export type RequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled' | 'redeemed';
export type Role = 'requester' | 'reviewer' | 'admin';

export interface Identity {
  name: string;
  role: Role;
  groups: string[];
}

/** A review rule that matched, as the server needs it to route and count votes. */
export interface RuleRequirementWire {
  id: string;
  description: string | null;
  policy: string | null;
  risk: 'low' | 'medium' | 'high' | 'critical';
  /** Approver groups (empty: any reviewer). */
  groups: string[];
  /** Distinct humans needed. */
  min: number;
  /** Longest token lifetime in ms, when the rule limits it. */
  ttl_ms: number | null;
  /** How long the request may stay pending, when the rule says (else the server default). */
  pending_ms: number | null;
}

/** POST /v1/requests body: what the requester's gate saw (already redacted). */
export interface CreateRequestBody {
  /** The client's request id (used as the server id so logs on both sides line up). */
  id: string;
  digest: string;
  actor: string;
  host: string;
  cwd: string;
  program: string;
  /** Redacted argv. */
  argv: string[];
  reason: string | null;
  risk: 'low' | 'medium' | 'high' | 'critical';
  rules: RuleRequirementWire[];
  /** Redacted facts, as `gate explain` shows them. */
  facts: Array<Record<string, unknown>>;
  labels: string[];
  /** What a reviewer must type for high/critical risk, or null. */
  confirm: string | null;
}

export interface Vote {
  reviewer: string;
  decision: 'approve' | 'deny';
  comment: string | null;
  via: string;
  at: string;
  /** The kid of the reviewer's own key, when the approval carries a token they signed. */
  kid?: string;
}

/** A request as the server returns it. */
export interface RequestView extends CreateRequestBody {
  status: RequestStatus;
  requester: string;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  votes: Vote[];
  /** Groups and quorum the request needs: union of rule groups, largest min. */
  required: { groups: string[]; min: number };
  approval_url: string;
}

export interface DecisionBody {
  comment?: string;
  /** For high and critical risk: the typed confirmation of the target. */
  confirm?: string;
  /**
   * Approvals only: a decision token the reviewer signed with their own key for this request
   * (req = digest, sub = requester, rid = id, approvers = [the voter]). The server checks its
   * claims, not its signature (it does not know reviewer keys), and hands it to the requester.
   */
  token?: string;
}

export interface RedeemBody {
  digest: string;
}

export interface RedeemResponse {
  /** Signed by the server key. */
  token: string;
  /** Tokens approving reviewers signed with their own keys; the requester prefers these when its trust store knows the keys. */
  reviewer_tokens: string[];
}

/** Server-sent event data (`event:` names the type). */
export interface RequestEvent {
  type: 'request.created' | 'request.voted' | 'request.approved' | 'request.denied' | 'request.expired' | 'request.cancelled' | 'request.redeemed';
  request: RequestView;
}

export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export interface AuditHeadBody {
  host: string;
  actor: string;
  seq: number;
  hash: string;
  /** ISO time the head was read. */
  at: string;
}
