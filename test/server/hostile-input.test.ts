// Hostile input against a real server on loopback (issue 10), beyond validation.test.ts,
// auth.test.ts and the web and channel tests: SQL injection strings in every field stored and
// returned verbatim, path traversal in ids (raw and encoded, never normalized by the client),
// every API route without or with a bad bearer token, cookies that do not authenticate the API,
// pathological JSON, and random hostile text kept inert on the web page, in Slack and in Teams.
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '../../src/approval/api-types.js';
import { requestMessage } from '../../src/server/channels/slack/slack-message.js';
import { requestCard } from '../../src/server/channels/teams/teams-card.js';
import { createRequest, requestBody, rule, startTestServer, testClock, type TestServer } from './server-fixture.js';
import { formWith, httpBrowser, type HttpBrowser } from './web/http-browser.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ bodyLimit: 64 * 1024 }, testClock(new Date()));
  await server.addUser('rita', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
  await server.addUser('bob', 'reviewer', ['ops']);
  await server.addUser('ada', 'admin');
});
afterAll(() => server.close());

const SQLI = [
  "'; DROP TABLE requests; --",
  "' OR '1'='1",
  '" OR ""="',
  "1; DELETE FROM identities WHERE 1=1; --",
  "x') UNION SELECT token_hash, name, role FROM identities --",
  "\\'; UPDATE requests SET status='approved'; --",
  "Robert'); DROP TABLE students;--",
  "%27%20OR%201%3D1",
  "$$; SELECT pg_sleep(10); $$",
  "/**/OR/**/1=1",
  "' || (SELECT sqlite_version()) || '",
  "'; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
];

