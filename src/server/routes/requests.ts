// Who am I, and requests: create, list, read, and the long-poll wait.
import type { Hono } from 'hono';
import type { RequestStatus } from '../../approval/api-types.js';
import type { AppDeps, AppEnv } from '../app-env.js';
import { readJson, requestId, secondsParam } from '../body.js';
import { badRequest } from '../http-error.js';
import { createRequestSchema } from '../schemas.js';
import { REQUEST_STATUSES } from '../store/store.js';
import { awaitDecision } from '../waiter.js';

/** Longest long-poll, in seconds. */
export const MAX_WAIT_S = 60;
const DEFAULT_WAIT_S = 30;
const DEFAULT_LIST_LIMIT = 200;
const MAX_LIST_LIMIT = 1000;

function statusParam(value: string | undefined): RequestStatus | 'all' {
  if (value === undefined || value === '') return 'pending';
  if (value === 'all' || (REQUEST_STATUSES as readonly string[]).includes(value)) return value as RequestStatus | 'all';
  throw badRequest(`status: expected one of ${[...REQUEST_STATUSES, 'all'].join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`);
}

function limitParam(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_LIST_LIMIT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_LIMIT) throw badRequest(`limit: expected an integer from 1 to ${MAX_LIST_LIMIT}`);
  return n;
}

export function requestRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/v1/me', (c) => c.json(c.get('identity')));

  app.post('/v1/requests', async (c) => {
    const body = await readJson(c, createRequestSchema);
    return c.json(await deps.service.create(c.get('identity'), body), 201);
  });

  app.get('/v1/requests', async (c) => {
    return c.json(await deps.service.list(c.get('identity'), statusParam(c.req.query('status')), limitParam(c.req.query('limit'))));
  });

  app.get('/v1/requests/:id', async (c) => c.json(await deps.service.get(c.get('identity'), requestId(c))));

  app.get('/v1/requests/:id/wait', async (c) => {
    const id = requestId(c);
    const timeoutS = secondsParam(c.req.query('timeout'), 'timeout', DEFAULT_WAIT_S, MAX_WAIT_S);
    deps.metrics.waiters(1);
    try {
      const view = await awaitDecision(deps, c.get('identity'), id, timeoutS * 1000, c.req.raw.signal);
      // null: the client left; nobody reads this answer.
      return view ? c.json(view) : c.body(null, 204);
    } finally {
      deps.metrics.waiters(-1);
    }
  });
}
