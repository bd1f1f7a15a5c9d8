// Audit anchoring: a gate posts the head (seq, hash) of its audit log; the server keeps the
// latest per host and actor and refuses one that goes back or rewrites it, so a truncated or
// rewritten log cannot be anchored over the old head.
import type { Hono } from 'hono';
import type { AuditHeadBody, Identity } from '../../approval/api-types.js';
import type { AppDeps, AppEnv } from '../app-env.js';
import { readJson } from '../body.js';
import { badRequest, HttpError, notFound } from '../http-error.js';
import { auditHeadSchema } from '../schemas.js';
import type { StoredAuditHead } from '../store/store.js';

/** Requesters anchor and read only their own log; reviewers read any, admins do both. */
function assertActor(caller: Identity, actor: string, write: boolean): void {
  if (caller.name === actor || caller.role === 'admin' || (!write && caller.role === 'reviewer')) return;
  throw new HttpError(403, 'actor_mismatch', `${caller.name} may not ${write ? 'anchor' : 'read'} the audit head of ${actor}`);
}

/** The stored head after receiving `head` (pure). */
export function nextHead(current: StoredAuditHead | null, head: AuditHeadBody, by: string, now: Date): StoredAuditHead | null {
  if (current && head.seq < current.seq) throw new HttpError(409, 'head_regressed', `the audit log of ${head.actor}@${head.host} went back from seq ${current.seq} to ${head.seq} (truncated?)`, { stored: current });
  if (current && head.seq === current.seq) {
    if (head.hash === current.hash) return null;
    throw new HttpError(409, 'head_conflict', `seq ${head.seq} of the audit log of ${head.actor}@${head.host} has another hash than anchored (rewritten?)`, { stored: current });
  }
  return { ...head, received_at: now.toISOString(), received_by: by };
}

export function auditHeadRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/v1/audit/heads', async (c) => {
    const caller = c.get('identity');
    const head = await readJson(c, auditHeadSchema);
    assertActor(caller, head.actor, true);
    const now = deps.clock.now();
    return c.json(await deps.store.updateAuditHead(head.host, head.actor, (current) => nextHead(current, head, caller.name, now)));
  });

  app.get('/v1/audit/heads', async (c) => {
    const host = c.req.query('host');
    const actor = c.req.query('actor');
    if (!host || !actor) throw badRequest('host and actor query parameters are required');
    assertActor(c.get('identity'), actor, false);
    const head = await deps.store.getAuditHead(host, actor);
    if (!head) throw notFound(`an audit head for ${actor}@${host}`);
    return c.json(head);
  });
}
