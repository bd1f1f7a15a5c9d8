// Logging in to an approval server: pin its signing key in the trust store (so its tokens
// verify, and only its), keep the bearer token in the key store, remember the URL.
import type { Env } from '../analyzers/types.js';
import { httpApprovalClient, unreachable, type ApprovalClient } from '../approval/http-client.js';
import type { Identity } from '../approval/api-types.js';
import { ConfigError, UsageError } from '../errors.js';
import { readConfig, saveServer, type ServerSettings } from '../platform/config.js';
import { gatePaths } from '../platform/paths.js';
import type { TrustEntry } from '../token/trust.js';
import { parsePublicJwk } from './keys.js';
import { chooseStore, storeOf, type KeyDeps } from './own-keys.js';
import { readTrust, writeTrust } from './trust-file.js';

const TOKEN_ACCOUNT = 'server-token';

export interface Session {
  settings: ServerSettings;
  client: ApprovalClient;
  /** The bearer token (for calls the typed client does not cover, like the rules bundle). */
  token: string;
}

function normalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${JSON.stringify(url)} is not a URL`, { hint: 'gate login https://gate.example.com --token TOKEN' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UsageError(`${url}: only http and https servers are supported`);
  return parsed.toString().replace(/\/+$/, '');
}

/** Fetch the server's signing key (JWKS); it is pinned at login and trusted for nothing else. */
async function fetchServerKey(url: string, fetcher: typeof fetch): Promise<{ jwk: TrustEntry['jwk']; kid: string }> {
  let response: Response;
  try {
    response = await fetcher(`${url}/.well-known/jwks.json`);
  } catch (error) {
    throw unreachable(url, error);
  }
  if (!response.ok) throw new ConfigError('server_jwks', `${url}/.well-known/jwks.json answered HTTP ${response.status}`, undefined, { hint: 'is this a gate approval server?' });
  const body = (await response.json()) as { keys?: unknown[] };
  const key = body.keys?.[0];
  if (!key) throw new ConfigError('server_jwks', `${url} publishes no signing key`, undefined, { hint: 'is this a gate approval server?' });
  return parsePublicJwk(JSON.stringify(key));
}

export async function login(env: Env, rawUrl: string, token: string, deps: { warn(line: string): void; now: Date; fetcher?: typeof fetch }): Promise<{ settings: ServerSettings; identity: Identity }> {
  const url = normalizeUrl(rawUrl);
  const fetcher = deps.fetcher ?? fetch;
  const { jwk, kid } = await fetchServerKey(url, fetcher);
  const identity = await httpApprovalClient(url, token, fetcher).me();
  const paths = gatePaths(env);
  const keyDeps: KeyDeps = { paths, warn: deps.warn };
  const store = await chooseStore(keyDeps);
  await store.set(TOKEN_ACCOUNT, token);
  const name = `server:${new URL(url).host}`;
  const trust = readTrust(paths.trust);
  const entry: TrustEntry = { name, kid, jwk, groups: ['*'], kind: 'server', added: deps.now.toISOString(), expires: null, revoked: null };
  // A re-login pins the key the server has now; older pins of the same server are replaced.
  writeTrust(paths.trust, { entries: [...trust.entries.filter((e) => !(e.kind === 'server' && e.name === name) && e.kid !== kid), entry] });
  const settings: ServerSettings = { url, identity: identity.name, kid, token_store: store.kind };
  await saveServer(env, settings);
  return { settings, identity };
}

export async function logout(env: Env, deps: { warn(line: string): void }): Promise<ServerSettings | undefined> {
  const { server } = await readConfig(env);
  if (!server) return undefined;
  const paths = gatePaths(env);
  await (await storeOf({ paths, warn: deps.warn }, { store: server.token_store, role: 'server token' })).delete(TOKEN_ACCOUNT).catch(() => false);
  const trust = readTrust(paths.trust);
  writeTrust(paths.trust, { entries: trust.entries.filter((e) => !(e.kind === 'server' && e.kid === server.kid)) });
  await saveServer(env, undefined);
  return server;
}

/** The configured server session, or null when gate works without a server. */
export async function openSession(env: Env, explicitUrl: string | undefined, deps: { warn(line: string): void; fetcher?: typeof fetch }): Promise<Session | null> {
  const { server } = await readConfig(env);
  const wanted = explicitUrl ?? env.GATE_SERVER;
  if (!server) {
    if (wanted) throw new ConfigError('not_logged_in', `not logged in to ${wanted}`, undefined, { hint: `gate login ${wanted} --token TOKEN` });
    return null;
  }
  if (wanted && normalizeUrl(wanted) !== server.url) {
    throw new ConfigError('not_logged_in', `not logged in to ${wanted} (logged in to ${server.url})`, undefined, { hint: `gate login ${wanted} --token TOKEN` });
  }
  const store = await storeOf({ paths: gatePaths(env), warn: deps.warn }, { store: server.token_store, role: 'server token' });
  const token = await store.get(TOKEN_ACCOUNT);
  if (!token) throw new ConfigError('not_logged_in', `the login token for ${server.url} is missing`, undefined, { hint: `gate login ${server.url} --token TOKEN` });
  return { settings: server, client: httpApprovalClient(server.url, token, deps.fetcher ?? fetch), token };
}