/** A raw HTTP request: the path goes on the wire exactly as given (fetch would normalize `..`). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const bearer = (name: string) => ({ authorization: `Bearer ${server.tokens[name]}` });

describe('SQL injection strings', () => {
  it('are stored and returned verbatim in every requester field, and the database is intact', async () => {
    for (const evil of SQLI) {
      const body = requestBody('rita', {
        host: evil,
        cwd: `/srv/${evil}`,
        program: 'kubectl',
        argv: ['kubectl', 'delete', 'ns', evil],
        reason: evil,
        labels: [evil],
        facts: [{ program: 'kubectl', names: [evil], [evil]: evil }],
        rules: [rule({ description: evil, policy: evil })],
        confirm: evil,
      });
      const created = await server.call('rita', 'POST', '/v1/requests', body);
      expect(created.status, created.text).toBe(201);
      const view = (await server.call('alice', 'GET', `/v1/requests/${body.id}`)).body as RequestView;
      expect(view).toMatchObject({ host: evil, cwd: `/srv/${evil}`, argv: body.argv, reason: evil, labels: [evil], facts: body.facts, confirm: evil });
      expect(view.rules[0]).toMatchObject({ description: evil, policy: evil });
    }
    const listed = (await server.call('alice', 'GET', '/v1/requests?status=all&limit=200')).body as RequestView[];
    for (const evil of SQLI) expect(listed.map((r) => r.reason)).toContain(evil);
    // Identities and requests survived every string: the tokens still work, nothing was approved.
    expect((await server.call('rita', 'GET', '/v1/me')).status).toBe(200);
    expect(listed.every((r) => r.status === 'pending')).toBe(true);
  });

  it('in comments, query values and the bearer token: verbatim, or refused with 4xx, never a 500', async () => {
    for (const evil of SQLI) {
      const id = await createRequest(server, 'rita');
      const denied = await server.call('alice', 'POST', `/v1/requests/${id}/deny`, { comment: evil });
      expect(denied.status, denied.text).toBe(200);
      expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.votes[0]).toMatchObject({ reviewer: 'alice', decision: 'deny', comment: evil });
      for (const query of [`status=${encodeURIComponent(evil)}`, `limit=${encodeURIComponent(evil)}`]) {
        const res = await server.call('alice', 'GET', `/v1/requests?${query}`);
        expect(res.status, query).toBe(400);
      }
      expect((await server.call(evil, 'GET', '/v1/me')).status).toBe(401);
    }
  });

  it('round-trip whatever the text (fast-check): 201 and verbatim, or a 400 naming the field', async () => {
    const text = fc.oneof(fc.constantFrom(...SQLI), fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
    await fc.assert(
      fc.asyncProperty(text, text, async (reason, word) => {
        const body = requestBody('rita', { reason, argv: ['kubectl', 'get', word], host: word || 'h' });
        const res = await server.call('rita', 'POST', '/v1/requests', body);
        expect([201, 400], res.text).toContain(res.status);
        if (res.status === 400) return void expect(res.body.error.code).toBe('bad_request');
        const view = (await server.call('rita', 'GET', `/v1/requests/${body.id}`)).body as RequestView;
        expect({ reason: view.reason, argv: view.argv, host: view.host }).toEqual({ reason, argv: body.argv, host: body.host });
      }),
      { seed: 20_261_121, numRuns: 150 },
    );
  });
});

describe('path traversal in ids', () => {
  const TRAVERSALS = ['../healthz', '..%2fhealthz', '%2e%2e%2fhealthz', '%2e%2e/%2e%2e/v1/me', '..%252f..%252fv1%252fme', '....//....//etc/passwd', '..\\..\\etc\\passwd', '%2e%2e%5c%2e%2e%5cetc', '..%00', '%c0%ae%c0%ae%2f', '.', '..', '%2e', '%2e%2e'];

  const SUFFIXES = [['GET', ''], ['GET', '/wait'], ['POST', '/approve'], ['POST', '/deny'], ['POST', '/cancel'], ['POST', '/redeem']] as const;
  /** Where the server's URL parser (WHATWG, like a browser's) puts a raw path: `%2e%2e` is `..` too. */
  const normalized = (path: string) => new URL(path, server.url).pathname;
  const PUBLIC = new Set(['/healthz', '/.well-known/jwks.json', '/login']);

  it('an id is refused (400/404), or the path resolves to another route that checks its own auth: never a file, never a 500', async () => {
    for (const t of TRAVERSALS) {
      for (const [method, suffix] of SUFFIXES) {
        const path = `/v1/requests/${t}${suffix}`;
        const res = await raw(method, path, bearer('alice'), method === 'POST' ? '{}' : undefined);
        expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(500);
        expect(res.text).not.toContain('root:');
        if (normalized(path).startsWith('/v1/requests/') || normalized(path) === '/v1/requests') {
          expect([400, 404, 405], `${method} ${path}: ${res.text}`).toContain(res.status);
        }
        // Without a bearer token no traversal reaches anything but the public routes.
        const anonymous = await raw(method, path, {}, method === 'POST' ? '{}' : undefined);
        if (!PUBLIC.has(normalized(path))) expect([400, 401, 404], `anonymous ${method} ${path}: ${anonymous.text}`).toContain(anonymous.status);
      }
    }
  });

  it('the web request page answers 400 or 404 for a traversing id, never another request or a file', async () => {
    const browser = await signedIn('alice');
    const cookie = `gate_session=${browser.cookie(new URL(server.url).host, 'gate_session')}`;
    for (const t of TRAVERSALS) {
      const res = await raw('GET', `/r/${t}`, { cookie });
      expect(res.status, `/r/${t}`).toBeLessThan(500);
      expect(res.text).not.toContain('root:');
      // A well-formed id shape is 400/404; other shapes fall through to the API's 401.
      if (normalized(`/r/${t}`).startsWith('/r/')) expect([400, 401, 404], `/r/${t}`).toContain(res.status);
    }
  });
});

