// Mapping a provider's user to a gate identity: fail closed on unverified emails and never let
// a (changeable) name claim take over an identity made by an admin.
import { describe, expect, it } from 'vitest';
import type { IdentityRecord } from '../../../src/server/store/store.js';
import { identityForClaims } from '../../../src/server/web/oidc-identity.js';
import type { OidcConfig } from '../../../src/server/web/web-config.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const identities: Array<IdentityRecord & { email?: string | null; origin?: string }> = [
  { name: 'alice', role: 'reviewer', groups: ['ops'], token_hash: 'x', created_at: NOW.toISOString(), email: 'alice@example.com', origin: 'cli' },
  { name: 'root', role: 'admin', groups: [], token_hash: 'y', created_at: NOW.toISOString(), email: null, origin: 'cli' },
];
const store = {
  findIdentityByEmail: async (email: string) => identities.find((i) => i.email === email) ?? null,
  findIdentityByName: async (name: string) => identities.find((i) => i.name === name) ?? null,
  saveOidcIdentity: async () => {
    throw new Error('must not create');
  },
  listIdentities: async () => identities,
} as never;
const config = (over: Partial<OidcConfig> = {}) => ({ identityClaim: 'email', groupsClaim: 'groups', groupMap: {}, autoCreate: false, ...over }) as OidcConfig;

describe('identityForClaims', () => {
  it('maps a verified email to its identity', async () => {
    expect(await identityForClaims({ sub: 's', email: 'alice@example.com', email_verified: true }, config(), store, NOW)).toMatchObject({ ok: true, identity: { name: 'alice' } });
  });

  it('refuses an email the provider does not mark verified: false, "false" or missing', async () => {
    for (const email_verified of [false, 'false', undefined]) {
      expect(await identityForClaims({ sub: 's', email: 'alice@example.com', email_verified } as never, config(), store, NOW)).toMatchObject({ ok: false });
    }
  });

  it('never lets a name claim take over an identity made by an admin, admins above all', async () => {
    for (const name of ['root', 'alice']) {
      expect(await identityForClaims({ sub: 's', preferred_username: name } as never, config({ identityClaim: 'preferred_username' }), store, NOW)).toMatchObject({ ok: false });
    }
  });

  it('with auto_create, makes no identity while an admin-made one has no email (its owner would count twice)', async () => {
    const saved: IdentityRecord[] = [];
    const people: IdentityRecord[] = [{ name: 'bob', role: 'requester', groups: [], token_hash: 'z', created_at: NOW.toISOString(), email: null, origin: 'cli' }];
    const autoStore = {
      findIdentityByEmail: async (email: string) => [...people, ...saved].find((i) => i.email === email) ?? null,
      findIdentityByName: async (name: string) => [...people, ...saved].find((i) => i.name === name) ?? null,
      saveOidcIdentity: async (i: IdentityRecord) => (saved.push(i), i),
      listIdentities: async () => [...people, ...saved],
    } as never;
    const auto = config({ autoCreate: true, groupMap: { 'eng-ops': 'ops' } });
    const claims = { sub: 's', email: 'bob@example.com', email_verified: true, groups: ['eng-ops'] };
    const refused = await identityForClaims(claims, auto, autoStore, NOW);
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining('(bob)'), hint: expect.stringContaining('gate server user email NAME ADDRESS') });
    expect(saved).toEqual([]);
    // Once bob's identity has his email, signing in is signing in as bob: one person, one name.
    people[0]!.email = 'bob@example.com';
    expect(await identityForClaims(claims, auto, autoStore, NOW)).toMatchObject({ ok: true, identity: { name: 'bob', role: 'requester' } });
    expect(saved).toEqual([]);
    // Someone new is created.
    expect(await identityForClaims({ ...claims, email: 'new@example.com' }, auto, autoStore, NOW)).toMatchObject({ ok: true, identity: { name: 'new@example.com', groups: ['ops'] } });
    expect(saved.map((i) => i.name)).toEqual(['new@example.com']);
  });
});
