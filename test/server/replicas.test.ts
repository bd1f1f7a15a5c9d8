// Two `gate server` replicas on one real PostgreSQL database, as behind a load balancer: a
// decision made on one reaches waiters and streams on the other (LISTEN/NOTIFY), racing
// redeems, votes and expiry sweeps each win once, and a Postgres restart during a wait loses
// no decision.
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { channelsSchema, toChannelsConfig } from '../../src/server/channels/channels-config.js';
import type { ServerConfig } from '../../src/server/config.js';
import { postgresCluster } from '../../src/server/postgres-cluster.js';
import { openPostgresStore } from '../../src/server/store/postgres-store.js';
import { createDatabase, startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { createRequest, requestBody, rule, startTestServer, testClock, type TestClock, type TestServer } from './server-fixture.js';
import { openSse } from './sse-client.js';
import { secretFiles, slackBot } from './channels/channels-fixture.js';
import { startReceiver, type Receiver } from './channels/receiver.js';

const running: TestServer[] = [];

/** Replicas A and B on a new database at `adminUrl`, sharing one clock and the identities. */
async function replicas(adminUrl: string, count = 2, clock: TestClock = testClock(new Date()), config: Partial<ServerConfig> = {}): Promise<TestServer[]> {
  const url = await createDatabase(adminUrl);
  const tokens: Record<string, string> = {};
  const servers: TestServer[] = [];
  for (let i = 0; i < count; i++) {
    const store = await openPostgresStore(url, clock.now(), { max: 5 });
    const server = await startTestServer({ sweepIntervalMs: 3_600_000, ...config }, clock, {}, { store, cluster: postgresCluster(store.sql), tokens });
    servers.push(server);
    running.push(server);
  }
  await servers[0]!.addUser('rita', 'requester');
  for (const name of ['alice', 'bob', 'carol']) await servers[0]!.addUser(name, 'reviewer', ['ops']);
  return servers;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close().catch(() => {})));
});

describe('replicas on one Postgres database', () => {
  it('created on A, approved on B: the waiter and the event stream on A get it at once', async () => {
    const [a, b] = await replicas(inject('postgresUrl'));
    const id = await createRequest(a!, 'rita');
    const sse = await openSse(`${a!.url}/v1/events?request=${id}`, a!.tokens.rita!);
    await sse.next((f) => f.comment === 'connected');
    const waiting = a!.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=30`);
    await new Promise((r) => setTimeout(r, 100));
    const approved = await b!.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    expect(approved.status).toBe(200);
    const waited = await waiting;
    expect(waited.body).toMatchObject({ id, status: 'approved', votes: [{ reviewer: 'alice' }] });
    const frame = await sse.next((f) => f.event === 'request.approved');
    expect(JSON.parse(frame.data!).request).toMatchObject({ id, status: 'approved' });
    sse.close();
    // Both replicas read the same state; the event ids are the same log.
    expect((await a!.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('approved');
  });

  it('refuses text Postgres cannot hold (NUL) with a 400, like any bad input', async () => {
    const [a] = await replicas(inject('postgresUrl'), 1);
    const id = await createRequest(a!, 'rita');
    const res = await a!.call('alice', 'POST', `/v1/requests/${id}/deny`, { comment: 'bad\u0000byte' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    const created = await a!.call('rita', 'POST', '/v1/requests', { ...requestBody('rita'), reason: 'x\u0000y' });
    expect(created.status).toBe(400);
    expect((await a!.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('pending');
  });

  it('racing redeems on A and B: exactly one gets a token', async () => {
    const [a, b] = await replicas(inject('postgresUrl'));
    const id = await createRequest(a!, 'rita');
    await b!.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    const digest = { digest: 'd'.repeat(64) };
    const results = await Promise.all([a, b, a, b].map((s) => s!.call('rita', 'POST', `/v1/requests/${id}/redeem`, digest)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['already_redeemed', 'already_redeemed', 'already_redeemed']);
  });

  it('racing votes on A and B meet a quorum of two once', async () => {
    const [a, b] = await replicas(inject('postgresUrl'));
    const id = await createRequest(a!, 'rita', { rules: [rule({ min: 2 })] });
    const votes = await Promise.all([
      a!.call('alice', 'POST', `/v1/requests/${id}/approve`, {}),
      b!.call('bob', 'POST', `/v1/requests/${id}/approve`, {}),
      a!.call('carol', 'POST', `/v1/requests/${id}/approve`, {}),
    ]);
    const ok = votes.filter((v) => v.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(votes.filter((v) => v.status !== 200).map((v) => v.body.error.code)).toEqual(ok.length === 3 ? [] : ['not_pending']);
    const view = (await b!.call('rita', 'GET', `/v1/requests/${id}`)).body;
    expect(view.status).toBe('approved');
    expect(view.votes).toHaveLength(2);
    const events = await a!.store.eventsAfter(0, 1000);
    expect(events.filter((e) => e.event.request.id === id && e.event.type === 'request.approved')).toHaveLength(1);
  });

  it('expiry sweeps on both replicas expire a request once', async () => {
    const clock = testClock(new Date());
    const [a, b] = await replicas(inject('postgresUrl'), 2, clock);
    const id = await createRequest(a!, 'rita', { rules: [rule({ pending_ms: 1000 })] });
    clock.advance(5000);
    // One sweep at a time per replica (a second call joins the running one), racing across them.
    const swept = await Promise.all([a!.running.sweep(), b!.running.sweep()]);
    expect(swept.reduce((x, y) => x + y, 0)).toBe(1);
    const events = await a!.store.eventsAfter(0, 1000);
    expect(events.filter((e) => e.event.request.id === id && e.event.type === 'request.expired')).toHaveLength(1);
    expect((await b!.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('expired');
  });

  it('delivers every decision made on the other replica to its waiters, in order, each once', async () => {
    const [a, b] = await replicas(inject('postgresUrl'));
    const ids = await Promise.all(Array.from({ length: 20 }, () => createRequest(b!, 'rita')));
    const sse = await openSse(`${a!.url}/v1/events`, a!.tokens.rita!);
    await sse.next((f) => f.comment === 'connected');
    const waits = ids.map((id) => a!.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=30`));
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all(ids.map((id, i) => (i % 2 === 0 ? b : a)!.call('alice', 'POST', `/v1/requests/${id}/${i % 3 === 0 ? 'deny' : 'approve'}`, i % 3 === 0 ? { comment: 'no' } : {})));
    const answers = await Promise.all(waits);
    expect(answers.map((r) => r.body.status)).toEqual(ids.map((_, i) => (i % 3 === 0 ? 'denied' : 'approved')));
    const decided = (f: { event?: string }) => f.event === 'request.approved' || f.event === 'request.denied';
    await sse.next(() => sse.frames.filter(decided).length >= ids.length, 10_000);
    const seen = sse.frames.filter(decided).map((f) => Number(f.id));
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(new Set(seen).size).toBe(ids.length);
    sse.close();
  });
});

