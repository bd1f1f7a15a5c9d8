// GET /metrics: Prometheus text (authenticated, like everything but /healthz and the JWKS).
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.js';

export function metricsRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/metrics', async (c) => {
    const text = deps.metrics.render(await deps.store.countByStatus());
    return c.body(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
