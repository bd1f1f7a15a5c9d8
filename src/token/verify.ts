// Verifying decision tokens (DESIGN.md section 6): a list of steps that each throw their own
// TokenError. Returns the verified decision or throws; the clock is an argument.
import { decodeProtectedHeader, errors, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { ALGORITHM, AUDIENCE, CLOCK_TOLERANCE_S, TOKEN_TYPE, type Approver, type DecisionClaims } from './claims.js';
import { TokenError } from './token-error.js';
import { findTrusted, keyCovers, type TrustEntry, type TrustStore } from './trust.js';

/** What a review rule asks of an approval. */
export interface RuleRequirement {
  id: string;
  groups: string[];
  min: number;
  ttlMs: number | undefined;
  inline: boolean;
}

/** What the token must match: the command about to run and the rules that require review. */
export interface Expectations {
  digest: string;
  requester: string;
  /** The review rules that decided; empty when only the default (no rule matched) did. */
  rules: RuleRequirement[];
}

/** Longest token lifetime when no matched rule sets a ttl. */
export const DEFAULT_MAX_TTL_MS = 60 * 60 * 1000;

export interface VerifiedDecision {
  claims: DecisionClaims;
  key: TrustEntry;
  /** The identities this token counts toward the quorum. */
  approvers: string[];
}

/** Verify one token against the trust store and the expectations at time `now`. */
export async function verifyDecision(jws: string, expect: Expectations, trust: TrustStore, now: Date): Promise<VerifiedDecision> {
  const key = trustedKeyFor(jws, trust, now);
  const claims = await verifySignatureAndTimes(jws, key, now);
  checkLifetime(claims, expect);
  if (claims.req !== expect.digest) {
    throw new TokenError('token_digest_mismatch', 'the token approves a different request than the one about to run (argv, cwd, environment, actor, host or binary differ)');
  }
  if (claims.dec !== 'approve') {
    throw new TokenError('token_decision_deny', `the reviewer denied this request${claims.comment ? `: ${claims.comment}` : ''}`);
  }
  if (claims.sub !== expect.requester) throw new TokenError('token_wrong_subject', `the token was issued to ${claims.sub}, not to ${expect.requester}`);
  const missing = expect.rules.filter((r) => !claims.rules.includes(r.id)).map((r) => r.id);
  if (missing.length > 0) throw new TokenError('token_rules_changed', `the token does not cover rule(s) ${missing.join(', ')}`);
  checkScope(key, expect);
  if (key.kind === 'server') checkEnforced(claims, expect);
  const approvers = countedApprovers(key, claims.approvers);
  if (approvers.includes(expect.requester) || claims.approvers.some((a) => a.id === expect.requester)) {
    throw new TokenError('token_self_approval', `${expect.requester} cannot approve their own request`);
  }
  return { claims, key, approvers };
}

/** Distinct approvers across all tokens must reach the largest `min` of the rules. */
export function checkQuorum(decisions: readonly VerifiedDecision[], expect: Expectations): string[] {
  const distinct = [...new Set(decisions.flatMap((d) => d.approvers))];
  const min = expect.rules.reduce((m, r) => Math.max(m, r.min), 1);
  if (distinct.length < min) {
    throw new TokenError('token_quorum_not_met', `${min} distinct approvers are required, the token(s) carry ${distinct.length} (${distinct.join(', ') || 'none'})`);
  }
  return distinct;
}

function trustedKeyFor(jws: string, trust: TrustStore, now: Date): TrustEntry {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    const segments = jws.split('.');
    if (segments.length !== 3) throw new Error('not a compact JWS');
    if (!segments.every(isCanonicalBase64url)) throw new Error('a segment is not canonical base64url (no padding, no other alphabet, no stray bits)');
    header = decodeProtectedHeader(jws);
  } catch (error) {
    throw new TokenError('token_malformed', `not a compact JWS: ${(error as Error).message}`, { cause: error });
  }
  if (header.alg !== ALGORITHM) throw new TokenError('token_alg_not_allowed', `algorithm ${JSON.stringify(header.alg)} is not allowed (only ${ALGORITHM})`);
  if (header.typ !== TOKEN_TYPE) throw new TokenError('token_wrong_type', `token type ${JSON.stringify(header.typ)} is not ${TOKEN_TYPE}`);
  const key = typeof header.kid === 'string' ? findTrusted(trust, header.kid) : undefined;
  if (!key) throw new TokenError('token_unknown_key', `the token is signed by an unknown key (kid ${JSON.stringify(header.kid ?? null)})`);
  if (key.revoked !== null) throw new TokenError('token_key_revoked', `key "${key.name}" was revoked at ${key.revoked}`);
  if (key.expires !== null && Date.parse(key.expires) <= now.getTime()) throw new TokenError('token_key_expired', `trust in key "${key.name}" expired at ${key.expires}`);
  return key;
}

/**
 * One token has exactly one spelling. jose's decoder tolerates padding, the standard alphabet
 * and set unused trailing bits, so without this check the signature segment had many
 * spellings that all verify (found by test/token/verify-fuzz.test.ts).
 */
