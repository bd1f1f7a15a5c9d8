// Single sign-on against a real OpenID Connect provider (oidc-provider on loopback) and a real
// gate server: code flow with PKCE, state and nonce; identities matched by email, or created
// from mapped groups with auto_create; everyone else refused with a page that says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DEFAULTS, type OidcConfig, type WebConfig } from '../../../src/server/web/web-config.js';
import { createRequest, startTestServer, testClock, type TestServer } from '../server-fixture.js';
import { formWith, httpBrowser, type HttpBrowser, type Page } from './http-browser.js';
import { freePort, startOidcProvider, type TestProvider } from './oidc-provider-fixture.js';

const SECRET_ENV = 'GATE_TEST_OIDC_CLIENT_SECRET';

let provider: TestProvider;
let matched: TestServer; // identities by email
let created: TestServer; // auto_create with a group map

function webConfig(issuer: string, over: Partial<OidcConfig> = {}): WebConfig {
  return {
    ...WEB_DEFAULTS,
    oidc: {
      issuer,
      clientId: 'gate-web',
      clientSecret: { env: SECRET_ENV },
      redirectUrl: undefined,
      scopes: ['openid', 'email', 'groups'],
      identityClaim: 'email',
      groupsClaim: 'groups',
      groupMap: {},
      autoCreate: false,
      label: 'Sign in with TestIdP',
      ...over,
    },
  };
}

/** Sign in at the provider as `login`, starting from `path` on the gate server. */
async function signIn(browser: HttpBrowser, server: TestServer, login: string, path = '/inbox'): Promise<Page> {
  const signInPage = await browser.go(`${server.url}${path}`);
  expect(signInPage.url).toContain('/login?next=');
  const link = /href="(\/auth\/login\?next=[^"]+)"/.exec(signInPage.text)![1]!.replace(/&amp;/g, '&');
  const idpLogin = await browser.go(`${server.url}${link}`);
  expect(idpLogin.url.startsWith(provider.issuer)).toBe(true);
  return browser.submit(formWith(idpLogin, '/interaction/'), { login, password: 'any' });
}

beforeAll(async () => {
  process.env[SECRET_ENV] = 'a-client-secret-for-tests-only-0123456789';
  const [portA, portB] = [await freePort(), await freePort()];
  const urlA = `http://127.0.0.1:${portA}`;
  const urlB = `http://127.0.0.1:${portB}`;
  provider = await startOidcProvider({
    redirectUris: [`${urlA}/auth/callback`, `${urlB}/auth/callback`],
    accounts: {
      dana: { email: 'Dana@Example.com', email_verified: true, groups: ['sre'] },
      eve: { email: 'eve@example.com', email_verified: true, groups: ['marketing'] },
      mallory: { email: 'bob@example.com', email_verified: false, groups: ['sre'] },
      frank: { email: 'frank@example.com', email_verified: true, groups: ['sre', 'dba-team'] },
      rita: { email: 'rita@example.com', email_verified: true, groups: ['sre'] },
    },
  });
  matched = await startTestServer({ port: portA, publicUrl: urlA, web: webConfig(provider.issuer) }, testClock(new Date()));
  await matched.addUser('rita', 'requester');
  await matched.store.addIdentity({ name: 'dana', role: 'reviewer', groups: ['ops'], token_hash: 'd'.repeat(64), created_at: new Date(0).toISOString(), email: 'dana@example.com' });
  await matched.store.addIdentity({ name: 'bob', role: 'reviewer', groups: ['ops'], token_hash: 'b'.repeat(64), created_at: new Date(0).toISOString(), email: 'bob@example.com' });
  created = await startTestServer({ port: portB, publicUrl: urlB, web: webConfig(provider.issuer, { autoCreate: true, groupMap: { sre: 'ops', 'dba-team': 'dba' } }) }, testClock(new Date()));
  // With auto_create every admin-made identity has an email (else sign-in creates nobody).
  await created.store.addIdentity({ name: 'rita', role: 'requester', groups: [], token_hash: 'q'.repeat(64), created_at: new Date(0).toISOString(), email: 'rita.requester@example.com' });
}, 30_000);

afterAll(async () => {
  await matched?.close();
  await created?.close();
  await provider?.close();
  delete process.env[SECRET_ENV];
});

