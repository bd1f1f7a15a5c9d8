// Pending requests expire at expires_at (a sweep, and lazily on read); approvals stay
// redeemable for one request ttl. Expired is final.
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../src/approval/api-types.js';
import { createRequest, requestBody, rule, startTestServer, testClock, type TestServer } from './server-fixture.js';
import { openSse } from './sse-client.js';

let server: TestServer | undefined;
const realClock = { now: () => new Date(), advance: () => {}, set: () => {} };
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function withUsers(config: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  server = await startTestServer(config, testClock());
  await server.addUser('rita', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
  return server;
}

describe('expiry', () => {
  it('expires a pending request at request_ttl through the sweep, and announces it', async () => {
    const s = await withUsers({ requestTtlMs: 10 * 60_000 });
    const id = await createRequest(s, 'rita');
    const sse = await openSse(`${s.url}/v1/events?request=${id}`, s.tokens.rita!);
    try {
      await sse.next((f) => f.comment === 'connected');
      s.clock.advance(10 * 60_000 - 1);
      expect(await s.running.sweep()).toBe(0);
      s.clock.advance(1);
      expect(await s.running.sweep()).toBe(1);
      const frame = await sse.next((f) => f.event === 'request.expired');
      expect((JSON.parse(frame.data!) as RequestEvent).request.status).toBe('expired');
    } finally {
      sse.close();
    }
    expect((await s.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('expired');
  });

  it('takes the shortest pending_ms of the rules over the server default', async () => {
    const s = await withUsers();
    const body = requestBody('rita', { rules: [rule({ pending_ms: 120_000 }), rule({ id: 'b', pending_ms: 60_000 }), rule({ id: 'c', pending_ms: null })] });
    const res = await s.call('rita', 'POST', '/v1/requests', body);
    expect(Date.parse(res.body.expires_at) - Date.parse(res.body.created_at)).toBe(60_000);
  });

  it('expires lazily on read, and then refuses votes and cancel (final)', async () => {
    const s = await withUsers({ requestTtlMs: 60_000 });
    const id = await createRequest(s, 'rita');
    s.clock.advance(60_001);
    expect((await s.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('expired');
    const vote = await s.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    expect(vote.status).toBe(409);
    expect(vote.body.error.code).toBe('not_pending');
    expect((await s.call('rita', 'POST', `/v1/requests/${id}/cancel`, {})).status).toBe(409);
    expect((await s.call('rita', 'GET', '/v1/requests?status=expired')).body.map((r: { id: string }) => r.id)).toContain(id);
  });

  it('refuses a vote on a request that is due even before the sweep ran', async () => {
    const s = await withUsers({ requestTtlMs: 60_000 });
    const id = await createRequest(s, 'rita');
    s.clock.advance(60_000);
    expect((await s.call('alice', 'POST', `/v1/requests/${id}/approve`, {})).body.error.code).toBe('not_pending');
  });

  it('keeps an approval redeemable for request_ttl after the decision, then expires it', async () => {
    const s = await withUsers({ requestTtlMs: 60_000 });
    const id = await createRequest(s, 'rita');
    s.clock.advance(50_000);
    const approved = await s.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    expect(approved.body.expires_at).toBe(new Date(s.clock.now().getTime() + 60_000).toISOString());
    s.clock.advance(59_000);
    expect(await s.running.sweep()).toBe(0);
    s.clock.advance(1_000);
    const late = await s.call('rita', 'POST', `/v1/requests/${id}/redeem`, { digest: 'd'.repeat(64) });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('not_approved');
    expect((await s.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('expired');
  });

  it('expires on its own with a short ttl: the sweep timer announces it', async () => {
    server = await startTestServer({ requestTtlMs: 200, sweepIntervalMs: 50 }, realClock);
    await server.addUser('rita', 'requester');
    const sse = await openSse(`${server.url}/v1/events`, server.tokens.rita!);
    try {
      await sse.next((f) => f.comment === 'connected');
      const id = await createRequest(server, 'rita');
      const frame = await sse.next((f) => f.event === 'request.expired', 3000);
      expect((JSON.parse(frame.data!) as RequestEvent).request.id).toBe(id);
    } finally {
      sse.close();
    }
  });

  it('ends a waiting long-poll when the request expires', async () => {
    server = await startTestServer({ requestTtlMs: 300, sweepIntervalMs: 60_000 }, realClock);
    await server.addUser('rita', 'requester');
    const id = await createRequest(server, 'rita');
    const started = performance.now();
    const res = await server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=10`);
    expect(res.body.status).toBe('expired');
    // Well before the 10 s long-poll timeout.
    expect(performance.now() - started).toBeLessThan(8000);
  });
});
