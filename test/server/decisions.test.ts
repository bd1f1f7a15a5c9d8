// Roles, self-approval, quorum, groups, denial comments, confirmation and cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, requestBody, rule, startTestServer, type TestServer } from './server-fixture.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('rita', 'requester');
  await server.addUser('roger', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
  await server.addUser('bob', 'reviewer', ['ops', 'dba']);
  await server.addUser('dana', 'reviewer', ['dba']);
  await server.addUser('adam', 'admin');
});
afterAll(() => server.close());

describe('creating', () => {
  it('returns the pending view with routing, expiry and the approval URL', async () => {
    const body = requestBody('rita', { rules: [rule({ groups: ['ops'], min: 1 }), rule({ id: 'db.drop', groups: ['dba'], min: 2 })] });
    const res = await server.call('rita', 'POST', '/v1/requests', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, status: 'pending', requester: 'rita', decided_at: null, votes: [], required: { groups: ['dba', 'ops'], min: 2 } });
    expect(res.body.approval_url).toBe(`${server.url}/r/${body.id}`);
    expect(Date.parse(res.body.expires_at) - Date.parse(res.body.created_at)).toBe(60 * 60_000);
  });

  it('refuses an actor other than the caller (403 actor_mismatch)', async () => {
    const res = await server.call('rita', 'POST', '/v1/requests', requestBody('roger'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('actor_mismatch');
  });

  it('refuses a duplicate id (409)', async () => {
    const id = await createRequest(server, 'rita');
    const res = await server.call('rita', 'POST', '/v1/requests', requestBody('rita', { id }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('duplicate_id');
  });

  it('lets reviewers and admins create requests of their own', async () => {
    await createRequest(server, 'alice');
    await createRequest(server, 'adam');
  });
});

describe('who may decide', () => {
  it('refuses requesters (403 forbidden_role)', async () => {
    const id = await createRequest(server, 'rita');
    const res = await server.call('roger', 'POST', `/v1/requests/${id}/approve`, {});
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden_role');
  });

  it('refuses a reviewer deciding their own request (403 self_approval)', async () => {
    const id = await createRequest(server, 'alice');
    for (const action of ['approve', 'deny']) {
      const res = await server.call('alice', 'POST', `/v1/requests/${id}/${action}`, { comment: 'mine' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('self_approval');
    }
  });

  it('refuses an admin deciding their own request too', async () => {
    const id = await createRequest(server, 'adam', { rules: [] });
    const res = await server.call('adam', 'POST', `/v1/requests/${id}/approve`, {});
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('self_approval');
  });

  it('refuses a reviewer outside the required groups (403 not_in_group); an admin may decide', async () => {
    const id = await createRequest(server, 'rita', { rules: [rule({ groups: ['ops'] })] });
    const res = await server.call('dana', 'POST', `/v1/requests/${id}/approve`, {});
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('not_in_group');
    const admin = await server.call('adam', 'POST', `/v1/requests/${id}/approve`, {});
    expect(admin.status).toBe(200);
    expect(admin.body.status).toBe('approved');
  });

  it('lets any reviewer decide a request whose rules name no group', async () => {
    const id = await createRequest(server, 'rita', { rules: [rule({ groups: [] })] });
    expect((await server.call('dana', 'POST', `/v1/requests/${id}/approve`, {})).body.status).toBe('approved');
  });

  it('answers 404 for an unknown request', async () => {
    const res = await server.call('alice', 'POST', '/v1/requests/no-such-request/approve', {});
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('quorum', () => {
  it('needs two distinct reviewers for min 2, and one vote per reviewer', async () => {
    const id = await createRequest(server, 'rita', { rules: [rule({ groups: ['ops'], min: 2 })] });
    const first = await server.call('alice', 'POST', `/v1/requests/${id}/approve`, { comment: 'looks fine' });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('pending');
    expect(first.body.votes).toEqual([{ reviewer: 'alice', decision: 'approve', comment: 'looks fine', via: 'api', at: server.clock.now().toISOString() }]);

    const again = await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_voted');

    const second = await server.call('bob', 'POST', `/v1/requests/${id}/approve`, {});
    expect(second.body.status).toBe('approved');
    expect(second.body.decided_at).toBe(server.clock.now().toISOString());
    expect(second.body.votes.map((v: { reviewer: string }) => v.reviewer).sort()).toEqual(['alice', 'bob']);

    const late = await server.call('adam', 'POST', `/v1/requests/${id}/approve`, {});
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('not_pending');
  });
});

describe('denial', () => {
  it('needs a comment (400 comment_required)', async () => {
    const id = await createRequest(server, 'rita');
    for (const body of [undefined, {}, { comment: '   ' }]) {
      const res = await server.call('alice', 'POST', `/v1/requests/${id}/deny`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('comment_required');
    }
  });

  it('decides with one vote, even after an approval toward a quorum, and is final', async () => {
    const id = await createRequest(server, 'rita', { rules: [rule({ min: 2 })] });
    await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    const res = await server.call('bob', 'POST', `/v1/requests/${id}/deny`, { comment: 'not during the freeze' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('denied');
    expect(res.body.votes.at(-1)).toMatchObject({ reviewer: 'bob', decision: 'deny', comment: 'not during the freeze' });
    expect((await server.call('adam', 'POST', `/v1/requests/${id}/approve`, {})).body.error.code).toBe('not_pending');
    expect((await server.call('rita', 'POST', `/v1/requests/${id}/cancel`, {})).body.error.code).toBe('not_pending');
  });
});

describe('confirmation for high and critical risk', () => {
  it('refuses an approval without the typed target (400 confirmation_mismatch)', async () => {
    const id = await createRequest(server, 'rita', { risk: 'critical', confirm: 'prod-eu', rules: [rule({ risk: 'critical' })] });
    const missing = await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('confirmation_mismatch');
    const wrong = await server.call('alice', 'POST', `/v1/requests/${id}/approve`, { confirm: 'prod-us' });
    expect(wrong.body.error.code).toBe('confirmation_mismatch');
    const right = await server.call('alice', 'POST', `/v1/requests/${id}/approve`, { confirm: 'prod-eu' });
    expect(right.status).toBe(200);
    expect(right.body.status).toBe('approved');
  });

  it('does not ask for it on medium risk', async () => {
    const id = await createRequest(server, 'rita', { risk: 'medium', confirm: 'scratch' });
    expect((await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {})).body.status).toBe('approved');
  });

  it('does not need it to deny', async () => {
    const id = await createRequest(server, 'rita', { risk: 'high', confirm: 'prod' });
    expect((await server.call('alice', 'POST', `/v1/requests/${id}/deny`, { comment: 'no' })).body.status).toBe('denied');
  });
});

describe('cancel', () => {
  it('lets the requester cancel a pending request, once', async () => {
    const id = await createRequest(server, 'rita');
    const res = await server.call('rita', 'POST', `/v1/requests/${id}/cancel`, {});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect((await server.call('rita', 'POST', `/v1/requests/${id}/cancel`)).status).toBe(409);
    expect((await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {})).body.error.code).toBe('not_pending');
  });

  it("refuses someone else's request", async () => {
    const id = await createRequest(server, 'rita');
    expect((await server.call('alice', 'POST', `/v1/requests/${id}/cancel`, {})).body.error.code).toBe('not_owner');
    expect((await server.call('roger', 'POST', `/v1/requests/${id}/cancel`, {})).status).toBe(404);
  });
});

describe('visibility', () => {
  it('shows requesters their own, reviewers what they may decide plus their own, admins all', async () => {
    const ops = await createRequest(server, 'rita', { rules: [rule({ groups: ['ops'] })] });
    const dba = await createRequest(server, 'roger', { rules: [rule({ groups: ['dba'] })] });
    const ids = async (who: string, status = 'pending') => ((await server.call(who, 'GET', `/v1/requests?status=${status}`)).body as Array<{ id: string }>).map((r) => r.id);

    expect(await ids('rita')).toContain(ops);
    expect(await ids('rita')).not.toContain(dba);
    expect(await ids('alice')).toContain(ops);
    expect(await ids('alice')).not.toContain(dba);
    expect(await ids('dana')).toContain(dba);
    expect(await ids('dana')).not.toContain(ops);
    expect(await ids('adam')).toEqual(expect.arrayContaining([ops, dba]));

    expect((await server.call('roger', 'GET', `/v1/requests/${ops}`)).status).toBe(404);
    expect((await server.call('dana', 'GET', `/v1/requests/${ops}`)).status).toBe(404);
    expect((await server.call('alice', 'GET', `/v1/requests/${ops}`)).body.id).toBe(ops);
    expect((await server.call('adam', 'GET', `/v1/requests/${dba}`)).body.id).toBe(dba);
  });

  it('filters the list by status (default pending) and newest first', async () => {
    const a = await createRequest(server, 'roger');
    server.clock.advance(1000);
    const b = await createRequest(server, 'roger');
    await server.call('rita', 'GET', '/v1/requests');
    await server.call('roger', 'POST', `/v1/requests/${a}/cancel`, {});
    const pending = (await server.call('roger', 'GET', '/v1/requests')).body as Array<{ id: string; status: string }>;
    expect(pending.every((r) => r.status === 'pending')).toBe(true);
    expect(pending.map((r) => r.id)).not.toContain(a);
    expect(((await server.call('roger', 'GET', '/v1/requests?status=cancelled')).body as Array<{ id: string }>).map((r) => r.id)).toContain(a);
    const all = ((await server.call('roger', 'GET', '/v1/requests?status=all')).body as Array<{ id: string }>).map((r) => r.id);
    expect(all.indexOf(b)).toBeLessThan(all.indexOf(a));
    expect((await server.call('roger', 'GET', '/v1/requests?status=maybe')).status).toBe(400);
  });

  it('serves the approval page at the approval URL (a bearer token reads it too)', async () => {
    const id = await createRequest(server, 'rita');
    const res = await server.call('alice', 'GET', `/r/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain(`<code>${id}</code>`);
    expect(res.text).toContain('kubectl delete namespace scratch');
    expect((await server.call('dana', 'GET', `/r/${id}`)).status).toBe(404);
  });
});

describe('requests matched by rules of different groups', () => {
  it('need each rule quorum from its own groups', async () => {
    const body = requestBody('rita', { rules: [rule({ id: 'ops.rule', groups: ['ops'], min: 1 }), rule({ id: 'dba.rule', groups: ['dba'], min: 1 })] });
    expect((await server.call('rita', 'POST', '/v1/requests', body)).status).toBe(201);
    // alice (ops) alone covers only the ops rule: still pending.
    const first = await server.call('alice', 'POST', `/v1/requests/${body.id}/approve`, {});
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('pending');
    // dana (dba) covers the other rule: approved.
    const second = await server.call('dana', 'POST', `/v1/requests/${body.id}/approve`, {});
    expect(second.body.status).toBe('approved');
  });

  it('are approved by one reviewer who is in both groups', async () => {
    const body = requestBody('rita', { rules: [rule({ id: 'ops.rule2', groups: ['ops'], min: 1 }), rule({ id: 'dba.rule2', groups: ['dba'], min: 1 })] });
    await server.call('rita', 'POST', '/v1/requests', body);
    const res = await server.call('bob', 'POST', `/v1/requests/${body.id}/approve`, {});
    expect(res.body.status).toBe('approved');
  });
});
