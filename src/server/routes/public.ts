// The two unauthenticated endpoints: liveness and the server's public key.
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.js';

export function publicRoutes(app: Hono<AppEnv>, deps: Pick<AppDeps, 'publicJwk'>): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  // Clients pin this key at `gate login`; tokens and rule bundles name it by kid (thumbprint).
  app.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ keys: [deps.publicJwk] });
  });
}
