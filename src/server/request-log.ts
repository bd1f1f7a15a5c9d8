// One log line and one metrics sample per request: method, path (no query), status, ms and
// identity. Never headers or bodies.
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from './app-env.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

/** The route pattern that handles this path (not the raw path: ids would explode the labels). */
export function routeLabel(c: Context): string {
  const handlers = matchedRoutes(c).filter((r) => r.method !== 'ALL' && !r.path.includes('*'));
  return handlers.at(-1)?.path ?? 'unmatched';
}

export function requestLog(log: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    metrics.httpRequest(routeLabel(c), status);
    log(status >= 500 ? 'error' : 'info', 'request', {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      identity: c.get('identity')?.name ?? null,
    });
  };
}