describe('signing in through the OIDC provider', () => {
  it('maps the email claim to the identity with that email, and the session decides like it', async () => {
    const id = await createRequest(matched, 'rita');
    const browser = httpBrowser();
    const inbox = await signIn(browser, matched, 'dana');
    expect(inbox.status).toBe(200);
    expect(inbox.url).toBe(`${matched.url}/inbox`);
    expect(inbox.text).toContain('dana');
    expect(inbox.text).toContain(`/r/${id}`);
    const page = await browser.go(`${matched.url}/r/${id}`);
    const done = await browser.submit(formWith(page, `/r/${id}/approve`), { comment: 'ok from the web' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('You approved this request');
    const view = (await matched.call('rita', 'GET', `/v1/requests/${id}`)).body;
    expect(view.status).toBe('approved');
    expect(view.votes).toEqual([expect.objectContaining({ reviewer: 'dana', decision: 'approve', via: 'web', comment: 'ok from the web' })]);
    expect(matched.logs.some((l) => l.msg === 'web sign-in' && l.fields.identity === 'dana' && l.fields.method === 'oidc')).toBe(true);
  });

  it('returns to the page the reviewer first asked for', async () => {
    const id = await createRequest(matched, 'rita');
    const page = await signIn(httpBrowser(), matched, 'dana', `/r/${id}`);
    expect(page.url).toBe(`${matched.url}/r/${id}`);
    expect(page.text).toContain('Approve');
  });

  it('refuses a user no identity matches, saying who they are and what to ask for', async () => {
    const page = await signIn(httpBrowser(), matched, 'eve');
    expect(page.status).toBe(403);
    expect(page.text).toContain('Not allowed');
    expect(page.text).toContain('eve@example.com');
    expect(page.text).toContain('--email eve@example.com');
  });

  it('refuses an email the provider has not verified', async () => {
    const page = await signIn(httpBrowser(), matched, 'mallory');
    expect(page.status).toBe(403);
    expect(page.text).toContain('not verified');
  });
});

describe('auto_create with a group map', () => {
  it('creates a reviewer named after the email with the mapped groups, and refreshes them', async () => {
    const browser = httpBrowser();
    const inbox = await signIn(browser, created, 'frank');
    expect(inbox.status).toBe(200);
    expect(await created.store.findIdentityByName('frank@example.com')).toMatchObject({ role: 'reviewer', groups: ['dba', 'ops'], origin: 'oidc', email: 'frank@example.com' });
    provider.accounts.frank!.groups = ['sre'];
    expect((await signIn(httpBrowser(), created, 'frank')).status).toBe(200);
    expect((await created.store.findIdentityByName('frank@example.com'))!.groups).toEqual(['ops']);
    provider.accounts.frank!.groups = ['marketing'];
    const refused = await signIn(httpBrowser(), created, 'frank');
    expect(refused.status).toBe(403);
    expect((await created.store.findIdentityByName('frank@example.com'))!.groups).toEqual([]);
    // The first browser's session now carries no groups: nothing to decide.
    expect((await browser.go(`${created.url}/inbox`)).text).toContain('Nothing to decide');
  });

  it('refuses a user in no mapped group, and never takes over an identity made with the CLI', async () => {
    const eve = await signIn(httpBrowser(), created, 'eve');
    expect(eve.status).toBe(403);
    expect(eve.text).toContain('group_map');
    expect(await created.store.findIdentityByName('eve@example.com')).toBeNull();
    await created.store.addIdentity({ name: 'rita@example.com', role: 'requester', groups: [], token_hash: 'r'.repeat(64), created_at: new Date(0).toISOString(), email: 'rita.cli@example.com' });
    const rita = await signIn(httpBrowser(), created, 'rita');
    expect(rita.status).toBe(403);
    expect(rita.text).toContain('was added by an admin');
    expect((await created.store.findIdentityByName('rita@example.com'))!.role).toBe('requester');
    await created.store.removeIdentity('rita@example.com');
  });

  it('creates nobody while an admin-made identity has no email, and says which', async () => {
    await created.store.addIdentity({ name: 'ci-bot', role: 'requester', groups: [], token_hash: 'c'.repeat(64), created_at: new Date(0).toISOString() });
    const dana = await signIn(httpBrowser(), created, 'dana');
    expect(dana.status).toBe(403);
    expect(dana.text).toContain('gate identities have no email (ci-bot)');
    expect(dana.text).toContain('gate server user email NAME ADDRESS');
    expect(await created.store.findIdentityByName('dana@example.com')).toBeNull();
    await created.store.setIdentityEmail('ci-bot', 'ci-bot@build.example.com');
    expect((await signIn(httpBrowser(), created, 'dana')).status).toBe(200);
    expect(await created.store.findIdentityByName('dana@example.com')).toMatchObject({ origin: 'oidc', groups: ['ops'] });
  });
});

describe('the callback', () => {
  it('refuses a state that does not match the browser that started', async () => {
    const browser = httpBrowser();
    const start = await browser.go(`${matched.url}/auth/login?next=/inbox`);
    const forged = await browser.go(`${matched.url}/auth/callback?code=abc&state=forged&iss=${encodeURIComponent(provider.issuer)}`);
    expect(start.status).toBe(200);
    expect(forged.status).toBe(401);
    expect(forged.text).toContain('Sign-in failed');
  });

  it('refuses a callback without a sign-in in progress', async () => {
    const page = await httpBrowser().go(`${matched.url}/auth/callback?code=abc&state=xyz`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('Sign-in expired');
  });

  it('says so when the provider cannot be reached, and keeps serving', async () => {
    const port = await freePort();
    const down = await startTestServer({ port, publicUrl: `http://127.0.0.1:${port}`, web: webConfig('http://127.0.0.1:9') });
    try {
      const page = await httpBrowser().go(`${down.url}/auth/login`);
      expect(page.status).toBe(502);
      expect(page.text).toContain('cannot reach the sign-in provider');
      expect((await down.call(null, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await down.close();
    }
  });
});
