// Audit anchoring: the latest head per host and actor; going back or rewriting is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server-fixture.js';

let server: TestServer;
const head = (seq: number, hash = `h${seq}`, over = {}) => ({ host: 'build-1', actor: 'rita', seq, hash, at: '2026-11-21T12:00:00.000Z', ...over });

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('rita', 'requester');
  await server.addUser('roger', 'requester');
  await server.addUser('alice', 'reviewer');
  await server.addUser('adam', 'admin');
});
afterAll(() => server.close());

describe('audit heads', () => {
  it('stores the latest head and returns it', async () => {
    expect((await server.call('rita', 'GET', '/v1/audit/heads?host=build-1&actor=rita')).status).toBe(404);
    const posted = await server.call('rita', 'POST', '/v1/audit/heads', head(3));
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ ...head(3), received_by: 'rita', received_at: server.clock.now().toISOString() });
    await server.call('rita', 'POST', '/v1/audit/heads', head(7));
    expect((await server.call('rita', 'GET', '/v1/audit/heads?host=build-1&actor=rita')).body).toMatchObject(head(7));
  });

  it('accepts the same head again', async () => {
    await server.call('rita', 'POST', '/v1/audit/heads', head(10));
    expect((await server.call('rita', 'POST', '/v1/audit/heads', head(10))).status).toBe(200);
  });

  it('refuses a head that goes back (409 head_regressed) or rewrites a seq (409 head_conflict)', async () => {
    await server.call('rita', 'POST', '/v1/audit/heads', head(20));
    const back = await server.call('rita', 'POST', '/v1/audit/heads', head(5));
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('head_regressed');
    const rewritten = await server.call('rita', 'POST', '/v1/audit/heads', head(20, 'other'));
    expect(rewritten.body.error.code).toBe('head_conflict');
    expect((await server.call('rita', 'GET', '/v1/audit/heads?host=build-1&actor=rita')).body).toMatchObject(head(20));
  });

  it("keeps requesters to their own log; reviewers read any; admins write any", async () => {
    expect((await server.call('roger', 'POST', '/v1/audit/heads', head(1))).body.error.code).toBe('actor_mismatch');
    expect((await server.call('roger', 'GET', '/v1/audit/heads?host=build-1&actor=rita')).status).toBe(403);
    expect((await server.call('alice', 'GET', '/v1/audit/heads?host=build-1&actor=rita')).status).toBe(200);
    expect((await server.call('adam', 'POST', '/v1/audit/heads', head(1, 'x', { actor: 'roger' }))).status).toBe(200);
  });

  it('validates the body and the query', async () => {
    expect((await server.call('rita', 'POST', '/v1/audit/heads', { ...head(1), seq: -1 })).status).toBe(400);
    expect((await server.call('rita', 'POST', '/v1/audit/heads', { ...head(1), at: 'yesterday' })).status).toBe(400);
    expect((await server.call('rita', 'GET', '/v1/audit/heads?host=build-1')).status).toBe(400);
  });
});
