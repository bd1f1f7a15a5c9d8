// Who is asking, the same for `gate --`, `gate explain` and `gate token inspect` (the actor is
// bound into the digest): --actor, else GATE_ACTOR, else the approval server login, else the
// OS user.
import type { Env } from '../analyzers/types.js';
import { readConfigSync } from '../platform/config.js';
import { resolveActor } from '../platform/identity.js';

export function requesterActor(explicit: string | undefined, env: Env): string {
  return resolveActor(explicit ?? (env.GATE_ACTOR ? undefined : readConfigSync(env).server?.identity), env);
}
