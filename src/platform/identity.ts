// Who is asking, and from where.
import { hostname, userInfo } from 'node:os';
import type { Env } from '../analyzers/types.js';

/** The actor: --actor, else GATE_ACTOR, else the OS user name. */
export function resolveActor(explicit: string | undefined, env: Env): string {
  if (explicit) return explicit;
  if (env.GATE_ACTOR) return env.GATE_ACTOR;
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'unknown';
  }
}

export function resolveHost(): string {
  return hostname();
}
