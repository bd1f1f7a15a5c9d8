// Changing a request: approve, deny (with a comment), cancel (the requester), redeem (the
// requester, once, for the token).
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.js';
import { readJson, requestId } from '../body.js';
import { HttpError } from '../http-error.js';
import { cancelSchema, decisionSchema, redeemSchema } from '../schemas.js';

/** The channel recorded on votes cast through this API. */
const VIA = 'api';

export function decisionRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/v1/requests/:id/approve', async (c) => {
    const id = requestId(c);
    const body = await readJson(c, decisionSchema, true);
    return c.json(await deps.service.vote(c.get('identity'), id, { decision: 'approve', body, via: VIA }));
  });

  app.post('/v1/requests/:id/deny', async (c) => {
    const id = requestId(c);
    const body = await readJson(c, decisionSchema, true);
    if ((body.comment ?? '').trim() === '') throw new HttpError(400, 'comment_required', 'a denial needs a comment saying why ("comment")');
    return c.json(await deps.service.vote(c.get('identity'), id, { decision: 'deny', body, via: VIA }));
  });

  app.post('/v1/requests/:id/cancel', async (c) => {
    const id = requestId(c);
    await readJson(c, cancelSchema, true);
    return c.json(await deps.service.cancel(c.get('identity'), id));
  });

  app.post('/v1/requests/:id/redeem', async (c) => {
    const id = requestId(c);
    const body = await readJson(c, redeemSchema);
    return c.json(await deps.service.redeem(c.get('identity'), id, body.digest));
  });
}
