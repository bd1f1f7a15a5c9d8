// Managing the server's identities: add (returns the bearer token, shown once), list, remove,
// set an email, end web sessions.
import type { Identity, Role } from '../approval/api-types.js';
import { UsageError } from '../errors.js';
import { hashBearerToken, newBearerToken } from './bearer.js';
import type { Store } from './store/store.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;
const GROUP = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface ListedIdentity extends Identity {
  created_at: string;
  email?: string;
}

/** A plausible address (the provider vouches for it at sign-in); kept in lower case. */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Add an identity; returns its new bearer token (only its hash is stored). */
export async function addIdentity(store: Store, input: { name: string; role: Role; groups: string[]; email?: string | undefined }, now: Date): Promise<string> {
  if (!NAME.test(input.name)) throw new UsageError(`invalid identity name ${JSON.stringify(input.name)}`, { hint: 'use letters, digits and . _ @ : - (at most 128), starting with a letter or digit' });
  const bad = input.groups.find((g) => !GROUP.test(g));
  if (bad !== undefined) throw new UsageError(`invalid group name ${JSON.stringify(bad)}`, { hint: 'use letters, digits and . _ : - (at most 128)' });
  const email = input.email === undefined ? undefined : await freeEmail(store, input.email);
  const token = newBearerToken();
  const groups = [...new Set(input.groups)].sort();
  const added = await store.addIdentity({ name: input.name, role: input.role, groups, token_hash: hashBearerToken(token), created_at: now.toISOString(), email: email ?? null });
  if (!added) throw new UsageError(`identity ${input.name} exists already`, { hint: `remove it first (gate server user remove ${input.name}) to issue a new token` });
  return token;
}

/** A valid address no identity has yet, in lower case. */
async function freeEmail(store: Store, raw: string): Promise<string> {
  const email = raw.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 320) throw new UsageError(`invalid email ${JSON.stringify(raw)}`, { hint: 'the address single sign-on reports for this person, like dana@example.com' });
  const owner = await store.findIdentityByEmail(email);
  if (owner) throw new UsageError(`${email} is the email of ${owner.name} already`, { hint: 'each email names one identity' });
  return email;
}

/** Give an identity an email (single sign-on and Slack's match_email find them by it). */
export async function setIdentityEmail(store: Store, name: string, raw: string): Promise<string> {
  const current = await store.findIdentityByName(name);
  if (!current) throw new UsageError(`there is no identity ${name}`, { hint: 'see `gate server user list`' });
  if (current.email === raw.trim().toLowerCase()) return current.email;
  const email = await freeEmail(store, raw);
  await store.setIdentityEmail(name, email);
  return email;
}

/** End every web session of an identity (its browsers must sign in again); returns how many. */
export async function signOutIdentity(store: Store, name: string): Promise<number> {
  if (!(await store.findIdentityByName(name))) throw new UsageError(`there is no identity ${name}`, { hint: 'see `gate server user list`' });
  return store.removeWebSessions(name);
}

export async function listIdentities(store: Store): Promise<ListedIdentity[]> {
  return (await store.listIdentities()).map(({ name, role, groups, created_at, email }) => ({ name, role, groups, created_at, ...(email ? { email } : {}) }));
}

export async function removeIdentity(store: Store, name: string): Promise<void> {
  if (!(await store.removeIdentity(name))) throw new UsageError(`there is no identity ${name}`, { hint: 'see `gate server user list`' });
}
