// Mounts the web pages on the app, ahead of bearer authentication: they sign reviewers in with
// a session cookie instead. Builds the session keys and the OIDC client from the config (a
// missing secret stops the server here, at start), sets the security headers, and renders
// errors as pages for browsers and as API JSON for everyone else.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ConfigError } from '../../errors.js';
import type { AppDeps, AppEnv } from '../app-env.js';
import { HttpError } from '../http-error.js';
import { errorFields } from '../log.js';
import { pageRoutes } from '../routes/page.js';
import { authRoutes, oidcFailure } from './auth-routes.js';
import { OidcError, oidcSignIn } from './oidc-client.js';
import { readSecret, sessionSecret } from './secrets.js';
import { securityHeaders } from './security-headers.js';
import { sessionCookies } from './session.js';
import { errorPage } from './sign-in-page.js';
import { STYLESHEET } from './style.js';
import { wantsHtml } from './web-auth.js';
import { WEB_DEFAULTS } from './web-config.js';
import { PageError, type WebDeps, type WebEnv } from './web-env.js';

/** Every path the web pages own; their middleware must never run for /v1. */
const PATHS = ['/', '/inbox', '/login', '/login/token', '/logout', '/auth/login', '/auth/callback', '/r/*', '/assets/*'];
const FORM_LIMIT = 64 * 1024;

type Env = Readonly<Record<string, string | undefined>>;

/** The web's dependencies: session keys and, when configured, the OIDC client. */
export function webDeps(deps: AppDeps, env: Env): WebDeps {
  const web = deps.config.web ?? WEB_DEFAULTS;
  const publicUrl = deps.config.publicUrl;
  const oidc = web.oidc;
  let redirectUrl: string | undefined;
  if (oidc) {
    redirectUrl = oidc.redirectUrl ?? (publicUrl ? `${publicUrl}/auth/callback` : undefined);
    if (!redirectUrl) throw new ConfigError('server_config_invalid', 'oidc needs public_url (or oidc.redirect_url)');
  }
  const secure = (publicUrl ?? redirectUrl ?? '').startsWith('https:');
  return {
    ...deps,
    web,
    sessions: sessionCookies(sessionSecret(web.sessionSecret, env), { secure, ttlMs: web.sessionTtlMs }),
    oidc: oidc ? oidcSignIn(oidc, oidc.clientSecret ? readSecret(oidc.clientSecret, env, 'oidc.client_secret') : null, redirectUrl!) : null,
  };
}

export function webRoutes(app: Hono<AppEnv>, appDeps: AppDeps, env: Env): void {
  const deps = webDeps(appDeps, env);
  const web = new Hono<WebEnv>();
  for (const path of PATHS) web.use(path, securityHeaders());
  for (const path of ['/login/token', '/logout', '/r/*']) {
    web.post(path, bodyLimit({ maxSize: FORM_LIMIT, onError: () => { throw new PageError(400, 'Too large', 'The form is larger than the server accepts.'); } }));
  }

  web.get('/assets/gate.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  authRoutes(web, deps);
  pageRoutes(web, deps);

  web.onError((error, c) => {
    const failure = error instanceof OidcError ? oidcFailure(error, deps) : error;
    if (failure instanceof HttpError && !wantsHtml(c.req.header('accept'))) {
      if (failure.status === 401) c.header('WWW-Authenticate', 'Bearer realm="gate"');
      return c.json(failure.toJSON(), failure.status);
    }
    const viewer = c.get('viewer') ?? null;
    if (failure instanceof PageError) return c.html(errorPage(failure.title, failure.message, viewer).text, failure.status);
    if (failure instanceof HttpError) return c.html(errorPage(failure.status === 404 ? 'Not found' : 'Refused', failure.message, viewer).text, failure.status);
    deps.log('error', 'unhandled error', { method: c.req.method, path: c.req.path, ...errorFields(error) });
    return c.html(errorPage('Something went wrong', 'The server hit an error; the details are in its log.', viewer).text, 500);
  });
  app.route('/', web);
}
