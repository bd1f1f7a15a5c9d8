// Session cookies: signed (a changed byte or another key is no session), expiring, HttpOnly,
// SameSite=Lax, Secure and __Host- over https; the CSRF token is bound to the session id.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sessionCookies, type Session } from '../../../src/server/web/session.js';
import { deriveKey, signValue, verifyValue } from '../../../src/server/web/signed-value.js';
import { safeNext } from '../../../src/server/web/web-env.js';

const SECRET = Buffer.from('s'.repeat(32));
const NOW = new Date('2026-11-21T12:00:00Z');

describe('signed values', () => {
  const key = deriveKey(SECRET, 'session');

  it('round-trips and refuses any change, another key, or garbage', () => {
    const signed = signValue(key, { sub: 'alice' });
    expect(verifyValue(key, signed)).toEqual({ sub: 'alice' });
    const [payload, mac] = signed.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url');
    expect(verifyValue(key, `${forged}.${mac}`)).toBeNull();
    expect(verifyValue(key, `${payload}.${mac.slice(0, -2)}AA`)).toBeNull();
    expect(verifyValue(deriveKey(SECRET, 'csrf'), signed)).toBeNull();
    expect(verifyValue(key, 'not-a-cookie')).toBeNull();
    expect(verifyValue(key, undefined)).toBeNull();
  });
});

/** A tiny app that writes and reads a session the way the pages do. */
function app(secure: boolean) {
  const sessions = sessionCookies(SECRET, { secure, ttlMs: 3_600_000 });
  const web = new Hono();
  let now = NOW;
  web.get('/write', (c) => {
    sessions.write(c, sessions.create('alice', 'token', now), now);
    return c.text('ok');
  });
  web.get('/read', (c) => c.json(sessions.read(c, now)));
  web.get('/clear', (c) => {
    sessions.clear(c);
    return c.text('ok');
  });
  return { web, sessions, setNow: (d: Date) => void (now = d) };
}

describe('session cookies', () => {
  it('are HttpOnly, SameSite=Lax, Path=/, expire with the session, and not Secure over http', async () => {
    const { web } = app(false);
    const cookie = (await web.request('/write')).headers.get('set-cookie')!;
    expect(cookie).toMatch(/^gate_session=[\w-]+\.[\w-]+;/);
    expect(cookie).toContain('Max-Age=3600');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
  });

  it('are Secure with the __Host- prefix over https', async () => {
    const { web } = app(true);
    const cookie = (await web.request('/write')).headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-gate_session=/);
    expect(cookie).toContain('Secure');
    const read = await web.request('/read', { headers: { cookie: cookie.split(';')[0]! } });
    expect(((await read.json()) as Session).sub).toBe('alice');
  });

  it('read back until they expire, and not after; a tampered cookie is no session', async () => {
    const { web, setNow } = app(false);
    const pair = (await web.request('/write')).headers.get('set-cookie')!.split(';')[0]!;
    expect(((await (await web.request('/read', { headers: { cookie: pair } })).json()) as Session).sub).toBe('alice');
    expect(await (await web.request('/read', { headers: { cookie: pair.replace(/\.(\w)/, '.x$1') } })).json()).toBeNull();
    setNow(new Date(NOW.getTime() + 3_600_001));
    expect(await (await web.request('/read', { headers: { cookie: pair } })).json()).toBeNull();
  });

  it('are cleared with an expired cookie', async () => {
    const { web } = app(false);
    expect((await web.request('/clear')).headers.get('set-cookie')).toMatch(/^gate_session=;.*Max-Age=0/);
  });

  it('bind the CSRF token to the session id', () => {
    const { sessions } = app(false);
    const a = sessions.create('alice', 'token', NOW);
    const b = sessions.create('alice', 'token', NOW);
    const token = sessions.csrfToken(a);
    expect(sessions.csrfMatches(a, token)).toBe(true);
    expect(sessions.csrfMatches(b, token)).toBe(false);
    expect(sessions.csrfMatches(null, token)).toBe(false);
    expect(sessions.csrfMatches(a, undefined)).toBe(false);
    expect(sessions.csrfMatches(a, '')).toBe(false);
  });
});

describe('safeNext', () => {
  it.each([
    ['/r/abc', '/r/abc'],
    ['/inbox?x=1', '/inbox?x=1'],
    ['//evil.example.com', '/inbox'],
    ['/\\evil.example.com', '/inbox'],
    ['https://evil.example.com', '/inbox'],
    ['javascript:alert(1)', '/inbox'],
    ['/r/a\nSet-Cookie: x', '/inbox'],
    [undefined, '/inbox'],
  ])('%s -> %s', (input, output) => {
    expect(safeNext(input)).toBe(output);
  });
});
