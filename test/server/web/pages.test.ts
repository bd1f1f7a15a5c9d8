// The web pages against a real server: token sign-in, the request page's content, approving
// and denying through forms with CSRF, typed confirmation, the inbox, security headers, and
// requester text shown inert.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, rule, startTestServer, testClock, type TestServer } from '../server-fixture.js';
import { formWith, httpBrowser, type HttpBrowser } from './http-browser.js';

let server: TestServer;

/** A browser signed in with `name`'s bearer token through the sign-in form. */
async function signedIn(name: string): Promise<HttpBrowser> {
  const browser = httpBrowser();
  const login = await browser.go(`${server.url}/login`);
  const page = await browser.submit(formWith(login, '/login/token'), { token: server.tokens[name]! });
  expect(page.url).toBe(`${server.url}/inbox`);
  return browser;
}

const host = () => new URL(server.url).host;

/** The session id inside a browser's signed session cookie. */
const sid = (browser: HttpBrowser): string => JSON.parse(Buffer.from(browser.cookie(host(), 'gate_session')!.split('.')[0]!, 'base64url').toString()).sid;

beforeAll(async () => {
  server = await startTestServer({}, testClock(new Date()));
  await server.addUser('rita', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
  await server.addUser('carol', 'reviewer', ['ops']);
  await server.addUser('dana', 'reviewer', ['dba']);
  await server.addUser('ada', 'admin');
});
afterAll(() => server.close());

describe('signing in', () => {
  it('sends a browser without a session to the sign-in page, and scripts get a 401', async () => {
    const id = await createRequest(server, 'rita');
    const page = await httpBrowser().go(`${server.url}/r/${id}`);
    expect(page.hops[1]).toBe(`${server.url}/login?next=${encodeURIComponent(`/r/${id}`)}`);
    expect(page.text).toContain('Sign in with token');
    expect(page.text).not.toContain('/auth/login');
    const api = await server.call(null, 'GET', `/r/${id}`);
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('takes a pasted token, then goes where the reviewer was headed', async () => {
    const id = await createRequest(server, 'rita');
    const browser = httpBrowser();
    const login = await browser.go(`${server.url}/r/${id}`);
    const page = await browser.submit(formWith(login, '/login/token'), { token: server.tokens.alice! });
    expect(page.url).toBe(`${server.url}/r/${id}`);
    expect(page.text).toContain('alice');
    expect(server.logs.some((l) => l.msg === 'web sign-in' && l.fields.identity === 'alice' && l.fields.method === 'token')).toBe(true);
    expect(JSON.stringify(server.logs)).not.toContain(server.tokens.alice!);
  });

  it('refuses an unknown token, a missing CSRF token, and never redirects off-site', async () => {
    const browser = httpBrowser();
    const login = await browser.go(`${server.url}/login?next=//evil.example.com/x`);
    const form = formWith(login, '/login/token');
    expect(form.fields.next).toBe('/inbox');
    const bad = await browser.submit(form, { token: 'gate_nope' });
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('unknown or revoked');
    const noCsrf = await browser.go(`${server.url}/login/token`, { form: { token: server.tokens.alice!, next: '/inbox' } });
    expect(noCsrf.status).toBe(403);
    const offsite = await browser.submit(form, { token: server.tokens.alice!, next: 'https://evil.example.com/' });
    expect(offsite.url).toBe(`${server.url}/inbox`);
  });

  it('starts a new session id at sign-in (no fixation) and ends it at sign-out', async () => {
    const browser = httpBrowser();
    await browser.go(`${server.url}/login`);
    const anonymous = browser.cookie(host(), 'gate_session');
    const inbox = await browser.submit(formWith(await browser.go(`${server.url}/login`), '/login/token'), { token: server.tokens.alice! });
    expect(browser.cookie(host(), 'gate_session')).not.toBe(anonymous);
    expect((await browser.go(`${server.url}/logout`, { form: { csrf: 'wrong' } })).status).toBe(403);
    const out = await browser.submit(formWith(inbox, '/logout'));
    expect(out.url).toBe(`${server.url}/login`);
    expect(browser.cookie(host(), 'gate_session')).not.toBe(undefined); // the sign-in page starts an anonymous one
    expect((await browser.go(`${server.url}/inbox`)).url).toContain('/login?next=');
  });

  it('ends the session on the server at sign-out: a copy of the cookie is dead too', async () => {
    const browser = await signedIn('carol');
    const copy = httpBrowser();
    copy.setCookie(host(), 'gate_session', browser.cookie(host(), 'gate_session')!);
    expect((await copy.go(`${server.url}/inbox`)).url).toBe(`${server.url}/inbox`);
    await browser.submit(formWith(await browser.go(`${server.url}/inbox`), '/logout'));
    expect((await copy.go(`${server.url}/inbox`)).url).toContain('/login?next=');
  });

  it('ends every session of an identity when an admin signs it out, and no other', async () => {
    const laptop = await signedIn('carol');
    const phone = await signedIn('carol');
    const other = await signedIn('alice');
    const { signOutIdentity } = await import('../../../src/server/users.js');
    expect(await signOutIdentity(server.store, 'carol')).toBe(2);
    for (const browser of [laptop, phone]) expect((await browser.go(`${server.url}/inbox`)).url).toContain('/login?next=');
    expect((await other.go(`${server.url}/inbox`)).url).toBe(`${server.url}/inbox`);
    // The store keeps only a hash of the session id, never the id itself.
    const kept = await server.store.findWebSession(createHash('sha256').update(sid(other)).digest('hex'));
    expect(kept).toMatchObject({ identity: 'alice', method: 'token' });
    expect(JSON.stringify(kept)).not.toContain(sid(other));
  });

  it('ends the session of an identity removed from the server', async () => {
    await server.addUser('temp', 'reviewer', ['ops']);
    const browser = await signedIn('temp');
    await server.store.removeIdentity('temp');
    expect((await browser.go(`${server.url}/inbox`)).url).toContain('/login?next=');
  });

  it('treats a forged session cookie as no session', async () => {
    const browser = await signedIn('alice');
    const value = browser.cookie(host(), 'gate_session')!;
    const [, mac] = value.split('.');
    const forged = Buffer.from(JSON.stringify({ sid: 'x', sub: 'ada', amr: 'token', iat: Date.now(), exp: Date.now() + 3_600_000 })).toString('base64url');
    browser.setCookie(host(), 'gate_session', `${forged}.${mac}`);
    expect((await browser.go(`${server.url}/inbox`)).url).toContain('/login?next=');
  });
});

describe('the request page', () => {
  it('shows who, what, where, why, the rules, facts, labels, times and who still must approve', async () => {
    const id = await createRequest(server, 'rita', {
      rules: [rule({ id: 'kubectl.delete-namespace', policy: 'prod changes', risk: 'medium', groups: ['ops'], min: 2 })],
      reason: 'INC-42 cleanup',
    });
    const browser = await signedIn('alice');
    const page = await browser.go(`${server.url}/r/${id}`);
    expect(page.status).toBe(200);
    for (const text of ['rita', 'build-1', '/srv/app', 'kubectl delete namespace scratch', 'INC-42 cleanup', 'kubectl.delete-namespace', 'prod changes', 'medium', 'destructive', 'resource', 'namespace', '0 of 2 approvals from ops', '2 more approvals', 'can approve: ada, alice, carol']) {
      expect(page.text, text).toContain(text);
    }
    expect(page.text).toMatch(/<time datetime="[^"]+Z" title="[^"]+">(now|\d+ s ago)<\/time>/);
    expect(page.text).toMatch(/in 60 min|in 59 min/);
    expect(page.text).toContain('name="csrf"');
  });

  it('sets strict security headers', async () => {
    const id = await createRequest(server, 'rita');
    const page = await (await signedIn('alice')).go(`${server.url}/r/${id}`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).not.toMatch(/<script|\sstyle=|\son\w+=/i);
    const css = await fetch(`${server.url}/assets/gate.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('leaves the API untouched: no web headers on /v1', async () => {
    const res = await server.call('alice', 'GET', '/v1/me');
    expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it('shows requester-controlled text inert', async () => {
    const id = await createRequest(server, 'rita', {
      argv: ['kubectl', 'delete', '<script>alert(1)</script>'],
      reason: '"><img src=x onerror=alert(2)>',
      host: "<a href='javascript:alert(3)'>host</a>",
      cwd: '</code><script>alert(4)</script>',
      labels: ['<b onmouseover=alert(5)>label</b>'],
      facts: [{ program: 'kubectl', url: 'javascript:alert(6)', '<i>key</i>': ['<svg onload=alert(7)>'] }],
      rules: [rule({ description: '<iframe src=javascript:alert(8)>', policy: '<style>body{display:none}</style>' })],
    });
    const page = await (await signedIn('alice')).go(`${server.url}/r/${id}`);
    expect(page.status).toBe(200);
    for (const raw of ['<script>alert', '<img src=x', "<a href='javascript", '<b onmouseover', '<svg onload', '<iframe', '<style>', '<i>key']) expect(page.text, raw).not.toContain(raw);
    expect(page.text).not.toMatch(/href="javascript:/i);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(page.text).toContain('javascript:alert(6)'); // shown as text inside <code>, not a link
    const inbox = await (await signedIn('alice')).go(`${server.url}/inbox`);
    expect(inbox.text).not.toContain('<script>alert');
    expect(inbox.text).toContain('&lt;script&gt;alert(1)');
  });

  it('answers 404 for a request the reviewer may not see, and 400 for a bad id', async () => {
    const id = await createRequest(server, 'rita');
    const dana = await signedIn('dana');
    expect((await dana.go(`${server.url}/r/${id}`)).status).toBe(404);
    expect((await dana.go(`${server.url}/r/not_an_id!`)).status).toBe(400);
  });
});

describe('deciding on the page', () => {
  it('approves through the form: the vote is recorded via web', async () => {
    const id = await createRequest(server, 'rita');
    const browser = await signedIn('alice');
    const page = await browser.go(`${server.url}/r/${id}`);
    const done = await browser.submit(formWith(page, `/r/${id}/approve`));
    expect(done.url).toBe(`${server.url}/r/${id}?done`);
    expect(done.text).toContain('the requester&#39;s command runs now');
    expect(done.text).not.toContain(`action="/r/${id}/approve"`);
    const view = (await server.call('rita', 'GET', `/v1/requests/${id}`)).body;
    expect(view).toMatchObject({ status: 'approved', votes: [{ reviewer: 'alice', decision: 'approve', via: 'web', comment: null }] });
  });

  it('refuses a vote without the session CSRF token, or with another session’s', async () => {
    const id = await createRequest(server, 'rita');
    const alice = await signedIn('alice');
    const carol = await signedIn('carol');
    const carolsForm = formWith(await carol.go(`${server.url}/r/${id}`), `/r/${id}/approve`);
    expect((await alice.go(`${server.url}/r/${id}/approve`, { form: {} })).status).toBe(403);
    expect((await alice.go(`${server.url}/r/${id}/approve`, { form: { csrf: carolsForm.fields.csrf! } })).status).toBe(403);
    const crossSite = await carol.go(carolsForm.action, { form: carolsForm.fields, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.votes).toEqual([]);
  });

  it('needs a comment to deny, and the requester gets it', async () => {
    const id = await createRequest(server, 'rita');
    const browser = await signedIn('alice');
    const form = formWith(await browser.go(`${server.url}/r/${id}`), `/r/${id}/deny`);
    const empty = await browser.submit(form, { comment: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('A denial needs a comment');
    const denied = await browser.submit(form, { comment: 'not during the freeze' });
    expect(denied.text).toContain('You denied this request');
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body).toMatchObject({ status: 'denied', votes: [{ decision: 'deny', comment: 'not during the freeze', via: 'web' }] });
  });

  it('asks for the typed target on high risk, as the API does', async () => {
    const id = await createRequest(server, 'rita', { risk: 'high', confirm: 'scratch', rules: [rule({ risk: 'high' })] });
    const browser = await signedIn('alice');
    const page = await browser.go(`${server.url}/r/${id}`);
    expect(page.text).toContain('Type <code>scratch</code> to confirm');
    const form = formWith(page, `/r/${id}/approve`);
    const wrong = await browser.submit(form, { confirm: 'prod', comment: 'checked' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('type the target exactly as shown');
    expect(wrong.text).toContain('>checked</textarea>');
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('pending');
    const right = await browser.submit(form, { confirm: 'scratch' });
    expect(right.text).toContain('It is approved');
  });

  it('counts a quorum across reviewers and shows who is still needed', async () => {
    const id = await createRequest(server, 'rita', { rules: [rule({ min: 2 })] });
    const alice = await signedIn('alice');
    const first = await alice.submit(formWith(await alice.go(`${server.url}/r/${id}`), `/r/${id}/approve`));
    expect(first.text).toContain('It needs more approvals');
    expect(first.text).toContain('1 of 2 approvals');
    expect(first.text).toContain('can approve: ada, carol');
    const carol = await signedIn('carol');
    await carol.submit(formWith(await carol.go(`${server.url}/r/${id}`), `/r/${id}/approve`));
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('approved');
  });

  it('shows the requester their request without forms, and refuses their vote', async () => {
    const id = await createRequest(server, 'rita');
    const rita = await signedIn('rita');
    const page = await rita.go(`${server.url}/r/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('requesters do not decide');
    expect(page.text).not.toContain(`/r/${id}/approve`);
    const csrf = formWith(page, '/logout').fields.csrf!;
    const vote = await rita.go(`${server.url}/r/${id}/approve`, { form: { csrf } });
    expect(vote.status).toBe(403);
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('pending');
  });

  it('never lets an admin approve their own request', async () => {
    const id = await createRequest(server, 'ada');
    const ada = await signedIn('ada');
    const page = await ada.go(`${server.url}/r/${id}`);
    expect(page.text).toContain('This is your own request');
    const csrf = formWith(page, '/logout').fields.csrf!;
    const vote = await ada.go(`${server.url}/r/${id}/approve`, { form: { csrf } });
    expect(vote.status).toBe(403);
    expect(vote.text).toContain('cannot decide their own request');
  });

  it('answers 409 on the page when the request was decided meanwhile', async () => {
    const id = await createRequest(server, 'rita');
    const alice = await signedIn('alice');
    const form = formWith(await alice.go(`${server.url}/r/${id}`), `/r/${id}/approve`);
    expect((await server.call('carol', 'POST', `/v1/requests/${id}/deny`, { comment: 'no' })).status).toBe(200);
    const late = await alice.submit(form);
    expect(late.status).toBe(409);
    expect(late.text).toContain('not pending');
  });
});

describe('the inbox', () => {
  it('lists what the reviewer may decide, not what they voted on or cannot decide', async () => {
    const mine = await createRequest(server, 'rita', { argv: ['kubectl', 'delete', 'ns', 'inbox-a'] });
    const dbaOnly = await createRequest(server, 'rita', { argv: ['kubectl', 'delete', 'ns', 'inbox-b'], rules: [rule({ groups: ['dba'] })] });
    const voted = await createRequest(server, 'rita', { argv: ['kubectl', 'delete', 'ns', 'inbox-c'], rules: [rule({ min: 2 })] });
    await server.call('alice', 'POST', `/v1/requests/${voted}/approve`, {});
    const inbox = await (await signedIn('alice')).go(`${server.url}/`);
    expect(inbox.url).toBe(`${server.url}/inbox`);
    const waiting = inbox.text.split('You voted')[0]!;
    expect(waiting).toContain(`/r/${mine}`);
    expect(inbox.text).not.toContain(`/r/${dbaOnly}`);
    expect(waiting).not.toContain(`/r/${voted}`);
    expect(inbox.text.split('You voted')[1]).toContain(`/r/${voted}`);
  });
});