function isCanonicalBase64url(segment: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

async function verifySignatureAndTimes(jws: string, key: TrustEntry, now: Date): Promise<DecisionClaims> {
  let payload: JWTPayload;
  try {
    const publicKey = await importJWK({ ...key.jwk, d: undefined }, ALGORITHM);
    ({ payload } = await jwtVerify(jws, publicKey, {
      algorithms: [ALGORITHM],
      typ: TOKEN_TYPE,
      audience: AUDIENCE,
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['iss', 'sub', 'jti', 'iat', 'nbf', 'exp'],
    }));
  } catch (error) {
    throw mapJoseError(error, now);
  }
  return parseClaims(payload);
}

const iso = (seconds: unknown): string => (typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : String(seconds));

/**
 * Times are judged by this machine's clock against the signer's (30 s tolerance). jose checks
 * them only after the signature verified, so the times it reports are the signer's: say how
 * far apart the clocks would be if the token was just issued, so clock skew is recognizable.
 */
function timeMessage(error: errors.JWTClaimValidationFailed | errors.JWTExpired, now: Date): string {
  const nowS = Math.floor(now.getTime() / 1000);
  const { iat, nbf, exp } = error.payload;
  if (error instanceof errors.JWTExpired) {
    const ago = typeof exp === 'number' ? nowS - exp : NaN;
    return `the token expired at ${iso(exp)}, ${ago} s before this machine's clock (${now.toISOString()}); it was issued at ${iso(iat)} by the signer's clock, so if it was issued just now this machine's clock is ahead of the signer's by more than its lifetime`;
  }
  const from = Math.min(...[nbf, iat].filter((t): t is number => typeof t === 'number'));
  return `the token is valid from ${iso(from)}, ${from - nowS} s after this machine's clock (${now.toISOString()}): this machine's clock is behind the signer's by about that much (tolerance ${CLOCK_TOLERANCE_S} s)`;
}

function mapJoseError(error: unknown, now: Date): TokenError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenError('token_bad_signature', 'the signature does not verify', { cause: error });
  if (error instanceof errors.JWTExpired) return new TokenError('token_expired', timeMessage(error, now), { cause: error });
  if (error instanceof errors.JOSEAlgNotAllowed) return new TokenError('token_alg_not_allowed', message, { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return new TokenError('token_not_yet_valid', timeMessage(error, now), { cause: error });
    if (error.claim === 'aud') return new TokenError('token_wrong_audience', `the token is not for gate (${message})`, { cause: error });
    if (error.claim === 'typ') return new TokenError('token_wrong_type', message, { cause: error });
  }
  return new TokenError('token_malformed', `the token cannot be read: ${message}`, { cause: error });
}

function parseClaims(payload: JWTPayload): DecisionClaims {
  const p = payload as Record<string, unknown>;
  const isApprover = (a: unknown): a is Approver => typeof a === 'object' && a !== null && typeof (a as Approver).id === 'string' && typeof (a as Approver).via === 'string' && typeof (a as Approver).at === 'string';
  const ok =
    typeof p.req === 'string' &&
    (p.dec === 'approve' || p.dec === 'deny') &&
    Array.isArray(p.rules) &&
    p.rules.every((r) => typeof r === 'string') &&
    Array.isArray(p.approvers) &&
    p.approvers.every(isApprover) &&
    (p.comment === undefined || typeof p.comment === 'string') &&
    typeof p.nbf === 'number';
  if (!ok) throw new TokenError('token_malformed', 'the token lacks req, dec, rules or approvers, or they have the wrong type');
  return p as unknown as DecisionClaims;
}

/** `exp` may not lie further than the shortest ttl of the matched rules past `nbf`. */
function checkLifetime(claims: DecisionClaims, expect: Expectations): void {
  const ttls = expect.rules.map((r) => r.ttlMs).filter((t): t is number => t !== undefined);
  const maxMs = ttls.length > 0 ? Math.min(...ttls) : DEFAULT_MAX_TTL_MS;
  const lifetimeS = claims.exp - Math.min(claims.nbf, claims.iat);
  if (lifetimeS > maxMs / 1000 + CLOCK_TOLERANCE_S) {
    throw new TokenError('token_ttl_exceeded', `the token is valid for ${lifetimeS} s, longer than the ${Math.round(maxMs / 1000)} s the rules allow`);
  }
}

function checkScope(key: TrustEntry, expect: Expectations): void {
  for (const rule of expect.rules) {
    if (!keyCovers(key, rule.groups)) {
      throw new TokenError('token_key_not_scoped', `key "${key.name}" may approve for ${key.groups.join(', ') || 'no group'}, not for rule ${rule.id} (${rule.groups.join(', ')})`);
    }
    if (key.kind === 'terminal' && !rule.inline) throw new TokenError('token_terminal_not_allowed', `rule ${rule.id} does not allow approval at the requester's terminal`);
  }
}

/**
 * A server decided with the requirements the requester sent it. They must be at least as
 * strict as the local rules: the same or fewer groups (a subset), a quorum at least as large.
 */
function checkEnforced(claims: DecisionClaims, expect: Expectations): void {
  const enforced = Array.isArray(claims.enforced) ? claims.enforced : undefined;
  if (enforced === undefined) {
    if (expect.rules.length === 0) return;
    throw new TokenError('token_rules_changed', 'the server token does not say which approver requirements it enforced');
  }
  for (const rule of expect.rules) {
    const e = enforced.find((x) => x && x.id === rule.id);
    const groupsOk = e !== undefined && Array.isArray(e.groups) && (rule.groups.length === 0 || (e.groups.length > 0 && e.groups.every((g) => rule.groups.includes(g))));
    if (!e || !groupsOk || typeof e.min !== 'number' || e.min < rule.min) {
      throw new TokenError('token_rules_changed', `the server approved rule ${rule.id} with weaker requirements than this machine's rules (${rule.min} of ${rule.groups.join(', ') || 'any reviewer'})`);
    }
  }
}

/**
 * Only a server's key attests several humans (each named approver). A person's key counts as
 * that one person however many approvers it lists, and the terminal key as the one human at it.
 */
function countedApprovers(key: TrustEntry, approvers: readonly Approver[]): string[] {
  if (key.kind === 'server') return [...new Set(approvers.map((a) => a.id))];
  if (key.kind === 'terminal') return [approvers[0]?.id ?? key.name];
  return [key.name];
}
