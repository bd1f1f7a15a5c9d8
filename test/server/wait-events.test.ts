// Decisions are pushed: a long-poll returns within milliseconds of an approval, and the event
// stream delivers it, replaying what a client missed with Last-Event-ID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../src/approval/api-types.js';
import { createRequest, rule, startTestServer, type TestServer } from './server-fixture.js';
import { openSse, type Frame } from './sse-client.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ heartbeatMs: 100 });
  await server.addUser('rita', 'requester');
  await server.addUser('roger', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
  await server.addUser('bob', 'reviewer', ['ops']);
  await server.addUser('dana', 'reviewer', ['dba']);
});
afterAll(() => server.close());

const eventOf = (f: Frame) => JSON.parse(f.data!) as RequestEvent;
const isEvent = (type: string, id: string) => (f: Frame) => f.event === type && eventOf(f).request.id === id;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('long-poll wait', () => {
  it('returns on the approval, not at its timeout (latency itself is measured by npm run bench)', async () => {
    const id = await createRequest(server, 'rita');
    const started = performance.now();
    const waiting = server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=30`).then((res) => ({ res, at: performance.now() }));
    await sleep(150);
    const approvedAt = performance.now();
    await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    const { res, at } = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('approved');
    // Pushed: the 30 s long-poll answers as soon as the approval lands (a poll would not).
    expect(at - approvedAt).toBeLessThan(5000);
    expect(approvedAt - started).toBeGreaterThanOrEqual(150);
  });

  it('keeps waiting through a vote that does not reach the quorum', async () => {
    const id = await createRequest(server, 'rita', { rules: [rule({ min: 2 })] });
    let settled = false;
    const waiting = server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=30`).finally(() => (settled = true));
    await sleep(50);
    await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    await sleep(100);
    expect(settled).toBe(false);
    await server.call('bob', 'POST', `/v1/requests/${id}/approve`, {});
    expect((await waiting).body.status).toBe('approved');
  });

  it('returns a denial, with its comment', async () => {
    const id = await createRequest(server, 'rita');
    const waiting = server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=30`);
    await sleep(50);
    await server.call('bob', 'POST', `/v1/requests/${id}/deny`, { comment: 'use the staging cluster' });
    const res = await waiting;
    expect(res.body.status).toBe('denied');
    expect(res.body.votes[0].comment).toBe('use the staging cluster');
  });

  it('answers at once when the request is already decided', async () => {
    const id = await createRequest(server, 'rita');
    await server.call('rita', 'POST', `/v1/requests/${id}/cancel`, {});
    const started = performance.now();
    expect((await server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=30`)).body.status).toBe('cancelled');
    // Well under the 30 s timeout: it did not wait (bounds are loose: the machine may be busy).
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('returns the pending request at the timeout', async () => {
    const id = await createRequest(server, 'rita');
    const started = performance.now();
    const res = await server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=0.3`);
    const took = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending');
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(5000);
  });

  it('refuses a bad timeout and an invisible request', async () => {
    const id = await createRequest(server, 'rita');
    expect((await server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=soon`)).status).toBe(400);
    expect((await server.call('roger', 'GET', `/v1/requests/${id}/wait?timeout=1`)).status).toBe(404);
  });

  it('counts connected waiters in the metrics', async () => {
    const id = await createRequest(server, 'rita');
    const waiting = server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=30`);
    await sleep(50);
    expect((await server.call('alice', 'GET', '/metrics')).text).toMatch(/^gate_waiters 1$/m);
    await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    await waiting;
    expect((await server.call('alice', 'GET', '/metrics')).text).toMatch(/^gate_waiters 0$/m);
  });
});

describe('event stream', () => {
  it('delivers created, voted and approved events with increasing ids', async () => {
    const sse = await openSse(`${server.url}/v1/events`, server.tokens.alice!);
    try {
      expect(sse.status).toBe(200);
      await sse.next((f) => f.comment === 'connected');
      const id = await createRequest(server, 'rita', { rules: [rule({ min: 2 })] });
      await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
      await server.call('bob', 'POST', `/v1/requests/${id}/approve`, {});
      const created = await sse.next(isEvent('request.created', id));
      const voted = await sse.next(isEvent('request.voted', id));
      const approved = await sse.next(isEvent('request.approved', id));
      expect(Number(created.id)).toBeLessThan(Number(voted.id));
      expect(Number(voted.id)).toBeLessThan(Number(approved.id));
      expect(eventOf(approved)).toMatchObject({ type: 'request.approved', request: { id, status: 'approved' } });
      expect(eventOf(approved).request.votes).toHaveLength(2);
    } finally {
      sse.close();
    }
  });

  it('replays missed events after Last-Event-ID', async () => {
    const first = await openSse(`${server.url}/v1/events`, server.tokens.rita!);
    await first.next((f) => f.comment === 'connected');
    const id = await createRequest(server, 'rita');
    const created = await first.next(isEvent('request.created', id));
    first.close();
    // While disconnected: approved, then redeemed.
    await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    await server.call('rita', 'POST', `/v1/requests/${id}/redeem`, { digest: 'd'.repeat(64) });
    const resumed = await openSse(`${server.url}/v1/events?request=${id}`, server.tokens.rita!, { 'last-event-id': created.id! });
    try {
      await resumed.next(isEvent('request.redeemed', id));
      const replayed = resumed.frames.filter((f) => f.event);
      expect(replayed.map((f) => f.event)).toEqual(['request.approved', 'request.redeemed']);
      // And live events continue after the replay.
      const later = await createRequest(server, 'rita');
      await server.call('rita', 'POST', `/v1/requests/${later}/cancel`, {});
      await server.call('rita', 'POST', `/v1/requests/${id}/cancel`, {}).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      expect(resumed.frames.filter((f) => f.event).every((f) => eventOf(f).request.id === id)).toBe(true);
    } finally {
      resumed.close();
    }
  });

  it('accepts the replay position as ?last_event_id too, and refuses garbage', async () => {
    const id = await createRequest(server, 'rita');
    const sse = await openSse(`${server.url}/v1/events?request=${id}&last_event_id=0`, server.tokens.rita!);
    try {
      await sse.next(isEvent('request.created', id));
    } finally {
      sse.close();
    }
    expect((await server.call('rita', 'GET', '/v1/events', undefined, { 'last-event-id': 'yesterday' })).status).toBe(400);
    expect((await server.call('rita', 'GET', '/v1/events?request=../etc')).status).toBe(400);
  });

  it('shows each identity only the requests it may see', async () => {
    const dana = await openSse(`${server.url}/v1/events`, server.tokens.dana!);
    const roger = await openSse(`${server.url}/v1/events`, server.tokens.roger!);
    try {
      await dana.next((f) => f.comment === 'connected');
      await roger.next((f) => f.comment === 'connected');
      const ops = await createRequest(server, 'rita', { rules: [rule({ groups: ['ops'] })] });
      const dba = await createRequest(server, 'rita', { rules: [rule({ groups: ['dba'] })] });
      const mine = await createRequest(server, 'roger', { rules: [rule({ groups: ['ops'] })] });
      await dana.next(isEvent('request.created', dba));
      await roger.next(isEvent('request.created', mine));
      await new Promise((r) => setTimeout(r, 50));
      expect(dana.frames.some((f) => f.data && eventOf(f).request.id === ops)).toBe(false);
      expect(roger.frames.some((f) => f.data && [ops, dba].includes(eventOf(f).request.id))).toBe(false);
    } finally {
      dana.close();
      roger.close();
    }
  });

  it('sends heartbeat comments and counts clients', async () => {
    const sse = await openSse(`${server.url}/v1/events`, server.tokens.alice!);
    try {
      await sse.next((f) => f.comment === 'heartbeat', 2000);
      expect((await server.call('alice', 'GET', '/metrics')).text).toMatch(/^gate_sse_clients 1$/m);
    } finally {
      sse.close();
    }
    await new Promise((r) => setTimeout(r, 100));
    expect((await server.call('alice', 'GET', '/metrics')).text).toMatch(/^gate_sse_clients 0$/m);
  });
});
