// Who is asking, for the web pages: the session cookie (or, for scripts reading a page, a bearer
// token), re-checked against the store on every request so a removed identity or an ended
// session is out at once.
// Every form POST must carry the session's CSRF token.
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { hashBearerToken } from '../bearer.js';
import { HttpError } from '../http-error.js';
import type { Session } from './session.js';
import { PageError, safeNext, type WebDeps, type WebEnv } from './web-env.js';

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i;

/** A browser navigating (it wants HTML); others get JSON errors like the API. */
export const wantsHtml = (accept: string | undefined): boolean => (accept ?? '').includes('text/html');

/** The key a session is recorded under: a hash, so the store never holds a usable session id. */
export const sessionKey = (session: Pick<Session, 'sid'>): string => createHash('sha256').update(session.sid).digest('hex');

/** The identity a session names, while the server still has the session (not signed out or
 * ended by an admin) and the identity exists and is not newer than the session. */
async function sessionIdentity(deps: WebDeps, session: Session | null) {
  if (!session?.sub) return null;
  const record = await deps.store.findWebSession(sessionKey(session));
  if (!record || record.identity !== session.sub || Date.parse(record.expires_at) <= deps.clock.now().getTime()) return null;
  const identity = await deps.store.findIdentityByName(session.sub);
  // Removed and re-added since: the old session does not carry over to the new identity.
  return identity && Date.parse(identity.created_at) <= session.iat ? identity : null;
}

export function signedIn(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const now = deps.clock.now();
    const session = deps.sessions.read(c, now);
    let identity = await sessionIdentity(deps, session);
    if (!identity && c.req.method === 'GET') {
      const bearer = BEARER.exec(c.req.header('authorization') ?? '');
      if (bearer) identity = await deps.store.findIdentityByTokenHash(hashBearerToken(bearer[1]!));
    }
    if (!identity) {
      if (session?.sub) deps.sessions.clear(c);
      if (c.req.method === 'GET' && wantsHtml(c.req.header('accept'))) return c.redirect(`/login?next=${encodeURIComponent(safeNext(c.req.path + (new URL(c.req.url).search)))}`, 303);
      throw new HttpError(401, 'unauthorized', 'sign in first: a session cookie or Authorization: Bearer <token>');
    }
    const decision = deps.limiter.take(identity.name, now.getTime());
    if (!decision.ok) {
      c.header('Retry-After', String(decision.retryAfterS));
      throw new PageError(429, 'Slow down', `too many requests; retry in ${decision.retryAfterS} s`);
    }
    c.set('identity', { name: identity.name, role: identity.role, groups: identity.groups });
    c.set('session', session);
    c.set('viewer', { identity: c.get('identity'), csrf: session ? deps.sessions.csrfToken(session) : '' });
    return next();
  };
}

/** Form POSTs: the hidden csrf field must match the session; cross-site posts are refused. */
export function csrfChecked(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const refused = new PageError(403, 'Refused', 'This form is stale or came from another site (CSRF check failed). Reload the page and try again.');
    if (c.req.header('sec-fetch-site') === 'cross-site') throw refused;
    const form = await c.req.parseBody();
    const token = typeof form.csrf === 'string' ? form.csrf : undefined;
    if (!deps.sessions.csrfMatches(deps.sessions.read(c, deps.clock.now()), token)) throw refused;
    await next();
  };
}
