// The HTTP app: logging and metrics around everything; /healthz and the JWKS open; every
// other route behind bearer auth and the identity's rate limit; /v1 bodies size-limited.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, rateLimit } from './auth.js';
import { slackRoutes } from './channels/slack/slack-route.js';
import { HttpError } from './http-error.js';
import { errorFields } from './log.js';
import { requestLog } from './request-log.js';
import { auditHeadRoutes } from './routes/audit-heads.js';
import { decisionRoutes } from './routes/decisions.js';
import { eventRoutes } from './routes/events.js';
import { metricsRoutes } from './routes/metrics.js';
import { publicRoutes } from './routes/public.js';
import { requestRoutes } from './routes/requests.js';
import { rulesRoutes } from './routes/rules.js';
import { webRoutes } from './web/web-routes.js';

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestLog(deps.log, deps.metrics));
  // The server's own clock in every answer, so a client can tell its clock apart from ours
  // before a token's times would (tokens are judged with 30 s tolerance).
  app.use('*', async (c, next) => {
    c.header('Date', deps.clock.now().toUTCString());
    await next();
  });
  publicRoutes(app, deps);
  // Slack signs its interaction requests instead of sending a bearer token.
  slackRoutes(app, deps.slack ?? null, deps.clock);
  // The web pages sign reviewers in with a session cookie, so they come before bearer auth.
  webRoutes(app, deps, deps.env);
  app.use('*', authenticate(deps.store), rateLimit(deps.limiter, deps.clock));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: deps.config.bodyLimit,
      onError: () => {
        throw new HttpError(413, 'payload_too_large', `the body is larger than the server's limit of ${deps.config.bodyLimit} bytes`);
      },
    }),
  );
  requestRoutes(app, deps);
  decisionRoutes(app, deps);
  eventRoutes(app, deps);
  rulesRoutes(app, deps);
  auditHeadRoutes(app, deps);
  metricsRoutes(app, deps);

  app.notFound((c) => c.json(new HttpError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`).toJSON(), 404));
  app.onError((error, c) => {
    if (error instanceof HttpError) {
      if (error.status === 401) c.header('WWW-Authenticate', 'Bearer realm="gate"');
      return c.json(error.toJSON(), error.status);
    }
    deps.log('error', 'unhandled error', { method: c.req.method, path: c.req.path, ...errorFields(error) });
    return c.json(new HttpError(500, 'internal_error', 'internal server error (logged on the server)').toJSON(), 500);
  });
  return app;
}
