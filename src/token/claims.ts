// Decision token claims (contract, DESIGN.md section 6). Pure.

export const TOKEN_TYPE = 'gate-decision+jwt';
export const AUDIENCE = 'gate';
export const ALGORITHM = 'EdDSA';
/** Clock skew tolerated on nbf/exp and on the ttl limit, in seconds. */
export const CLOCK_TOLERANCE_S = 30;

export interface Approver {
  /** Who approved: a reviewer's identity (`alice`, `tty:bob`). */
  id: string;
  /** How: `tty` (inline terminal), `offline` (gate approve --offline), `web`, `slack`, ... */
  via: string;
  /** ISO time of the approval. */
  at: string;
}

export interface DecisionClaims {
  iss: string;
  aud: string;
  /** The requester's actor. */
  sub: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  /** The request digest this decision is bound to. */
  req: string;
  dec: 'approve' | 'deny';
  rules: string[];
  approvers: Approver[];
  comment?: string;
  /** gate's own addition: the id of the request that was reviewed, to link the audit records. */
  rid?: string;
  /**
   * gate's own addition, on server tokens: the approver requirements the server enforced per
   * rule. The requester told the server what the rules ask, so the verifier checks they were
   * at least as strict as its own rules say.
   */
  enforced?: Array<{ id: string; groups: string[]; min: number }>;
}

export interface ClaimsInput {
  issuer: string;
  requester: string;
  digest: string;
  decision: 'approve' | 'deny';
  rules: string[];
  approvers: Approver[];
  comment?: string;
  requestId?: string;
  enforced?: Array<{ id: string; groups: string[]; min: number }>;
  jti: string;
  now: Date;
  /** Lifetime in milliseconds. */
  lifetimeMs: number;
}

/** Claims for a decision issued at `now`, valid for `lifetimeMs`. */
export function decisionClaims(input: ClaimsInput): DecisionClaims {
  const iat = Math.floor(input.now.getTime() / 1000);
  const claims: DecisionClaims = {
    iss: input.issuer,
    aud: AUDIENCE,
    sub: input.requester,
    jti: input.jti,
    iat,
    nbf: iat,
    exp: iat + Math.max(1, Math.floor(input.lifetimeMs / 1000)),
    req: input.digest,
    dec: input.decision,
    rules: [...input.rules].sort(),
    approvers: input.approvers,
  };
  if (input.comment !== undefined && input.comment !== '') claims.comment = input.comment;
  if (input.requestId !== undefined) claims.rid = input.requestId;
  if (input.enforced !== undefined) claims.enforced = input.enforced;
  return claims;
}
