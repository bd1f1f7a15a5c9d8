// Who a provider's user is in gate. The identity claim (email by default) names an identity:
// `email` matches an identity's email, any other claim its name. With auto_create, a user no
// identity matches becomes a reviewer named after the claim, with the gate groups that
// group_map gives their provider groups, refreshed at every sign-in. Anyone else is refused.
import type { Identity } from '../../approval/api-types.js';
import { hashBearerToken, newBearerToken } from '../bearer.js';
import type { Store } from '../store/store.js';
import type { Claims } from './oidc-client.js';
import type { OidcConfig } from './web-config.js';

export type IdentityMatch = { ok: true; identity: Identity } | { ok: false; reason: string; hint: string };

type IdentityStore = Pick<Store, 'findIdentityByEmail' | 'findIdentityByName' | 'saveOidcIdentity' | 'listIdentities'>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;

/** The gate groups the user's provider groups map to (sorted, unique). */
export function mappedGroups(claims: Claims, config: Pick<OidcConfig, 'groupsClaim' | 'groupMap'>): string[] {
  const raw = claims[config.groupsClaim];
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? [raw] : [];
  const mapped = groups.map((g) => (Object.hasOwn(config.groupMap, g) ? config.groupMap[g] : undefined)).filter((g): g is string => g !== undefined);
  return [...new Set(mapped)].sort();
}

const refuse = (reason: string, hint: string): IdentityMatch => ({ ok: false, reason, hint });
const allow = (i: Identity): IdentityMatch => ({ ok: true, identity: { name: i.name, role: i.role, groups: i.groups } });

export async function identityForClaims(claims: Claims, config: OidcConfig, store: IdentityStore, now: Date): Promise<IdentityMatch> {
  const byEmail = config.identityClaim === 'email';
  const raw = claims[config.identityClaim];
  if (typeof raw !== 'string' || raw.trim() === '') {
    return refuse(`The sign-in provider did not say who you are: its answer has no "${config.identityClaim}" claim.`, `An admin can request it with oidc.scopes (for email: the "email" scope) or choose another oidc.identity_claim.`);
  }
  // Security invariant: an address the provider has not verified names nobody. A missing
  // claim counts as unverified (the "nOAuth" pattern), and so does the string "false".
  if (byEmail && !(claims.email_verified === true || claims.email_verified === 'true')) {
    return refuse(`Your email address ${raw} is not verified at the sign-in provider.`, 'Verify it there, then sign in again.');
  }
  const key = byEmail ? raw.trim().toLowerCase() : raw.trim();
  const found = byEmail ? await store.findIdentityByEmail(key) : await store.findIdentityByName(key);
  // Security invariant: a name claim (users may be able to change it) never takes over an
  // identity made with `gate server user add`, nor any admin.
  if (!byEmail && found && (found.origin !== 'oidc' || found.role === 'admin')) {
    return refuse(`The name ${key} belongs to an identity single sign-on may not take over.`, 'Ask a gate admin: map people by a verified email (oidc.identity_claim: email, and --email on the identity).');
  }
  if (found && (found.origin !== 'oidc' || !config.autoCreate)) return allow(found);
  const what = byEmail ? `the email ${key}` : `the name ${key}`;
  if (!config.autoCreate) {
    return refuse(`You signed in as ${key}, but no gate identity has ${what}.`, `Ask a gate admin to add you: gate server user add NAME --role reviewer --group GROUP${byEmail ? ` --email ${key}` : ''}`);
  }
  // Security invariant: single sign-on makes no identity while an admin-made one has no email.
  // That identity's owner, signing in, would get a second name: approving their own request
  // under it, or counting twice toward a quorum.
  const unmailed = (await store.listIdentities()).filter((i) => i.origin !== 'oidc' && !i.email).map((i) => i.name);
  if (unmailed.length > 0) {
    const names = unmailed.slice(0, 5).join(', ') + (unmailed.length > 5 ? ` and ${unmailed.length - 5} more` : '');
    return refuse(
      `Single sign-on cannot add you as ${key} while gate identities have no email (${names}): their owners could then approve as two people.`,
      `Ask a gate admin to give each one an email: gate server user email NAME ADDRESS (a service account can have an address nobody signs in with).`,
    );
  }
  const groups = mappedGroups(claims, config);
  if (groups.length === 0) {
    // A reviewer who left every mapped group loses their groups now, not at their next review.
    if (found) await store.saveOidcIdentity({ ...found, groups: [], email: found.email ?? null });
    return refuse(`You signed in as ${key}, but none of your groups at the sign-in provider is one gate maps to a reviewer group.`, `Ask a gate admin to add your group to oidc.group_map (the groups come from the "${config.groupsClaim}" claim).`);
  }
  if (!NAME.test(key)) return refuse(`You signed in as ${key}, which cannot be a gate identity name.`, 'Names are letters, digits and . _ @ : - (at most 128). Ask a gate admin to add you with --email.');
  const saved = await store.saveOidcIdentity({
    name: key,
    role: 'reviewer',
    groups,
    // Nobody ever holds this token: the identity signs in through the provider only.
    token_hash: hashBearerToken(newBearerToken()),
    created_at: now.toISOString(),
    email: byEmail ? key : null,
    origin: 'oidc',
  });
  if (!saved) return refuse(`The gate identity ${key} was added by an admin, and ${byEmail ? 'its email is not set' : 'single sign-on may not take it over'}.`, byEmail ? `Ask a gate admin to re-add it with --email ${key}.` : 'Ask a gate admin.');
  return allow(saved);
}