describe('authentication on every API route', () => {
  const ROUTES: Array<[string, string]> = [
    ['GET', '/v1/me'], ['POST', '/v1/requests'], ['GET', '/v1/requests'], ['GET', '/v1/requests/req-1'], ['GET', '/v1/requests/req-1/wait'],
    ['POST', '/v1/requests/req-1/approve'], ['POST', '/v1/requests/req-1/deny'], ['POST', '/v1/requests/req-1/cancel'], ['POST', '/v1/requests/req-1/redeem'],
    ['GET', '/v1/events'], ['POST', '/v1/audit/heads'], ['GET', '/v1/audit/heads'], ['GET', '/v1/rules/bundle'], ['GET', '/metrics'],
  ];

  it('refuses a missing, malformed, forged or revoked bearer token with 401 on each', async () => {
    const revoked = await server.addUser('gone', 'reviewer', ['ops']);
    expect(await server.store.removeIdentity('gone')).toBe(true);
    const headers: Array<Record<string, string>> = [
      {},
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: `Basic ${Buffer.from('alice:x').toString('base64')}` },
      { authorization: `Bearer ${server.tokens.alice}x` },
      { authorization: `Bearer ${server.tokens.alice!.slice(0, -1)}` },
      { authorization: `bearer  ${'a'.repeat(4096)}` },
      { authorization: "Bearer ' OR '1'='1" },
      { 'x-gate-token': server.tokens.alice! },
      { authorization: `Bearer ${revoked}` },
    ];
    for (const [method, path] of ROUTES) {
      for (const h of headers) {
        const res = await raw(method, path, h, method === 'POST' ? '{}' : undefined);
        expect(res.status, `${method} ${path} with ${JSON.stringify(h).slice(0, 60)}`).toBe(401);
      }
    }
  });

  it('does not take a web session cookie as API authentication (no CSRF through the API)', async () => {
    const browser = await signedIn('alice');
    const cookie = `gate_session=${browser.cookie(new URL(server.url).host, 'gate_session')}`;
    const id = await createRequest(server, 'rita');
    for (const [method, path] of [['POST', `/v1/requests/${id}/approve`], ['GET', `/v1/requests/${id}`], ['GET', '/v1/me']] as const) {
      const res = await raw(method, path, { cookie, origin: 'https://evil.example' }, method === 'POST' ? '{}' : undefined);
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.votes).toEqual([]);
  });

  it('keeps roles: a requester cannot decide, an admin cannot approve their own request', async () => {
    const id = await createRequest(server, 'rita');
    expect((await server.call('rita', 'POST', `/v1/requests/${id}/approve`, {})).status).toBe(403);
    const own = await createRequest(server, 'ada');
    expect((await server.call('ada', 'POST', `/v1/requests/${own}/approve`, {})).status).toBe(403);
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('pending');
  });
});