describe('channels with replicas', () => {
  let receiver: Receiver;
  let dir: string;
  beforeAll(async () => {
    receiver = await startReceiver();
    dir = secretFiles(receiver);
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts each Slack message once, from the leading replica; another takes over when it stops', async () => {
    const channels = toChannelsConfig(channelsSchema.parse({ slack: slackBot(receiver) }), dir);
    const [a, b] = await replicas(inject('postgresUrl'), 2, testClock(new Date()), { channels });
    const leader = async () => {
      for (let i = 0; i < 100; i++) {
        const led = [a, b].find((s) => s!.logs.some((l) => l.msg === 'leader' && l.fields.role === 'channels'));
        if (led) return led;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no replica took the channels');
    };
    const first = await leader();
    const follower = first === a ? b! : a!;
    const id = await createRequest(follower, 'rita');
    await receiver.waitFor('/api/chat.postMessage', (r) => r.body.includes(id));
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.to('/api/chat.postMessage').filter((r) => r.body.includes(id))).toHaveLength(1);
    // The leader stops; the other replica takes the channels over and posts the next one once.
    await first!.close();
    running.splice(running.indexOf(first!), 1);
    for (let i = 0; i < 100 && !follower.logs.some((l) => l.msg === 'leader'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(follower.logs.some((l) => l.msg === 'leader')).toBe(true);
    const next = await createRequest(follower, 'rita');
    await receiver.waitFor('/api/chat.postMessage', (r) => r.body.includes(next));
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.to('/api/chat.postMessage').filter((r) => r.body.includes(next))).toHaveLength(1);
  }, 60_000);
});

describe('a Postgres restart during a wait', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('loses no decision: the waiter on A gets the approval made on B after the restart', async () => {
    const [a, b] = await replicas(cluster.url);
    const id = await createRequest(a!, 'rita');
    const waiting = a!.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=60`);
    await new Promise((r) => setTimeout(r, 200));
    await cluster.restart();
    // The pooled connections died with the restart: the store retries on fresh ones, so the
    // very first call succeeds, and the decision reaches A's waiter.
    const approved = await b!.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    expect(approved.status, approved.text).toBe(200);
    expect(b!.logs.filter((l) => l.level === 'error')).toEqual([]);
    const waited = await waiting;
    expect(waited.body).toMatchObject({ id, status: 'approved' });
    // And the replicas keep working afterwards.
    const next = await createRequest(b!, 'rita');
    const again = a!.call('rita', 'GET', `/v1/requests/${next}/wait?timeout=30`);
    await new Promise((r) => setTimeout(r, 200));
    expect((await b!.call('alice', 'POST', `/v1/requests/${next}/approve`, {})).status).toBe(200);
    expect((await again).body.status).toBe('approved');
  }, 120_000);
});
