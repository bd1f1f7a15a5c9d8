// GET /v1/rules/bundle: the signed rules bundle, with ETag and If-None-Match.
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.js';
import { HttpError } from '../http-error.js';
import { etagMatches } from '../rules-bundle.js';

export function rulesRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/v1/rules/bundle', async (c) => {
    if (!deps.rules) throw new HttpError(404, 'no_rules', 'this server serves no rules (set rules_dir in its config file)');
    const bundle = await deps.rules.current(deps.clock.now());
    c.header('ETag', `"${bundle.etag}"`);
    c.header('Cache-Control', 'no-cache');
    if (etagMatches(c.req.header('if-none-match'), bundle.etag)) return c.body(null, 304);
    return c.body(bundle.jws, 200, { 'Content-Type': 'application/jose' });
  });
}
