// Bodies, ids and query values are checked, and every refusal says what is wrong and where.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, requestBody, rule, startTestServer, type TestServer } from './server-fixture.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ bodyLimit: 4096 });
  await server.addUser('rita', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
});
afterAll(() => server.close());

async function badRequest(body: unknown, path = '/v1/requests', who = 'rita'): Promise<string> {
  const res = await server.call(who, 'POST', path, body);
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('bad_request');
  return res.body.error.message as string;
}

describe('request bodies', () => {
  it('refuses malformed JSON', async () => {
    expect(await badRequest('{"id": "x",')).toMatch(/^malformed JSON: /);
    expect(await badRequest('not json')).toMatch(/^malformed JSON/);
  });

  it('refuses a missing body where one is required', async () => {
    expect(await badRequest(undefined)).toBe('a JSON body is required');
  });

  it('names the field and the problem for wrong types', async () => {
    expect(await badRequest({ ...requestBody('rita'), argv: 'kubectl delete' })).toMatch(/argv: .*expected array/i);
    expect(await badRequest({ ...requestBody('rita'), risk: 'extreme' })).toMatch(/risk: /);
    expect(await badRequest({ ...requestBody('rita'), rules: [rule({ min: 0 })] })).toMatch(/rules\[0\]\.min: /);
    expect(await badRequest({ ...requestBody('rita'), rules: [{ ...rule(), min: '2' }] })).toMatch(/rules\[0\]\.min: .*expected number/i);
    expect(await badRequest([])).toMatch(/\(body\): .*expected object/i);
  });

  it('refuses missing fields, including nullable ones', async () => {
    const { reason: _reason, ...body } = requestBody('rita');
    expect(await badRequest(body)).toMatch(/reason: /);
  });

  it('refuses unknown fields, at any depth', async () => {
    expect(await badRequest({ ...requestBody('rita'), approved: true })).toMatch(/unknown field "approved"/);
    expect(await badRequest({ ...requestBody('rita'), rules: [{ ...rule(), extra: 1 }] })).toMatch(/rules\[0\]: unknown field "extra"/);
    const id = await createRequest(server, 'rita');
    expect(await badRequest({ comment: 'ok', approver: 'me' }, `/v1/requests/${id}/approve`, 'alice')).toMatch(/unknown field "approver"/);
    expect(await badRequest({ digest: 'd', token: 'x' }, `/v1/requests/${id}/redeem`)).toMatch(/unknown field "token"/);
  });

  it('refuses an id that is not uuid-ish in the body', async () => {
    expect(await badRequest({ ...requestBody('rita'), id: 'a/b' })).toMatch(/^invalid body: id: /);
  });

  it('lists every problem in details', async () => {
    const res = await server.call('rita', 'POST', '/v1/requests', { ...requestBody('rita'), argv: 1, risk: 'x' });
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['argv', 'risk']);
  });
});

describe('body size', () => {
  it('answers 413 for a body over the limit (Content-Length)', async () => {
    const res = await server.call('rita', 'POST', '/v1/requests', { ...requestBody('rita'), argv: ['x'.repeat(5000)] });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(res.body.error.message).toMatch(/4096 bytes/);
  });

  it('answers 413 for a chunked body over the limit (no Content-Length)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL('/v1/requests', server.url);
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${server.tokens.rita}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(1000));
      req.end();
    });
    expect(status).toBe(413);
  });
});

describe('ids and query values', () => {
  it.each(['a_b', 'x'.repeat(65), 'a.b', '%20', "a'b"])('refuses the request id %j with 400', async (id) => {
    const res = await server.call('rita', 'GET', `/v1/requests/${encodeURIComponent(id)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/invalid request id/);
  });

  it('answers 404 for a well-formed unknown id', async () => {
    expect((await server.call('rita', 'GET', '/v1/requests/0b5d9e1c-3c5a-4b7e-9d59-1f0c1a2b3c4d')).status).toBe(404);
  });

  it('checks ids before bodies on decisions', async () => {
    expect((await server.call('alice', 'POST', '/v1/requests/bad!id/approve', {})).status).toBe(400);
  });

  it('refuses a bad list limit', async () => {
    expect((await server.call('rita', 'GET', '/v1/requests?limit=0')).status).toBe(400);
    expect((await server.call('rita', 'GET', '/v1/requests?limit=5')).status).toBe(200);
  });
});
