// Single sign-on through openid-client: authorization code with PKCE (S256), state and nonce.
// The provider is discovered on first use (a provider that is down does not stop the server)
// and kept; the ID token is verified by openid-client, then the userinfo endpoint fills in the
// identity and groups claims when the ID token lacks them.
import * as client from 'openid-client';
import type { OidcFlow } from './session.js';
import { FLOW_TTL_MS } from './session.js';
import type { OidcConfig } from './web-config.js';

export type Claims = Record<string, unknown>;

export interface OidcSignIn {
  /** The provider's authorization URL and the flow the browser must come back with. */
  start(next: string, now: Date): Promise<{ url: string; flow: OidcFlow }>;
  /** Redeem the code in the callback's query for verified claims; throws on any mismatch. */
  finish(query: URLSearchParams, flow: OidcFlow): Promise<Claims>;
}

/** Why signing in at the provider failed, in words for the page; the cause goes to the log. */
export class OidcError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OidcError';
  }
}

const isLoopback = (url: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);

export function oidcSignIn(config: OidcConfig, clientSecret: string | null, redirectUrl: string): OidcSignIn {
  let discovered: Promise<client.Configuration> | undefined;
  // http is accepted only for an issuer on this machine (tests, a local provider).
  const execute = config.issuer.startsWith('http:') && isLoopback(config.issuer) ? [client.allowInsecureRequests] : [];

  const discover = async (): Promise<client.Configuration> => {
    const found = await client.discovery(new URL(config.issuer), config.clientId, undefined, undefined, { execute });
    const server = found.serverMetadata();
    const methods = server.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    const auth = clientSecret === null ? client.None() : methods.includes('client_secret_basic') ? client.ClientSecretBasic(clientSecret) : client.ClientSecretPost(clientSecret);
    const configured = new client.Configuration(server, config.clientId, clientSecret === null ? {} : { client_secret: clientSecret }, auth);
    for (const fn of execute) fn(configured);
    return configured;
  };
  const provider = (): Promise<client.Configuration> => {
    // A failed discovery is retried by the next sign-in instead of being remembered.
    discovered ??= discover().catch((error: unknown) => {
      discovered = undefined;
      throw new OidcError(`cannot reach the sign-in provider ${config.issuer}`, { cause: error });
    });
    return discovered;
  };

  return {
    async start(next, now) {
      const configuration = await provider();
      const flow: OidcFlow = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next, exp: now.getTime() + FLOW_TTL_MS };
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUrl,
        scope: config.scopes.join(' '),
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url: url.href, flow };
    },

    async finish(query, flow) {
      const configuration = await provider();
      const error = query.get('error');
      if (error !== null) throw new OidcError(`the provider refused the sign-in: ${error}${query.get('error_description') ? ` (${query.get('error_description')})` : ''}`);
      // The callback as the provider addressed it: redirect_url plus the query it added.
      const current = new URL(redirectUrl);
      current.search = query.toString();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(configuration, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      } catch (cause) {
        throw new OidcError(`the sign-in could not be verified: ${(cause as Error).message}`, { cause });
      }
      const claims: Claims = { ...tokens.claims()! };
      const lacking = claims[config.identityClaim] === undefined || claims[config.groupsClaim] === undefined;
      if (lacking && configuration.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(configuration, tokens.access_token, String(claims.sub));
        // The ID token's verified claims win over userinfo's for the same name.
        return { ...info, ...claims };
      }
      return claims;
    },
  };
}
