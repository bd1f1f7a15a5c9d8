// Bearer authentication: the token's sha256 names an identity, which handlers read from the
// context. Then the identity's rate limit. Every route but /healthz and the JWKS passes here.
import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../platform/clock.js';
import type { AppEnv } from './app-env.js';
import { hashBearerToken } from './bearer.js';
import { HttpError } from './http-error.js';
import type { RateLimiter } from './rate-limit.js';
import type { Store } from './store/store.js';

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i;

export function authenticate(store: Pick<Store, 'findIdentityByTokenHash'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw unauthorized('missing Authorization: Bearer <token> header');
    const match = BEARER.exec(header);
    if (!match) throw unauthorized('the Authorization header is not a bearer token');
    const identity = await store.findIdentityByTokenHash(hashBearerToken(match[1]!));
    if (!identity) throw unauthorized('unknown or revoked bearer token');
    c.set('identity', { name: identity.name, role: identity.role, groups: identity.groups });
    await next();
  };
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, 'unauthorized', message);
}

/** 429 with Retry-After once an identity exceeds its requests per minute. */
export function rateLimit(limiter: RateLimiter, clock: Clock): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const decision = limiter.take(c.get('identity').name, clock.now().getTime());
    if (!decision.ok) {
      c.header('Retry-After', String(decision.retryAfterS));
      throw new HttpError(429, 'rate_limited', `too many requests; retry in ${decision.retryAfterS} s`);
    }
    await next();
  };
}
