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
});
