// The web approval flow end to end, in headless Chromium: a requester's real gate waits; a
// reviewer signs in through a real OpenID Connect provider (another site: localhost, while the
// gate server is 127.0.0.1), opens the request's page, approves, and the command runs; a
// denial with a comment ends the requester's gate with 77 and that comment.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startOidcProvider, CLIENT_SECRET, type TestProvider } from '../server/web/oidc-provider-fixture.js';
import { gate, makeHome, startGate, type GateHome } from './gate-process.js';
import { startServer, type ServerProcess } from './gate-server.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const SCREENSHOT = '/tmp/gate-web-request.png';

let serverHome: GateHome;
let alice: GateHome;
let server: ServerProcess;
let provider: TestProvider;
let browser: Browser;
let page: Page;
let bobToken: string;


async function userAdd(args: string[]): Promise<string> {
  const run = await gate(['server', 'user', 'add', ...args], serverHome.env);
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout.trim();
}

/** The id of the pending request for `argv`, read through the API as bob. */
async function pendingId(argv: string[]): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const list = (await (await fetch(`${server.url}/v1/requests`, { headers: { authorization: `Bearer ${bobToken}` } })).json()) as Array<{ id: string; argv: string[] }>;
    const found = list.find((r) => r.argv.join(' ') === argv.join(' '));
    if (found) return found.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no pending request for ${argv.join(' ')}`);
}

beforeAll(async () => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    redirectUris: [`${publicUrl}/auth/callback`],
    accounts: { 'bob-at-idp': { email: 'bob@example.com', email_verified: true, groups: ['sre'], name: 'Bob' } },
    hostname: 'localhost',
  });
  serverHome = makeHome({ GATE_OIDC_CLIENT_SECRET: CLIENT_SECRET });
  writeFileSync(
    join(serverHome.dir, 'server.yaml'),
    [
      `public_url: ${publicUrl}`,
      'request_ttl: 1h',
      'oidc:',
      `  issuer: ${provider.issuer}`,
      `  client_id: ${provider.clientId}`,
      '  client_secret_env: GATE_OIDC_CLIENT_SECRET',
      '  scopes: [openid, email, groups]',
      '  label: Sign in with TestIdP',
      '',
    ].join('\n'),
  );
  const aliceToken = await userAdd(['alice', '--role', 'requester']);
  bobToken = await userAdd(['bob', '--role', 'reviewer', '--group', 'ops', '--email', 'bob@example.com']);
  server = await startServer(serverHome, port);
  alice = makeHome();
  delete alice.env.GATE_ACTOR; // the server identity is the actor
  const login = await gate(['login', server.url, '--token', aliceToken], alice.env);
  expect(login.exitCode, login.stderr).toBe(0);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.process.exitCode === null) {
    const exited = new Promise((r) => server.process.once('exit', r));
    server.process.kill('SIGTERM');
    await exited;
  }
  await provider?.close();
  serverHome?.cleanup();
  alice?.cleanup();
});

describe('the web approval page in Chromium', () => {
  it('signs in through the provider, approves, and the waiting gate runs the command', async () => {
    const waiting = startGate(['--wait', '60s', '--reason', 'INC-7 cache flush', '--', 'fixture-review', 'x'], alice.env);
    const id = await pendingId(['fixture-review', 'x']);

    await page.goto(`${server.url}/r/${id}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByRole('link', { name: 'Sign in with TestIdP' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.fill('input[name=login]', 'bob-at-idp');
    await page.fill('input[name=password]', 'anything');
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/r/${id}`);

    expect(await page.locator('h1').innerText()).toContain('fixture-review');
    expect(await page.locator('pre.command').innerText()).toBe('fixture-review x');
    expect(await page.locator('header.top nav').innerText()).toContain('bob');
    expect(await page.locator('main').innerText()).toContain('INC-7 cache flush');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.fill('#approve-comment', 'looks fine');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${server.url}/r/${id}?done`);
    expect(await page.locator('.notice').innerText()).toContain('You approved this request');

    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('reviewed:x\n');
  }, 60_000);

  it('denies with a comment: the requester ends with 77 and reads it', async () => {
    const waiting = startGate(['--wait', '60s', '--', 'fixture-review', 'web-deny'], alice.env);
    const id = await pendingId(['fixture-review', 'web-deny']);
    await page.goto(`${server.url}/inbox`);
    await page.locator(`a[href="/r/${id}"]`).click();
    await page.waitForURL(`${server.url}/r/${id}`);
    await page.fill('#deny-comment', 'not during the freeze');
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${server.url}/r/${id}?done`);
    expect(await page.locator('.notice').innerText()).toContain('You denied this request');

    const result = await waiting;
    expect(result.exitCode).toBe(77);
    expect(String(result.stderr)).toContain('not during the freeze');
    expect(String(result.stdout)).not.toContain('reviewed:');
  }, 60_000);

  it('signs out', async () => {
    await page.goto(`${server.url}/inbox`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/login`);
    await page.goto(`${server.url}/inbox`);
    expect(new URL(page.url()).pathname).toBe('/login');
  }, 30_000);
});

describe('setting up single sign-on', () => {
  it('keeps one email per identity and lists it', async () => {
    const dup = await gate(['server', 'user', 'add', 'bobby', '--role', 'reviewer', '--email', 'BOB@example.com'], serverHome.env);
    expect(dup.exitCode).toBe(64);
    expect(dup.stderr).toContain('bob@example.com is the email of bob');
    const list = JSON.parse((await gate(['server', 'user', 'list', '--json'], serverHome.env)).stdout) as Array<{ name: string; email?: string }>;
    expect(list.find((i) => i.name === 'bob')).toMatchObject({ email: 'bob@example.com' });
  });

  it('refuses to start (78) when the client secret is not in the environment', async () => {
    const home = makeHome();
    writeFileSync(join(home.dir, 'server.yaml'), ['public_url: http://127.0.0.1:1', 'oidc:', `  issuer: ${provider.issuer}`, '  client_id: gate-web', '  client_secret_env: GATE_OIDC_CLIENT_SECRET', ''].join('\n'));
    const run = await gate(['server', '--port', '0'], home.env);
    expect(run.exitCode).toBe(78);
    expect(run.stderr).toContain('GATE_OIDC_CLIENT_SECRET is not set');
    home.cleanup();
  });
});
