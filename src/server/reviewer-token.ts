// A decision token a reviewer signed with their own key and sent with their approval. The
// server does not know reviewer keys, so it cannot check the signature: it checks that the
// claims are about this request and this voter, so that what it hands the requester at redeem
// is at least the right token. The requester's gate verifies the signature against its own
// trust store and ignores (falls back to the server's token for) anything it does not trust.
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { Identity } from '../approval/api-types.js';
import { ALGORITHM, AUDIENCE, CLOCK_TOLERANCE_S, TOKEN_TYPE } from '../token/claims.js';
import { DEFAULT_MAX_TTL_MS } from '../token/verify.js';
import { HttpError } from './http-error.js';
import type { StoredRequest } from './store/store.js';

const mismatch = (what: string): HttpError =>
  new HttpError(400, 'token_mismatch', `the reviewer token does not fit this approval: ${what}`);

/** Throws 400 token_mismatch unless `token`'s claims approve `request` for `voter` at `now`; returns its kid. */
export function checkReviewerToken(request: StoredRequest, voter: Identity, token: string, comment: string | null, now: Date): string {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: JWTPayload;
  try {
    if (token.split('.').length !== 3) throw new Error('not a compact JWS');
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch (error) {
    throw mismatch(`it is not a compact JWS (${(error as Error).message})`);
  }
  if (header.alg !== ALGORITHM || header.typ !== TOKEN_TYPE) throw mismatch(`its header must be alg ${ALGORITHM}, typ ${TOKEN_TYPE}`);
  if (typeof header.kid !== 'string' || header.kid === '') throw mismatch('its header names no kid');
  const { body } = request;
  const c = claims as Record<string, unknown>;
  if (c.aud !== AUDIENCE) throw mismatch(`aud must be "${AUDIENCE}"`);
  if (c.dec !== 'approve') throw mismatch('dec must be "approve"');
  if (c.req !== body.digest) throw mismatch('req is not the digest of this request');
  if (c.sub !== request.requester) throw mismatch(`sub must be the requester (${request.requester})`);
  if (c.rid !== body.id) throw mismatch(`rid must be this request's id (${body.id})`);
  if (typeof c.jti !== 'string' || c.jti === '' || typeof c.iss !== 'string') throw mismatch('it lacks iss or jti');
  const approvers = c.approvers;
  const only = Array.isArray(approvers) && approvers.length === 1 ? (approvers[0] as Record<string, unknown> | null) : null;
  if (!only || only.id !== voter.name || typeof only.via !== 'string' || typeof only.at !== 'string') throw mismatch(`approvers must be exactly the voter (${voter.name})`);
  const rules = Array.isArray(c.rules) ? c.rules : [];
  const missing = body.rules.filter((r) => !rules.includes(r.id)).map((r) => r.id);
  if (missing.length > 0) throw mismatch(`rules lacks ${missing.join(', ')}`);
  if ((c.comment ?? null) !== comment) throw mismatch('its comment differs from the vote\'s comment');
  const { iat, nbf, exp } = c;
  if (typeof iat !== 'number' || typeof nbf !== 'number' || typeof exp !== 'number') throw mismatch('iat, nbf and exp must be numbers');
  const nowS = now.getTime() / 1000;
  if (exp <= nowS) throw mismatch('it has expired');
  if (Math.min(iat, nbf) > nowS + CLOCK_TOLERANCE_S) throw mismatch('it is not valid yet (check the reviewer\'s clock)');
  const ttls = body.rules.map((r) => r.ttl_ms).filter((ms): ms is number => ms !== null);
  const maxS = (ttls.length > 0 ? Math.min(...ttls) : DEFAULT_MAX_TTL_MS) / 1000;
  if (exp - Math.min(iat, nbf) > maxS + CLOCK_TOLERANCE_S) throw mismatch(`it is valid for longer than the ${Math.round(maxS)} s the rules allow`);
  return header.kid;
}
