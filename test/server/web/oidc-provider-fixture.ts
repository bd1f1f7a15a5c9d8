// A real OpenID Connect provider (oidc-provider) on a loopback port, with one client for gate
// and test accounts. Its development login form takes any password; consent is granted
// automatically, as for a first-party client.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  groups?: string[];
  name?: string;
}

export interface TestProvider {
  /** The issuer, http://HOST:PORT. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by login name; tests may add more while it runs. */
  accounts: Record<string, TestAccount>;
  close(): Promise<void>;
}

export const CLIENT_ID = 'gate-web';
export const CLIENT_SECRET = 'a-client-secret-for-tests-only-0123456789';

/** Listen on a free loopback port and return it (for URLs that must be known up front). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Start the provider. `hostname`: how gate reaches it (127.0.0.1, or localhost to make it
 * another site than a gate on 127.0.0.1); it always listens on 127.0.0.1.
 */
export async function startOidcProvider(options: { redirectUris: string[]; accounts: Record<string, TestAccount>; hostname?: string }): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  const accounts = options.accounts;
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: options.redirectUris, response_types: ['code'], grant_types: ['authorization_code'] }],
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts[id];
      return account ? { accountId: id, claims: () => ({ sub: id, ...account }) } : undefined;
    },
    // First-party client: no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
