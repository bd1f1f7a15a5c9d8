// Signing in and out: the sign-in page, a pasted bearer token, single sign-on through the
// OIDC provider (start and callback), and sign-out. Each sign-in starts a new session id.
import type { Context, Hono } from 'hono';
import { hashBearerToken } from '../bearer.js';
import { errorFields } from '../log.js';
import { OidcError } from './oidc-client.js';
import { identityForClaims } from './oidc-identity.js';
import { notAllowedPage, signInPage } from './sign-in-page.js';
import { csrfChecked, sessionKey } from './web-auth.js';
import { PageError, safeNext, type WebDeps, type WebEnv } from './web-env.js';

const formText = (value: unknown): string => (typeof value === 'string' ? value : '');

export function authRoutes(web: Hono<WebEnv>, deps: WebDeps): void {
  const { sessions } = deps;

  /** The browser's session, starting an anonymous one (for the form's CSRF token) if needed. */
  const browserSession = (c: Context) => {
    const now = deps.clock.now();
    const current = sessions.read(c, now);
    if (current) return current;
    const fresh = sessions.create(null, null, now);
    sessions.write(c, fresh, now);
    return fresh;
  };

  const signIn = async (c: Context, name: string, amr: 'token' | 'oidc', next: string) => {
    const now = deps.clock.now();
    const session = sessions.create(name, amr, now);
    await deps.store.addWebSession({ sid_hash: sessionKey(session), identity: name, method: amr, created_at: now.toISOString(), expires_at: new Date(session.exp).toISOString() }, now.toISOString());
    sessions.write(c, session, now);
    deps.log('info', 'web sign-in', { identity: name, method: amr });
    return c.redirect(next, 303);
  };

  const page = (c: Context, status: 200 | 401, next: string, error?: string) =>
    c.html(signInPage({ csrf: sessions.csrfToken(browserSession(c)), next, oidcLabel: deps.oidc ? deps.web.oidc!.label : null, tokenSignIn: deps.web.tokenSignIn, error }).text, status);

  web.get('/login', (c) => page(c, 200, safeNext(c.req.query('next'))));

  web.post('/login/token', csrfChecked(deps), async (c) => {
    if (!deps.web.tokenSignIn) throw new PageError(404, 'Not available', 'Signing in with a token is turned off on this server (web.token_sign_in).');
    const form = await c.req.parseBody();
    const next = safeNext(formText(form.next));
    const token = formText(form.token).trim();
    const identity = token ? await deps.store.findIdentityByTokenHash(hashBearerToken(token)) : null;
    if (!identity) return page(c, 401, next, 'That token is unknown or revoked.');
    return signIn(c, identity.name, 'token', next);
  });

  web.get('/auth/login', async (c) => {
    if (!deps.oidc) throw new PageError(404, 'Not available', 'Single sign-on is not configured on this server (oidc in the server config).');
    const { url, flow } = await deps.oidc.start(safeNext(c.req.query('next')), deps.clock.now());
    sessions.writeFlow(c, flow);
    return c.redirect(url, 303);
  });

  web.get('/auth/callback', async (c) => {
    if (!deps.oidc) throw new PageError(404, 'Not available', 'Single sign-on is not configured on this server.');
    const now = deps.clock.now();
    const flow = sessions.readFlow(c, now);
    if (!flow) throw new PageError(400, 'Sign-in expired', 'This sign-in was started too long ago or in another browser. Start again from the sign-in page.');
    sessions.clearFlow(c);
    const claims = await deps.oidc.finish(new URL(c.req.url).searchParams, flow);
    const match = await identityForClaims(claims, deps.web.oidc!, deps.store, now);
    if (!match.ok) {
      deps.log('warn', 'web sign-in refused', { sub: typeof claims.sub === 'string' ? claims.sub : null, reason: match.reason });
      return c.html(notAllowedPage(match.reason, match.hint).text, 403);
    }
    return signIn(c, match.identity.name, 'oidc', flow.next);
  });

  web.post('/logout', csrfChecked(deps), async (c) => {
    const session = sessions.read(c, deps.clock.now());
    sessions.clear(c);
    if (session) await deps.store.removeWebSession(sessionKey(session));
    if (session?.sub) deps.log('info', 'web sign-out', { identity: session.sub });
    return c.redirect('/login', 303);
  });
}

/** How an OIDC failure reads on the page (details stay in the log). */
export function oidcFailure(error: OidcError, deps: Pick<WebDeps, 'log'>): PageError {
  deps.log('warn', 'web sign-in failed', { error: error.message, ...(error.cause ? { cause: errorFields(error.cause) } : {}) });
  return new PageError(error.message.startsWith('cannot reach') ? 502 : 401, 'Sign-in failed', error.message);
}