describe('pathological JSON', () => {
  it('nesting deeper than any stack, prototype keys and duplicate keys are 400s, and nothing leaks into later requests', async () => {
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`; // under the 64 KiB body limit
    const body = JSON.stringify(requestBody('rita'));
    const cases = [
      deep,
      `{"a":${deep}}`,
      body.replace('{', '{"__proto__":{"status":"approved","role":"admin"},'),
      body.replace('{', '{"constructor":{"prototype":{"admin":true}},'),
      '{"id":"x","digest":1e999}',
      body.slice(0, -1) + ',}',
    ];
    for (const text of cases) {
      const res = await server.call('rita', 'POST', '/v1/requests', text);
      expect([400, 413], `${text.slice(0, 60)}: ${res.text.slice(0, 200)}`).toContain(res.status);
    }
    // Duplicate keys: JSON's last one wins, and what is validated is what is stored and shown.
    const twice = requestBody('rita');
    const dup = await server.call('rita', 'POST', '/v1/requests', JSON.stringify(twice).replace('"reason":', '"reason":"<script>first</script>","reason":'));
    expect(dup.status).toBe(201);
    expect((await server.call('alice', 'GET', `/v1/requests/${twice.id}`)).body.reason).toBe(twice.reason);
    const id = await createRequest(server, 'rita');
    const view = (await server.call('rita', 'GET', `/v1/requests/${id}`)).body;
    expect(view.status).toBe('pending');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect((await server.call('rita', 'GET', '/v1/me')).body.role).toBe('requester');
  });

  it('refuses an oversized comment on a decision with 413, not a vote', async () => {
    const id = await createRequest(server, 'rita');
    const res = await server.call('alice', 'POST', `/v1/requests/${id}/deny`, { comment: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.votes).toEqual([]);
  });
});

describe('CSRF on the web page', () => {
  it('sets the session cookie HttpOnly and SameSite, and a GET on an action URL decides nothing', async () => {
    const login = await raw('POST', '/login/token', { 'content-type': 'application/x-www-form-urlencoded' }, `token=${server.tokens.alice}`);
    expect([302, 303, 403]).toContain(login.status); // without the form's CSRF token the sign-in is refused or redirected
    const browser = await signedIn('alice');
    const id = await createRequest(server, 'rita');
    for (const action of ['approve', 'deny']) {
      const res = await browser.go(`${server.url}/r/${id}/${action}`);
      expect(res.status, action).not.toBe(200);
    }
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.votes).toEqual([]);
    const res = await fetch(`${server.url}/login`);
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies.filter((c) => c.startsWith('gate_'))) {
      expect(c).toMatch(/HttpOnly/i);
      expect(c).toMatch(/SameSite=(Lax|Strict)/i);
    }
  });

  it('refuses a cross-site form post even with a valid CSRF token, and the vote is not recorded', async () => {
    const id = await createRequest(server, 'rita');
    const browser = await signedIn('bob');
    const form = formWith(await browser.go(`${server.url}/r/${id}`), `/r/${id}/approve`);
    const attempts: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }];
    for (const headers of attempts) {
      expect((await browser.go(form.action, { form: form.fields, headers })).status).toBe(403);
    }
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.votes).toEqual([]);
  });
});

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** A browser signed in with `name`'s bearer token through the sign-in form. */
async function signedIn(name: string): Promise<HttpBrowser> {
  const browser = httpBrowser();
  const login = await browser.go(`${server.url}/login`);
  await browser.submit(formWith(login, '/login/token'), { token: server.tokens[name]! });
  return browser;
}

describe('script injection in requester text (fast-check)', () => {
  // Each payload carries a marker tag no template uses, so any raw `<x-evil` in the output is ours.
  const payload = fc
    .tuple(
      fc.constantFrom('<x-evil-script>alert(1)</x-evil-script>', '"><x-evil-img src=x onerror=alert(1)>', "'><x-evil-a href='javascript:alert(1)'>", '<x-evil-svg/onload=alert(1)>', '</code><x-evil-b>', '<!--<x-evil-c>-->'),
      fc.constantFrom('', '<!channel>', '<@U123>', '<https://evil.example|click>', '[x](javascript:alert(1))', '**bold**', '{{DATE(2020-01-01T00:00:00Z)}}', '\u202e', '`', '&amp;'),
      fc.string({ maxLength: 12 }),
    )
    .map(([html, markup, noise]) => `${noise}${html}${markup}${noise}`);

  it('the web page shows it as text, never markup', async () => {
    const browser = await signedIn('alice');
    await fc.assert(
      fc.asyncProperty(payload, payload, async (reason, arg) => {
        const id = await createRequest(server, 'rita', { reason, argv: ['kubectl', 'delete', arg], host: arg, cwd: `/srv/${reason}`, labels: [reason], rules: [rule({ description: reason, policy: arg })], facts: [{ program: 'kubectl', names: [arg] }] });
        const page = await browser.go(`${server.url}/r/${id}`);
        expect(page.status).toBe(200);
        expect(page.text).not.toMatch(/<x-evil/i);
        expect(page.text).not.toMatch(/href=["']?javascript:/i);
        expect(page.text).toContain('&lt;x-evil');
      }),
      { seed: 20_261_121, numRuns: 40 },
    );
  });

  it('Slack and Teams messages carry it inert', () => {
    fc.assert(
      fc.property(payload, payload, (reason, arg) => {
        const view: RequestView = {
          ...requestBody('rita', { reason, argv: ['kubectl', 'delete', arg], host: arg, cwd: `/srv/${reason}`, labels: [reason], rules: [rule({ description: reason, policy: arg })], facts: [{ program: 'kubectl', names: [arg] }], confirm: arg }),
          status: 'pending', requester: 'rita', created_at: '2026-11-21T12:00:00.000Z', expires_at: '2026-11-21T13:00:00.000Z', decided_at: null, votes: [], required: { groups: ['ops'], min: 1 }, approval_url: 'https://gate.example.com/r/req-1',
        };
        const slack = JSON.stringify(requestMessage(view));
        // Slack acts on <!...>, <@...>, <#...> and <url|text>: none may come from the payload.
        expect(slack).not.toMatch(/<(!|@|#|https?:|javascript:|x-evil)/i);
        // Adaptive Card markdown: every <, [, ( and { from the payload is backslash-escaped.
        for (const text of strings(requestCard(view))) {
          expect(text).not.toMatch(/(?<!\\)<x-evil/i);
          expect(text).not.toMatch(/(?<!\\)\]\((?!\\)/); // no live markdown link
          expect(text).not.toMatch(/(?<!\\)\{\{DATE/); // no text function
        }
      }),
      { seed: 20_261_121, numRuns: 300 },
    );
  });
});
