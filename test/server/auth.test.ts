// Every endpoint but /healthz and the JWKS needs a valid bearer token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, startTestServer, type TestServer } from './server-fixture.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice', 'reviewer', ['ops']);
  await server.addUser('bob', 'requester');
});
afterAll(() => server.close());

const PROTECTED: Array<[string, string]> = [
  ['GET', '/v1/me'],
  ['POST', '/v1/requests'],
  ['GET', '/v1/requests'],
  ['GET', '/v1/requests/abc'],
  ['GET', '/v1/requests/abc/wait?timeout=1'],
  ['GET', '/v1/events'],
  ['POST', '/v1/requests/abc/approve'],
  ['POST', '/v1/requests/abc/deny'],
  ['POST', '/v1/requests/abc/cancel'],
  ['POST', '/v1/requests/abc/redeem'],
  ['GET', '/v1/rules/bundle'],
  ['POST', '/v1/audit/heads'],
  ['GET', '/v1/audit/heads?host=h&actor=a'],
  ['GET', '/metrics'],
  ['GET', '/r/abc'],
  ['GET', '/v1/no-such-route'],
];

describe('authentication', () => {
  it('leaves /healthz and the JWKS open', async () => {
    expect((await server.call(null, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    const jwks = await server.call(null, 'GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });

  it.each(PROTECTED)('%s %s without a token is 401', async (method, path) => {
    const res = await server.call(null, method, path);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.each(PROTECTED)('%s %s with an unknown token is 401', async (method, path) => {
    const res = await server.call('gate_not-a-real-token', method, path);
    expect(res.status).toBe(401);
  });

  it('refuses a non-bearer Authorization header', async () => {
    const res = await server.call(null, 'GET', '/v1/me', undefined, { authorization: `Basic ${Buffer.from('alice:x').toString('base64')}` });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/not a bearer token/);
  });

  it('names the caller at /v1/me', async () => {
    expect((await server.call('alice', 'GET', '/v1/me')).body).toEqual({ name: 'alice', role: 'reviewer', groups: ['ops'] });
    expect((await server.call('bob', 'GET', '/v1/me')).body).toEqual({ name: 'bob', role: 'requester', groups: [] });
  });

  it('stops accepting a removed identity at once', async () => {
    await server.addUser('temp', 'requester');
    expect((await server.call('temp', 'GET', '/v1/me')).status).toBe(200);
    await server.store.removeIdentity('temp');
    expect((await server.call('temp', 'GET', '/v1/me')).status).toBe(401);
  });

  it('stores only the hash of a token', async () => {
    const identities = await server.store.listIdentities();
    for (const identity of identities) {
      expect(identity.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.values(server.tokens)).not.toContain(identity.token_hash);
    }
  });

  it('never logs bearer tokens, and logs one line per request with the identity', async () => {
    await server.call('alice', 'GET', '/v1/me');
    const text = JSON.stringify(server.logs);
    for (const token of Object.values(server.tokens)) expect(text).not.toContain(token);
    const last = server.logs.filter((l) => l.msg === 'request').at(-1)!;
    expect(last.fields).toMatchObject({ method: 'GET', path: '/v1/me', status: 200, identity: 'alice' });
    expect(typeof last.fields.ms).toBe('number');
  });

  it('serves Prometheus metrics to an authenticated caller', async () => {
    await createRequest(server, 'bob');
    const res = await server.call('alice', 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^gate_requests\{status="pending"\} [1-9]/m);
    expect(res.text).toMatch(/^gate_http_requests_total\{route="\/v1\/requests",status="201"\} 1$/m);
    expect(res.text).toMatch(/^gate_http_requests_total\{route="\/v1\/me",status="401"\} \d+$/m);
    expect(res.text).toMatch(/^gate_waiters 0$/m);
    expect(res.text).toMatch(/^gate_sse_clients 0$/m);
    expect(res.text).toMatch(/^gate_decision_latency_seconds_count 0$/m);
  });

  it('answers unknown routes with a JSON 404 once authenticated', async () => {
    const res = await server.call('alice', 'GET', '/v1/nothing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
